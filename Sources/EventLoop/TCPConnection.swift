internal import CLibUV

/// A TCP connection: accepted by a `TCPListener`, connected out with `connect`, adopted from a descriptor, or
/// received over an IPC `Pipe`. Reading, writing and shutdown are those of `StreamHandle`.
public final class TCPConnection: StreamHandle {
    public init(loop: EventLoop) throws(LibUVError) {
        try super.init(loop: loop, type: UV_TCP, call: "uv_tcp_init") { uv, memory in
            uv_tcp_init(uv, memory.assumingMemoryBound(to: uv_tcp_t.self))
        }
    }

    /// Adopts a connected socket; the connection owns the descriptor from now on.
    public convenience init(loop: EventLoop, fileDescriptor: Int32) throws {
        try self.init(loop: loop)
        do {
            try uvCheck("uv_tcp_open(fd \(fileDescriptor))", uv_tcp_open(typed(uv_tcp_t.self), fileDescriptor))
        } catch {
            close()
            throw error
        }
    }

    /// Connects to `address`; `completion` gets nil once connected, or the error (refused, unreachable, cancelled by
    /// `close`).
    public func connect(to address: SocketAddress, completion: @escaping (LibUVError?) -> Void) throws {
        let request = Request<uv_connect_t>()
        request.completion = completion
        request.label = address.description
        let tcp = typed(uv_tcp_t.self)
        try address.withSockaddr { sockaddr in
            try request.submit("uv_tcp_connect", context: address.description) {
                uv_tcp_connect($0, tcp, sockaddr) { request, status in Request<uv_connect_t>.finish(request, status: status) }
            }
        }
    }

    /// Sends small writes at once instead of coalescing them (Nagle off): for interactive protocols.
    public func setNoDelay(_ enabled: Bool) throws {
        try uvCheck("uv_tcp_nodelay", uv_tcp_nodelay(typed(uv_tcp_t.self), enabled ? 1 : 0))
    }

    public func localAddress() throws -> SocketAddress {
        let tcp = typed(uv_tcp_t.self)
        return try SocketAddress(call: "uv_tcp_getsockname") { uv_tcp_getsockname(tcp, $0, $1) }
    }

    public func peerAddress() throws -> SocketAddress {
        let tcp = typed(uv_tcp_t.self)
        return try SocketAddress(call: "uv_tcp_getpeername") { uv_tcp_getpeername(tcp, $0, $1) }
    }
}
