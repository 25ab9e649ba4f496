import Foundation
import Testing
@testable import Inspect
@testable import Media

private func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MediaTests/Fixtures/\(name)")
    return [UInt8](try Data(contentsOf: url))
}

private func analyse(_ bytes: [UInt8], chunk: Int, options: TSDemuxer.Options = TSDemuxer.Options()) -> InspectReport {
    var analysis = StreamAnalysis(options: options)
    var i = 0
    bytes.withUnsafeBytes { all in
        while i < all.count {
            let end = min(all.count, i + chunk)
            analysis.feed(UnsafeRawBufferPointer(rebasing: all[i..<end]))
            i = end
        }
    }
    analysis.finish()
    return analysis.report(source: "test.ts", wallSeconds: nil)
}

@Suite struct StreamAnalysisTests {
    @Test(arguments: [1, 188, 65536])
    func h264AACMeasured(chunk: Int) throws {
        let report = analyse(try fixture("h264_aac.ts"), chunk: chunk)
        #expect(report.tracks.count == 2)
        let video = try #require(report.tracks.first)
        #expect(video.track.codec == .h264 && video.track.width == 320 && video.track.height == 240)
        #expect(video.frames == 50)
        #expect(video.pid == 256)
        // 2 s at 25 fps with a keyframe every 25 frames.
        #expect(abs((video.keyframeInterval ?? 0) - 1.0) < 0.001)
        #expect(video.gopFrames == 25)
        #expect(abs((video.frameRate ?? 0) - 25) < 0.01)
        #expect(abs(report.seconds - 2) < 0.1)
        let audio = try #require(report.tracks.last)
        #expect(audio.track.codec == .aac && audio.track.sampleRate == 44100 && audio.track.channels == 2)
        #expect(report.errors.allSatisfy { $0.1 == 0 }, "\(report.errors)")
        #expect(report.bytes == 104_528)
        // 104528 bytes over about 2 s.
        #expect((report.bitrate ?? 0) > 380_000 && (report.bitrate ?? 0) < 460_000)
    }

    @Test func cutStreamCountsWhatItCanAndReportsNoCrash() throws {
        let report = analyse(try fixture("cut.ts"), chunk: 1000)
        #expect(report.tracks.map(\.track.codec) == [.h264, .aac])
        #expect(report.tracks[0].frames > 0 && report.tracks[0].frames < 50)
    }

    @Test func secondProgram() throws {
        let report = analyse(try fixture("two_programs.ts"), chunk: 4096, options: TSDemuxer.Options(program: 2))
        #expect(report.tracks.map(\.track.codec) == [.h264, .mp2])
        #expect(report.tracks[0].track.width == 160)
        #expect(report.programs.count == 2)
    }

    @Test func garbageCounted() throws {
        var bytes = try fixture("h264_aac.ts")
        bytes.insert(contentsOf: [UInt8](repeating: 0x47, count: 3) + [1, 2, 3, 4, 5], at: 188 * 40)
        let report = analyse(bytes, chunk: 777)
        let errors = Dictionary(uniqueKeysWithValues: report.errors)
        #expect((errors["skipped_bytes"] ?? 0) > 0)
    }

    @Test func jsonCarriesTheNamedFields() throws {
        let report = analyse(try fixture("h265_mp2.ts"), chunk: 65536)
        let text = report.json.serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let tracks = try #require(object["tracks"] as? [[String: Any]])
        #expect(tracks.map { $0["codec"] as? String } == ["h265", "mp2"])
        #expect(tracks[0]["width"] as? Int == 320 && tracks[0]["profile"] as? String == "Main")
        #expect(tracks[1]["sample_rate"] as? Int == 48000 && tracks[1]["channels"] as? Int == 2)
        let errors = try #require(object["errors"] as? [String: Int])
        #expect(Set(errors.keys).isSuperset(of: ["continuity", "pcr_discontinuities", "timestamp_jumps"]))
    }

    @Test func numbersFormattedWithoutFoundation() {
        #expect(format(1.005, 2) == "1.00" || format(1.005, 2) == "1.01")
        #expect(format(25, 2) == "25.00")
        #expect(format(-0.5, 1) == "-0.5")
        #expect(format(0.04, 1) == "0.0")
        #expect(format(.nan, 1) == "-")
    }
}
