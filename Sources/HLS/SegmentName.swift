/// The path of a live segment below its stream (and track selection): `YYYY/MM/DD/HH/MM/SS-DDDDD.ts`, the UTC
/// second its first frame arrived and its duration in milliseconds (at least 5 digits), as
/// /work/shared/spec/reference.md section 3 shows (`2026/11/24/18/06/37-05000.ts`).
///
/// Every edge worker derives it from the ring's segment table, so a segment has the same name everywhere.
/// Caveat: the name does not carry the segment number; an edge finds the segment by matching start second and
/// duration (`names(_:)`). Two segments share a name only if both start in the same second with the same
/// millisecond duration, which takes segments under a second long.
public struct SegmentName: Hashable, Sendable {
    /// Seconds since the Unix epoch, UTC (the wall clock's milliseconds are not in the name).
    public var startSecond: Int64
    public var durationMs: Int64

    public init(startSecond: Int64, durationMs: Int64) {
        self.startSecond = startSecond
        self.durationMs = durationMs
    }

    /// The name of a complete segment; nil while its duration is unknown.
    public init?(_ segment: HLSSegment) {
        guard let durationMs = segment.durationMs else { return nil }
        self.init(startSecond: UTCDateTime.floorDivide(segment.wallClockMs, 1000), durationMs: durationMs)
    }

    /// Parses exactly `YYYY/MM/DD/HH/MM/SS-D...D.ts` (5 to 12 duration digits, a valid date and time); nil for
    /// anything else.
    public init?(parsing path: Substring) {
        let bytes = Array(path.utf8)
        // "YYYY/MM/DD/HH/MM/SS-" is 20 bytes, ".ts" 3.
        guard bytes.count >= 28, bytes.count <= 35, bytes[4] == 0x2F, bytes[7] == 0x2F, bytes[10] == 0x2F,
              bytes[13] == 0x2F, bytes[16] == 0x2F, bytes[19] == 0x2D,
              bytes.suffix(3).elementsEqual(".ts".utf8) else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let duration = number(20..<(bytes.count - 3)),
              let date = UTCDateTime(year: year, month: Int(month), day: Int(day), hour: Int(hour),
                                     minute: Int(minute), second: Int(second)) else { return nil }
        self.init(startSecond: date.unixMilliseconds / 1000, durationMs: duration)
    }

    public init?(parsing path: String) {
        self.init(parsing: path[...])
    }

    /// `YYYY/MM/DD/HH/MM/SS-DDDDD.ts`.
    public var path: String {
        let date = UTCDateTime(unixMilliseconds: startSecond &* 1000)
        var text = ""
        text.reserveCapacity(32)
        DecimalText.append(date.year, width: 4, to: &text)
        for value in [date.month, date.day, date.hour, date.minute, date.second] {
            text += "/"
            DecimalText.append(Int64(value), width: 2, to: &text)
        }
        text += "-"
        DecimalText.append(durationMs, width: 5, to: &text)
        text += ".ts"
        return text
    }

    /// Whether `segment` (complete) has this name.
    public func names(_ segment: HLSSegment) -> Bool {
        SegmentName(segment) == self
    }
}
