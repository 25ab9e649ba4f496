/// A point on the monotonic clock in milliseconds (libuv's `uv_now`), the only time the supervision core knows: the
/// caller passes `now` with every event, so tests drive time by hand.
public struct MonotonicInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (a: MonotonicInstant, b: MonotonicInstant) -> Bool { a.milliseconds < b.milliseconds }

    /// Whole milliseconds of `duration` added (rounded down; saturating).
    public static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        let (sum, overflow2) = instant.milliseconds.addingReportingOverflow(scaled + attoseconds / 1_000_000_000_000_000)
        return MonotonicInstant(milliseconds: overflow || overflow2 ? .max : sum)
    }

    /// Milliseconds from `earlier` to this instant.
    public func milliseconds(since earlier: MonotonicInstant) -> Int64 { milliseconds - earlier.milliseconds }

    public var description: String { "\(milliseconds)ms" }
}
