/// The header of an FLV video tag body (the payload of an RTMP type 9 message), in either form:
/// - legacy (FLV v10.1 spec, E.4.3.1 VIDEODATA): FrameType, CodecID 7 (AVC) or 12 (HEVC as some Chinese encoders
///   and servers send it), AVCPacketType (0 sequence header, 1 NAL units, 2 end of sequence), SI24 composition time;
/// - enhanced RTMP (Veovera E-RTMP v1/v2, "Enhanced Video": ExVideoTagHeader): IsExHeader bit, FrameType,
///   VideoPacketType, FourCC `avc1` or `hvc1`, and an SI24 composition time only for CodedFrames.
///
/// The data (a decoder configuration record, NAL units behind the record's length size, or AMF metadata) stays
/// in the body, from `dataOffset`. Codecs other than H.264 and H.265 (Sorenson, VP6, screen video; FourCC `av01`,
/// `vp09`, `vp08`) and enhanced multitrack are `unsupported` errors; truncated or reserved fields `malformed`.
public struct FLVVideoTag: Hashable, Sendable {
    public enum FrameType: UInt8, Hashable, Sendable {
        /// A seekable frame.
        case key = 1
        case inter = 2
        /// H.263 only.
        case disposableInter = 3
        /// Reserved for server use.
        case generatedKey = 4
        /// A video info or command frame: no video data.
        case command = 5
    }

    public enum PacketType: Hashable, Sendable {
        /// The decoder configuration record (avcC, hvcC) follows.
        case sequenceStart
        /// The NAL units of one access unit follow. Enhanced CodedFramesX is this with a composition time of 0.
        case codedFrames
        case sequenceEnd
        /// Enhanced RTMP only: AMF-encoded metadata (colorInfo) follows, for the RTMP module to read if it cares.
        case metadata
        /// FrameType 5: one command byte (0 start, 1 end of client-side seeking), no data.
        case command(UInt8)
    }

    /// Ignored for `.metadata` (the spec says so), where a reserved value reads as `.inter`.
    public var frameType: FrameType
    /// `.h264` or `.h265`; nil only for an enhanced command frame, which names no codec.
    public var codec: Codec?
    public var packetType: PacketType
    /// PTS - DTS in milliseconds, for `.codedFrames`; 0 otherwise.
    public var compositionTime: Int32
    /// The enhanced RTMP form (ExVideoTagHeader with a FourCC).
    public var isEnhanced: Bool
    /// Where the data starts in the body.
    public var dataOffset: Int

    static let what = "FLV video tag"
    /// CodecID of the legacy header.
    static let avcCodecID: UInt8 = 7
    static let hevcCodecID: UInt8 = 12
    /// VideoPacketType of the enhanced header.
    private enum ExPacketType: UInt8 {
        case sequenceStart, codedFrames, sequenceEnd, codedFramesX, metadata, mpeg2TSSequenceStart, multitrack, modEx
    }

    /// A header to write (`appendHeader`). H.264 goes in the legacy form unless `isEnhanced`; H.265 should go
    /// enhanced (legacy CodecID 12 is not standard).
    public init(frameType: FrameType, codec: Codec, packetType: PacketType, compositionTime: Int32 = 0,
                isEnhanced: Bool) {
        self.frameType = frameType
        self.codec = codec
        self.packetType = packetType
        self.compositionTime = compositionTime
        self.isEnhanced = isEnhanced
        switch packetType {
        case .command: dataOffset = 2
        case .codedFrames where isEnhanced: dataOffset = compositionTime == 0 ? 5 : 8
        default: dataOffset = 5
        }
    }

