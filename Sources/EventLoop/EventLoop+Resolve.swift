internal import CLibUV

extension EventLoop {
    /// The first address of `host` (a name or a numeric address) for a TCP connection to `port`. Blocking
    /// (`uv_getaddrinfo` without a callback): for workers that resolve only when a source or target (re)connects,
    /// never on a path that serves viewers. The error names the host and says why (`uv_strerror`).
    public func resolve(host: String, port: Int) throws -> SocketAddress {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        let request = UnsafeMutablePointer<uv_getaddrinfo_t>.allocate(capacity: 1)
        defer { request.deallocate() }
        try uvCheck("getaddrinfo(\(host))", uv_getaddrinfo(uv, request, nil, host, String(port), &hints))
        defer { uv_freeaddrinfo(request.pointee.addrinfo) }
        guard let first = request.pointee.addrinfo, let address = first.pointee.ai_addr else {
            throw LibUVError("getaddrinfo(\(host))", code: UV_EAI_NONAME.rawValue)
        }
        return SocketAddress(copying: address, length: Int(first.pointee.ai_addrlen))
    }
}
