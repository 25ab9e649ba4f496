/// The H.265 decoder configuration record, hvcC (ISO/IEC 14496-15 8.3.3.1): how MP4, fMP4, enhanced RTMP and
/// Matroska carry a track's parameter sets. Built from a track's `ParameterSets` when a container needs it, and
/// parsed from what publishers and MP4 sources send.
///
/// A built record copies the general profile, tier, level, chroma format, bit depths and temporal layers from
/// the first SPS; it leaves min_spatial_segmentation_idc, parallelismType and the frame rate fields at 0
/// ("unknown"), declares 4-byte NAL lengths, and marks each array complete (as `hvc1` sample entries require).
/// Parsing keeps the VPS, SPS and PPS arrays and drops others (SEI).
public struct HEVCDecoderConfigurationRecord: Hashable, Sendable {
    /// The VPS, SPS and PPS NAL units, with their headers, as in the record.
    public private(set) var parameterSets: ParameterSets
    /// The record as built or received.
    public private(set) var bytes: [UInt8]
    /// Bytes in each NAL unit's length prefix in the samples this record describes: 1, 2 or 4.
    public private(set) var lengthSize: Int

    private static let what = "hvcC"

    /// Builds the record from a track's parameter sets (at least one VPS, SPS and PPS); the first SPS must
    /// parse.
    public init(parameterSets sets: ParameterSets) throws {
        let what = Self.what
        guard let first = sets.sps.first, !sets.vps.isEmpty, !sets.pps.isEmpty else {
            throw MediaError(what, "needs a VPS, an SPS and a PPS (\(sets.vps.count), \(sets.sps.count), \(sets.pps.count))")
        }
        let sps = try H265SPS(parsing: first)
        var w = BitWriter()
        w.write(1, bits: 8)  // configurationVersion
        w.write(sps.profileSpace, bits: 2)
        w.write(sps.tierFlag)
        w.write(sps.profile, bits: 5)
        w.write(UInt64(sps.compatibilityFlags), bits: 32)
        w.write(sps.constraintIndicatorFlags, bits: 48)
        w.write(sps.level, bits: 8)
        w.write(0xF000, bits: 16)  // reserved, min_spatial_segmentation_idc 0
        w.write(0xFC, bits: 8)  // reserved, parallelismType 0
        w.write(0xFC | sps.chromaFormat, bits: 8)
        w.write(0xF8 | (sps.bitDepth - 8), bits: 8)
        w.write(0xF8 | (sps.bitDepthChroma - 8), bits: 8)
        w.write(0, bits: 16)  // avgFrameRate
        w.write(0, bits: 2)  // constantFrameRate
        w.write(sps.maxSubLayers, bits: 3)
        w.write(sps.temporalIDNesting)
        w.write(3, bits: 2)  // lengthSizeMinusOne
        w.write(3, bits: 8)  // numOfArrays
        var out = w.bytes
        for (type, nals) in [(H265.vps, sets.vps), (H265.sps, sets.sps), (H265.pps, sets.pps)] {
            guard nals.count <= 0xFFFF else { throw MediaError(what, "\(nals.count) NAL units of type \(type)") }
            out.append(0x80 | type)  // array_completeness 1
            out.append(UInt8(nals.count >> 8))
            out.append(UInt8(nals.count & 0xFF))
            for nal in nals {
                guard nal.count >= 2, H265.nalType(nal[0]) == type else {
                    throw MediaError(what, "a parameter set of \(nal.count) bytes is not of NAL type \(type)")
                }
                try out.appendWithSixteenBitLength(nal, of: what)
            }
        }
        parameterSets = ParameterSets(vps: sets.vps, sps: sets.sps, pps: sets.pps)
        bytes = out
        lengthSize = 4
    }

    /// Parses a received record. Throws on a version other than 1, a length size of 3, a NAL unit that runs past
    /// the end, or one whose type is not its array's.
    public init(parsing bytes: [UInt8]) throws {
        let what = Self.what
        var r = BitReader(bytes, what: what)
        let version = try r.int(8)
        guard version == 1 else { throw MediaError(what, "configurationVersion \(version), not 1") }
        try r.skip(20 * 8)  // general profile ... avgFrameRate: the SPS says them again
        try r.skip(6)  // constantFrameRate, numTemporalLayers, temporalIdNested
        lengthSize = try r.int(2) + 1
        guard lengthSize != 3 else { throw MediaError(what, "lengthSizeMinusOne 2 (3-byte lengths)") }
        var sets = ParameterSets()
        for _ in 0..<(try r.int(8)) {
            let type = UInt8(try r.int(8) & 0x3F)
            for _ in 0..<(try r.int(16)) {
                let length = try r.int(16)
                let nal = try r.byteArray(length, "NAL unit", of: what)
                guard nal.count >= 2, H265.nalType(nal[0]) == type else {
                    throw MediaError(what, "NAL unit of \(length) bytes in the array of type \(type) is not of that type")
                }
                switch type {
                case H265.vps: sets.vps.append(nal)
                case H265.sps: sets.sps.append(nal)
                case H265.pps: sets.pps.append(nal)
                default: break
                }
            }
        }
        parameterSets = sets
        self.bytes = bytes
    }
}
