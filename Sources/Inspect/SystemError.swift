#if canImport(Glibc)
import Glibc
#endif

/// A failed system call, named, with errno's text: "connect(cam.local:80): Connection refused".
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public var call: String
    public var code: Int32

    public init(_ call: String, code: Int32 = errno) {
        self.call = call
        self.code = code
    }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// A source that cannot be read for a reason of its own (HTTP status, bad redirect, unsupported URL).
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a system call, retrying on EINTR; throws `SystemError` naming `call` when it returns -1.
@discardableResult
func systemCall<T: BinaryInteger>(_ call: @autoclosure () -> String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw SystemError(call())
    }
}
