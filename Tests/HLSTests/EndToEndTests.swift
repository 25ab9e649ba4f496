import Foundation
import Testing
@testable import HLS
@testable import Media
import TestSupport

/// The whole HLS path without a server: demux a fixture, cut it, mux each segment with a fresh TSMuxer into files
/// named as the playlists say, write the playlists, and let ffprobe and ffmpeg read them.
@Suite struct EndToEndTests {
    /// H.264 High 320x240 25 fps (GOP 1 s) + AAC, 2 s: see scripts/make-fixtures.sh.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../MediaTests/Fixtures/h264_aac.ts").standardized

    @Test func fixtureCutMuxedAndPlayedByFFmpeg() throws {
        let (frames, demuxer) = TSDemuxer.frames(of: [UInt8](try Data(contentsOf: Self.fixture)))
        let tracks = demuxer.tracks
        let video = try #require(tracks.first { $0.kind == .video })

        // Cut as the ingest worker does, closing the last segment at the end of its last video frame.
        var cutter = SegmentCutter(segmentDuration: 1, videoTrack: video.id)
        var segments: [HLSSegment] = []
        var segmentFrames: [[Frame]] = []
        let wallClockStart: Int64 = 1_795_543_597_123
        for frame in frames {
            if let cut = cutter.cut(frame.info, generation: 1) {
                if let closed = cut.closedDuration { segments[segments.count - 1].duration = closed }
                let wallClock = wallClockStart + (cut.startDTS - frames[0].info.dts) / 90
                segments.append(cut.segment(wallClockMs: wallClock))
                segmentFrames.append([])
            }
            segmentFrames[segmentFrames.count - 1].append(frame)
        }
        let lastVideo = try #require(frames.last { $0.info.track == video.id })
        segments[segments.count - 1].duration = lastVideo.info.dts + 3600 - segments[segments.count - 1].startDTS
        #expect(segments.count == 2)
        #expect(segments.map(\.duration) == [90_000, 90_000])

        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (index, framesOfSegment) in segmentFrames.enumerated() {
            var muxer = try TSMuxer(tracks: tracks, options: .init())
            var bytes: [UInt8] = []
            muxer.writeTables(into: &bytes)
            for frame in framesOfSegment {
                frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &bytes) }
            }
            #expect(muxer.droppedFrames == 0)
            segments[index].byteSize = bytes.count
            let name = try #require(SegmentName(segments[index]))
            let file = dir.appendingPathComponent(name.path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }

        let media = MediaPlaylist(stream: "test", segmentDuration: 1, segmentCount: 10)
        let mono = try #require(media.write(segments, longestSegment: 0))
        // Only this test's copy ends the playlist, so that ffmpeg reads to the end instead of waiting for more.
        try Data((mono + "#EXT-X-ENDLIST\n").utf8).write(to: dir.appendingPathComponent("mono.m3u8"))
        let bandwidth = try #require(Bandwidth(segments: segments))
        let master = MasterPlaylist(stream: "test").write(tracks: tracks, bandwidth: bandwidth)
        try Data(master.utf8).write(to: dir.appendingPathComponent("index.m3u8"))

        let probe = try ExternalTool.run(["ffprobe", "-v", "error", "index.m3u8"], in: dir)
        #expect(probe.status == 0)
        #expect(probe.stdout + probe.stderr == "")
        let decode = try ExternalTool.run(["ffmpeg", "-nostdin", "-v", "error", "-i", "index.m3u8", "-f", "null", "-"],
                                          in: dir)
        #expect(decode.status == 0)
        #expect(decode.stdout + decode.stderr == "")
        let count = try ExternalTool.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v",
                                          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", "index.m3u8"],
                                         in: dir)
        #expect(count.stderr == "")
        #expect(count.stdout.split(whereSeparator: \.isNewline).first == "50")
    }
}
