internal import CLibUV
internal import CSupport
#if canImport(Glibc)
internal import Glibc
#endif

/// A clock that ticks at every multiple of its period on the machine's monotonic clock (a timerfd armed with absolute
/// expiries, watched by the loop through `uv_poll_t`).
///
/// Every process that runs a ticker with the same period ticks at the same instants, so the kernel wakes them all
/// from one timer interrupt; a libuv timer would expire at each loop's own "now + period". On a virtual machine that
/// is most of the point: a CPU woken from idle by the host's timer costs the process it wakes far more than a CPU
/// that is already awake for a neighbour (docs/eventloop.md, "Aligned ticks"). Expiries missed while the loop was
/// busy are merged into one call.
public final class AlignedTicker: Handle {
    private let descriptor: Int32
    private var onTick: (() -> Void)?

    public init(loop: EventLoop) throws(LibUVError) {
        let fd = csupport_timerfd_open()
        guard fd >= 0 else { throw LibUVError("timerfd_create", code: -errno) }
        descriptor = fd
        do {
            try super.init(loop: loop, type: UV_POLL, call: "uv_poll_init(timerfd)") { uv, memory in
                uv_poll_init(uv, memory.assumingMemoryBound(to: uv_poll_t.self), fd)
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Calls `tick` at every multiple of `periodMs` of the monotonic clock from the next one on, until `stop()`.
    public func start(periodMs: UInt32, _ tick: @escaping () -> Void) throws {
        onTick = tick
        guard csupport_timerfd_start_aligned(descriptor, UInt64(periodMs) * 1_000_000) == 0 else {
            throw LibUVError("timerfd_settime(every \(periodMs) ms)", code: -errno)
        }
        try uvCheck("uv_poll_start(timerfd)", uv_poll_start(typed(uv_poll_t.self), Int32(UV_READABLE.rawValue)) { poll, status, _ in
            guard let owner = AlignedTicker.owner(of: UnsafeMutableRawPointer(poll)) else { return }
            // A failed poll or an empty read (another wake-up took the expiry) is not a tick.
            guard status >= 0, csupport_timerfd_expirations(owner.descriptor) > 0 else { return }
            owner.onTick?()
        })
    }

    /// Stops ticking and disarms the timer (an armed timerfd would go on interrupting the CPU every period).
    public func stop() {
        uv_poll_stop(typed(uv_poll_t.self))
        _ = csupport_timerfd_stop(descriptor)
    }

    override func dropCallbacks() {
        onTick = nil
        // The descriptor outlives the poll handle: libuv must have stopped watching it before it is closed.
        Glibc.close(descriptor)
    }
}
