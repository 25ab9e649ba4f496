/// Writes a stream's tracks and frames as FLV tag bodies: the RTMP messages of `play` and `push rtmp://`, or the
/// tags of an FLV file (`FLVFileWriter`). The reverse of `FLVTagDemuxer`.
///
/// - Tracks: FLV carries one video and one audio track: the first H.264 or H.265 track and the first AAC, MP3 or
///   G.711 track of the table. Others, and tracks not ready (video without parameter sets, AAC without its
///   AudioSpecificConfig), are left out, each with its reason in `leftOut`; frames of tracks left out or unknown
///   give no tag.
/// - Sequence headers (`sequenceHeader(for:into:)`), to send before a track's first frame and after every
///   change that `setTracks` reports: H.264 in the legacy form (CodecID 7, AVCPacketType 0, avcC), H.265 in the
///   enhanced RTMP form (FourCC `hvc1`, SequenceStart, hvcC), AAC with its AudioSpecificConfig. MP3 and G.711
///   have none.
/// - Frames: H.264 legacy NALU tags with the composition time (PTS - DTS) in milliseconds; H.265 enhanced
///   CodedFrames, or CodedFramesX when the composition time is 0; the payload as it is (Sluice's 4-byte NAL
///   lengths are what the records declare). AAC raw frames, MP3 frames and G.711 samples behind their one- or
///   two-byte header. Key frames are FrameType 1, others 2.
/// - Timestamps: (DTS - `timestampBase`) / 90, rounded down, in 32 bits (RTMP timestamps wrap after 49.7 days;
///   a DTS before the base wraps too, so choose the base at or before the first frame of every track).
///
/// Cost: each tag body is appended to the caller's buffer, header and payload copied once; nothing else is
/// allocated per frame.
public struct FLVTagMuxer: Sendable {
    /// Where a tag body written by the muxer goes: the RTMP message type and timestamp, or the FLV tag header.
    public struct TagHeader: Hashable, Sendable {
        public var type: FLVTagType
        public var timestamp: UInt32
    }

    private struct Output: Sendable {
        var track: Track
        /// The whole sequence header tag body; nil for codecs without one.
        var sequenceHeader: [UInt8]?
        /// Audio: the header of every frame's tag.
        var audioHeader: [UInt8]
    }

    /// The tracks carried, video first.
    public var tracks: [Track] { outputs.map(\.track) }
    /// The tracks of the last `setTracks` that are not carried, by id, with the reason.
    public private(set) var leftOut: [Int: FLVError] = [:]
    /// The DTS that is timestamp 0. Nil until the first frame written, which then sets it.
    public var timestampBase: Int64?

    private var outputs: [Output] = []

    private static let ticksPerMillisecond = MediaTime.hz / 1000
    private static let what = "FLV muxer"

    public init(tracks: [Track], timestampBase: Int64? = nil) {
        self.timestampBase = timestampBase
        setTracks(tracks)
    }

    /// Replaces the track table. Returns the ids of the carried tracks whose sequence header is new or changed:
    /// send those (`sequenceHeader(for:into:)`) before their next frame.
    @discardableResult
    public mutating func setTracks(_ newTracks: [Track]) -> [Int] {
        var video: Output?
        var audio: Output?
        var reasons: [Int: FLVError] = [:]
        for track in newTracks {
            let isVideo = track.kind == .video
            guard (isVideo ? video : audio) == nil else {
                reasons[track.id] = FLVError(.unsupported, Self.what,
                                             "FLV carries one \(track.kind.rawValue) track; track \(track.id) is another")
                continue
            }
            do {
                let output = try Self.output(track)
                if isVideo { video = output } else { audio = output }
            } catch let error as FLVError {
                reasons[track.id] = error
            } catch {
                reasons[track.id] = FLVError(.malformed, Self.what, "track \(track.id): \(error)")
            }
        }
        let newOutputs = [video, audio].compactMap { $0 }
        let changed = newOutputs.filter { output in
            output.sequenceHeader != nil && !outputs.contains {
                $0.track.id == output.track.id && $0.sequenceHeader == output.sequenceHeader
            }
        }
        outputs = newOutputs
        leftOut = reasons
        return changed.map(\.track.id)
    }

