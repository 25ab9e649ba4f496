/// The header of an FLV audio tag body (the payload of an RTMP type 8 message), in either form:
/// - legacy (FLV v10.1 spec, E.4.2.1 AUDIODATA): SoundFormat, SoundRate, SoundSize, SoundType, then for AAC an
///   AACPacketType (0 AudioSpecificConfig, 1 raw frame). Taken: AAC (10), MP3 (2, and 14 "MP3 8 kHz"), G.711
///   A-law (7) and mu-law (8).
/// - enhanced RTMP v2 ("Enhanced Audio": ExAudioTagHeader, SoundFormat 9): AudioPacketType, then a FourCC.
///   Taken: `mp4a` (AAC: SequenceStart carries the AudioSpecificConfig), `.mp3`, `ac-3`, `ec-3`.
///
/// The data stays in the body from `dataOffset`. Other formats (PCM, ADPCM, Nellymoser, Speex; FourCC `Opus`,
/// `fLaC`) and enhanced multitrack are `unsupported` errors; truncated or reserved fields are `malformed`.
public struct FLVAudioTag: Hashable, Sendable {
    public enum PacketType: Hashable, Sendable {
        /// The decoder configuration follows (AAC: the AudioSpecificConfig).
        case sequenceStart
        /// One coded frame follows (AAC raw frame, MP3 or AC-3 frame, G.711 samples).
        case codedFrames
        /// Enhanced only.
        case sequenceEnd
        /// Enhanced only: a channel layout follows; Sluice does not use it.
        case multichannelConfig
    }

    /// `.aac`, `.mp3`, `.pcma`, `.pcmu`, `.ac3` or `.eac3`.
    public var codec: Codec
    public var packetType: PacketType
    /// The legacy header's SoundRate (5512, 11025, 22050 or 44100 Hz), SoundType (1 or 2 channels) and SoundSize
    /// (8 or 16 bits). Not to be trusted: AAC always says 44100 Hz stereo, MP3 at 48 kHz says 44100. 0 when enhanced.
    public var soundRate: Int
    public var soundChannels: Int
    public var soundBits: Int
    /// The enhanced RTMP form (ExAudioTagHeader with a FourCC).
    public var isEnhanced: Bool
    /// Where the data starts in the body.
    public var dataOffset: Int

    static let what = "FLV audio tag"
    static let rates = [5512, 11025, 22050, 44100]

    private enum SoundFormat: UInt8 {
        case mp3 = 2, alaw = 7, mulaw = 8, exHeader = 9, aac = 10, mp3at8kHz = 14
    }

    /// AudioPacketType of the enhanced header.
    private enum ExPacketType: UInt8 {
        case sequenceStart = 0, codedFrames = 1, sequenceEnd = 2, multichannelConfig = 4, multitrack = 5, modEx = 7
    }

    /// A header to write (`appendHeader`) for `codec`: legacy for AAC, MP3 and G.711 unless `isEnhanced`. The
    /// legacy fields follow the FLV spec and ffmpeg: AAC says 44100 Hz, 16 bits, stereo whatever it is; MP3 the
    /// nearest rate at or below its own (48 kHz as 44100); G.711 rate code 0, 16 bits (as ffmpeg writes it), mono
    /// or stereo.
    public init(codec: Codec, packetType: PacketType, sampleRate: Int = 0, channels: Int = 0, isEnhanced: Bool = false) {
        self.codec = codec
        self.packetType = packetType
        self.isEnhanced = isEnhanced
        switch codec {
        case .aac:
            (soundRate, soundChannels, soundBits) = (44100, 2, 16)
        case .pcma, .pcmu:
            (soundRate, soundChannels, soundBits) = (5512, channels > 1 ? 2 : 1, 16)
        default:
            (soundRate, soundChannels, soundBits) = (Self.rates.last { $0 <= sampleRate } ?? 5512, channels > 1 ? 2 : 1, 16)
        }
        dataOffset = isEnhanced || codec == .ac3 || codec == .eac3 ? 5 : codec == .aac ? 2 : 1
    }

