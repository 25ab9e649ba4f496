internal import CLibUV

/// A connected byte stream (a TCP connection or a pipe): reading, queued writes with completion, shutdown.
///
/// Reads land in the loop's shared read buffer and are borrowed for the duration of `onData`: copy what must be
/// kept. Writes are queued by libuv (which first tries to write at once); `writeQueueSize` says how many bytes wait,
/// so a caller can drop a reader too slow for the stream instead of buffering without bound.
public class StreamHandle: Handle {
    private var onData: ((UnsafeRawBufferPointer) -> Void)?
    private var onEnd: ((LibUVError?) -> Void)?

    @inline(__always)
    var stream: UnsafeMutablePointer<uv_stream_t> { typed(uv_stream_t.self) }

    /// Delivers what arrives to `onData` (any split: one call may hold part of a message or several), then once
    /// `onEnd(nil)` at end of stream or `onEnd(error)` on a read error. Reading stops by itself after `onEnd`.
    public func startReading(onData: @escaping (UnsafeRawBufferPointer) -> Void,
                             onEnd: @escaping (LibUVError?) -> Void) throws {
        self.onData = onData
        self.onEnd = onEnd
        try uvCheck("uv_read_start", uv_read_start(stream, { handle, _, buffer in
            guard let handle, let buffer else { return }
            let readBuffer = EventLoop.owner(of: handle.pointee.loop).readBuffer
            buffer.pointee = uv_buf_init(readBuffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                                         UInt32(readBuffer.count))
        }, { stream, count, buffer in
            guard let owner = StreamHandle.owner(of: UnsafeMutableRawPointer(stream)) else { return }
            if count > 0 {
                owner.onData?(UnsafeRawBufferPointer(start: buffer?.pointee.base, count: count))
            } else if count < 0 {
                let end = owner.onEnd
                uv_read_stop(owner.stream)
                end?(count == Int(UV_EOF.rawValue) ? nil : LibUVError("uv_read", code: Int32(count)))
            }
        }))
    }

    /// Stops delivering data; the kernel keeps buffering, and the peer slows down once its buffers fill.
    public func stopReading() {
        uv_read_stop(stream)
    }

    /// Queues `bytes[range]` for writing without copying them; `completion` runs once they are written or the write
    /// failed (the stream closed: `ECANCELED`; the peer left: `EPIPE`, `ECONNRESET`).
    public func write(_ bytes: SharedBytes, range: Range<Int>? = nil,
                      completion: ((LibUVError?) -> Void)? = nil) throws {
        try submitWrite(prefix: nil, bytes, range: range, passing: nil, completion: completion)
    }

    /// Copies `bytes` once (into storage pooled with the write request), then queues them.
    public func write(_ bytes: [UInt8], completion: ((LibUVError?) -> Void)? = nil) throws {
        try bytes.withUnsafeBytes { try write(copying: $0, completion: completion) }
    }

    /// Like `write(_: [UInt8])`, for bytes in a buffer the caller reuses (TLS ciphertext): reusable on return.
    public func write(copying bytes: UnsafeRawBufferPointer, completion: ((LibUVError?) -> Void)? = nil) throws {
        try submitWrite(prefix: bytes, nil, range: nil, passing: nil, completion: completion)
    }

    /// Queues `head` (copied, like `write(_: [UInt8])`) followed by `body[range]` (shared, not copied) as one write:
    /// one `writev`, so that a response head and its body leave in the same segments and wake the peer once.
    public func write(head: [UInt8], body: SharedBytes?, range: Range<Int>? = nil,
                      completion: ((LibUVError?) -> Void)? = nil) throws {
        try head.withUnsafeBytes {
            try submitWrite(prefix: $0, body, range: range, passing: nil, completion: completion)
        }
    }

