/// What `RingReader.next(into:)` found.
public enum RingEvent: Hashable, Sendable {
    /// The next frame; its payload is in the buffer.
    case frame(RingFrame)
    /// The writer overwrote frames before this reader read them (or the writer skipped numbers after a crash).
    /// `lost` frames are gone; the reader has moved on to the newest keyframe, which the next call returns.
    case lapped(lost: UInt64)
}
