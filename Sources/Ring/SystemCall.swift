#if canImport(Glibc)
import Glibc
#endif

/// Runs a system call on `path`, retrying on EINTR; throws `RingError.system` naming `call` when it returns -1.
@discardableResult
func systemCall<T: BinaryInteger>(_ call: String, _ path: String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw RingError.system(call: call, path: path, code: errno)
    }
}
