internal import CLibUV

/// A Unix-domain stream: a control-socket listener or client (`bind`/`listen`, `connect`), or one end of a
/// supervisor-worker channel (`init(loop:ipc:fileDescriptor:)` over a socketpair, or a `Process` stdio pipe).
///
/// In IPC mode a write may carry a handle (`write(_:passing:)`, SCM_RIGHTS underneath) and the receiving side
/// accepts it from within its `onData`, while `pendingHandleCount` is not 0: the descriptor arrives with the bytes
/// it was sent with. Both ends must be in IPC mode.
public final class Pipe: StreamHandle, Listening {
    public let isIPC: Bool
    private var onConnection: ((Result<Pipe, LibUVError>) -> Void)?
    private(set) var label = "pipe"

    public init(loop: EventLoop, ipc: Bool = false) throws(LibUVError) {
        isIPC = ipc
        try super.init(loop: loop, type: UV_NAMED_PIPE, call: "uv_pipe_init") { uv, memory in
            uv_pipe_init(uv, memory.assumingMemoryBound(to: uv_pipe_t.self), ipc ? 1 : 0)
        }
    }

    /// Adopts an open descriptor (one end of a socketpair, an inherited channel); the pipe owns it from now on.
    public convenience init(loop: EventLoop, ipc: Bool = false, fileDescriptor: Int32) throws {
        try self.init(loop: loop, ipc: ipc)
        label = "fd \(fileDescriptor)"
        do {
            try uvCheck("uv_pipe_open(\(label))", uv_pipe_open(typed(uv_pipe_t.self), fileDescriptor))
        } catch {
            close()
            throw error
        }
    }

    @inline(__always)
    private var pipe: UnsafeMutablePointer<uv_pipe_t> { typed(uv_pipe_t.self) }

    /// Binds to a filesystem path (which must not exist yet; remove it after closing).
    public func bind(path: String) throws {
        label = path
        try uvCheck("uv_pipe_bind(\(path))", uv_pipe_bind(pipe, path))
    }

    /// Starts accepting clients on a bound path; each arrives as a new `Pipe` in this pipe's mode, not yet reading.
    public func listen(backlog: Int32 = 128, onConnection: @escaping (Result<Pipe, LibUVError>) -> Void) throws {
        self.onConnection = onConnection
        try startListening(backlog: backlog, context: label)
    }

    func connectionArrived(status: Int32) {
        guard let onConnection else { return }
        guard status >= 0 else { return onConnection(.failure(LibUVError("uv_listen(\(label))", code: status))) }
        do throws(LibUVError) {
            let client = try Pipe(loop: loop, ipc: isIPC)
            try accept(into: client, call: "uv_accept")
            onConnection(.success(client))
        } catch {
            onConnection(.failure(error))
        }
    }

    /// Connects to a listening path; `completion` gets nil once connected.
    public func connect(path: String, completion: @escaping (LibUVError?) -> Void) {
        label = path
        let request = Request<uv_connect_t>()
        request.completion = completion
        request.label = path
        let pipe = self.pipe
        request.handOver("uv_pipe_connect")
        uv_pipe_connect(request.pointer, pipe, path) { request, status in
            Request<uv_connect_t>.finish(request, status: status)
        }
    }

    /// Writes `bytes` together with `handle`'s descriptor (a TCP connection or listener, a pipe, a UDP socket).
    /// The handle stays usable here; close it once the completion ran if only the receiver should keep it.
    public func write(_ bytes: SharedBytes, passing handle: Handle,
                      completion: ((LibUVError?) -> Void)? = nil) throws {
        precondition(isIPC, "passing a handle needs a pipe in IPC mode")
        precondition(bytes.count > 0, "a handle travels with at least one byte")
        try submitWrite(prefix: nil, bytes, range: nil, passing: handle, completion: completion)
    }

    /// Handles received and not yet accepted; accept them from within `onData`.
    public var pendingHandleCount: Int { Int(uv_pipe_pending_count(pipe)) }

    /// Accepts the next received handle as a TCP connection.
    public func acceptPendingConnection() throws -> TCPConnection {
        try expectPending(UV_TCP, as: "a TCP socket")
        let connection = try TCPConnection(loop: loop)
        try accept(into: connection, call: "uv_accept(pending TCP connection)")
        return connection
    }

    /// Accepts the next received handle as a listening TCP socket (a port passed down by the supervisor).
    public func acceptPendingListener() throws -> TCPListener {
        try expectPending(UV_TCP, as: "a TCP socket")
        let listener = try TCPListener(loop: loop)
        try accept(into: listener, call: "uv_accept(pending TCP listener)")
        return listener
    }

    /// Accepts the next received handle as a pipe.
    public func acceptPendingPipe(ipc: Bool = false) throws -> Pipe {
        try expectPending(UV_NAMED_PIPE, as: "a pipe")
        let pipe = try Pipe(loop: loop, ipc: ipc)
        try accept(into: pipe, call: "uv_accept(pending pipe)")
        return pipe
    }

    private func expectPending(_ type: uv_handle_type, as description: String) throws {
        let pending = uv_pipe_pending_type(pipe)
        guard pending == type else {
            let what = pending == UV_UNKNOWN_HANDLE ? "nothing is pending" : "the pending handle is of type \(pending.rawValue)"
            throw LibUVError("uv_pipe_pending_type(\(label), expected \(description): \(what))",
                             code: Int32(UV_EINVAL.rawValue))
        }
    }

    /// Accepts into `client`, closing it if that fails.
    override func dropCallbacks() {
        super.dropCallbacks()
        onConnection = nil
    }
}
