/// Turns wrapping timestamps (33-bit PTS, DTS and PCR base) into unwrapped 64-bit values.
///
/// Each value is placed in the wrap period that brings it closest to the previous result, so it follows the
/// stream across the wrap (every 26.5 hours for 33 bits) in either direction. The first value is taken as it
/// is. A demuxer keeps one per clock (all PES timestamps of a multiplex share one, so that the tracks of a
/// stream that starts just before a wrap stay on the same side of it); values more than half a period away
/// from the previous one are indistinguishable from a wrap and land in the nearest period.
public struct TimestampUnwrapper: Hashable, Sendable {
    public let period: Int64
    public private(set) var last: Int64?

    public init(bits: Int = 33) {
        precondition(bits > 0 && bits < 62)
        period = 1 << Int64(bits)
    }

    @inline(__always)
    public mutating func unwrap(_ raw: Int64) -> Int64 {
        let value = raw & (period - 1)
        guard let last else {
            self.last = value
            return value
        }
        let half = period >> 1
        var candidate = (last & ~(period - 1)) | value
        if candidate - last > half { candidate -= period } else if last - candidate > half { candidate += period }
        self.last = candidate
        return candidate
    }
}
