/// What to send for a request's `Range` header (RFC 9110 section 14) against a representation of known length:
/// the whole (200), one part (206 with Content-Range), or nothing (416 with `Content-Range: bytes */LENGTH`).
///
/// Only single ranges are served: `bytes=a-b`, `bytes=a-`, `bytes=-n`. A header with several ranges, another unit,
/// or bad syntax (including `b < a`) is ignored, as the RFC allows, and the whole is sent. Pure.
public enum ByteRange: Equatable, Sendable {
    case whole
    /// The byte offsets to send, never empty.
    case partial(Range<Int>)
    case unsatisfiable

    public init(header: String?, length: Int) {
        guard let header, let spec = Self.spec(header) else { self = .whole; return }
        let dash = spec.firstIndex(of: UInt8(ascii: "-"))!
        let first = Self.number(spec[..<dash])
        let last = Self.number(spec[(dash + 1)...])
        switch (first, last) {
        case (.none, .some(let suffix)):  // -n: the last n bytes
            if suffix == 0 { self = .unsatisfiable } else if length == 0 { self = .whole } else {
                self = .partial(max(length - suffix, 0)..<length)
            }
        case (.some(let start), let end):
            if let end, end < start { self = .whole; return }
            guard start < length else { self = .unsatisfiable; return }
            self = .partial(start..<(end.map { min($0, length - 1) } ?? (length - 1)) + 1)
        case (.none, .none):
            self = .whole
        }
    }

    public var status: Int {
        switch self {
        case .whole: 200
        case .partial: 206
        case .unsatisfiable: 416
        }
    }

    /// The bytes to send of a representation of `length` bytes: all, one part, or none.
    public func bytes(length: Int) -> Range<Int> {
        switch self {
        case .whole: 0..<length
        case .partial(let range): range
        case .unsatisfiable: 0..<0
        }
    }

    /// The Content-Range value, for 206 and 416 responses.
    public func contentRange(length: Int) -> String? {
        switch self {
        case .whole: nil
        case .partial(let range): "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(length)"
        case .unsatisfiable: "bytes */\(length)"
        }
    }

    /// The bytes after `bytes=` when they are one range-spec (`digits-digits` with either side empty, not both).
    private static func spec(_ header: String) -> [UInt8]? {
        let bytes = Array(header.trimmingSpaces.utf8)
        guard bytes.count > 6, HTTPHeaders.namesMatch(String(decoding: bytes[..<6], as: UTF8.self), "bytes="),
              bytes[6...].allSatisfy({ $0.isDigit || $0 == UInt8(ascii: "-") }),
              bytes[6...].count(where: { $0 == UInt8(ascii: "-") }) == 1, bytes.count > 7 else {
            return nil
        }
        return Array(bytes[6...])
    }

    /// A non-negative decimal; nil when empty. Saturates instead of overflowing: a huge start is past any end, a
    /// huge end or suffix covers everything.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        if digits.isEmpty { return nil }
        var value = 0
        for d in digits {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(d - UInt8(ascii: "0")))
            if o1 || o2 { return Int.max }
            value = sum
        }
        return value
    }
}
