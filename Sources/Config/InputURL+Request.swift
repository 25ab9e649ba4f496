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
    /// The URL an HTTP redirect's `Location` points to, for a source pulled over HTTP (`tshttp://`, later `hls://`):
    /// an absolute path keeps this URL's scheme and authority; an absolute `http://` URL becomes this URL's scheme
    /// with the new authority and path. Other targets (`https://` from a plain source, other schemes) are refused.
    public func resolvingRedirect(_ location: String) throws(InputURLError) -> InputURL {
        if location.hasPrefix("/") {
            return try InputURL(parsing: "\(scheme)://\(authority)\(location)")
        }
        guard location.hasPrefix("http://") else {
            throw InputURLError("'\(text)': redirect to '\(location)' cannot be followed (only http:// targets)")
        }
        return try InputURL(parsing: scheme + location.dropFirst(4))
    }
}
