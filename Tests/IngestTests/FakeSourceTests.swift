import CFakeClip
import Media
import Testing

@testable import Ingest

/// The embedded fake:// clip (scripts/make-fixtures.sh): H.264 640x360 25 fps with an IDR every 48 frames and AAC
/// stereo 48 kHz, 3.84 s = 96 video + 180 audio frames per loop.
@Suite struct FakeSourceTests {
    /// A delivered frame with its payload's size and first bytes (enough to tell payloads apart).
    private struct Delivered: Equatable {
        var info: FrameInfo
        var size: Int
        var head: [UInt8]
    }

    private func collect(_ source: inout FakeSource, upTo elapsed: Int64) -> [Delivered] {
        var out: [Delivered] = []
        source.frames(upTo: elapsed) { _, info, payload in
            out.append(Delivered(info: info, size: payload.count, head: Array(payload.prefix(16))))
        }
        return out
    }

    @Test func tracks() throws {
        let source = try FakeSource()
        try #require(source.tracks.count == 2)
        let video = source.tracks[0], audio = source.tracks[1]
        #expect(video.id == 1 && video.codec == .h264 && video.width == 640 && video.height == 360)
        #expect(video.parameterSets.sps.count == 1 && video.parameterSets.pps.count == 1)
        #expect(audio.id == 2 && audio.codec == .aac && audio.sampleRate == 48_000 && audio.channels == 2)
        #expect(audio.audioConfig != nil)
        #expect(source.period == 345_600)
    }

    @Test func threeLoopsAreContinuous() throws {
        var source = try FakeSource()
        let frames = collect(&source, upTo: 3 * source.period - 1)
        let video = frames.filter { $0.info.track == 1 }, audio = frames.filter { $0.info.track == 2 }
        #expect(video.count == 3 * 96 && audio.count == 3 * 180)
        for (track, step) in [(video, Int64(3600)), (audio, Int64(1920))] {
            #expect(track.first?.info.dts == 0)
            for (a, b) in zip(track, track.dropFirst()) { #expect(b.info.dts - a.info.dts == step) }
            #expect(track.allSatisfy { $0.info.pts == $0.info.dts })
        }
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $0.info.dts <= $1.info.dts })
        // Keyframes: video frames 0 and 48 of each loop, every audio frame.
        let keyframes = video.indices.filter { video[$0].info.isKeyframe }
        #expect(keyframes == Array(stride(from: 0, to: 3 * 96, by: 48)))
        #expect(audio.allSatisfy { $0.info.isKeyframe })
        // Loop n is loop 0 shifted by n periods, with the same payloads.
        for loop in 1..<3 {
            for (first, later) in zip(video.prefix(96), video.dropFirst(96 * loop)) {
                #expect(later.info.dts == first.info.dts + Int64(loop) * source.period)
                #expect(later.size == first.size && later.head == first.head)
            }
        }
        #expect(video.allSatisfy { $0.size > 0 } && audio.allSatisfy { $0.size > 0 })
        // Flags: configChange on the first frame of each track only; no discontinuity.
        #expect(frames.filter { $0.info.flags.contains(.configChange) }.map(\.info.track).sorted() == [1, 2])
        #expect(video[0].info.flags.contains(.configChange) && audio[0].info.flags.contains(.configChange))
        #expect(!frames.contains { $0.info.flags.contains(.discontinuity) })
    }

    @Test func smallStepsDeliverTheSameFramesAsOneBigStep() throws {
        var whole = try FakeSource()
        var stepped = try FakeSource()
        let end = 2 * whole.period + 12_345
        let reference = collect(&whole, upTo: end)
        var frames: [Delivered] = []
        var elapsed: Int64 = -90
        while elapsed < end {
            elapsed = min(elapsed + 900, end)
            frames += collect(&stepped, upTo: elapsed)
            #expect(stepped.nextFrameTime > elapsed)
        }
        #expect(frames == reference)
        #expect(collect(&stepped, upTo: end).isEmpty)
    }

    @Test func nothingIsDueBeforeTheFirstFrame() throws {
        var source = try FakeSource()
        #expect(collect(&source, upTo: -1).isEmpty)
        #expect(source.nextFrameTime == 0)
        #expect(collect(&source, upTo: 0).map(\.info.track) == [1, 2])
        #expect(source.nextFrameTime == 1920)
    }

    @Test func clipsThatDoNotLoopAreRefused() throws {
        let clip = Array(UnsafeRawBufferPointer(start: cfakeclip_data(), count: cfakeclip_size()))
        let error = clip.withUnsafeBytes { bytes in
            #expect(throws: FakeSourceError.self) { try FakeSource(clip: bytes, period: FakeSource.clipPeriod - 3600) }
        }
        #expect(error?.message.contains("do not divide") == true)
        let empty = [UInt8](repeating: 0x47, count: 188 * 3)
        let noFrame = empty.withUnsafeBytes { bytes in
            #expect(throws: FakeSourceError.self) { try FakeSource(clip: bytes, period: FakeSource.clipPeriod) }
        }
        #expect(noFrame?.message.contains("no frame") == true)
        // A longer period than the clip holds leaves gaps: refused too.
        let gaps = clip.withUnsafeBytes { bytes in
            #expect(throws: FakeSourceError.self) { try FakeSource(clip: bytes, period: 2 * FakeSource.clipPeriod) }
        }
        #expect(gaps != nil)
    }
}
