internal import CLibUV

/// A one-shot or repeating timer on the loop's millisecond clock (`EventLoop.now`).
///
/// A started timer keeps the loop running; `setKeepsLoopAlive(false)` makes it a watchdog that does not.
public final class Timer: Handle {
    private var onFire: (() -> Void)?

    public init(loop: EventLoop) throws {
        try super.init(loop: loop, type: UV_TIMER, call: "uv_timer_init") { uv, memory in
            uv_timer_init(uv, memory.assumingMemoryBound(to: uv_timer_t.self))
        }
    }

    /// Calls `fire` after `timeout` ms, then every `repeating` ms if that is not 0. Restarting replaces the previous
    /// schedule and callback.
    public func start(after timeout: UInt64, repeating: UInt64 = 0, _ fire: @escaping () -> Void) throws {
        onFire = fire
        try uvCheck("uv_timer_start", uv_timer_start(typed(uv_timer_t.self), { timer in
            Timer.owner(of: UnsafeMutableRawPointer(timer))?.onFire?()
        }, timeout, repeating))
    }

    public func stop() {
        uv_timer_stop(typed(uv_timer_t.self))
    }

    /// Restarts a repeating timer from now with its repeat interval (a deadline pushed back by activity).
    public func again() throws {
        try uvCheck("uv_timer_again", uv_timer_again(typed(uv_timer_t.self)))
    }

    /// The repeat interval in ms (0: one-shot). libuv schedules the next firing before calling back, so a change
    /// made from the timer's own callback takes effect one firing later.
    public var repeatInterval: UInt64 {
        get { uv_timer_get_repeat(typed(uv_timer_t.self)) }
        set { uv_timer_set_repeat(typed(uv_timer_t.self), newValue) }
    }

    override func dropCallbacks() {
        onFire = nil
    }
}
