extension InputURL {
    /// `host[:port]` as an HTTP Host header or an RTSP URL carries it: IPv6 hosts in brackets, the port only when
    /// the URL gives one.
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(name):\($0)" } ?? name
    }

    /// The request target of an HTTP request for this URL: the path (or `/`) and the query.
    public var requestTarget: String {
        (path.isEmpty ? "/" : path) + (query.map { "?\($0)" } ?? "")
    }
}

extension InputURL {
    /// The secure variant of each scheme pulled over HTTP.
    private static let secureSchemes = ["tshttp": "tshttps", "hls": "hlss"]

    /// The URL an HTTP redirect's `Location` points to, for a source pulled over HTTP or HTTPS (`tshttp://` and
    /// `tshttps://`, later `hls://` and `hlss://`): an absolute path keeps this URL's scheme and authority; an
    /// absolute `http://` or `https://` URL takes its authority and path, and this URL's scheme made plain or secure
    /// to match. Refused: a redirect from HTTPS to plain HTTP (it would drop TLS), and other targets.
    public func resolvingRedirect(_ location: String) throws(InputURLError) -> InputURL {
        if location.hasPrefix("/") {
            return try InputURL(parsing: "\(scheme)://\(authority)\(location)")
        }
        let plain = Self.secureSchemes.first { $0.value == scheme }?.key
        if location.hasPrefix("https://"), let secure = Self.secureSchemes[plain ?? scheme] {
            return try InputURL(parsing: secure + location.dropFirst(5))
        }
        if location.hasPrefix("http://") {
            guard plain == nil else {
                throw InputURLError("'\(text)': redirect to '\(location)' refused: it would drop TLS")
            }
            return try InputURL(parsing: scheme + location.dropFirst(4))
        }
        throw InputURLError("'\(text)': redirect to '\(location)' cannot be followed (only http:// and https:// targets)")
    }
}
