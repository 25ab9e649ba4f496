/// Immutable bytes that many writes can share without copying: a packaged segment sent to every viewer,
/// a response header reused for every request. A write keeps its `SharedBytes` alive until libuv is done with it.
///
/// The bytes are copied in once, at creation, and never change afterwards, which is what makes sharing them
/// across writes (and threads) safe.
public final class SharedBytes: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    public let count: Int

    /// Copies `bytes`.
    public init(_ bytes: some Collection<UInt8>) {
        count = bytes.count
        base = .allocate(byteCount: Swift.max(count, 1), alignment: 16)
        _ = UnsafeMutableRawBufferPointer(start: base, count: count).initializeMemory(as: UInt8.self, fromContentsOf: bytes)
    }

    /// Copies `bytes`.
    public init(copying bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        base = .allocate(byteCount: Swift.max(count, 1), alignment: 16)
        if let source = bytes.baseAddress { base.copyMemory(from: source, byteCount: count) }
    }

    /// Lets `fill` write exactly `count` bytes in place; they are immutable afterwards.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1), alignment: 16)
        do {
            try fill(UnsafeMutableRawBufferPointer(start: memory, count: count))
        } catch {
            memory.deallocate()
            throw error
        }
        self.count = count
        base = memory
    }

    deinit {
        base.deallocate()
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
