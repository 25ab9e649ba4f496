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
