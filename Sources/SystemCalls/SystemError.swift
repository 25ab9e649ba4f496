#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, named with what it acted on, with errno's text: "connect(cam.local:80): Connection refused".
public struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call and its object, e.g. `open(/dev/shm/sluice-a-news)`.
    public var call: String
    public var code: Int32

    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Runs a system call, retrying on EINTR; throws `SystemError` naming `call` when it returns -1.
@discardableResult
public func systemCall<T: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> T) throws(SystemError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw SystemError(call())
    }
}
