/// H.265 (ITU-T H.265) NAL unit types and the two-byte NAL header, for code that sorts NAL units
/// (demuxers splitting access units, packagers pulling out parameter sets, keyframe detection).
public enum H265 {
    /// nal_unit_type: bits 1...6 of the first NAL header byte.
    @inline(__always)
    public static func nalType(_ firstByte: UInt8) -> UInt8 { (firstByte >> 1) & 0x3F }

    /// Intra random access point picture types (BLA, IDR, CRA and the reserved IRAP types 16...23):
    /// a decoder can start at these, so they are keyframes.
    @inline(__always)
    public static func isIRAP(_ type: UInt8) -> Bool { type >= 16 && type <= 23 }

    /// True for the VCL types (0...31): NAL units that carry slices of a picture.
    @inline(__always)
    public static func isVCL(_ type: UInt8) -> Bool { type < 32 }

    public static let trailN: UInt8 = 0
    public static let trailR: UInt8 = 1
    public static let blaWLP: UInt8 = 16
    public static let blaWRADL: UInt8 = 17
    public static let blaNLP: UInt8 = 18
    public static let idrWRADL: UInt8 = 19
    public static let idrNLP: UInt8 = 20
    public static let cra: UInt8 = 21
    public static let vps: UInt8 = 32
    public static let sps: UInt8 = 33
    public static let pps: UInt8 = 34
    /// Access unit delimiter.
    public static let aud: UInt8 = 35
    public static let endOfSequence: UInt8 = 36
    public static let endOfBitstream: UInt8 = 37
    public static let fillerData: UInt8 = 38
    public static let prefixSEI: UInt8 = 39
    public static let suffixSEI: UInt8 = 40
}
