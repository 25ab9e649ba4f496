/// How `RingReader.readSegment(_:_:)` ended.
public enum RingSegmentRead: Hashable, Sendable {
    /// Every frame of the segment, up to the next segment's first frame, was handed over.
    case complete(frames: Int)
    /// The segment is the newest one, still being written: every frame written so far was handed over.
    case partial(frames: Int)
    /// The writer overwrote the segment's frames (or the ring is damaged there) before all were read: what was
    /// handed over is only a beginning and must be discarded.
    case gone
}
