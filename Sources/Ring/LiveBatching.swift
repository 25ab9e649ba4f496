/// When a live output with many viewers sends what it has built: at once, or a little later together with what comes
/// next. Every write costs a system call and a TCP segment per viewer whatever its size (measured on the 2-core
/// benchmark VM: 7 to 8 µs per write to a loopback socket from 2.5 KB to 20 KB), so a channel that writes each burst
/// of frames as the ring gets it (about 25 a second for a 25 frames/s stream) spends about 0.2 ms of CPU per second
/// per viewer on writes. Up to `viewerThreshold` viewers (under 2% of a core) every burst goes out at once: frames
/// reach viewers within a fraction of a millisecond of their ring write. Above it, a channel writes at most every
/// `intervalMs`: half the writes at 25 frames/s (halving them means each other frame waits for the next), each frame
/// delayed by up to 80 ms (measured among 151 players: p50 43 ms, p99 84 ms, against 0.4 and 0.6 ms for a lone
/// player; docs/benchmarks.md), which a player's buffer absorbs (ffmpeg's RTMP client asks for 3 s).
///
/// A batching output need not hear of every frame either: `nextSend` tells its worker when to come back (a timer)
/// instead of being woken by each ring write.
public struct LiveBatching: Sendable {
    public enum Decision: Equatable, Sendable {
        case send
        /// Keep what was built; send it at this time (ms, the caller's clock) unless more comes first.
        case holdUntil(UInt64)
    }

    public static let viewerThreshold = 100
    public static let intervalMs: UInt64 = 80

    private var lastSendMs: UInt64?

    public init() {}

    /// Decides for what the output has built now, `viewers` being how many it serves; a `.send` counts as sent.
    public mutating func decide(viewers: Int, nowMs: UInt64) -> Decision {
        if let next = nextSend(viewers: viewers, nowMs: nowMs) { return .holdUntil(next) }
        lastSendMs = nowMs
        return .send
    }

    /// When the output sends next whatever comes meanwhile (ms, the caller's clock); nil when it sends what comes
    /// at once, so that it must hear of every frame.
    public func nextSend(viewers: Int, nowMs: UInt64) -> UInt64? {
        guard viewers > Self.viewerThreshold, let last = lastSendMs, nowMs < last + Self.intervalMs else { return nil }
        return last + Self.intervalMs
    }
}
