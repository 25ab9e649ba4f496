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
        guard let separator = Self.schemeSeparator(in: text) else {
            throw InputURLError("'\(text)' is not a URL: expected SCHEME://... (e.g. udp://239.0.0.1:1234)")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard let first = scheme.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"),
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

        var rest = text[separator.upperBound...]
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        } else {
            query = nil
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        let pathText = String(rest[slash...])

        var user: String?
        var password: String?
        var interface: String?
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if scheme == "udp" {
                guard !info.isEmpty else { throw InputURLError("'\(text)': empty interface name before '@'") }
                interface = String(info)
            } else if let colon = info.firstIndex(of: ":") {
                user = String(info[..<colon])
                password = String(info[info.index(after: colon)...])
            } else {
                user = String(info)
            }
        }
        self.user = user
        self.password = password
        self.interface = interface

        let (host, port) = try Self.splitHostPort(authority, in: text)
        self.host = host
        self.port = port
        if scheme == "udp" {
            guard port != nil else { throw InputURLError("'\(text)': a UDP URL needs a port (udp://GROUP:PORT)") }
            let source = pathText.dropFirst()
            guard !source.contains("/") else {
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

    /// Whether this is a UDP URL whose address is an IPv4 multicast group (224.0.0.0/4).
    public var isMulticast: Bool {
        guard scheme == "udp", let firstOctet = host.split(separator: ".").first, let value = Int(firstOctet) else {
            return false
        }
        return (224...239).contains(value)
    }

    /// The range of the first `://`, found on UTF-8 bytes.
    private static func schemeSeparator(in text: String) -> Range<String.Index>? {
        let bytes = text.utf8
        var index = bytes.startIndex
        while let colon = bytes[index...].firstIndex(of: UInt8(ascii: ":")) {
            let end = bytes.index(colon, offsetBy: 3, limitedBy: bytes.endIndex) ?? bytes.endIndex
            if bytes[colon..<end].elementsEqual("://".utf8) { return colon..<end }
            index = bytes.index(after: colon)
        }
        return nil
    }

    @inline(__always)
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func splitHostPort(_ authority: Substring, in text: String) throws(InputURLError) -> (String, Int?) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw InputURLError("'\(text)': expected ']' after the IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw InputURLError("'\(text)': expected ':PORT' after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard let portText else { return (String(host), nil) }
        guard let port = ConfigNumber.integer(String(portText)), portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            (1...65535).contains(port)
        else { throw InputURLError("'\(text)': port '\(portText)' is not a number in 1...65535") }
        return (String(host), port)
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
