/// How much of a ring's data area a writer uses, from the bitrate it measures: DESIGN.md section 2 asks that a ring
/// be sized from what it must hold, not from one large default.
///
/// A ring file is created before its stream's bitrate is known, with a data area sized for a generous bitrate. Its
/// pages cost memory only once written (the file is sparse), so the writer keeps the memory it touches to what the
/// stream needs by wrapping early: once a lap has used `wrapLimit` bytes, the next record goes to the start of the
/// area, behind a padding record, exactly as when a record does not fit before the end. Readers need no change: the
/// format already says that padding skips to the next lap (docs/ring-format.md, "Sizing").
///
/// `wrapLimit` is what `windowSeconds` of the stream took, measured over the last `windowSeconds` (extrapolated
/// while fewer have passed), times `headroom`, at least the smallest data area a ring may have (64 KiB), at most
/// `maximum` (the data area). Until a whole
/// second has been measured it is `maximum`: nothing wraps early before the rate is known. Record bytes are counted
/// with their headers and alignment, so the overhead of many small frames is in the figure.
///
/// Costs: one array of per-second counts (`windowSeconds` entries, at most 3600); `record` is a few additions.
public struct RingWindowSizer: Sendable {
    public let windowSeconds: Int
    public let headroom: Double
    public let minimum: Int
    public let maximum: Int

    private var buckets: [UInt64]
    /// The second (CLOCK_MONOTONIC) of the newest bucket, and of the first record.
    private var newestSecond: UInt64?
    private var firstNanos: UInt64 = 0
    private var latestNanos: UInt64 = 0
    /// Bytes in the buckets: the last `windowSeconds` seconds.
    private var windowBytes: UInt64 = 0

    public init(windowSeconds: Int, headroom: Double = 1.5, maximum: Int) {
        self.windowSeconds = min(max(windowSeconds, 1), 3600)
        self.headroom = max(headroom, 1)
        self.maximum = max(maximum, 1)
        minimum = min(RingLayout.minimumCapacity, self.maximum)
        buckets = Array(repeating: 0, count: self.windowSeconds)
    }

    /// Counts a record of `bytes` written at `nanos` (CLOCK_MONOTONIC; never decreasing).
    public mutating func record(bytes: Int, atNanos nanos: UInt64) {
        let second = nanos / 1_000_000_000
        if let newest = newestSecond {
            if second > newest {
                // Clear the buckets of the seconds skipped since the newest one, which leave the window.
                let steps = min(second - newest, UInt64(windowSeconds))
                for step in 1...steps {
                    let index = Int((newest + step) % UInt64(windowSeconds))
                    windowBytes -= buckets[index]
                    buckets[index] = 0
                }
                newestSecond = second
            }
        } else {
            newestSecond = second
            firstNanos = nanos
        }
        latestNanos = max(latestNanos, nanos)
        let index = Int((newestSecond ?? second) % UInt64(windowSeconds))
        buckets[index] += UInt64(max(bytes, 0))
        windowBytes += UInt64(max(bytes, 0))
    }

    /// Where the writer should wrap: the bytes of one window at the measured rate, with headroom.
    public var wrapLimit: Int {
        let measuredNanos = latestNanos - firstNanos
        guard newestSecond != nil, measuredNanos >= 1_000_000_000 else { return maximum }
        let window = Double(windowSeconds)
        let seconds = min(Double(measuredNanos) / 1e9, window)
        let wanted = (Double(windowBytes) / seconds * window * headroom).rounded(.up)
        guard wanted < Double(maximum) else { return maximum }
        return max(Int(wanted), minimum)
    }
}
