/// A source or push URL of the config (`input`, `push`), split into its parts for the modules that open it.
///
/// Forms: `scheme://[user[:password]@]host[:port][/path][?query]`, with IPv6 hosts in brackets. UDP is special:
/// `udp://[IFACE@]GROUP:PORT[/IFACE_IP]` (also `udp://:PORT` and `udp://0.0.0.0:PORT`), where the part before `@` is
/// the network interface to join on and the path is the source-interface address; a UDP URL needs a port.
/// Schemes are those of an input (`inputSchemes`); plain `http://` and `https://` are rejected with a hint because
/// they are ambiguous (MPEG-TS or HLS?). Percent-escapes are kept as written.
public struct InputURL: Hashable, Sendable, CustomStringConvertible {
    /// The URL exactly as written.
    public let text: String
    /// Lowercased.
    public let scheme: String
    public let user: String?
    public let password: String?
    /// Without IPv6 brackets; empty for `publish://` and `udp://:PORT`.
    public let host: String
    public let port: Int?
    /// Empty, or starting with `/`. Always empty for UDP (its path is `sourceInterfaceIP`).
    public let path: String
    /// The text after `?`, without it.
    public let query: String?
    /// UDP only: the interface name before `@` (`udp://eth1@239.0.0.1:1234`).
    public let interface: String?
    /// UDP only: the source-interface address after the port (`udp://239.0.0.1:1234/10.0.0.2`).
    public let sourceInterfaceIP: String?

    /// Every scheme Sluice accepts as an `input`.
    public static let inputSchemes: Set<String> = [
        "udp", "tshttp", "tshttps", "rtsp", "rtsp2", "rtmp", "rtmps", "hls", "hlss", "srt", "fake", "file",
        "timeshift", "copy", "publish", "m4f",
    ]

    /// The schemes whose host may be empty: listeners and published streams.
    private static let hostOptional: Set<String> = ["udp", "srt", "publish"]

    public var description: String { text }

