internal import CLibUV

/// One libuv loop, run by one thread: every handle of a worker lives on it and every callback runs on it.
///
/// Handles keep their loop alive (each holds a strong reference), and a handle keeps itself alive until its close
/// callback has run, so the loop is freed only after every handle was closed and the loop ran once more to deliver
/// the close callbacks. The loop is not thread-safe: create, run and use it and its handles on one thread.
public final class EventLoop {
    let uv: UnsafeMutablePointer<uv_loop_t>
    /// The buffer every read and receive on this loop lands in. libuv reads synchronously between its allocation
    /// callback and its read callback, so one buffer serves all handles; data in it is borrowed for the callback only.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Runs `execute`d closures on the next loop iteration; active (and keeping the loop awake) only while some wait.
    private let idle: UnsafeMutablePointer<uv_idle_t>
    private var pending: [() -> Void] = []
    private var running: [() -> Void] = []
    /// Write requests kept for reuse, so that steady writing allocates no request per write.
    var spareWriteRequests: [Request<uv_write_t>] = []

    /// Keeps a finished write request for the next write (at most 64, each with at most 64 KB of copy storage).
    func poolWriteRequest(_ request: Request<uv_write_t>) {
        guard spareWriteRequests.count < 64 else { return }
        request.trimForPool()
        spareWriteRequests.append(request)
    }

    /// `readBufferSize` bounds one read or one datagram; 64 KiB holds any UDP datagram.
    public init(readBufferSize: Int = 65536) throws {
        let loop = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
        let rc = uv_loop_init(loop)
        guard rc >= 0 else {
            loop.deallocate()
            throw LibUVError("uv_loop_init", code: rc)
        }
        let idle = UnsafeMutablePointer<uv_idle_t>.allocate(capacity: 1)
        uv_idle_init(loop, idle)
        idle.pointee.data = nil  // not a `Handle`: `closeAllHandles` skips it
        uv = loop
        self.idle = idle
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        loop.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        uv_close(UnsafeMutableRawPointer(idle).assumingMemoryBound(to: uv_handle_t.self)) { handle in
            UnsafeMutableRawPointer(handle)?.deallocate()
        }
        uv_run(uv, UV_RUN_NOWAIT)
        // Every handle holds its loop, so none can be open here; freeing a busy loop would corrupt memory.
        precondition(uv_loop_close(uv) == 0, "an EventLoop was freed with handles still open")
        uv.deallocate()
        readBuffer.deallocate()
    }

    /// The loop that owns a libuv loop pointer, as seen from a C callback.
    @inline(__always)
    static func owner(of loop: UnsafeMutablePointer<uv_loop_t>) -> EventLoop {
        Unmanaged<EventLoop>.fromOpaque(loop.pointee.data).takeUnretainedValue()
    }

    /// Runs until no active, referenced handle or request remains, or until `stop()`.
    /// Returns true when stopped with work still active.
    @discardableResult
    public func run() -> Bool {
        uv_run(uv, UV_RUN_DEFAULT) != 0
    }

    /// Runs one iteration, waiting for events only if `wait` is true. Returns true while work remains active.
    @discardableResult
    public func runOnce(wait: Bool = true) -> Bool {
        uv_run(uv, wait ? UV_RUN_ONCE : UV_RUN_NOWAIT) != 0
    }

    /// Makes `run()` return at the end of the current iteration.
    public func stop() {
        uv_stop(uv)
    }

    /// The loop's cached clock in milliseconds (monotonic, updated at the start of each iteration).
    public var now: UInt64 { uv_now(uv) }

    /// Refreshes `now`, for callbacks that ran long enough for the cached time to matter.
    public func updateTime() {
        uv_update_time(uv)
    }

    /// Runs `work` on this loop at its next iteration, after the current callback has returned.
    /// Closures run in the order given; one added while others run waits for the next iteration.
    public func execute(_ work: @escaping () -> Void) {
        pending.append(work)
        uv_idle_start(idle) { idle in
            guard let loop = idle?.pointee.loop else { return }
            EventLoop.owner(of: loop).runPending()
        }
    }

    private func runPending() {
        swap(&pending, &running)
        for work in running { work() }
        running.removeAll(keepingCapacity: true)
        if pending.isEmpty { uv_idle_stop(idle) }
    }

    /// Closes every handle opened on this loop (for shutdown); run the loop afterwards to deliver the close callbacks.
    public func closeAllHandles() {
        uv_walk(uv, { handle, _ in
            guard let data = handle?.pointee.data else { return }
            Unmanaged<Handle>.fromOpaque(data).takeUnretainedValue().close()
        }, nil)
    }
}
