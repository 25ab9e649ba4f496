/// The ring header's live counters, as a reader saw them at one moment (each field read atomically on its own; the
/// set is not one atomic snapshot).
public struct RingStatus: Hashable, Sendable {
    /// Size of the data area in bytes.
    public var capacity: Int
    /// Grows by one each time the source restarts (`RingWriter.bumpGeneration`).
    public var generation: UInt64
    /// Frames written over the ring's life.
    public var frames: UInt64
    /// Payload bytes written over the ring's life.
    public var bytes: UInt64
    /// DTS (90 kHz) of the newest frame.
    public var lastFrameDts: Int64
    /// CLOCK_MONOTONIC time, in nanoseconds, of the newest frame's write; 0 before the first frame. Comparable
    /// across processes on one boot.
    public var lastWriteNanos: UInt64
    /// Sequence number the next frame will get.
    public var nextSequence: UInt64
    /// Logical position where the next record will be written.
    public var writePosition: UInt64
    /// Changes (by 2) each time the track table is rewritten: a cheap way to know when to re-read `tracks()`.
    public var tracksVersion: UInt64
    /// Segments entered in the segment table over the ring's life (the next segment's number): a cheap way to know
    /// when to re-read `segments()`.
    public var segments: UInt64

    public init(capacity: Int, generation: UInt64, frames: UInt64, bytes: UInt64, lastFrameDts: Int64,
                lastWriteNanos: UInt64, nextSequence: UInt64, writePosition: UInt64, tracksVersion: UInt64,
                segments: UInt64) {
        self.capacity = capacity
        self.generation = generation
        self.frames = frames
        self.bytes = bytes
        self.lastFrameDts = lastFrameDts
        self.lastWriteNanos = lastWriteNanos
        self.nextSequence = nextSequence
        self.writePosition = writePosition
        self.tracksVersion = tracksVersion
        self.segments = segments
    }
}
