/// Turns the FLV tags of one stream (RTMP audio and video messages, or the tags of an FLV file) into Sluice's
/// tracks and canonical frames.
///
/// Pure: no I/O, one tag per `feed`, whole (RTMP reassembles messages from chunks; `FLVFileReader` frames files).
/// The sink gets each frame as soon as its tag is fed, with its payload borrowed for the call:
/// - Tracks: one video (H.264, H.265) and one audio (AAC, MP3, G.711, and AC-3/E-AC-3 in enhanced RTMP), with
///   ids 1 and 2 in the order they first appear (a sequence header, or a first MP3/G.711 frame), stable after.
///   A track's first frame and the first frame after a change of its configuration (a new sequence header, new
///   parameter sets in band, another sample rate) are flagged `.configChange`, with the new track handed along.
/// - Video: the NAL units of each tag, behind the sequence header's length size, become 4-byte lengths;
///   delimiters and parameter sets found in band are taken out and go into the track (`VideoAccessUnitFramer`,
///   shared with the MPEG-TS demuxer). A tag with 4-byte lengths and nothing to take out is passed on as it is,
///   without a copy. Frames before the sequence header and before the first keyframe are dropped and counted.
/// - Audio: AAC raw frames (dropped and counted until the AudioSpecificConfig came), MP3 and AC-3 frames, G.711
///   samples, each a frame as it is in the tag; always `.keyframe`.
/// - Timestamps: the 32-bit millisecond timestamps are unwrapped (one clock for both tracks), DTS = ms × 90,
///   PTS = DTS + composition time × 90, then normalised (`TimestampNormalizer`: a jump of the source's clock is
///   absorbed and flags the frame `.discontinuity`; PTS is never below DTS). The first DTS is the source's own.
/// - Script data (onMetaData, @setDataFrame) is the RTMP module's business: it is ignored here.
///
/// Damage is counted in `stats` and reported per tag by `feed`'s result (`Outcome.failed` names a malformed or
/// an unsupported tag, for the log and for refusing a publisher of an unsupported codec); it is never fatal.
public struct FLVTagDemuxer: Sendable {
    /// The sink of `feed(_:timestamp:body:withTrack:)`: the frame's track as it stands at this frame, the frame,
    /// its payload.
    public typealias TrackSink = (Track, FrameInfo, UnsafeRawBufferPointer) -> Void

    /// What became of one tag.
    public enum Outcome: Hashable, Sendable {
        /// One frame went to the sink.
        case frame
        /// A decoder configuration was taken into its track.
        case sequenceHeader
        /// Nothing for the media path (script data, commands, metadata, end of sequence, an empty frame).
        case ignored
        case dropped(Drop)
        /// Nothing was delivered and no state changed.
        case failed(FLVError)
    }

    public enum Drop: Hashable, Sendable {
        /// The track's sequence header has not come (or did not parse).
        case beforeSequenceHeader
        /// Video before the first keyframe.
        case beforeKeyframe
    }

    /// The tracks seen so far, in order of appearance.
    public private(set) var tracks: [Track] = []
    public private(set) var stats = FLVDemuxStats()
    /// The last malformed or unsupported tag's error, for the log.
    public private(set) var lastError: FLVError?

    private var videoIndex: Int?
    private var audioIndex: Int?
    private var framer = VideoAccessUnitFramer()
    /// Bytes of each NAL unit's length in video tags, from the sequence header; nil before it.
    private var nalLengthSize: Int?
    /// The audio track changed since its last frame: the next one is flagged `.configChange`.
    private var audioChanged = false
    private var clock = TimestampUnwrapper(bits: 32)
    private var normalizer = TimestampNormalizer()

    private static let ticksPerMillisecond = MediaTime.hz / 1000

    public init() {}

