import Foundation
import Media
import Testing
import TestSupport
import Transcode

/// The transcoder's output as viewers get it: muxed by the project's `TSMuxer` into an HLS segment beside video, then
/// read by ffprobe and decoded by ffmpeg.
@Suite struct TranscodedSegmentTests {
    /// H.264 High 320x240 25 fps + AAC, 2 s: see scripts/make-fixtures.sh. Its video is kept, its audio replaced.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../MediaTests/Fixtures/h264_aac.ts").standardized

    @Test(arguments: [Codec.pcma, .pcmu]) func segmentDecodesAsAAC(codec: Codec) throws {
        let (fixtureFrames, demuxer) = TSDemuxer.frames(of: [UInt8](try Data(contentsOf: Self.fixture)))
        let video = try #require(demuxer.tracks.first { $0.kind == .video })
        let videoFrames = fixtureFrames.filter { $0.info.track == video.id }
        let start = try #require(videoFrames.first).info.dts

        var feed = ToneFeed(codec: codec, trackID: video.id + 1)
        try feed.feed(ToneFeed.samples(seconds: 2.2), split: .random(seed: 11), start: start)
        let audio = try #require(feed.tracks.first)
        let frames = (videoFrames + feed.output).sorted { $0.info.dts < $1.info.dts }

        var muxer = try TSMuxer(tracks: [video, audio], options: .init())
        var segment: [UInt8] = []
        muxer.writeTables(into: &segment)
        for frame in frames {
            frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &segment) }
        }
        #expect(muxer.droppedFrames == 0)
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(segment).write(to: dir.appendingPathComponent("seg.ts"))

        let probe = try ExternalTool.run(["ffprobe", "-v", "error", "-show_streams", "seg.ts"], in: dir)
        #expect(probe.status == 0 && probe.stderr == "")
        let streams = ExternalTool.sections(probe.stdout, "STREAM")
        #expect(streams.map { $0["codec_name"] } == ["h264", "aac"])
        let aac = try #require(streams.last)
        #expect(aac["profile"] == "LC" && aac["sample_rate"] == "48000" && aac["channels"] == "1")
        let decode = try ExternalTool.run(["ffmpeg", "-nostdin", "-v", "error", "-i", "seg.ts", "-f", "null", "-"], in: dir)
        #expect(decode.status == 0)
        #expect(decode.stdout + decode.stderr == "")
        let count = try ExternalTool.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "a",
                                          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", "seg.ts"], in: dir)
        #expect(count.stdout.split(whereSeparator: \.isNewline).first.map(String.init) == String(feed.output.count))
    }
}
