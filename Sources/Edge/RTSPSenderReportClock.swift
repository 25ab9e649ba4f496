/// When an RTSP channel sends RTCP sender reports, and the wall-clock time they pair with the stream's timeline.
///
/// Receivers align a sender's tracks by the NTP time of their sender reports (ffmpeg and GStreamer do), so every
/// report of a channel must come from one mapping of the stream's PTS to the wall clock: anchored at the first
/// frame the channel sends (its PTS is the wall clock's time then), and linear after it. Any instant of the stream
/// can then be reported, on every track, consistently: a joining viewer gets reports for the instant it starts at
/// (so that its first packets are not before the reports), and every viewer gets reports of the newest frame every
/// `intervalMs` (RFC 3550 suggests 5 s at the least). Pure: the caller passes the clocks.
struct RTSPSenderReportClock {
    static let intervalMs: UInt64 = 5_000
    /// Seconds from 1900 (NTP's epoch) to 1970 (Unix's).
    static let ntpUnixOffset: UInt64 = 2_208_988_800

    private let anchorPTS: Int64
    private let anchorUnixMs: Int64
    private var nextDueMs: UInt64

    /// The first frame's `pts` was sent when the wall clock said `unixMs` and the monotonic one `nowMs`; the first
    /// round of reports is due at once.
    init(pts: Int64, unixMs: Int64, nowMs: UInt64) {
        anchorPTS = pts
        anchorUnixMs = unixMs
        nextDueMs = nowMs
    }

    /// The NTP timestamp (seconds since 1900 in the high 32 bits, the fraction in the low ones) of the stream's
    /// instant `pts`.
    func ntp(pts: Int64) -> UInt64 {
        // 90 kHz ticks to microseconds, then to NTP: exact to the microsecond at any distance from the anchor.
        let micros = anchorUnixMs * 1000 + (pts - anchorPTS) * 100 / 9
        let seconds = UInt64(max(micros, 0) / 1_000_000) + Self.ntpUnixOffset
        let fraction = UInt64(max(micros, 0) % 1_000_000) << 32 / 1_000_000
        return seconds << 32 | fraction
    }

    /// Whether a round of reports is due at `nowMs` (monotonic); if so, the next one is `intervalMs` later.
    mutating func isDue(nowMs: UInt64) -> Bool {
        guard nowMs >= nextDueMs else { return false }
        nextDueMs = nowMs + Self.intervalMs
        return true
    }
}
