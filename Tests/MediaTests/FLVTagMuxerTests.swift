import Foundation
import Testing
@testable import Media
import TestSupport

/// FLVTagMuxer: the tag bodies it writes, the tracks it leaves out, and round trips through FLVTagDemuxer (and
/// through an FLV file that ffmpeg decodes) that give back the frames that went in.
@Suite struct FLVTagMuxerTests {
    /// H.264 + AAC (h264_aac.ts), or H.265 (h265_mp2.ts) + AAC (h264_aac.ts), as the MPEG-TS demuxer reads them:
    /// canonical frames from real encoders.
    static func source(_ codec: Codec) throws -> (tracks: [Track], frames: [Frame]) {
        let (h264, h264Demuxer) = TSDemuxer.frames(of: try Fixture.bytes("h264_aac.ts"))
        guard codec == .h265 else { return (h264Demuxer.tracks, h264) }
        let (h265, h265Demuxer) = TSDemuxer.frames(of: try Fixture.bytes("h265_mp2.ts"))
        let tracks = [h265Demuxer.tracks[0], h264Demuxer.tracks[1]]
        let frames = (h265.of(track: 1) + h264.of(track: 2)).sorted { $0.info.dts < $1.info.dts }
        return (tracks, frames)
    }

    /// The tags of a stream as the RTMP module would send them: the sequence headers, then every frame.
    static func mux(_ tracks: [Track], _ frames: [Frame], base: Int64? = nil) -> (tags: [FLVTag], muxer: FLVTagMuxer) {
        var muxer = FLVTagMuxer(tracks: tracks, timestampBase: base)
        var tags: [FLVTag] = []
        var body: [UInt8] = []
        for track in muxer.tracks {
            body.removeAll(keepingCapacity: true)
            if let type = muxer.sequenceHeader(for: track.id, into: &body) {
                tags.append(FLVTag(type: type, timestamp: 0, body: body))
            }
        }
        for frame in frames {
            body.removeAll(keepingCapacity: true)
            if let header = frame.payload.withUnsafeBytes({ muxer.write(frame.info, payload: $0, into: &body) }) {
                tags.append(FLVTag(type: header.type, timestamp: header.timestamp, body: body))
            }
        }
        return (tags, muxer)
    }

    static func write(_ muxer: inout FLVTagMuxer, _ info: FrameInfo, _ payload: [UInt8],
                      into out: inout [UInt8]) -> FLVTagMuxer.TagHeader? {
        payload.withUnsafeBytes { muxer.write(info, payload: $0, into: &out) }
    }

    /// What the frames look like after FLV: timestamps in whole milliseconds from `base`.
    static func expected(_ frames: [Frame], base: Int64) -> [Frame] {
        frames.map { frame in
            var info = frame.info
            info.dts = (frame.info.dts - base) / 90 * 90
            info.pts = info.dts + (frame.info.pts - frame.info.dts) / 90 * 90
            return Frame(info: info, payload: frame.payload)
        }
    }

    @Test(arguments: [Codec.h264, .h265])
    func roundTripThroughTheDemuxer(_ codec: Codec) throws {
        let (tracks, frames) = try Self.source(codec)
        let base = try #require(frames.map(\.info.dts).min())
        let (tags, muxer) = Self.mux(tracks, frames, base: base)
        #expect(muxer.leftOut.isEmpty && muxer.tracks == tracks)
        let (again, demuxer) = FLVTagDemuxer.frames(of: tags)
        #expect(demuxer.stats.malformedTags == 0 && demuxer.stats.frames == frames.count)
        #expect(demuxer.tracks.map(\.codec) == [codec, .aac] && demuxer.tracks.map(\.id) == [1, 2])
        #expect(demuxer.tracks.map(\.parameterSets) == tracks.map(\.parameterSets))
        #expect(demuxer.tracks.map(\.audioConfig) == tracks.map(\.audioConfig))
        #expect(demuxer.tracks.map(\.width) == [320, 0] && demuxer.tracks.map(\.height) == [240, 0])
        let want = Self.expected(frames, base: base)
        for track in [1, 2] {
            expectSameFrames(again.of(track: track), want.of(track: track), "\(codec) track \(track)")
        }
        if codec == .h265 {
            // Enhanced RTMP: every video tag says 'hvc1'; frames with a composition time of 0 go as CodedFramesX (3),
            // the others as CodedFrames (1).
            let video = tags.filter { $0.type == .video }
            #expect(video.allSatisfy { Array($0.body[1..<5]) == Array("hvc1".utf8) && $0.body[0] & 0x80 != 0 })
            let types = video.dropFirst().map { $0.body[0] & 0x0F }
            #expect(types == want.of(track: 1).map { $0.info.pts == $0.info.dts ? 3 : 1 })
            #expect(types.contains(1) && types.contains(3))
        }
    }