    /// `prefix` is copied into the request; `bytes[range]` is kept alive until the write completes.
    /// `passing`: a handle whose descriptor travels with the bytes (IPC pipes only, `uv_write2`).
    func submitWrite(prefix: UnsafeRawBufferPointer?, _ bytes: SharedBytes?, range: Range<Int>?, passing: Handle?,
                     completion: ((LibUVError?) -> Void)?) throws {
        let range = range ?? 0..<(bytes?.count ?? 0)
        precondition(range.lowerBound >= 0 && range.upperBound <= (bytes?.count ?? 0), "write range outside the bytes")
        var prefix = prefix ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var body = bytes.map { UnsafeRawBufferPointer(start: $0.base + range.lowerBound, count: range.count) }
            ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let total = prefix.count + body.count
        // Nothing queued and nobody waiting for a completion: try the write now, from the caller's memory. Done at
        // once, it costs one system call, no request and no copy (a queued write makes libuv re-arm the socket's
        // epoll entry, one more system call per write: measured 50 µs per player per second of RTMP fan-out at
        // 1,000 players); what the socket does not take is queued below as usual.
        if completion == nil, passing == nil, total > 0, uv_stream_get_write_queue_size(stream) == 0 {
            let written = Int(Self.tryWrite(stream, prefix, body))
            if written == total { return }
            if written > 0 {
                let fromPrefix = min(written, prefix.count)
                prefix = UnsafeRawBufferPointer(rebasing: prefix[fromPrefix...])
                body = UnsafeRawBufferPointer(rebasing: body[(written - fromPrefix)...])
            }
        }
        let request = loop.spareWriteRequests.popLast() ?? Request<uv_write_t>()
        request.bytes = bytes
        request.passedHandle = passing
        request.completion = completion
        request.setPrefix(prefix)
        // libuv wants at least one buffer, even an empty one.
        var (buffers, count) = Self.buffers(UnsafeRawBufferPointer(request.prefix), body)
        let stream = self.stream
        let callback: uv_write_cb = { request, status in
            guard let request = Request<uv_write_t>.finish(request, status: status),
                  let handle = request.pointer.pointee.handle else { return }
            EventLoop.owner(of: handle.pointee.loop).poolWriteRequest(request)
        }
        try withUnsafeMutablePointer(to: &buffers) { tuple in
            let list = UnsafeMutableRawPointer(tuple).assumingMemoryBound(to: uv_buf_t.self)
            if let passing {
                let sent = passing.typed(uv_stream_t.self)
                try request.submit("uv_write2", context: "\(total) bytes") { uv_write2($0, stream, list, count, sent, callback) }
            } else {
                try request.submit("uv_write", context: "\(total) bytes") { uv_write($0, stream, list, count, callback) }
            }
        }
    }

    /// `uv_try_write` of a write's prefix and body (either may be empty): the bytes written, or a negative libuv
    /// error (`UV_EAGAIN`).
    private static func tryWrite(_ stream: UnsafeMutablePointer<uv_stream_t>, _ prefix: UnsafeRawBufferPointer,
                                 _ body: UnsafeRawBufferPointer) -> Int32 {
        var (buffers, count) = buffers(prefix, body)
        return withUnsafeMutablePointer(to: &buffers) { tuple in
            uv_try_write(stream, UnsafeMutableRawPointer(tuple).assumingMemoryBound(to: uv_buf_t.self), count)
        }
    }

    /// libuv buffers for a prefix and a body, either of which may be empty: one buffer (the non-empty part, or an
    /// empty one) or two.
    private static func buffers(_ prefix: UnsafeRawBufferPointer, _ body: UnsafeRawBufferPointer)
        -> (buffers: (uv_buf_t, uv_buf_t), count: UInt32) {
        func buffer(_ part: UnsafeRawBufferPointer) -> uv_buf_t {
            uv_buf_init(UnsafeMutablePointer(mutating: part.baseAddress?.assumingMemoryBound(to: CChar.self)),
                        UInt32(part.count))
        }
        if prefix.isEmpty { return ((buffer(body), buffer(body)), 1) }
        return ((buffer(prefix), buffer(body)), body.isEmpty ? 1 : 2)
    }

    /// Bytes queued and not yet handed to the kernel.
    public var writeQueueSize: Int { uv_stream_get_write_queue_size(stream) }

    /// Sends end-of-stream once the queued writes are done (the peer reads EOF); reading continues.
    public func shutdown(completion: ((LibUVError?) -> Void)? = nil) throws {
        let request = Request<uv_shutdown_t>()
        request.completion = completion
        let stream = self.stream
        try request.submit("uv_shutdown", context: "") {
            uv_shutdown($0, stream) { request, status in Request<uv_shutdown_t>.finish(request, status: status) }
        }
    }

    override func dropCallbacks() {
        onData = nil
        onEnd = nil
    }
}
