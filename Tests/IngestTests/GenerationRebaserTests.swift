import Media
import Testing

@testable import Ingest

/// One timeline across source restarts: per track DTS never goes backwards, audio and video keep their alignment
/// within a generation, generation starts and jumps are flagged.
@Suite struct GenerationRebaserTests {
    private func frame(_ track: Int, _ dts: Int64, pts: Int64? = nil, _ flags: FrameFlags = []) -> FrameInfo {
        FrameInfo(track: track, flags: flags, dts: dts, pts: pts ?? dts)
    }

    @Test func theFirstGenerationKeepsTheSourceTimestamps() {
        var rebaser = GenerationRebaser()
        rebaser.startGeneration()
        let input = [frame(1, 126_000, [.keyframe, .configChange]), frame(2, 125_000, [.keyframe]), frame(1, 129_600, pts: 133_200)]
        #expect(input.map { rebaser.rebase($0) } == input)
    }

    @Test func aRestartContinuesAboutOneFrameAfterTheLastDTS() {
        var rebaser = GenerationRebaser()
        rebaser.startGeneration()
        for n in 0..<10 {
            _ = rebaser.rebase(frame(1, 500_000 + Int64(n) * 3600))
            _ = rebaser.rebase(frame(2, 500_000 + Int64(n) * 1920))
        }
        // Video last at 532_400, audio at 517_280. The new source starts at 0 with audio 100 ticks ahead of video.
        rebaser.startGeneration()
        let video = rebaser.rebase(frame(1, 100, pts: 3_700, [.keyframe]))
        let audio = rebaser.rebase(frame(2, 0, [.keyframe]))
        #expect(video == frame(1, 536_000, pts: 539_600, [.keyframe, .discontinuity]))
        #expect(audio == frame(2, 535_900, [.keyframe, .discontinuity]))
        // Later frames of the generation: same offset, no flag.
        #expect(rebaser.rebase(frame(1, 3_700)) == frame(1, 539_600))
        #expect(rebaser.rebase(frame(2, 1_920)) == frame(2, 537_820))
    }

    @Test func aTrackBehindItsOwnLastDTSRaisesTheSharedOffset() {
        var rebaser = GenerationRebaser()
        rebaser.startGeneration()
        _ = rebaser.rebase(frame(1, 90_000))
        _ = rebaser.rebase(frame(2, 100_000))
        _ = rebaser.rebase(frame(1, 93_600))
        // Audio was the newest (100_000). The new source's video comes first and sets the offset just after it;
        // its audio runs 20_000 ticks behind, which would land before the audio's last DTS.
        rebaser.startGeneration()
        #expect(rebaser.rebase(frame(1, 50_000, [.keyframe])) == frame(1, 103_600, [.keyframe, .discontinuity]))
        let audio = rebaser.rebase(frame(2, 30_000, [.keyframe]))
        #expect(audio.dts > 100_000 && audio.flags.contains(.discontinuity))
        // Video jumps forward by as much, once; then both run on one offset.
        let video = rebaser.rebase(frame(1, 53_600))
        #expect(video.dts - audio.dts == 23_600)
        #expect(video.dts > 103_600 && !video.flags.contains(.discontinuity))
    }

    @Test func jumpsInsideAGenerationAreAbsorbedAndFlagged() {
        var rebaser = GenerationRebaser()
        rebaser.startGeneration()
        _ = rebaser.rebase(frame(1, 0))
        _ = rebaser.rebase(frame(1, 3_600))
        // The source's clock jumps an hour ahead, then runs on from there.
        let jumped = rebaser.rebase(frame(1, 3_600 * MediaTime.hz + 7_200))
        #expect(jumped == frame(1, 7_200, [.discontinuity]))
        #expect(rebaser.rebase(frame(1, 3_600 * MediaTime.hz + 10_800)) == frame(1, 10_800))
        // A small step back is clamped, not passed on.
        #expect(rebaser.rebase(frame(1, 3_600 * MediaTime.hz + 9_000)).dts == 10_800)
        // The next generation's normalizer starts afresh: its own hour-scale timestamps are no jump.
        rebaser.startGeneration()
        #expect(rebaser.rebase(frame(1, 5 * 3_600 * MediaTime.hz)) == frame(1, 14_400, [.discontinuity]))
        #expect(rebaser.rebase(frame(1, 5 * 3_600 * MediaTime.hz + 3_600)) == frame(1, 18_000))
    }

    @Test func aRestartedWorkerContinuesAfterTheRingsLastDTS() {
        var rebaser = GenerationRebaser(lastWrittenDTS: 1_000_000)
        rebaser.startGeneration()
        #expect(rebaser.rebase(frame(1, 42, [.keyframe])) == frame(1, 1_003_000, [.keyframe, .discontinuity]))
        #expect(rebaser.rebase(frame(2, 40)) == frame(2, 1_002_998, [.discontinuity]))
        #expect(rebaser.rebase(frame(1, 3_642)) == frame(1, 1_006_600))
    }

    @Test func fakeSourceRestartedThreeTimesMakesOneTimeline() throws {
        var rebaser = GenerationRebaser()
        var written: [FrameInfo] = []
        for restart in 0..<4 {
            // Each generation is a fresh source, cut at a different point.
            var source = try FakeSource()
            rebaser.startGeneration()
            source.frames(upTo: Int64(restart + 1) * 100_000) { _, info, _ in written.append(rebaser.rebase(info)) }
        }
        for track in [1, 2] {
            let frames = written.filter { $0.track == track }
            for (a, b) in zip(frames, frames.dropFirst()) { #expect(b.dts > a.dts, "track \(track)") }
            #expect(frames.filter { $0.flags.contains(.discontinuity) }.count == 3, "track \(track)")
        }
    }

    @Test func wildSourcesStillGiveOneTimelinePerTrack() {
        var rebaser = GenerationRebaser()
        var random = UInt64(0x5EED)
        func next() -> Int64 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int64(bitPattern: random >> 22) - (1 << 40)
        }
        var last: [Int: Int64] = [:]
        for generation in 0..<20 {
            rebaser.startGeneration()
            var base = next()
            for n in 0..<50 {
                // Mostly steady steps, with a wild timestamp now and then, tracks in any order.
                base += n % 17 == 0 ? next() : 3600
                let track = 1 + Int(UInt64(bitPattern: next()) % 3)
                let out = rebaser.rebase(FrameInfo(track: track, dts: base, pts: base + next() % 10_000))
                if let previous = last[track] { #expect(out.dts >= previous, "generation \(generation) frame \(n)") }
                #expect(out.pts >= out.dts)
                last[track] = out.dts
            }
        }
    }
}
