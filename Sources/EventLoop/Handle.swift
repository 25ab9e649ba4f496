internal import CLibUV

/// What every libuv handle class shares: the handle's memory, its lifetime, and closing.
///
/// Ownership rules (docs/eventloop.md):
/// - Opening a handle (`uv_*_init`) makes the object retain itself (`Unmanaged.passRetained`, kept in the handle's
///   `data`), so it lives as long as libuv may call it back, even when no Swift code refers to it.
/// - That reference is released only in the `uv_close` callback; the handle's memory is freed when the object goes.
///   An open handle is never freed: close every handle you open, then let the loop run to deliver the close callback.
/// - `close()` may be called any number of times, from anywhere on the loop, including the handle's own callbacks.
/// - C callbacks capture nothing: they find their object through `data`. User callbacks are dropped when the handle
///   closes, so a callback that captures its own handle makes no lasting cycle.
public class Handle {
    public let loop: EventLoop
    let raw: UnsafeMutableRawPointer
    /// True from the first `close()` on.
    public private(set) var isClosing = false
    private var onClose: (() -> Void)?

    /// Allocates a handle of `type` and opens it with `open(loop, memory)` (one `uv_*_init` call).
    /// On failure nothing is kept and the error names `call`.
    init(loop: EventLoop, type: uv_handle_type, call: StaticString,
         open: (UnsafeMutablePointer<uv_loop_t>, UnsafeMutableRawPointer) -> Int32) throws(LibUVError) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: uv_handle_size(type), alignment: 16)
        let rc = open(loop.uv, memory)
        guard rc >= 0 else {
            memory.deallocate()
            throw LibUVError("\(call)", code: rc)
        }
        self.loop = loop
        raw = memory
        handle.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    deinit {
        raw.deallocate()
    }

    @inline(__always)
    var handle: UnsafeMutablePointer<uv_handle_t> { raw.assumingMemoryBound(to: uv_handle_t.self) }

    /// The handle as its concrete libuv type (`uv_tcp_t`, `uv_timer_t`...).
    @inline(__always)
    func typed<T>(_: T.Type) -> UnsafeMutablePointer<T> { raw.assumingMemoryBound(to: T.self) }

    /// The open object behind a handle pointer received by a C callback; nil once it closed.
    @inline(__always)
    static func owner(of pointer: UnsafeMutableRawPointer?) -> Self? {
        guard let data = pointer?.assumingMemoryBound(to: uv_handle_t.self).pointee.data else { return nil }
        return unsafeDowncast(Unmanaged<Handle>.fromOpaque(data).takeUnretainedValue(), to: self)
    }

    /// Closes the handle: libuv cancels its pending requests (their completions see `ECANCELED`), then calls
    /// `completion` and releases the object on a later iteration of the loop. Later calls do nothing.
    public func close(_ completion: (() -> Void)? = nil) {
        guard !isClosing else { return }
        isClosing = true
        onClose = completion
        uv_close(handle) { handle in
            guard let handle, let data = handle.pointee.data else { return }
            handle.pointee.data = nil
            let owner = Unmanaged<Handle>.fromOpaque(data)
            owner.takeUnretainedValue().didClose()
            owner.release()
        }
    }

    private func didClose() {
        let completion = onClose
        onClose = nil
        dropCallbacks()
        completion?()
    }

    /// Subclasses forget their user callbacks here, breaking any cycle through them.
    func dropCallbacks() {}

    /// Whether the handle is watching for something (a started timer, a reading stream, a listening socket).
    public var isActive: Bool { !isClosing && uv_is_active(handle) != 0 }

    /// Lets the loop's `run()` return even while this handle is active (a watchdog, a signal handler), or undoes it.
    public func setKeepsLoopAlive(_ keeps: Bool) {
        if keeps { uv_ref(handle) } else { uv_unref(handle) }
    }

    /// The operating system descriptor under the handle, for passing to a child process or reading socket options.
    public func fileDescriptor() throws -> Int32 {
        var fd: uv_os_fd_t = -1
        try uvCheck("uv_fileno", uv_fileno(handle, &fd))
        return fd
    }
}
