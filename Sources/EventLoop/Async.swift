internal import CLibUV

/// Wakes the loop from another thread (`uv_async_t`): the thread calls the `Waker` from `waker`, and `wake` runs on
/// the loop's thread at its next iteration. Wakes sent before `wake` has run are merged into one call, so the other
/// thread can send on every event while the loop runs once per batch. A send costs the other thread an atomic
/// exchange and, when the loop was not already woken, one write to libuv's eventfd.
///
/// An async handle keeps the loop running while open. The waker is valid until `close()`: stop (and join) every
/// thread that may call it before closing the handle.
public final class Async: Handle {
    private var onWake: (() -> Void)?

    /// A thread-safe way to wake the loop, for another thread to keep.
    public struct Waker: @unchecked Sendable {
        fileprivate let handle: UnsafeMutablePointer<uv_async_t>

        /// Wakes the loop; may be called from any thread while the handle is open.
        public func callAsFunction() {
            uv_async_send(handle)
        }
    }

    /// Opens the handle; wakes do nothing until `onWake` is set.
    public init(loop: EventLoop) throws {
        try super.init(loop: loop, type: UV_ASYNC, call: "uv_async_init") { uv, memory in
            uv_async_init(uv, memory.assumingMemoryBound(to: uv_async_t.self)) { async in
                Async.owner(of: UnsafeMutableRawPointer(async))?.onWake?()
            }
        }
    }

    /// Sets what runs on the loop's thread after wakes (replacing what ran before).
    public func onWake(_ wake: @escaping () -> Void) {
        onWake = wake
    }

    public var waker: Waker { Waker(handle: typed(uv_async_t.self)) }

    override func dropCallbacks() {
        onWake = nil
    }
}
