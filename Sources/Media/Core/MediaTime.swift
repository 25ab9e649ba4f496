/// Sluice's one timebase for DTS and PTS: 90 kHz, as in MPEG-TS and RTP video.
///
/// Every timestamp inside Sluice (frames, the ring, packagers) is an unwrapped, signed 64-bit count of 90 kHz
/// ticks. Sources in other timebases (RTMP milliseconds, RTP audio clocks) are converted at ingest.
public enum MediaTime {
    public static let hz: Int64 = 90_000
    /// MPEG-TS timestamps are 33 bits wide; they wrap after about 26.5 hours.
    public static let wrap33: Int64 = 1 << 33

    /// `value` (in `rate` ticks per second) converted to 90 kHz ticks, rounded toward negative infinity.
    @inline(__always)
    public static func from(_ value: Int64, rate: Int64) -> Int64 {
        if rate == hz { return value }
        let product = value.multipliedFullWidth(by: hz)
        let (q, r) = rate.dividingFullWidth(product)
        return r < 0 ? q - 1 : q
    }

    /// 90 kHz ticks as seconds, for reports.
    public static func seconds(_ ticks: Int64) -> Double { Double(ticks) / Double(hz) }
}
