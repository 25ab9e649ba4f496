/// An entry of the ring's table of recent keyframes: where a reader can start decoding.
public struct RingKeyframe: Hashable, Sendable {
    /// Logical byte position of the keyframe's record in the data area.
    public var position: UInt64
    /// The frame's sequence number.
    public var sequence: UInt64
    /// The frame's DTS (90 kHz).
    public var dts: Int64

    public init(position: UInt64, sequence: UInt64, dts: Int64) {
        self.position = position
        self.sequence = sequence
        self.dts = dts
    }
}
