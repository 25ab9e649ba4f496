/// How long an input waits before its next attempt after failing: `initial` after the first failure, doubling
/// with each further one up to `maximum`. A source that has run for `stableAfter` counts as healthy again: its
/// failures are forgotten, so its next loss is retried after `initial` again, and the stream's retry count restarts.
///
/// Times in milliseconds (the clock of `InputSelector`, e.g. libuv's `uv_now`).
public struct RetryBackoff: Hashable, Sendable {
    public var initial: Int64
    public var maximum: Int64
    public var stableAfter: Int64

    public init(initial: Int64 = 1_000, maximum: Int64 = 10_000, stableAfter: Int64 = 10_000) {
        self.initial = initial
        self.maximum = maximum
        self.stableAfter = stableAfter
    }

    /// The wait after the `failures`-th consecutive failure (1 for the first).
    public func delay(afterFailures failures: Int) -> Int64 {
        var delay = initial
        var doublings = max(failures - 1, 0)
        while doublings > 0 && delay < maximum {
            delay *= 2
            doublings -= 1
        }
        return min(delay, maximum)
    }
}
