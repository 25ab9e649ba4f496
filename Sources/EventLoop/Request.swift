internal import CLibUV

/// One libuv request in flight (a write, a connect, a shutdown, a datagram send): its memory, what it must keep
/// alive until libuv is done (the bytes, a handle being passed), and the completion to call.
///
/// A submitted request retains itself through its `data` pointer and is released in `finish`, called from the
/// request's C callback; libuv calls every callback exactly once, with `UV_ECANCELED` when the handle closes first.
final class Request<UVRequest> {
    let pointer = UnsafeMutablePointer<UVRequest>.allocate(capacity: 1)
    var bytes: SharedBytes?
    /// Small bytes a write copies in front of `bytes` (an HTTP response head, a control line), in storage the
    /// request keeps across uses from the loop's pool, so that they cost no allocation per write.
    private(set) var prefix = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var prefixCapacity = 0
    var passedHandle: Handle?
    var completion: ((LibUVError?) -> Void)?
    var call: StaticString = ""
    /// What an asynchronous failure names besides the call (the address connected to); set where it is cheap.
    var label: String?

    deinit {
        pointer.deallocate()
        prefix.baseAddress.map { $0.deallocate() }
    }

    /// Prefix storage kept when the request goes back to the loop's pool: enough for response heads and control
    /// lines. A request that carried a larger copy (a burst of media) gives its storage back, so that 64 pooled
    /// requests never pin 64 copies of the largest write ever made.
    static var pooledPrefixCapacity: Int { 64 * 1024 }

    /// Readies the request for the pool: drops prefix storage beyond `pooledPrefixCapacity`.
    func trimForPool() {
        guard prefixCapacity > Self.pooledPrefixCapacity else { return }
        prefix.baseAddress.map { $0.deallocate() }
        prefix = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        prefixCapacity = 0
    }

    /// Copies `bytes` into the request's prefix storage (grown when too small, kept otherwise).
    func setPrefix(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > prefixCapacity {
            prefix.baseAddress.map { $0.deallocate() }
            prefixCapacity = Swift.max(bytes.count, 256)
            prefix = UnsafeMutableRawBufferPointer(start: .allocate(byteCount: prefixCapacity, alignment: 16),
                                                   count: 0)
        }
        prefix = UnsafeMutableRawBufferPointer(start: prefix.baseAddress, count: bytes.count)
        if bytes.count > 0 { prefix.copyMemory(from: bytes) }
    }

    private var data: UnsafeMutableRawPointer? {
        get { UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: uv_req_t.self).pointee.data }
        set { UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: uv_req_t.self).pointee.data = newValue }
    }

    /// Hands the request to libuv through `start`; on failure nothing is kept and the error names `call` and `context`.
    func submit(_ call: StaticString, context: @autoclosure () -> String, _ start: (UnsafeMutablePointer<UVRequest>) -> Int32) throws {
        handOver(call)
        let rc = start(pointer)
        if rc < 0 {
            data = nil
            Unmanaged.passUnretained(self).release()
            clear()
            let context = context()
            throw LibUVError(context.isEmpty ? "\(call)" : "\(call)(\(context))", code: rc)
        }
    }

    /// Keeps the request alive until `finish`, for a start function that cannot fail (it reports through its callback).
    func handOver(_ call: StaticString) {
        self.call = call
        data = Unmanaged.passRetained(self).toOpaque()
    }

    /// The request a C callback received, released by libuv; its completion is called with `status`.
    /// Returns the request so that the caller may pool it.
    @discardableResult
    static func finish(_ request: UnsafeMutablePointer<UVRequest>?, status: Int32) -> Request<UVRequest>? {
        guard let raw = UnsafeMutableRawPointer(request),
              let data = raw.assumingMemoryBound(to: uv_req_t.self).pointee.data else { return nil }
        let owner = Unmanaged<Request<UVRequest>>.fromOpaque(data).takeRetainedValue()
        owner.data = nil
        let completion = owner.completion
        let error = status < 0
            ? LibUVError(owner.label.map { "\(owner.call)(\($0))" } ?? "\(owner.call)", code: status) : nil
        owner.clear()
        completion?(error)
        return owner
    }

    private func clear() {
        bytes = nil
        passedHandle = nil
        completion = nil
        label = nil
    }
}