    /// Parses the header at the start of `body`.
    public init(parsing body: UnsafeRawBufferPointer) throws(FLVError) {
        var r = FLVFieldReader(body, what: Self.what)
        let first = try r.u8("SoundFormat")
        let format = first >> 4
        guard format == SoundFormat.exHeader.rawValue else {
            isEnhanced = false
            soundRate = Self.rates[Int((first >> 2) & 3)]
            soundBits = first & 2 != 0 ? 16 : 8
            soundChannels = first & 1 != 0 ? 2 : 1
            packetType = .codedFrames
            switch SoundFormat(rawValue: format) {
            case .aac:
                codec = .aac
                switch try r.u8("AACPacketType") {
                case 0: packetType = .sequenceStart
                case 1: packetType = .codedFrames
                case let type: throw FLVError(.malformed, Self.what, "reserved AACPacketType \(type)")
                }
            case .mp3, .mp3at8kHz: codec = .mp3
            case .alaw: codec = .pcma
            case .mulaw: codec = .pcmu
            case .exHeader, nil:
                throw FLVError(.unsupported, Self.what, "SoundFormat \(format) (\(Self.legacyFormatName(format)))")
            }
            dataOffset = r.offset
            return
        }
        isEnhanced = true
        (soundRate, soundChannels, soundBits) = (0, 0, 0)
        let rawType = try r.skipModEx(after: first & 0x0F, modEx: ExPacketType.modEx.rawValue)
        guard let type = ExPacketType(rawValue: rawType), type != .modEx else {
            throw FLVError(.unsupported, Self.what, "AudioPacketType \(rawType)")
        }
        guard type != .multitrack else { throw FLVError(.unsupported, Self.what, "enhanced RTMP multitrack audio") }
        let fourCC = UInt32(try r.uint(4, "FourCC"))
        switch fourCC {
        case FourCC.mp4a: codec = .aac
        case FourCC.mp3: codec = .mp3
        case FourCC.ac3: codec = .ac3
        case FourCC.eac3: codec = .eac3
        default: throw FLVError(.unsupported, Self.what, "audio codec FourCC \(FourCC.name(fourCC))")
        }
        packetType = switch type {
        case .sequenceStart: .sequenceStart
        case .sequenceEnd: .sequenceEnd
        case .multichannelConfig: .multichannelConfig
        default: .codedFrames
        }
        dataOffset = r.offset
    }

    /// Appends the header bytes (everything before the data) to `out`: the legacy form for AAC, MP3 and G.711
    /// unless `isEnhanced`, the enhanced form otherwise (AC-3 and E-AC-3 have no other).
    public func appendHeader(to out: inout [UInt8]) {
        if isEnhanced || codec == .ac3 || codec == .eac3 {
            let type: ExPacketType = switch packetType {
            case .sequenceStart: .sequenceStart
            case .codedFrames: .codedFrames
            case .sequenceEnd: .sequenceEnd
            case .multichannelConfig: .multichannelConfig
            }
            out.append(SoundFormat.exHeader.rawValue << 4 | type.rawValue)
            let fourCC: UInt32 = switch codec {
            case .aac: FourCC.mp4a
            case .ac3: FourCC.ac3
            case .eac3: FourCC.eac3
            default: FourCC.mp3
            }
            FourCC.append(fourCC, to: &out)
            return
        }
        let format: SoundFormat = switch codec {
        case .aac: .aac
        case .pcma: .alaw
        case .pcmu: .mulaw
        default: .mp3
        }
        let rate = UInt8(Self.rates.lastIndex { $0 <= soundRate } ?? 0)
        out.append(format.rawValue << 4 | rate << 2 | (soundBits == 16 ? 2 : 0) | (soundChannels == 2 ? 1 : 0))
        if codec == .aac { out.append(packetType == .sequenceStart ? 0 : 1) }
    }

    private static func legacyFormatName(_ format: UInt8) -> String {
        switch format {
        case 0: return "linear PCM, platform endian"
        case 1: return "ADPCM"
        case 3: return "linear PCM, little endian"
        case 4, 5, 6: return "Nellymoser"
        case 11: return "Speex"
        case 15: return "device-specific sound"
        default: return "reserved"
        }
    }
}