    /// The query split at `&`, each item `key=value` or a bare `key`.
    public var queryItems: [URLOption] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { item in
            guard let equals = item.firstIndex(of: "=") else { return URLOption(String(item)) }
            return URLOption(String(item[..<equals]), String(item[item.index(after: equals)...]))
        }
    }

    public init(parsing text: String) throws(InputURLError) {
        self.text = text
        // Split on UTF-8 bytes: every delimiter is ASCII, and Character-level searching costs grapheme breaking
        // (a 10,000-stream config holds 20,000 URLs).
        let bytes = Array(text.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func first(_ byte: Unicode.Scalar, in range: Range<Int>) -> Int? { bytes[range].firstIndex(of: UInt8(ascii: byte)) }
        guard let colon = Self.schemeSeparator(in: bytes) else {
            throw InputURLError("'\(text)' is not a URL: expected SCHEME://... (e.g. udp://239.0.0.1:1234)")
        }
        let scheme = string(0..<colon).lowercased()
        guard let head = scheme.utf8.first, head >= UInt8(ascii: "a"), head <= UInt8(ascii: "z"),
            scheme.utf8.allSatisfy({ Self.isSchemeByte($0) })
        else { throw InputURLError("'\(text)' has an invalid scheme '\(scheme)'") }
        if scheme == "http" || scheme == "https" {
            let secure = scheme == "https" ? "s" : ""
            throw InputURLError(
                "'\(text)': plain \(scheme):// is ambiguous as an input; write tshttp\(secure):// for MPEG-TS over HTTP "
                    + "or hls\(secure):// for HLS")
        }
        guard Self.inputSchemes.contains(scheme) else {
            throw InputURLError(
                "'\(text)': unknown scheme '\(scheme)://' (known: \(Self.inputSchemes.sorted().joined(separator: ", ")))")
        }
        self.scheme = scheme

        var rest = (colon + 3)..<bytes.count
        if let mark = first("?", in: rest) {
            query = string((mark + 1)..<rest.upperBound)
            rest = rest.lowerBound..<mark
        } else {
            query = nil
        }
        let slash = first("/", in: rest) ?? rest.upperBound
        var authority = rest.lowerBound..<slash
        let pathText = string(slash..<rest.upperBound)

        var user: String?
        var password: String?
        var interface: String?
        if let at = bytes[authority].lastIndex(of: UInt8(ascii: "@")) {
            let info = authority.lowerBound..<at
            authority = (at + 1)..<authority.upperBound
            if scheme == "udp" {
                guard !info.isEmpty else { throw InputURLError("'\(text)': empty interface name before '@'") }
                interface = string(info)
            } else if let colon = first(":", in: info) {
                user = string(info.lowerBound..<colon)
                password = string((colon + 1)..<info.upperBound)
            } else {
                user = string(info)
            }
        }
        self.user = user
        self.password = password
        self.interface = interface

        let (host, port) = try Self.splitHostPort(bytes, authority, in: text)
        self.host = host
        self.port = port
        if scheme == "udp" {
            guard port != nil else { throw InputURLError("'\(text)': a UDP URL needs a port (udp://GROUP:PORT)") }
            let source = pathText.dropFirst()
            guard !source.utf8.contains(UInt8(ascii: "/")) else {
                throw InputURLError("'\(text)': expected at most a source-interface address after the port")
            }
            sourceInterfaceIP = source.isEmpty ? nil : String(source)
            path = ""
        } else {
            sourceInterfaceIP = nil
            path = pathText
        }
        if host.isEmpty && !Self.hostOptional.contains(scheme) {
            throw InputURLError("'\(text)': expected a host after '\(scheme)://'")
        }
    }

    /// The URL as written with its password replaced by `***` (`rtsp://admin:***@cam/live`), for logs and status:
    /// the text itself when it holds none.
    public var redacted: String {
        guard password != nil, let schemeEnd = text.firstRange(of: "://") else { return text }
        let authority = text[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    /// Whether this is a UDP URL whose address is an IPv4 multicast group (224.0.0.0/4).
    public var isMulticast: Bool {
        guard scheme == "udp", let firstOctet = host.split(separator: ".").first, let value = Int(firstOctet) else {
            return false
        }
        return (224...239).contains(value)
    }

    /// The offset of the first `://`.
    private static func schemeSeparator(in bytes: [UInt8]) -> Int? {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/") {
                return i
            }
            i += 1
        }
        return nil
    }

    @inline(__always)
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func splitHostPort(_ bytes: [UInt8], _ authority: Range<Int>, in text: String) throws(InputURLError) -> (String, Int?) {
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var host = authority
        var portRange: Range<Int>?
        if bytes[authority].first == UInt8(ascii: "[") {
            guard let close = bytes[authority].firstIndex(of: UInt8(ascii: "]")) else {
                throw InputURLError("'\(text)': expected ']' after the IPv6 address")
            }
            host = (authority.lowerBound + 1)..<close
            let after = (close + 1)..<authority.upperBound
            if !after.isEmpty {
                guard bytes[after.lowerBound] == UInt8(ascii: ":") else { throw InputURLError("'\(text)': expected ':PORT' after ']'") }
                portRange = (after.lowerBound + 1)..<after.upperBound
            }
        } else if let colon = bytes[authority].lastIndex(of: UInt8(ascii: ":")) {
            host = authority.lowerBound..<colon
            portRange = (colon + 1)..<authority.upperBound
        }
        guard let portRange else { return (string(host), nil) }
        let digits = bytes[portRange]
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            case let port = digits.reduce(0, { $0 * 10 + Int($1 - 48) }), (1...65535).contains(port)
        else { throw InputURLError("'\(text)': port '\(string(portRange))' is not a number in 1...65535") }
        return (string(host), port)
    }
}

/// Why a URL was rejected; the message quotes the URL.
public struct InputURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
