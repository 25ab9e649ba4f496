/// The H.264 decoder configuration record, avcC (ISO/IEC 14496-15 5.3.3.1): how MP4, fMP4, FLV/RTMP and
/// Matroska carry a track's parameter sets. Built from a track's `ParameterSets` when a container needs it, and
/// parsed from what RTMP publishers and MP4 sources send.
///
/// A built record declares 4-byte NAL lengths (Sluice's canonical payload form) and, for the profiles whose SPS
/// carries them (High and above), ends with the chroma format and bit depth bytes and no SPS extensions, as
/// ffmpeg writes it. Parsing accepts records with or without those trailing bytes and ignores them.
public struct AVCDecoderConfigurationRecord: Hashable, Sendable {
    /// The SPS and PPS NAL units, with their headers, as in the record.
    public private(set) var parameterSets: ParameterSets
    /// The record as built or received.
    public private(set) var bytes: [UInt8]
    /// Bytes in each NAL unit's length prefix in the samples this record describes: 1, 2 or 4.
    public private(set) var lengthSize: Int

    private static let what = "avcC"

    /// Builds the record from a track's parameter sets (at least one SPS and one PPS). The profile, level and
    /// high-profile fields come from the first SPS, which must parse.
    public init(parameterSets sets: ParameterSets) throws {
        let what = Self.what
        guard let first = sets.sps.first, !sets.pps.isEmpty else {
            throw MediaError(what, "needs an SPS and a PPS (\(sets.sps.count) SPS, \(sets.pps.count) PPS)")
        }
        guard sets.sps.count <= 31 && sets.pps.count <= 255 else {
            throw MediaError(what, "too many parameter sets (\(sets.sps.count) SPS, \(sets.pps.count) PPS)")
        }
        let sps = try H264SPS(parsing: first)
        var out: [UInt8] = [1, UInt8(sps.profile), sps.constraintFlags, UInt8(sps.level), 0xFC | 3]
        out.append(0xE0 | UInt8(sets.sps.count))
        for nal in sets.sps { try Self.append(nal, type: H264.sps, to: &out) }
        out.append(UInt8(sets.pps.count))
        for nal in sets.pps { try Self.append(nal, type: H264.pps, to: &out) }
        if H264SPS.highProfiles.contains(sps.profile) {
            out.append(0xFC | UInt8(sps.chromaFormat))
            out.append(0xF8 | UInt8(sps.bitDepth - 8))
            out.append(0xF8 | UInt8(sps.bitDepthChroma - 8))
            out.append(0)  // numOfSequenceParameterSetExt
        }
        parameterSets = ParameterSets(sps: sets.sps, pps: sets.pps)
        bytes = out
        lengthSize = 4
    }

    /// Parses a received record. Throws on a version other than 1, a length size of 3, a set that runs past the
    /// end, or an entry that is not an SPS or PPS where one is due.
    public init(parsing bytes: [UInt8]) throws {
        let what = Self.what
        var r = BitReader(bytes, what: what)
        let version = try r.int(8)
        guard version == 1 else { throw MediaError(what, "configurationVersion \(version), not 1") }
        try r.skip(24)  // profile, compatibility, level: the SPS says them again
        lengthSize = (try r.int(8) & 3) + 1
        guard lengthSize != 3 else { throw MediaError(what, "lengthSizeMinusOne 2 (3-byte lengths)") }
        var sets = ParameterSets()
        for _ in 0..<(try r.int(8) & 0x1F) { sets.sps.append(try Self.read(type: H264.sps, from: &r)) }
        for _ in 0..<(try r.int(8)) { sets.pps.append(try Self.read(type: H264.pps, from: &r)) }
        parameterSets = sets
        self.bytes = bytes
    }

    private static func append(_ nal: [UInt8], type: UInt8, to out: inout [UInt8]) throws {
        guard let header = nal.first, H264.nalType(header) == type else {
            throw MediaError(what, "a parameter set of \(nal.count) bytes is not of NAL type \(type)")
        }
        try out.appendWithSixteenBitLength(nal, of: what)
    }

    private static func read(type: UInt8, from r: inout BitReader) throws -> [UInt8] {
        let length = try r.int(16)
        let nal = try r.byteArray(length, "parameter set", of: what)
        guard let header = nal.first, H264.nalType(header) == type else {
            throw MediaError(what, "entry of \(length) bytes is not of NAL type \(type)")
        }
        return nal
    }
}
