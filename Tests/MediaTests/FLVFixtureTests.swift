import Foundation
import Testing
@testable import Media
import TestSupport

/// FLV files made by ffmpeg (scripts/make-fixtures.sh) read end to end: FLVFileReader frames the tags,
/// FLVTagDemuxer turns them into tracks and frames, and what comes out is what ffprobe and the MPEG-TS demuxer
/// say of the same content.
@Suite struct FLVFixtureTests {
    static let fixtures = ["h264_aac.flv", "h264_mp3.flv", "pcm_alaw.flv"]

    /// Reads `bytes` in chunks of the given sizes (cycled).
    static func read(_ bytes: [UInt8], chunkSizes: [Int]) -> (tags: [FLVTag], reader: FLVFileReader) {
        var reader = FLVFileReader()
        var tags: [FLVTag] = []
        var offset = 0, n = 0
        bytes.withUnsafeBytes { all in
            while offset < all.count {
                let size = min(chunkSizes[n % chunkSizes.count], all.count - offset)
                reader.feed(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)])) {
                    tags.append(FLVTag(type: $0, timestamp: $1, body: Array($2)))
                }
                offset += size
                n += 1
            }
        }
        return (tags, reader)
    }

    @Test(arguments: fixtures)
    func theReaderGivesTheSameTagsHoweverItIsFed(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let (whole, reader) = FLVFileReader.tags(of: bytes)
        #expect(reader.failure == nil && reader.pendingBytes == 0)
        #expect(reader.stats.previousTagSizeErrors == 0 && reader.stats.skippedTags == 0)
        #expect(reader.stats.tags == whole.count && reader.stats.bytes == bytes.count)
        #expect(reader.header == FLVFileReader.Header(version: 1, hasAudio: true, hasVideo: name != "pcm_alaw.flv"))
        var random = SplitMix64(seed: 7)
        let randomSizes = (0..<64).map { _ in Int.random(in: 1...3000, using: &random) }
        for sizes in [[1], randomSizes] {
            let (tags, other) = Self.read(bytes, chunkSizes: sizes)
            #expect(tags == whole)
            #expect(other.stats == reader.stats && other.pendingBytes == 0)
        }
    }

    @Test func h264AndAACEndToEnd() throws {
        var run = FLVDemuxRun()
        run.feed(try FLVBuild.fixtureTags("h264_aac.flv"))
        let (tracks, frames, stats) = (run.demuxer.tracks, run.frames, run.demuxer.stats)
        try #require(tracks.count == 2)
        let (video, audio) = (tracks[0], tracks[1])
        #expect(video.id == 1 && video.codec == .h264 && video.width == 320 && video.height == 240)
        #expect(video.profile == 100 && video.frameRate == 25)
        #expect(audio.id == 2 && audio.codec == .aac && audio.sampleRate == 44100 && audio.channels == 2 && audio.profile == 2)
        // AAC LC 44.1 kHz stereo, and the explicit "no SBR" sync extension that ffmpeg's encoder writes in FLV.
        #expect(audio.audioConfig?.bytes == [0x12, 0x10, 0x56, 0xE5, 0x00])
        // ffprobe: 50 video packets, 2 of them key, and 88 audio packets.
        #expect(frames.of(track: 1).count == 50 && frames.of(track: 2).count == 88)
        #expect(frames.of(track: 1).filter(\.info.isKeyframe).map(\.info.dts) == [0, 90_000])
        #expect(frames.of(track: 2).allSatisfy { $0.info.isKeyframe })
        #expect(frames.filter { $0.info.flags.contains(.configChange) }.map(\.info.track) == [1, 2])
        #expect(frames.allSatisfy { !$0.info.flags.contains(.discontinuity) && $0.info.pts >= $0.info.dts })
        // B-frames: composition times, in whole milliseconds.
        #expect(frames.of(track: 1).contains { $0.info.pts > $0.info.dts })
        #expect(stats.frames == 138 && stats.sequenceHeaders == 2 && stats.ignoredTags == 2)  // onMetaData, end of sequence
        #expect(stats.malformedTags == 0 && stats.unsupportedTags == 0)
        #expect(stats.droppedBeforeKeyframe == 0 && stats.droppedBeforeSequenceHeader == 0)
        // Canonical payloads: 4-byte lengths, no delimiters or parameter sets.
        for frame in frames.of(track: 1) {
            let types = try LengthPrefixed.nalUnits(frame.payload).map { H264.nalType($0[0]) }
            #expect(!types.isEmpty && !types.contains(H264.aud) && !types.contains(H264.sps) && !types.contains(H264.pps))
        }
    }

    /// h264_aac.ts was encoded with the same settings (x264 and the AAC encoder are deterministic with one
    /// thread): the FLV path and the MPEG-TS path must give the same frames, but for timestamps, which FLV
    /// rounds to milliseconds.
    @Test func theSameFramesAsTheTransportStreamOfTheSameEncoding() throws {
        var run = FLVDemuxRun()
        run.feed(try FLVBuild.fixtureTags("h264_aac.flv"))
        let (ts, demuxer) = TSDemuxer.frames(of: try Fixture.bytes("h264_aac.ts"))
        #expect(run.demuxer.tracks.map(\.parameterSets) == demuxer.tracks.map(\.parameterSets))
        let configs = [run.demuxer.tracks, demuxer.tracks].map {
            $0[1].audioConfig.map { [$0.objectType, $0.sampleRate, $0.channels] }
        }
        #expect(configs[0] == configs[1])
        for track in [1, 2] {
            let (a, b) = (run.frames.of(track: track), ts.of(track: track))
            #expect(a.map(\.payload) == b.map(\.payload), "track \(track)")
            #expect(a.map(\.info.flags) == b.map(\.info.flags), "track \(track)")
            // Each FLV timestamp is the TS one in milliseconds, give or take the rounding of each.
            let (baseA, baseB) = (a[0].info.dts, b[0].info.dts)
            for (x, y) in zip(a, b) {
                #expect(abs((x.info.dts - baseA) - (y.info.dts - baseB)) <= 90, "track \(track)")
                #expect(abs((x.info.pts - x.info.dts) - (y.info.pts - y.info.dts)) <= 90, "track \(track)")
            }
        }
    }

    /// Every packet's DTS and PTS as ffprobe reads them (milliseconds in FLV) is the frame's, times 90.
    @Test func timestampsAreFFprobes() throws {
        let path = Fixture.directory.appendingPathComponent("h264_aac.flv").path
        let probe = try ExternalTool.run(["ffprobe", "-v", "error", "-show_packets", path])
        #expect(probe.status == 0)
        let packets = ExternalTool.sections(probe.stdout, "PACKET")
        var run = FLVDemuxRun()
        run.feed(try FLVBuild.fixtureTags("h264_aac.flv"))
        for (index, track) in [(0, 1), (1, 2)] {
            let theirs = packets.filter { $0["stream_index"] == "\(index)" }
            let ours = run.frames.of(track: track)
            #expect(theirs.compactMap { $0["dts"].flatMap { Int64($0) } } == ours.map { $0.info.dts / 90 })
            #expect(theirs.compactMap { $0["pts"].flatMap { Int64($0) } } == ours.map { $0.info.pts / 90 })
            #expect(theirs.map { $0["flags"]?.hasPrefix("K") == true } == ours.map(\.info.isKeyframe))
            #expect(theirs.compactMap { $0["size"].flatMap { Int($0) } }.reduce(0, +) > 0)
        }
    }

    @Test func h264AndMP3() throws {
        var run = FLVDemuxRun()
        run.feed(try FLVBuild.fixtureTags("h264_mp3.flv"))
        let tracks = run.demuxer.tracks
        try #require(tracks.count == 2)
        #expect(tracks[0].codec == .h264 && tracks[0].width == 160 && tracks[0].height == 120 && tracks[0].profile == 66)
        #expect(tracks[1].codec == .mp3 && tracks[1].sampleRate == 44100 && tracks[1].channels == 1)
        #expect(run.frames.of(track: 1).count == 25 && run.frames.of(track: 2).count == 40)
        #expect(run.frames.of(track: 1).filter(\.info.isKeyframe).count == 1)
        // Each MP3 frame is whole: its header's length is the payload's.
        for frame in run.frames.of(track: 2) {
            let header = try frame.payload.withUnsafeBytes { try MPEGAudioHeader(parsing: $0) }
            #expect(header.frameLength == frame.payload.count)
        }
    }

    @Test func g711ALaw() throws {
        var run = FLVDemuxRun()
        run.feed(try FLVBuild.fixtureTags("pcm_alaw.flv"))
        let tracks = run.demuxer.tracks
        try #require(tracks.count == 1)
        #expect(tracks[0].id == 1 && tracks[0].codec == .pcma && tracks[0].sampleRate == 8000 && tracks[0].channels == 1)
        #expect(run.frames.map(\.payload.count) == [1024, 1024, 1024, 928])
        #expect(run.frames.map(\.info.dts) == [0, 128, 256, 384].map { $0 * 90 })
    }
}