    /// Written as an FLV file, read back, and decoded by ffmpeg without a word.
    @Test func anFLVFileOfH264AndAACThatFFmpegDecodes() throws {
        let (tracks, frames) = try Self.source(.h264)
        let (tags, _) = Self.mux(tracks, frames, base: frames.map(\.info.dts).min())
        var file: [UInt8] = []
        FLVFileWriter.appendHeader(hasAudio: true, hasVideo: true, to: &file)
        for tag in tags {
            try tag.body.withUnsafeBytes { try FLVFileWriter.appendTag(tag.type, timestamp: tag.timestamp, body: $0, to: &file) }
        }
        let (read, reader) = FLVFileReader.tags(of: file)
        #expect(read == tags && reader.stats.previousTagSizeErrors == 0 && reader.pendingBytes == 0)

        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.flv").path
        try Data(file).write(to: URL(fileURLWithPath: path))
        let probe = try ExternalTool.run(["ffprobe", "-v", "error", "-show_streams", "-count_packets", path])
        #expect(probe.status == 0 && probe.stderr == "")
        let streams = ExternalTool.sections(probe.stdout, "STREAM")
        #expect(streams.map { $0["codec_name"] } == ["h264", "aac"])
        #expect(streams.first?["width"] == "320" && streams.first?["height"] == "240")
        #expect(streams.map { $0["nb_read_packets"] } == ["\(frames.of(track: 1).count)", "\(frames.of(track: 2).count)"])
        let decode = try ExternalTool.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"])
        #expect(decode.status == 0 && decode.stderr == "")
    }

    @Test func sequenceHeaderAndFrameTags() throws {
        let avc = try Fixture.h264ParameterSets("h264_high.h264")
        let hevc = try Fixture.h265ParameterSets("h265_main.h265")
        var video = Track(id: 1, codec: .h264)
        try video.applyParameterSets(avc)
        var audio = Track(id: 2, codec: .aac)
        audio.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)
        var muxer = FLVTagMuxer(tracks: [video, audio])
        var out: [UInt8] = []
        #expect(muxer.sequenceHeader(for: 1, into: &out) == .video)
        #expect(out == [0x17, 0x00, 0, 0, 0] + (try AVCDecoderConfigurationRecord(parameterSets: avc).bytes))
        out = []
        #expect(muxer.sequenceHeader(for: 2, into: &out) == .audio)
        #expect(out == [0xAF, 0x00, 0x11, 0x90])
        out = [0xEE]  // appended to what is there
        let payload: [UInt8] = [0, 0, 0, 2, 0x65, 0x88]
        var header = Self.write(&muxer, FrameInfo(track: 1, flags: .keyframe, dts: 9000, pts: 16200), payload, into: &out)
        #expect(header == FLVTagMuxer.TagHeader(type: .video, timestamp: 0))
        #expect(out == [0xEE, 0x17, 0x01, 0x00, 0x00, 0x50] + payload)
        out = []
        header = Self.write(&muxer, FrameInfo(track: 2, flags: .keyframe, dts: 11089, pts: 11089), [0x21, 0x1A], into: &out)
        #expect(header == FLVTagMuxer.TagHeader(type: .audio, timestamp: 23))
        #expect(out == [0xAF, 0x01, 0x21, 0x1A])

