/// What the writer of a ring says about a segment it starts (`RingWriter.write(_:payload:segment:)`) beyond the
/// frame itself.
public struct RingSegmentStart: Hashable, Sendable {
    /// The segment does not continue the previous one: the segment cutter's verdict (source restart, generation
    /// change, timestamp jump).
    public var isDiscontinuity: Bool
    /// Wall-clock time of the segment's start, UTC milliseconds since 1970.
    public var wallClockMs: Int64

    public init(isDiscontinuity: Bool, wallClockMs: Int64) {
        self.isDiscontinuity = isDiscontinuity
        self.wallClockMs = wallClockMs
    }
}
