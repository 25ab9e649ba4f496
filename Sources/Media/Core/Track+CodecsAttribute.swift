extension Track {
    /// The track's codec as an RFC 6381 string, for the HLS `CODECS` attribute and DASH `codecs`; nil when the
    /// track lacks what the string needs (an SPS, an AudioSpecificConfig) or has no HLS name (G.711).
    ///
    /// - H.264: `avc1.PPCCLL`, profile_idc, constraint flags and level_idc of the first SPS in lowercase hex.
    /// - H.265: `hvc1.[A-C]P.F.TL.CC...` (ISO/IEC 14496-15 E.3): profile space letter and profile_idc, the
    ///   compatibility flags bit-reversed in hex, tier L/H and level_idc, then the constraint indicator bytes
    ///   with trailing zero bytes dropped. Always `hvc1`, never `hev1`: Apple requires it, and hls.js and
    ///   browsers accept it whether or not parameter sets are also in band.
    /// - AAC: `mp4a.40.N`, N the audio object type (2 LC, 5 HE-AAC, 29 HE-AACv2).
    /// - MP3: `mp4a.40.34`, the value Apple's HLS authoring specification gives; hls.js maps it to `audio/mpeg`.
    /// - MP2: `mp4a.6B` (MPEG-1 audio object type indication), `mp4a.69` below 32 kHz (MPEG-2 audio).
    ///   Browsers and Apple players do not play MP2 in HLS; the string only names it.
    /// - AC-3 and E-AC-3: `ac-3` and `ec-3`.
    public var codecsAttribute: String? {
        switch codec {
        case .h264:
            guard let nal = parameterSets.sps.first, let sps = try? H264SPS(parsing: nal) else { return nil }
            return "avc1." + Self.hex(UInt8(sps.profile)) + Self.hex(sps.constraintFlags) + Self.hex(UInt8(sps.level))
        case .h265:
            guard let nal = parameterSets.sps.first, let sps = try? H265SPS(parsing: nal) else { return nil }
            let space = ["", "A", "B", "C"][sps.profileSpace]
            let compatibility = String(sps.compatibilityFlags.bitReversed, radix: 16, uppercase: true)
            var constraints = (0..<6).map { UInt8(truncatingIfNeeded: sps.constraintIndicatorFlags >> (40 - 8 * $0)) }
            while constraints.last == 0 { constraints.removeLast() }
            return "hvc1.\(space)\(sps.profile).\(compatibility).\(sps.tierFlag ? "H" : "L")\(sps.level)"
                + constraints.map { "." + String($0, radix: 16, uppercase: true) }.joined()
        case .aac:
            return audioConfig.map { "mp4a.40.\($0.objectType)" }
        case .mp3:
            return "mp4a.40.34"
        case .mp2:
            return sampleRate > 0 && sampleRate < 32000 ? "mp4a.69" : "mp4a.6B"
        case .ac3:
            return "ac-3"
        case .eac3:
            return "ec-3"
        case .pcma, .pcmu:
            return nil
        }
    }

    /// Two lowercase hex digits.
    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }
}

extension UInt32 {
    /// The bits in the opposite order (bit 0 becomes bit 31).
    fileprivate var bitReversed: UInt32 {
        var value = self
        var result: UInt32 = 0
        for _ in 0..<32 {
            result = result << 1 | value & 1
            value >>= 1
        }
        return result
    }
}
