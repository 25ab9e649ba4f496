import SystemCalls

/// Runs a system call on `path` through the shared helper (EINTR retried), as a `RingError`.
@discardableResult
func systemCall<T: BinaryInteger>(_ call: String, _ path: String, _ body: () -> T) throws -> T {
    do { return try SystemCalls.systemCall("\(call)(\(path))", body) } catch { throw RingError.system(error) }
}