        // H.265: enhanced RTMP, hvcC in SequenceStart; CodedFrames with a composition time, CodedFramesX without.
        var h265 = Track(id: 1, codec: .h265)
        try h265.applyParameterSets(hevc)
        muxer = FLVTagMuxer(tracks: [h265], timestampBase: 0)
        out = []
        #expect(muxer.sequenceHeader(for: 1, into: &out) == .video)
        #expect(out == [0x90] + Array("hvc1".utf8) + (try HEVCDecoderConfigurationRecord(parameterSets: hevc).bytes))
        out = []
        header = Self.write(&muxer, FrameInfo(track: 1, flags: .keyframe, dts: 3600, pts: 10800), payload, into: &out)
        #expect(out == [0x91] + Array("hvc1".utf8) + [0x00, 0x00, 0x50] + payload)
        out = []
        header = Self.write(&muxer, FrameInfo(track: 1, flags: [], dts: 7200, pts: 7200), payload, into: &out)
        #expect(out == [0xA3] + Array("hvc1".utf8) + payload && header?.timestamp == 80)
    }

    @Test func tracksFLVCannotCarryAreLeftOutWithTheirReason() throws {
        var bare = Track(id: 1, codec: .h264)  // no parameter sets yet
        bare.width = 320
        let mp2 = Track(id: 2, codec: .mp2)
        let ac3 = Track(id: 3, codec: .ac3)
        let aacWithoutConfig = Track(id: 4, codec: .aac)
        var mp3 = Track(id: 5, codec: .mp3)
        (mp3.sampleRate, mp3.channels) = (48000, 2)
        var second = Track(id: 6, codec: .pcma)
        (second.sampleRate, second.channels) = (8000, 1)
        var muxer = FLVTagMuxer(tracks: [bare, mp2, ac3, aacWithoutConfig, mp3, second])
        #expect(muxer.tracks.map(\.id) == [5])
        let kinds: [Int: FLVError.Kind] = [1: .malformed, 2: .unsupported, 3: .unsupported, 4: .malformed, 6: .unsupported]
        #expect(muxer.leftOut.mapValues(\.kind) == kinds)
        #expect(muxer.leftOut[2]?.reason == "track 2: mp2 has no FLV mapping")
        #expect(muxer.leftOut[6]?.reason.contains("one audio track") == true)
        var out: [UInt8] = []
        let none = Self.write(&muxer, FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), [1], into: &out)
        #expect(none == nil && out.isEmpty)
        #expect(muxer.sequenceHeader(for: 5, into: &out) == nil && out.isEmpty)  // MP3 has none
        #expect(muxer.sequenceHeader(for: 7, into: &out) == nil)
        _ = Self.write(&muxer, FrameInfo(track: 5, flags: .keyframe, dts: 0, pts: 0), [0xFF, 0xFB], into: &out)
        #expect(out == [0x2F, 0xFF, 0xFB])
    }

    /// `setTracks` says which sequence headers to send again.
    @Test func setTracksReportsNewAndChangedSequenceHeaders() throws {
        var video = Track(id: 1, codec: .h264)
        var audio = Track(id: 2, codec: .aac)
        audio.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 4, channelConfiguration: 2)
        var muxer = FLVTagMuxer(tracks: [])
        #expect(muxer.setTracks([video, audio]) == [2])  // the video track has no parameter sets yet
        try video.applyParameterSets(try Fixture.h264ParameterSets("h264_high.h264"))
        #expect(muxer.setTracks([video, audio]) == [1])
        #expect(muxer.setTracks([video, audio]).isEmpty)
        try video.applyParameterSets(try Fixture.h264ParameterSets("h264_1080.h264"))
        audio.language = "eng"  // not in the sequence header
        #expect(muxer.setTracks([video, audio]) == [1])
        var mp3 = Track(id: 2, codec: .mp3)
        mp3.sampleRate = 44100
        #expect(muxer.setTracks([video, mp3]).isEmpty && muxer.tracks.map(\.codec) == [.h264, .mp3])
    }

    @Test func timestamps() {
        var muxer = FLVTagMuxer(tracks: [])
        #expect(muxer.timestamp(for: 1_000_000) == 0)  // the first DTS is the base
        #expect(muxer.timestamp(for: 1_000_000 + 89) == 0 && muxer.timestamp(for: 1_000_000 + 90) == 1)
        #expect(muxer.timestamp(for: 1_000_000 - 1) == UInt32.max)  // before the base: wraps, as RTMP's do
        #expect(muxer.timestamp(for: 1_000_000 + (1 << 32) * 90 + 900) == 10)
        muxer.timestampBase = 0
        #expect(muxer.timestamp(for: 45_000) == 500)
    }

    @Test func mp3AndG711RoundTrip() throws {
        let bytes = try Fixture.bytes("audio.mp3")
        var frames: [Frame] = []
        var i = 0
        while i + 4 <= bytes.count {
            let length = try bytes[i...].withUnsafeBytes { try MPEGAudioHeader(parsing: $0).frameLength }
            guard i + length <= bytes.count else { break }
            let dts = Int64(frames.count) * 2160
            let info = FrameInfo(track: 1, flags: .keyframe, dts: dts, pts: dts)
            frames.append(Frame(info: info, payload: Array(bytes[i..<(i + length)])))
            i += length
        }
        frames[0].info.flags.insert(.configChange)
        var mp3 = Track(id: 1, codec: .mp3)
        (mp3.sampleRate, mp3.channels) = (48000, 2)
        var (again, demuxer) = FLVTagDemuxer.frames(of: Self.mux([mp3], frames).tags)
        expectSameFrames(again, frames)
        #expect(demuxer.tracks == [mp3])

        var pcmu = Track(id: 1, codec: .pcmu)
        (pcmu.sampleRate, pcmu.channels) = (8000, 1)
        let samples = (0..<4).map { n in
            Frame(info: FrameInfo(track: 1, flags: n == 0 ? [.keyframe, .configChange] : .keyframe, dts: Int64(n) * 1800,
                                  pts: Int64(n) * 1800), payload: [UInt8](repeating: UInt8(n), count: 160))
        }
        (again, demuxer) = FLVTagDemuxer.frames(of: Self.mux([pcmu], samples).tags)
        expectSameFrames(again, samples)
        #expect(demuxer.tracks == [pcmu])
    }
}
