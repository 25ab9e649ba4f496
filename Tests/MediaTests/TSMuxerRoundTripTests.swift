import Foundation
import Testing
@testable import Media
import TestSupport

/// The fixtures demuxed, muxed again, and checked: ffprobe sees the same streams, ffmpeg decodes every frame
/// without a word, and demuxing the output gives back the same frames.
@Suite struct TSMuxerRoundTripTests {
    static let fixtures = ["h264_aac.ts", "h265_mp2.ts", "h264_mp3_ac3.ts", "wrap33.ts"]

    /// What ffprobe says of each stream: the fields a remux must keep.
    static func describe(_ streams: [[String: String]]) -> [String] {
        streams.map { s in
            ["codec_name", "profile", "width", "height", "pix_fmt", "sample_rate", "channels"]
                .map { "\($0)=\(s[$0] ?? "")" }.joined(separator: " ")
        }
    }

    @Test(arguments: fixtures)
    func remuxProbesTheSameAndDecodesCleanly(_ name: String) throws {
        let input = try Fixture.bytes(name)
        let (frames, demuxer) = TSDemuxer.frames(of: input)
        let tracks = demuxer.tracks
        try #require(!frames.isEmpty)
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TSMuxerFFprobeTests.mux(tracks, frames, options: .init(), in: dir)
        let (streams, _) = try TSMuxerFFprobeTests.probe(path)
        let original = try ExternalTool.run(["ffprobe", "-v", "quiet", "-show_streams",
                                             Fixture.directory.appendingPathComponent(name).path])
        #expect(Self.describe(streams) == Self.describe(ExternalTool.sections(original.stdout, "STREAM")))

        // Demuxed again, the output gives the same frames per track, with the same timestamps relative to the
        // first frame. (The order across tracks may differ: a demuxer completes a video frame at the next one.)
        let output = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let (again, second) = TSDemuxer.frames(of: output)
        #expect(second.tracks.map(\.codec) == tracks.map(\.codec))
        #expect(second.stats.continuityErrors == 0)
        let base = frames.map(\.info.dts).min() ?? 0
        let baseAgain = again.map(\.info.dts).min() ?? 0
        for track in tracks {
            let a = frames.filter { $0.info.track == track.id }
            let b = again.filter { $0.info.track == track.id }
            #expect(a.count == b.count, "track \(track.id)")
            #expect(a.map(\.payload) == b.map(\.payload), "track \(track.id)")
            #expect(a.map(\.info.flags) == b.map(\.info.flags), "track \(track.id)")
            #expect(a.map { $0.info.dts - base } == b.map { $0.info.dts - baseAgain }, "track \(track.id)")
            #expect(a.map { $0.info.pts - $0.info.dts } == b.map { $0.info.pts - $0.info.dts }, "track \(track.id)")
        }
    }
}