    /// Appends the sequence header tag body of a carried track to `out`. Returns its tag type, or nil (nothing
    /// appended) when the track has no sequence header (MP3, G.711) or is not carried.
    public func sequenceHeader(for trackID: Int, into out: inout [UInt8]) -> FLVTagType? {
        guard let output = outputs.first(where: { $0.track.id == trackID }), let body = output.sequenceHeader else {
            return nil
        }
        out.append(contentsOf: body)
        return output.track.kind == .video ? .video : .audio
    }

    /// Appends the tag body of one frame to `out` and returns its type and timestamp; nil (nothing appended) for
    /// a frame of a track that is not carried. `payload` is only read during the call.
    public mutating func write(_ info: FrameInfo, payload: UnsafeRawBufferPointer, into out: inout [UInt8]) -> TagHeader? {
        guard let output = outputs.first(where: { $0.track.id == info.track }) else { return nil }
        let timestamp = self.timestamp(for: info.dts)
        if output.track.kind == .video {
            let milliseconds = (info.pts - info.dts) / Self.ticksPerMillisecond
            let compositionTime = Int32(clamping: milliseconds)
            let tag = FLVVideoTag(frameType: info.isKeyframe ? .key : .inter, codec: output.track.codec,
                                  packetType: .codedFrames, compositionTime: compositionTime,
                                  isEnhanced: output.track.codec == .h265)
            tag.appendHeader(to: &out)
            out.append(contentsOf: payload)
            return TagHeader(type: .video, timestamp: timestamp)
        }
        out.append(contentsOf: output.audioHeader)
        out.append(contentsOf: payload)
        return TagHeader(type: .audio, timestamp: timestamp)
    }

    /// The RTMP timestamp of a DTS; the first call without a `timestampBase` makes `dts` the base.
    public mutating func timestamp(for dts: Int64) -> UInt32 {
        let base = timestampBase ?? dts
        timestampBase = base
        let delta = dts &- base
        let milliseconds = delta >= 0 ? delta / Self.ticksPerMillisecond : (delta + 1) / Self.ticksPerMillisecond - 1
        return UInt32(truncatingIfNeeded: milliseconds)
    }

    private static func output(_ track: Track) throws -> Output {
        switch track.codec {
        case .h264, .h265:
            guard !track.parameterSets.sps.isEmpty else {
                throw FLVError(.malformed, what, "track \(track.id): no parameter sets yet")
            }
            let hevc = track.codec == .h265
            let record = hevc ? try HEVCDecoderConfigurationRecord(parameterSets: track.parameterSets).bytes
                              : try AVCDecoderConfigurationRecord(parameterSets: track.parameterSets).bytes
            var body: [UInt8] = []
            let header = FLVVideoTag(frameType: .key, codec: track.codec, packetType: .sequenceStart, isEnhanced: hevc)
            header.appendHeader(to: &body)
            body += record
            return Output(track: track, sequenceHeader: body, audioHeader: [])
        case .aac:
            guard let config = track.audioConfig else {
                throw FLVError(.malformed, what, "track \(track.id): AAC without an AudioSpecificConfig yet")
            }
            var body: [UInt8] = []
            FLVAudioTag(codec: .aac, packetType: .sequenceStart).appendHeader(to: &body)
            body += config.bytes
            var header: [UInt8] = []
            FLVAudioTag(codec: .aac, packetType: .codedFrames).appendHeader(to: &header)
            return Output(track: track, sequenceHeader: body, audioHeader: header)
        case .mp3, .pcma, .pcmu:
            var header: [UInt8] = []
            FLVAudioTag(codec: track.codec, packetType: .codedFrames, sampleRate: track.sampleRate,
                        channels: track.channels).appendHeader(to: &header)
            return Output(track: track, sequenceHeader: nil, audioHeader: header)
        case .mp2, .ac3, .eac3:
            throw FLVError(.unsupported, what, "track \(track.id): \(track.codec.rawValue) has no FLV mapping")
        }
    }
}
