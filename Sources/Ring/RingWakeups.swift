#if canImport(Glibc)
import Glibc
#endif
import CSupport
import EventLoop
import Synchronization
import SystemCalls

/// Tells an event loop when the rings it reads have new frames, so that it never polls them: a thread (one per 127
/// rings) sleeps in FUTEX_WAITV on every watched ring's `notify` word at once and calls `wake` (an `Async` waker:
/// thread-safe) when one is written. It then waits for `rearm()`, which the loop calls once it has drained every
/// watched ring: frames written while the loop works are taken in the same drain and cost no wake-up. A frame thus
/// reaches the loop within a thread wake-up and a loop wake-up of its write (tens of microseconds), at a cost per
/// written burst of frames, not per frame and never per viewer: the writer's FUTEX_WAKE, two wake-ups of this
/// thread (the ring, then the rearm) and one of the loop. Protocol and bookkeeping: `RingWakeSchedule`,
/// docs/ring-format.md ("Waking").
///
/// On a kernel without FUTEX_WAITV (before Linux 5.16) the threads look at the `notify` words every
/// `fallbackPollMs` instead, and still wake the loop only when one changed.
///
/// A loop's wake-ups (`init(loop:)`) come through an `Async` handle of that loop: `onNews` runs on the loop's thread,
/// drains the watched rings and calls `rearm()`.
///
/// Call `stop()` before letting go: it ends and joins the threads (which keep this object alive until then), then
/// closes the `Async` handle they woke (in that order: a thread must never wake a closed handle).
public final class RingWakeups: @unchecked Sendable {
    private let schedule = Mutex(RingWakeSchedule<RingMapping>())
    /// Per group: its thread's control word (bumped, then woken, to rearm, regroup or stop it) and the thread.
    private var controls: [UnsafeMutablePointer<UInt32>] = []
    private var threads: [pthread_t] = []
    private let wake: @Sendable () -> Void
    /// The handle `wake` sends to, for wake-ups of a loop (nil for a bare `wake`, in tests); only touched on its loop.
    private let news: Async?
    private let useWaitv: Bool
    private var stopped = false

    static let fallbackPollMs: Int32 = 5

    /// Wakes `loop` when a watched ring was written: it runs what `onNews` set. `useWaitv: false` takes the fallback
    /// of old kernels (for tests).
    public init(loop: EventLoop, useWaitv: Bool = true) throws {
        let news = try Async(loop: loop)
        let waker = news.waker
        self.news = news
        self.wake = { waker() }
        self.useWaitv = useWaitv
    }

    /// `wake`: called from a waiting thread when a watched ring was written (no loop: for tests).
    init(wake: @escaping @Sendable () -> Void, useWaitv: Bool = true) {
        self.news = nil
        self.wake = wake
        self.useWaitv = useWaitv
    }

    /// Sets what runs on the loop's thread after a watched ring was written: drain every watched ring, then `rearm()`
    /// (or let a timer bring the loop back, and rearm then). Wake-ups sent before it runs are merged into one call.
    public func onNews(_ news: @escaping () -> Void) {
        self.news?.onWake(news)
    }

    deinit {
        for control in controls { control.deallocate() }
    }

    /// Watches the ring `reader` reads until the returned `RingWatch` is released. Call it before the reader's
    /// first drain. Throws when a new thread is needed and cannot be started.
    public func watch(_ reader: RingReader) throws -> RingWatch {
        precondition(!stopped, "RingWakeups.watch after stop")
        let mapping = reader.mapping
        let seen = csupport_load_seq_cst_u32(mapping.control + RingLayout.notifyOffset)
        let (token, group) = schedule.withLock { $0.add(mapping, seen: seen) }
        if group == controls.count {
            do {
                try startThread(group: group)
            } catch {
                _ = schedule.withLock { $0.remove(token) }
                throw error
            }
        } else {
            poke(group)
        }
        return RingWatch(owner: self, token: token)
    }

    /// The loop has drained every watched ring: the threads that woke it watch again.
    public func rearm() {
        for group in schedule.withLock({ $0.rearm() }) { poke(group) }
    }

    /// Ends and joins every thread, then closes the loop's handle. Later calls do nothing.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        schedule.withLock { $0.stop() }
        for group in controls.indices { poke(group) }
        for thread in threads { pthread_join(thread, nil) }
        news?.close()
    }

    func unwatch(_ token: Int) {
        guard let group = schedule.withLock({ $0.remove(token) }), !stopped else { return }
        poke(group)
    }

    private func poke(_ group: Int) {
        csupport_fetch_add_u32(controls[group], 1)
        _ = csupport_futex_wake_private(controls[group], 1)
    }

    private func startThread(group: Int) throws {
        let control = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        control.initialize(to: 0)
        controls.append(control)
        let context = Unmanaged.passRetained(WaiterContext(owner: self, group: group, control: control))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<WaiterContext>.fromOpaque(raw!).takeRetainedValue()
            context.owner.waitLoop(group: context.group, control: context.control)
            return nil
        }, context.toOpaque())
        guard result == 0 else {
            context.release()
            controls.removeLast()
            control.deallocate()
            throw RingError.system(SystemError("pthread_create (ring wake-up thread)", code: result))
        }
        threads.append(thread)
    }

    private final class WaiterContext {
        let owner: RingWakeups
        let group: Int
        let control: UnsafeMutablePointer<UInt32>

        init(owner: RingWakeups, group: Int, control: UnsafeMutablePointer<UInt32>) {
            self.owner = owner
            self.group = group
            self.control = control
        }
    }

    /// A waiting thread's life: the next step from the schedule, a wait, and the loop woken when a ring changed.
    private func waitLoop(group: Int, control: UnsafeMutablePointer<UInt32>) {
        var words: [UnsafeMutableRawPointer?] = []
        var expected: [UInt32] = []
        var isPrivate: [UInt8] = []
        var values: [UInt32] = []
        var waitv = useWaitv
        while true {
            let controlValue = csupport_load_seq_cst_u32(control)
            switch schedule.withLock({ $0.step(group: group) }) {
            case .exit:
                return
            case .waitForRearm:
                _ = csupport_futex_wait_private(control, controlValue, -1)
            case .watch(let entries):
                if waitv {
                    words.removeAll(keepingCapacity: true)
                    expected.removeAll(keepingCapacity: true)
                    isPrivate.removeAll(keepingCapacity: true)
                    words.append(UnsafeMutableRawPointer(control))
                    expected.append(controlValue)
                    isPrivate.append(1)
                    for entry in entries {
                        words.append(entry.ring.control + RingLayout.notifyOffset)
                        expected.append(entry.seen)
                        isPrivate.append(0)
                        csupport_fetch_add_u32(entry.ring.control + RingLayout.waitersOffset, 1)
                    }
                    let result = csupport_futex_waitv(words, expected, isPrivate, UInt32(words.count))
                    let failure = result < 0 ? errno : 0
                    for entry in entries { csupport_fetch_sub_u32(entry.ring.control + RingLayout.waitersOffset, 1) }
                    if failure == ENOSYS { waitv = false }
                } else {
                    _ = csupport_futex_wait_private(control, controlValue, Self.fallbackPollMs)
                }
                values.removeAll(keepingCapacity: true)
                for entry in entries { values.append(csupport_load_seq_cst_u32(entry.ring.control + RingLayout.notifyOffset)) }
                if schedule.withLock({ $0.woke(group: group, entries: entries, values: values) }) { wake() }
            }
        }
    }
}
