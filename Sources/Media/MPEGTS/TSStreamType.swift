/// How a codec is carried in MPEG-TS: the PMT's stream_type, the PES stream_id, and the registration
/// descriptor some codecs need (ISO/IEC 13818-1 table 2-34, ATSC A/52 for AC-3 and E-AC-3).
///
/// G.711 has no MPEG-TS mapping: `TSStreamType(track:)` is nil for it, and the muxer leaves such tracks out.
public struct TSStreamType: Hashable, Sendable {
    /// stream_type in the PMT.
    public var streamType: UInt8
    /// stream_id of the PES packets.
    public var streamID: UInt8
    /// format_identifier of a registration descriptor (tag 0x05) in the PMT's ES info, if the codec needs one.
    public var registration: [UInt8]?

    public init?(track: Track) {
        switch track.codec {
        case .h264: self.init(0x1B, 0xE0)
        case .h265: self.init(0x24, 0xE0)
        case .aac: self.init(0x0F, 0xC0)
        // MPEG-2 audio (ISO/IEC 13818-3) only for its low sampling rates; MPEG-1 audio otherwise, and when unknown.
        case .mp2, .mp3: self.init(track.sampleRate > 0 && track.sampleRate < 32000 ? 0x04 : 0x03, 0xC0)
        case .ac3: self.init(0x81, 0xBD, registration: Array("AC-3".utf8))
        case .eac3: self.init(0x87, 0xBD, registration: Array("EAC3".utf8))
        case .pcma, .pcmu: return nil
        }
    }

    private init(_ streamType: UInt8, _ streamID: UInt8, registration: [UInt8]? = nil) {
        self.streamType = streamType
        self.streamID = streamID
        self.registration = registration
    }
}
