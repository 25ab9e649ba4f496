internal import CLibUV

/// A Unix signal (SIGHUP, SIGTERM, SIGINT, SIGCHLD...) delivered as a callback on the loop, not in signal context,
/// so the handler may do anything. Several `Signal` handles may watch the same signal; each is called.
///
/// A started signal handle keeps the loop running; a worker that should exit when its work is done calls
/// `setKeepsLoopAlive(false)` on it.
public final class Signal: Handle {
    private var onSignal: ((Int32) -> Void)?

    public init(loop: EventLoop) throws {
        try super.init(loop: loop, type: UV_SIGNAL, call: "uv_signal_init") { uv, memory in
            uv_signal_init(uv, memory.assumingMemoryBound(to: uv_signal_t.self))
        }
    }

    /// Calls `handler` with the signal number each time `signal` arrives. Restarting replaces the watched signal.
    public func start(_ signal: Int32, _ handler: @escaping (Int32) -> Void) throws {
        onSignal = handler
        try uvCheck("uv_signal_start(\(signal))", uv_signal_start(typed(uv_signal_t.self), { handle, signal in
            Signal.owner(of: UnsafeMutableRawPointer(handle))?.onSignal?(signal)
        }, signal))
    }

    public func stop() {
        uv_signal_stop(typed(uv_signal_t.self))
    }

    override func dropCallbacks() {
        onSignal = nil
    }
}
