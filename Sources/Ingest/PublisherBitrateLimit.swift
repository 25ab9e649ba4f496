/// `max_bitrate KBPS` of a published stream: the bytes a publisher sends, counted over windows of
/// `windowMs`; a window over the limit ends the publisher (RTMP and RTSP alike, whatever carries the bytes).
struct PublisherBitrateLimit {
    static let windowMs: UInt64 = 5_000

    private let maxBitsPerSecond: Int?
    private var windowStart: UInt64
    private var windowBytes = 0

    /// `now`: the monotonic clock in milliseconds.
    init(maxKilobitsPerSecond: Int?, now: UInt64) {
        maxBitsPerSecond = maxKilobitsPerSecond.map { $0 * 1000 }
        windowStart = now
    }

    /// Counts `bytes` received at `now`; returns why the publisher is cut when a window just ended over the limit.
    mutating func count(_ bytes: Int, now: UInt64) -> String? {
        guard let maxBitsPerSecond else { return nil }
        windowBytes += bytes
        guard now - windowStart >= Self.windowMs else { return nil }
        let bitsPerSecond = windowBytes * 8 * 1000 / Int(now - windowStart)
        windowStart = now
        windowBytes = 0
        guard bitsPerSecond > maxBitsPerSecond else { return nil }
        return "publisher over max_bitrate: \(bitsPerSecond / 1000) kbit/s > \(maxBitsPerSecond / 1000) kbit/s"
    }
}
