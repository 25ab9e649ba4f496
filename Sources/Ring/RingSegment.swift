/// An entry of the ring's segment table: where an HLS segment starts, as the ingest worker's segment cutter decided
/// (the frame flagged `.segmentStart`), and what a playlist needs to know about it. Every edge worker reads the same
/// table, so every edge serves the same segments under the same numbers.
public struct RingSegment: Hashable, Sendable {
    /// Where the segment ends: the next segment's first frame.
    public struct End: Hashable, Sendable {
        /// Logical byte position of the next segment's first record.
        public var position: UInt64
        /// Sequence number of the next segment's first frame.
        public var sequence: UInt64
        /// DTS (90 kHz) of the next segment's first frame.
        public var dts: Int64

        public init(position: UInt64, sequence: UInt64, dts: Int64) {
            self.position = position
            self.sequence = sequence
            self.dts = dts
        }
    }

    /// Consecutive from 0 over the ring's life, never reused: a writer that reopens the ring (after a crash or a
    /// restart of its worker) carries on from the last number. HLS's media sequence number.
    public var number: UInt64
    /// Discontinuous segments so far in the ring's life, this one included if it is one. The playlist's
    /// `EXT-X-DISCONTINUITY-SEQUENCE` for a window starting here is this minus 1 when `isDiscontinuity`.
    public var discontinuitySequence: UInt64
    /// The segment does not continue the previous one (source restart, timestamp jump, codec change).
    public var isDiscontinuity: Bool
    /// The ring's generation when the segment started.
    public var generation: UInt64
    /// Logical byte position of the segment's first record.
    public var position: UInt64
    /// Sequence number of the segment's first frame.
    public var sequence: UInt64
    /// DTS (90 kHz) of the segment's first frame.
    public var dts: Int64
    /// Wall-clock time of the segment's start, UTC milliseconds since 1970, as the writer passed it
    /// (`EXT-X-PROGRAM-DATE-TIME`).
    public var wallClockMs: Int64
    /// The next segment's first frame; nil while this is the newest segment, still being written.
    public var end: End?

    public init(number: UInt64, discontinuitySequence: UInt64, isDiscontinuity: Bool, generation: UInt64,
                position: UInt64, sequence: UInt64, dts: Int64, wallClockMs: Int64, end: End? = nil) {
        self.number = number
        self.discontinuitySequence = discontinuitySequence
        self.isDiscontinuity = isDiscontinuity
        self.generation = generation
        self.position = position
        self.sequence = sequence
        self.dts = dts
        self.wallClockMs = wallClockMs
        self.end = end
    }

    /// The segment's media duration in 90 kHz ticks (first DTS to the next segment's first DTS); nil while it is
    /// still being written.
    public var duration: Int64? { end.map { $0.dts &- dts } }

    /// Frames in the segment (all tracks); nil while it is still being written. Counts numbers, so a frame lost
    /// to a writer crash inside the segment is counted too.
    public var frameCount: UInt64? { end.map { $0.sequence &- sequence } }
}
