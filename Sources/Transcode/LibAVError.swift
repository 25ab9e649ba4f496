internal import CAVCodec

/// A libavcodec or libswresample call that failed: the call's name, and the library's own text for its result
/// (`av_strerror`), such as "avcodec_open2: Invalid argument".
public struct LibAVError: Error, CustomStringConvertible, Sendable {
    public var call: String
    public var reason: String

    public init(_ call: String, reason: String) {
        self.call = call
        self.reason = reason
    }

    /// The error `code` (an AVERROR) returned by `call`.
    public init(_ call: String, code: Int32) {
        var text = [CChar](repeating: 0, count: 128)
        guard case .success(let av) = LibAV.functions, av.av_strerror(code, &text, text.count) == 0 else {
            self.init(call, reason: "error \(code)")
            return
        }
        self.init(call, reason: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    public var description: String { "\(call): \(reason)" }

    /// `code` when it is not an error (>= 0); else throws it, naming `call` (evaluated only then, so it may
    /// interpolate context freely).
    @discardableResult
    @inline(__always)
    static func check(_ call: @autoclosure () -> String, _ code: Int32) throws -> Int32 {
        guard code >= 0 else { throw LibAVError(call(), code: code) }
        return code
    }
}