    /// Parses the header at the start of `body`.
    public init(parsing body: UnsafeRawBufferPointer) throws(FLVError) {
        var r = FLVFieldReader(body, what: Self.what)
        let first = try r.u8("FrameType and CodecID")
        let rawFrameType = (first >> 4) & 0x07
        isEnhanced = first & 0x80 != 0
        compositionTime = 0
        if isEnhanced {
            let rawType = try r.skipModEx(after: first & 0x0F, modEx: ExPacketType.modEx.rawValue)
            guard let type = ExPacketType(rawValue: rawType) else {
                throw FLVError(.unsupported, Self.what, "VideoPacketType \(rawType)")
            }
            if type != .metadata && rawFrameType == FrameType.command.rawValue {
                frameType = .command
                codec = nil
                packetType = .command(try r.u8("VideoCommand"))
                dataOffset = r.offset
                return
            }
            guard type != .multitrack else { throw FLVError(.unsupported, Self.what, "enhanced RTMP multitrack video") }
            let fourCC = UInt32(try r.uint(4, "FourCC"))
            switch fourCC {
            case FourCC.avc1: codec = .h264
            case FourCC.hvc1: codec = .h265
            default: throw FLVError(.unsupported, Self.what, "video codec FourCC \(FourCC.name(fourCC))")
            }
            switch type {
            case .sequenceStart: packetType = .sequenceStart
            case .codedFrames:
                packetType = .codedFrames
                compositionTime = try r.si24("CompositionTime")
            case .codedFramesX: packetType = .codedFrames
            case .sequenceEnd: packetType = .sequenceEnd
            case .metadata: packetType = .metadata
            case .mpeg2TSSequenceStart, .multitrack, .modEx:
                throw FLVError(.unsupported, Self.what, "MPEG2TSSequenceStart for \(FourCC.name(fourCC))")
            }
            frameType = type == .metadata ? FrameType(rawValue: rawFrameType) ?? .inter : try Self.frameType(rawFrameType)
        } else {
            frameType = try Self.frameType(rawFrameType)
            switch first & 0x0F {
            case Self.avcCodecID: codec = .h264
            case Self.hevcCodecID: codec = .h265
            case let id: throw FLVError(.unsupported, Self.what, "video CodecID \(id) (\(Self.legacyCodecName(id)))")
            }
            if frameType == .command {
                packetType = .command(try r.u8("VideoCommand"))
            } else {
                let type = try r.u8("AVCPacketType")
                compositionTime = try r.si24("CompositionTime")
                switch type {
                case 0: packetType = .sequenceStart
                case 1: packetType = .codedFrames
                case 2: packetType = .sequenceEnd
                default: throw FLVError(.malformed, Self.what, "reserved AVCPacketType \(type)")
                }
                if packetType != .codedFrames { compositionTime = 0 }
            }
        }
        dataOffset = r.offset
    }

    /// Appends the header bytes (everything before the data) to `out`. Enhanced coded frames with a composition
    /// time of 0 are written as CodedFramesX.
    public func appendHeader(to out: inout [UInt8]) {
        let frameBits = frameType.rawValue << 4
        if !isEnhanced {
            out.append(frameBits | (codec == .h265 ? Self.hevcCodecID : Self.avcCodecID))
            switch packetType {
            case .command(let command): out.append(command)
            case .sequenceStart: out += [0, 0, 0, 0]
            case .codedFrames: out.append(1); out.appendSI24(compositionTime)
            case .sequenceEnd, .metadata: out += [2, 0, 0, 0]
            }
            return
        }
        if case .command(let command) = packetType {
            out.append(0x80 | FrameType.command.rawValue << 4 | ExPacketType.codedFrames.rawValue)
            out.append(command)
            return
        }
        let type: ExPacketType = switch packetType {
        case .sequenceStart: .sequenceStart
        case .codedFrames: compositionTime == 0 ? .codedFramesX : .codedFrames
        case .sequenceEnd: .sequenceEnd
        case .metadata, .command: .metadata
        }
        out.append(0x80 | frameBits | type.rawValue)
        FourCC.append(codec == .h265 ? FourCC.hvc1 : FourCC.avc1, to: &out)
        if type == .codedFrames { out.appendSI24(compositionTime) }
    }

    private static func frameType(_ raw: UInt8) throws(FLVError) -> FrameType {
        guard let type = FrameType(rawValue: raw) else { throw FLVError(.malformed, what, "reserved FrameType \(raw)") }
        return type
    }

    private static func legacyCodecName(_ id: UInt8) -> String {
        switch id {
        case 2: return "Sorenson H.263"
        case 3: return "Screen video"
        case 4: return "On2 VP6"
        case 5: return "On2 VP6 with alpha"
        case 6: return "Screen video v2"
        default: return "reserved"
        }
    }
}
