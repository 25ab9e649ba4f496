/// A variant's bit rates for `#EXT-X-STREAM-INF`: `BANDWIDTH` (the peak) and `AVERAGE-BANDWIDTH`, in bits/s.
public struct Bandwidth: Hashable, Sendable {
    public var peak: Int
    public var average: Int

    public init(peak: Int, average: Int) {
        self.peak = peak
        self.average = average
    }

    /// `bytes` over `ticks` (90 kHz) as both peak and average; nil when `ticks` is not positive. For a variant
    /// with no muxed segments of its own (audio only: the audio frames' bytes of the listed segments plus their
    /// TS overhead).
    public init?(bytes: Int, ticks: Int64) {
        guard let rate = Self.bitsPerSecond(bytes: Int64(bytes), ticks: ticks) else { return nil }
        self.init(peak: rate, average: rate)
    }

    /// Measured from the segments with a known size and a positive duration: the peak is the highest segment's
    /// rate, the average the total bytes over the total duration. Nil when none is measured.
    public init?(segments: some Sequence<HLSSegment>) {
        var peak = 0
        var bytes: Int64 = 0
        var ticks: Int64 = 0
        for segment in segments {
            guard let size = segment.byteSize, let duration = segment.duration,
                  let rate = Self.bitsPerSecond(bytes: Int64(size), ticks: duration) else { continue }
            peak = max(peak, rate)
            bytes &+= Int64(size)
            ticks &+= duration
        }
        guard let average = Self.bitsPerSecond(bytes: bytes, ticks: ticks) else { return nil }
        self.init(peak: peak, average: average)
    }

    /// Bits per second, rounded up, at least 1; nil for a duration that is not positive or a size past 8 TB
    /// (which no segment has; the bound keeps the arithmetic from overflowing).
    static func bitsPerSecond(bytes: Int64, ticks: Int64) -> Int? {
        guard ticks > 0, bytes >= 0, bytes < 1 << 43 else { return nil }
        let bits = bytes * 8 * 90_000
        return max(1, Int(bits / ticks + (bits % ticks > 0 ? 1 : 0)))
    }
}