    /// Reads one tag: its type, its timestamp (milliseconds, as in the RTMP message header) and its body.
    @discardableResult
    public mutating func feed(_ type: FLVTagType, timestamp: UInt32, body: UnsafeRawBufferPointer,
                              withTrack sink: TrackSink) -> Outcome {
        stats.tags += 1
        stats.bytes += body.count
        var outcome: Outcome
        do throws(FLVError) {
            outcome = switch type {
            case .video: try video(timestamp, body, sink)
            case .audio: try audio(timestamp, body, sink)
            case .scriptData: .ignored
            }
        } catch {
            outcome = .failed(error)
        }
        switch outcome {
        case .frame: stats.frames += 1
        case .sequenceHeader: stats.sequenceHeaders += 1
        case .ignored: stats.ignoredTags += 1
        case .dropped(.beforeSequenceHeader): stats.droppedBeforeSequenceHeader += 1
        case .dropped(.beforeKeyframe): stats.droppedBeforeKeyframe += 1
        case .failed(let error):
            lastError = error
            if error.kind == .unsupported { stats.unsupportedTags += 1 } else { stats.malformedTags += 1 }
        }
        return outcome
    }

    /// `feed(_:timestamp:body:withTrack:)` for sinks that do not need the track.
    @discardableResult
    public mutating func feed(_ type: FLVTagType, timestamp: UInt32, body: UnsafeRawBufferPointer,
                              _ sink: (FrameInfo, UnsafeRawBufferPointer) -> Void) -> Outcome {
        feed(type, timestamp: timestamp, body: body) { _, info, payload in sink(info, payload) }
    }

    /// All frames of a list of tags, with the demuxer that read them (for its tracks and stats): for tests and
    /// tools, not for live input.
    public static func frames(of tags: [FLVTag]) -> (frames: [Frame], demuxer: FLVTagDemuxer) {
        var demuxer = FLVTagDemuxer()
        var frames: [Frame] = []
        for tag in tags {
            tag.body.withUnsafeBytes { body in
                _ = demuxer.feed(tag.type, timestamp: tag.timestamp, body: body) {
                    frames.append(Frame(info: $0, payload: Array($1)))
                }
            }
        }
        return (frames, demuxer)
    }

    // MARK: Video

    private mutating func video(_ timestamp: UInt32, _ body: UnsafeRawBufferPointer,
                                _ sink: TrackSink) throws(FLVError) -> Outcome {
        let tag = try FLVVideoTag(parsing: body)
        guard let codec = tag.codec else { return .ignored }
        let data = UnsafeRawBufferPointer(rebasing: body[tag.dataOffset...])
        switch tag.packetType {
        case .command, .metadata, .sequenceEnd:
            return .ignored
        case .sequenceStart:
            try videoSequenceHeader(codec, data)
            return .sequenceHeader
        case .codedFrames:
            guard let index = videoIndex, let lengthSize = nalLengthSize, tracks[index].codec == codec else {
                return .dropped(.beforeSequenceHeader)
            }
            // The track is worked on in place: a copy per frame would retain and release its parameter sets.
            let outcome = try Self.malformed(FLVVideoTag.what) {
                try framer.frame(lengthPrefixed: data, lengthSize: lengthSize, track: &tracks[index])
            }
            switch outcome {
            case .beforeKeyframe: return .dropped(.beforeKeyframe)
            case .empty: return .ignored
            case .frame(let flags):
                let info = stamp(tracks[index].id, flags, timestamp, compositionTime: tag.compositionTime)
                framer.withPayload(of: data) { sink(tracks[index], info, $0) }
                return .frame
            }
        }
    }

    /// Takes an avcC or hvcC into the video track (made on the first one). A sequence header of another codec
    /// turns the track into a track of that codec, under the same id, waiting for a keyframe again.
    private mutating func videoSequenceHeader(_ codec: Codec, _ data: UnsafeRawBufferPointer) throws(FLVError) {
        var track = videoIndex.map { tracks[$0] } ?? Track(id: tracks.count + 1, codec: codec)
        let codecChanged = track.codec != codec
        let lengthSize = try Self.malformed(FLVVideoTag.what, "sequence header: ") {
            let sets: ParameterSets, lengthSize: Int
            if codec == .h264 {
                let record = try AVCDecoderConfigurationRecord(parsing: Array(data))
                (sets, lengthSize) = (record.parameterSets, record.lengthSize)
            } else {
                let record = try HEVCDecoderConfigurationRecord(parsing: Array(data))
                (sets, lengthSize) = (record.parameterSets, record.lengthSize)
            }
            track.codec = codec
            if codecChanged { track.parameterSets = ParameterSets() }
            try framer.replaceParameterSets(sets, track: &track)
            return lengthSize
        }
        if codecChanged { framer.restart() }
        if let index = videoIndex {
            tracks[index] = track
        } else {
            videoIndex = tracks.count
            tracks.append(track)
        }
        nalLengthSize = lengthSize
    }

