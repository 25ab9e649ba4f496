internal import CLibUV

/// A handle that listens for connections (`TCPListener`, a `Pipe` bound to a path): one C callback for all of them,
/// each accepting into a new handle of its own kind.
protocol Listening: Handle {
    /// Called for each incoming connection (`status` 0) or listen error (`status` < 0).
    func connectionArrived(status: Int32)
    /// What is listened on, for errors.
    var label: String { get }
}

extension Listening {
    /// Starts `uv_listen` on this handle; `context` names what is listened on in errors.
    func startListening(backlog: Int32, context: @autoclosure () -> String) throws {
        try uvCheck("uv_listen(\(context()))", uv_listen(typed(uv_stream_t.self), backlog) { server, status in
            guard let owner = Handle.owner(of: UnsafeMutableRawPointer(server)) as? any Listening else { return }
            owner.connectionArrived(status: status)
        })
    }

    /// Accepts a pending connection (or a handle passed over an IPC pipe) into `client`, a handle just initialised
    /// for it; on failure the client is closed and the error names `call` and this handle.
    func accept(into client: Handle, call: String) throws(LibUVError) {
        let rc = uv_accept(typed(uv_stream_t.self), client.typed(uv_stream_t.self))
        guard rc >= 0 else {
            client.close()
            throw LibUVError("\(call) on \(label)", code: rc)
        }
    }
}
