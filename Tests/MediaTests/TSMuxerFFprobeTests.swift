import Foundation
import Testing
@testable import Media
import TestSupport

/// The muxer's output as ffprobe and ffmpeg see it: no complaint, the same streams, every frame decodable.
@Suite struct TSMuxerFFprobeTests {
    /// Muxes `frames` (segment-style: tables first) into `dir`/out.ts and returns its path.
    static func mux(_ tracks: [Track], _ frames: [Frame], options: TSMuxer.Options, in dir: URL) throws -> String {
        var muxer = try TSMuxer(tracks: tracks, options: options)
        var out: [UInt8] = []
        muxer.writeTables(into: &out)
        for frame in frames {
            frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &out) }
        }
        #expect(muxer.droppedFrames == 0)
        let path = dir.appendingPathComponent("out.ts").path
        try Data(out).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// ffprobe's streams and programs of `path`, after checking that ffprobe and a full ffmpeg decode say nothing.
    static func probe(_ path: String) throws -> (streams: [[String: String]], programs: [[String: String]]) {
        let probe = try ExternalTool.run(["ffprobe", "-v", "error", "-show_streams", "-show_programs", path])
        #expect(probe.status == 0)
        #expect(probe.stderr == "")
        let decode = try ExternalTool.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"])
        #expect(decode.status == 0)
        #expect(decode.stderr == "")
        let streams = ExternalTool.sections(probe.stdout, "STREAM")
        return (streams, ExternalTool.sections(probe.stdout, "PROGRAM"))
    }

    @Test(arguments: [Codec.h264, .h265])
    func videoAndAACProbeAndDecodeCleanly(_ codec: Codec) throws {
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (tracks, frames) = try SyntheticMedia.videoAAC(codec, in: dir)
        let path = try Self.mux(tracks, frames, options: .init(), in: dir)
        let (streams, _) = try Self.probe(path)
        let byCodec = Dictionary(streams.map { ($0["codec_name"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(streams.count == 2)
        let name = codec == .h264 ? "h264" : "hevc"
        #expect(byCodec[name]?["width"] == "320" && byCodec[name]?["height"] == "240")
        #expect(byCodec["aac"]?["sample_rate"] == "44100" && byCodec["aac"]?["channels"] == "2")
        let count = try ExternalTool.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v",
                                          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        // Printed once under the program and once at the top level.
        #expect(count.stdout.split(whereSeparator: \.isNewline) == ["50", "50"])
    }

    @Test func pidLayoutProgramNumberAndProviderShowInFFprobe() throws {
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (tracks, frames) = try SyntheticMedia.videoAAC(.h264, in: dir)
        // mpegts_pids pmt=4095 v1=211 a0=220; meta program_id 10; provider Flussonic. (The SDT stays on 0x11:
        // ffmpeg, like DVB receivers, looks for it there only, and takes 0x12 for the EIT.)
        let layout = TSPIDLayout(pmt: 4095, video: [1: 211], audio: [0: 220])
        let options = TSMuxer.Options(layout: layout, programNumber: 10, provider: "Flussonic", serviceName: "Channel One")
        let path = try Self.mux(tracks, frames, options: options, in: dir)
        let (streams, programs) = try Self.probe(path)
        #expect(Set(streams.compactMap { $0["id"] }) == ["0xd3", "0xdd"])
        let program = try #require(programs.first)
        #expect(program["program_num"] == "10")
        #expect(program["pmt_pid"] == "4095")
        #expect(program["pcr_pid"] == "211")
        #expect(program["TAG:service_provider"] == "Flussonic")
        #expect(program["TAG:service_name"] == "Channel One")
    }

    @Test func mpegAudioAC3AndEAC3ProbeAndDecodeCleanly() throws {
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (videoTracks, videoFrames) = try SyntheticMedia.videoAAC(.h264, in: dir)
        var tracks = [videoTracks[0]]
        var frames = videoFrames.filter { $0.info.track == 1 }
        // MP3 at 22.05 kHz is MPEG-2 audio: stream_type 0x04.
        for (i, (codec, rate)) in [(Codec.mp2, 48000), (.mp3, 22050), (.ac3, 48000), (.eac3, 48000)].enumerated() {
            let (track, audio) = try SyntheticMedia.audio(codec, rate: rate, id: 10 + i, in: dir)
            tracks.append(track)
            frames += audio
        }
        frames.sort { $0.info.dts < $1.info.dts }
        let path = try Self.mux(tracks, frames, options: .init(), in: dir)
        let (streams, _) = try Self.probe(path)
        #expect(streams.map { $0["codec_name"] ?? "" } == ["h264", "mp2", "mp3", "ac3", "eac3"])
        #expect(streams.map { $0["sample_rate"] ?? "" } == ["", "48000", "22050", "48000", "48000"])
        // ffmpeg reports the stream_type, or the registration descriptor's format_identifier where there is one.
        #expect(streams.map { $0["codec_tag_string"] ?? "" } == ["[27][0][0][0]", "[3][0][0][0]", "[4][0][0][0]", "AC-3", "EAC3"])
    }
}
