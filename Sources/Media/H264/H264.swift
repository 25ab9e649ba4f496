/// H.264 (ISO/IEC 14496-10) NAL unit types and the one-byte NAL header, for code that sorts NAL units
/// (demuxers splitting access units, packagers pulling out parameter sets, keyframe detection).
public enum H264 {
    /// nal_unit_type: the low 5 bits of the NAL header byte.
    @inline(__always)
    public static func nalType(_ firstByte: UInt8) -> UInt8 { firstByte & 0x1F }

    /// Coded slice of a non-IDR picture.
    public static let slice: UInt8 = 1
    /// Coded slice data partition A (B and C follow as 3 and 4).
    public static let slicePartitionA: UInt8 = 2
    public static let slicePartitionB: UInt8 = 3
    public static let slicePartitionC: UInt8 = 4
    /// Coded slice of an IDR picture: a keyframe.
    public static let idr: UInt8 = 5
    public static let sei: UInt8 = 6
    public static let sps: UInt8 = 7
    public static let pps: UInt8 = 8
    /// Access unit delimiter.
    public static let aud: UInt8 = 9
    public static let endOfSequence: UInt8 = 10
    public static let endOfStream: UInt8 = 11
    public static let fillerData: UInt8 = 12
    public static let spsExtension: UInt8 = 13
    /// Prefix NAL unit (SVC/MVC).
    public static let prefix: UInt8 = 14
    public static let subsetSPS: UInt8 = 15

    /// True for the types that carry a slice of a picture (1...5): the NAL units that make up a frame's picture.
    @inline(__always)
    public static func isSlice(_ type: UInt8) -> Bool { type >= 1 && type <= 5 }
}
