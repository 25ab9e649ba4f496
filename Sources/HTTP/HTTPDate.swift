import Glibc

/// An HTTP date in IMF-fixdate form (RFC 9110 section 5.6.7), `Sun, 06 Nov 1994 08:49:37 GMT`: always 29 ASCII
/// bytes, made with `gmtime_r` (no Foundation). A server keeps one and calls `update(seconds:)` per response, which
/// reformats only when the second changed and reuses its storage.
public struct HTTPDate: Sendable, Equatable {
    /// Seconds since 1970-01-01 UTC, clamped to years 1970 to 9999 (the form has four year digits).
    public private(set) var seconds: Int
    /// The 29 bytes, ready to append to a response head.
    public private(set) var bytes: [UInt8]

    static let latest = 253_402_300_799  // 9999-12-31 23:59:59
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public init(seconds: Int) {
        self.seconds = -1
        bytes = [UInt8](repeating: 0x20, count: 29)
        update(seconds: seconds)
    }

    /// The current time, from `time()`.
    public static func now() -> HTTPDate { HTTPDate(seconds: Int(time(nil))) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func update(seconds newSeconds: Int) {
        let clamped = min(max(newSeconds, 0), Self.latest)
        guard clamped != seconds else { return }
        seconds = clamped
        var t = time_t(clamped)
        var parts = tm()
        gmtime_r(&t, &parts)
        bytes.withUnsafeMutableBufferPointer { out in
            func put(_ text: String, at offset: Int) {
                for (k, b) in text.utf8.enumerated() { out[offset + k] = b }
            }
            func put(_ value: Int32, digits: Int, at offset: Int) {
                var rest = Int(value)
                for k in (0..<digits).reversed() {
                    out[offset + k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(Self.days[Int(parts.tm_wday)], at: 0)
            put(", ", at: 3)
            put(parts.tm_mday, digits: 2, at: 5)
            put(Self.months[Int(parts.tm_mon)], at: 8)
            put(parts.tm_year + 1900, digits: 4, at: 12)
            put(parts.tm_hour, digits: 2, at: 17)
            put(":", at: 19)
            put(parts.tm_min, digits: 2, at: 20)
            put(":", at: 22)
            put(parts.tm_sec, digits: 2, at: 23)
            put(" GMT", at: 25)
        }
    }
}
