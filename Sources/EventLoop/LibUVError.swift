internal import CLibUV

/// A failed libuv call, named with its context, with libuv's text for the code:
/// `uv_listen(127.0.0.1:8080): address already in use (EADDRINUSE)`.
public struct LibUVError: Error, CustomStringConvertible, Sendable {
    /// The libuv function that failed, with what it was working on (an address, a path, a signal).
    public var call: String
    /// libuv's negative error code (`UV_EADDRINUSE`, ...), which on Unix is `-errno`.
    public var code: Int32

    public init(_ call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// libuv's symbolic name for the code, such as `EADDRINUSE` or `ECONNRESET`.
    public var name: String { String(cString: uv_err_name(code)) }

    /// libuv's human-readable text for the code.
    public var message: String { String(cString: uv_strerror(code)) }

    public var description: String { "\(call): \(message) (\(name))" }
}

/// Throws a `LibUVError` naming `call` when a libuv return code is negative; returns non-negative codes.
/// `call` is evaluated only on failure, so it may interpolate context freely.
@discardableResult
@inline(__always)
func uvCheck(_ call: @autoclosure () -> String, _ rc: Int32) throws -> Int32 {
    guard rc >= 0 else { throw LibUVError(call(), code: rc) }
    return rc
}