    // MARK: Audio

    private mutating func audio(_ timestamp: UInt32, _ body: UnsafeRawBufferPointer,
                                _ sink: TrackSink) throws(FLVError) -> Outcome {
        let tag = try FLVAudioTag(parsing: body)
        let data = UnsafeRawBufferPointer(rebasing: body[tag.dataOffset...])
        let what = FLVAudioTag.what
        switch tag.packetType {
        case .sequenceEnd, .multichannelConfig:
            return .ignored
        case .sequenceStart:
            guard tag.codec == .aac else { return .ignored }  // no other codec taken has a configuration
            let config = try Self.malformed(what, "sequence header: ") { try AudioSpecificConfig(parsing: Array(data)) }
            describeAudio(.aac, sampleRate: config.sampleRate, channels: config.channels, config: config)
            return .sequenceHeader
        case .codedFrames:
            guard !data.isEmpty else { return .ignored }
            switch tag.codec {
            case .aac:
                guard let index = audioIndex, tracks[index].codec == .aac, tracks[index].audioConfig != nil else {
                    return .dropped(.beforeSequenceHeader)
                }
            case .mp3:
                let header = try Self.malformed(what) { try MPEGAudioHeader(parsing: data) }
                describeAudio(header.codec, sampleRate: header.sampleRate, channels: header.channels)
            case .ac3, .eac3:
                let header = try Self.malformed(what) { try AC3Header(parsing: data) }
                describeAudio(header.codec, sampleRate: header.sampleRate, channels: header.channels)
            default:
                describeAudio(tag.codec, sampleRate: 8000, channels: tag.soundChannels)
            }
            guard let index = audioIndex else { return .dropped(.beforeSequenceHeader) }
            var flags: FrameFlags = .keyframe
            if audioChanged {
                flags.insert(.configChange)
                audioChanged = false
            }
            let info = stamp(tracks[index].id, flags, timestamp, compositionTime: 0)
            sink(tracks[index], info, data)
            return .frame
        }
    }

    /// Makes the audio track on its first appearance, or brings it up to date; a change flags the next frame.
    private mutating func describeAudio(_ codec: Codec, sampleRate: Int, channels: Int, config: AudioSpecificConfig? = nil) {
        var track = audioIndex.map { tracks[$0] } ?? Track(id: tracks.count + 1, codec: codec)
        let before = track
        track.codec = codec
        track.sampleRate = sampleRate
        track.channels = channels
        if codec == .aac {
            if let config {
                track.audioConfig = config
                track.profile = config.objectType
            }
        } else {
            track.audioConfig = nil
            track.profile = 0
        }
        if let index = audioIndex {
            guard track != before else { return }
            tracks[index] = track
        } else {
            audioIndex = tracks.count
            tracks.append(track)
        }
        audioChanged = true
    }

    /// Runs a parser of the codec layer; what it throws (a `MediaError`) becomes a malformed tag.
    private static func malformed<T>(_ what: String, _ context: String = "", _ parse: () throws -> T) throws(FLVError) -> T {
        do {
            return try parse()
        } catch {
            throw FLVError(.malformed, what, "\(context)\(error)")
        }
    }

    // MARK: Timestamps

    private mutating func stamp(_ track: Int, _ flags: FrameFlags, _ timestamp: UInt32, compositionTime: Int32) -> FrameInfo {
        let dts = clock.unwrap(Int64(timestamp)) * Self.ticksPerMillisecond
        let out = normalizer.normalize(track: track, dts: dts, pts: dts + Int64(compositionTime) * Self.ticksPerMillisecond)
        var flags = flags
        if out.discontinuity {
            stats.timestampJumps += 1
            flags.insert(.discontinuity)
        }
        return FrameInfo(track: track, flags: flags, dts: out.dts, pts: out.pts)
    }
}
