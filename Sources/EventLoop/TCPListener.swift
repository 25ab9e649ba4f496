internal import CLibUV

/// A listening TCP socket, bound here or received ready-made (a socket the supervisor bound and passed down, so that
/// a worker can restart without the port ever closing). Every accepted connection is a new `TCPConnection`.
public final class TCPListener: Handle, Listening {
    private var onConnection: ((Result<TCPConnection, LibUVError>) -> Void)?
    private(set) var label = "tcp"

    public init(loop: EventLoop) throws {
        try super.init(loop: loop, type: UV_TCP, call: "uv_tcp_init") { uv, memory in
            uv_tcp_init(uv, memory.assumingMemoryBound(to: uv_tcp_t.self))
        }
    }

    /// Adopts a socket that is already bound (and possibly listening), such as one inherited from the supervisor.
    /// The listener owns the descriptor from now on and closes it when closed.
    public convenience init(loop: EventLoop, fileDescriptor: Int32) throws {
        try self.init(loop: loop)
        label = "fd \(fileDescriptor)"
        do {
            try uvCheck("uv_tcp_open(\(label))", uv_tcp_open(typed(uv_tcp_t.self), fileDescriptor))
        } catch {
            close()
            throw error
        }
    }

    /// Binds to `address` (port 0: the kernel picks one, see `localAddress()`). libuv sets SO_REUSEADDR and reports
    /// a port in use from `listen`, not from here. `ipv6Only` refuses IPv4-mapped peers on an IPv6 address.
    public func bind(_ address: SocketAddress, ipv6Only: Bool = false) throws {
        label = address.description
        let flags = ipv6Only ? UInt32(UV_TCP_IPV6ONLY.rawValue) : 0
        try address.withSockaddr { sockaddr in
            try uvCheck("uv_tcp_bind(\(label))", uv_tcp_bind(typed(uv_tcp_t.self), sockaddr, flags))
        }
    }

    /// Starts accepting: each connection is handed over open and not yet reading; an accept or listen failure is
    /// passed as an error and listening goes on.
    public func listen(backlog: Int32 = 511,
                       onConnection: @escaping (Result<TCPConnection, LibUVError>) -> Void) throws {
        self.onConnection = onConnection
        try startListening(backlog: backlog, context: label)
    }

    func connectionArrived(status: Int32) {
        guard let onConnection else { return }
        guard status >= 0 else { return onConnection(.failure(LibUVError("uv_listen(\(label))", code: status))) }
        do throws(LibUVError) {
            let connection = try TCPConnection(loop: loop)
            try accept(into: connection, call: "uv_accept")
            onConnection(.success(connection))
        } catch {
            onConnection(.failure(error))
        }
    }

    /// The bound address, with the port the kernel chose for port 0.
    public func localAddress() throws -> SocketAddress {
        let tcp = typed(uv_tcp_t.self)
        return try SocketAddress(call: "uv_tcp_getsockname(\(label))") { uv_tcp_getsockname(tcp, $0, $1) }
    }

    override func dropCallbacks() {
        onConnection = nil
    }
}
