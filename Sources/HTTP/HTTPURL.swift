/// An `http://` or `https://` URL that Sluice calls as a client (an authorization backend of `on_publish`/`on_play`),
/// split into what a request needs: where to connect, whether over TLS, the Host header, the request target.
///
/// Form: `http[s]://host[:port][/path][?query][#fragment]`, IPv6 hosts in brackets; the fragment is never sent.
/// Refused, with a message quoting the URL: other schemes, credentials before an `@`, an empty host, a port outside
/// 1...65535, and spaces or control bytes anywhere (they would break the request line). Percent-escapes are kept as
/// written.
public struct HTTPURL: Equatable, Sendable, CustomStringConvertible {
    /// The URL as written.
    public let text: String
    /// The name or address to connect to, without IPv6 brackets.
    public let host: String
    /// 80 (`http`) or 443 (`https`) unless the URL says otherwise.
    public let port: Int
    /// `https://`: the request goes over TLS.
    public let isSecure: Bool
    /// The Host header's value: `host[:port]` as written.
    public let authority: String
    /// The path (`/` when empty) and the query: what follows `GET `.
    public let target: String

    public var description: String { text }

    public init(parsing text: String) throws(HTTPURLError) {
        self.text = text
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw HTTPURLError("'\(text)' is not a URL: expected http://HOST/PATH")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw HTTPURLError("'\(text)': expected an http:// or https:// URL") }
        isSecure = scheme == "https"
        guard !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw HTTPURLError("'\(text)': spaces and control characters must be percent-encoded")
        }
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let targetStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<targetStart]
        let target = rest[targetStart...]
        guard !authority.contains("@") else {
            throw HTTPURLError("'\(text)': credentials in the URL are not supported")
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw HTTPURLError("'\(text)': expected ']' after the IPv6 address") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw HTTPURLError("'\(text)': expected ':PORT' after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw HTTPURLError("'\(text)': expected a host after '\(scheme)://'") }
        var port = isSecure ? 443 : 80
        if let portText {
            guard portText.utf8.count <= 5, let number = Int(portText), portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  (1...65535).contains(number) else {
                throw HTTPURLError("'\(text)': port '\(portText)' is not a number in 1...65535")
            }
            port = number
        }
        self.host = String(host)
        self.port = port
        self.authority = String(authority)
        self.target = target.hasPrefix("/") ? String(target) : "/" + target
    }
}

/// Why an `HTTPURL` was refused; the message quotes the URL.
public struct HTTPURLError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
