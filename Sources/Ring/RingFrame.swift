import Media

/// A frame read from a ring: its `FrameInfo` and where it sits in the stream's history. The payload went into the
/// caller's buffer.
public struct RingFrame: Hashable, Sendable {
    public var info: FrameInfo
    /// Number of the frame in the ring's life: consecutive frames have consecutive numbers, across writer restarts.
    public var sequence: UInt64
    /// The ring's generation when the frame was written (it grows when the source restarts).
    public var generation: UInt64

    public init(info: FrameInfo, sequence: UInt64, generation: UInt64) {
        self.info = info
        self.sequence = sequence
        self.generation = generation
    }
}
