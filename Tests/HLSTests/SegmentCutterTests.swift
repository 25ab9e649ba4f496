import Testing
@testable import HLS
@testable import Media

/// The cutter on synthetic frame sequences: 25 fps video (track 1) and 48 kHz AAC (track 2, 1920 ticks a frame),
/// interleaved by DTS as a demuxer hands them over.
@Suite struct SegmentCutterTests {
    static let second: Int64 = 90_000

    /// `seconds` of frames starting at `start`; a video keyframe every `gop` seconds (nil: only the first).
    static func frames(seconds: Int64, gop: Int64?, video: Bool = true, audio: Bool = true,
                       start: Int64 = 900_000) -> [FrameInfo] {
        var frames: [FrameInfo] = []
        if video {
            for i in 0..<(seconds * 25) {
                let key = i == 0 || gop.map { i % ($0 * 25) == 0 } == true
                let dts = start + i * 3600
                frames.append(FrameInfo(track: 1, flags: key ? .keyframe : [], dts: dts, pts: dts + 7200))
            }
        }
        if audio {
            for i in 0..<(seconds * second / 1920) {
                let dts = start + i * 1920
                frames.append(FrameInfo(track: 2, flags: .keyframe, dts: dts, pts: dts))
            }
        }
        // Stable: at equal DTS the video frame comes first.
        return frames.enumerated().sorted { ($0.element.dts, $0.offset) < ($1.element.dts, $1.offset) }.map(\.element)
    }

    /// `count` DTS values `every` ticks apart from the frames' default start.
    static func starts(_ count: Int64, every step: Int64) -> [Int64] {
        (0..<count).map { (index: Int64) -> Int64 in 900_000 + index * step }
    }

    /// Feeds `frames` in `generation` and returns the cuts with the frames that made them.
    static func run(_ cutter: inout SegmentCutter, _ frames: [FrameInfo],
                    generation: UInt64 = 1) -> [(FrameInfo, SegmentCutter.Cut)] {
        frames.compactMap { frame in cutter.cut(frame, generation: generation).map { (frame, $0) } }
    }

    @Test func oneSecondGOPsMakeFourSecondSegments() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        let cuts = Self.run(&cutter, Self.frames(seconds: 20, gop: 1))
        #expect(cuts.map(\.1.startDTS) == Self.starts(5, every: 4 * Self.second))
        #expect(cuts.map(\.1.number) == [0, 1, 2, 3, 4])
        #expect(cuts.map(\.1.reason) == [.first, .duration, .duration, .duration, .duration])
        #expect(cuts.map(\.1.closedDuration) == [nil] + Array(repeating: 4 * Self.second, count: 4))
        #expect(cuts.allSatisfy { $0.0.track == 1 && $0.0.isKeyframe && !$0.1.isDiscontinuity })
        #expect(cuts.allSatisfy { $0.1.discontinuitySequence == 0 && $0.1.generation == 1 })
    }

    @Test func sixSecondGOPsMakeOneSegmentPerGOP() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        let cuts = Self.run(&cutter, Self.frames(seconds: 30, gop: 6))
        #expect(cuts.map(\.1.startDTS) == Self.starts(5, every: 6 * Self.second))
        #expect(cuts.dropFirst().allSatisfy { $0.1.closedDuration == 6 * Self.second && $0.1.reason == .duration })
    }

    @Test func threeSecondGOPsMakeSegmentsOfTwoGOPs() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        let cuts = Self.run(&cutter, Self.frames(seconds: 30, gop: 3))
        #expect(cuts.map(\.1.startDTS) == Self.starts(5, every: 6 * Self.second))
    }

    @Test func audioOnlyCutsAtTheFirstFramePastTheDuration() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: nil)
        let cuts = Self.run(&cutter, Self.frames(seconds: 13, gop: nil, video: false))
        // 4 s is 187.5 frames of 1920 ticks: the cut falls on frame 188 (360,960 ticks), then every 188 frames.
        #expect(cuts.map(\.1.startDTS) == Self.starts(4, every: 188 * 1920))
        #expect(cuts.dropFirst().allSatisfy { $0.1.closedDuration == 188 * 1920 && $0.1.reason == .duration })
    }

    @Test func generationChangeStartsADiscontinuousSegment() throws {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        var cuts = Self.run(&cutter, Self.frames(seconds: 5, gop: 1))
        // The source restarts with timestamps from zero in generation 2.
        cuts += Self.run(&cutter, Self.frames(seconds: 5, gop: 1, start: 0), generation: 2)
        #expect(cuts.map(\.1.reason) == [.first, .duration, .generationChange, .duration])
        let restart = cuts[2].1
        #expect(restart.isDiscontinuity && restart.discontinuitySequence == 1 && restart.generation == 2)
        #expect(restart.number == 2 && restart.startDTS == 0)
        // The closed segment ran from 4 s to the end of its last video frame at 5 s.
        #expect(restart.closedDuration == Self.second)
        #expect(!cuts[3].1.isDiscontinuity && cuts[3].1.discontinuitySequence == 1)
    }

    /// After a source restart every track's first frame carries `.discontinuity`: the first one cuts, the others
    /// (video, then audio, at the same instant) must not cut again and leave a segment of no length.
    @Test func firstFramesOfEachTrackAfterARestartCutOnce() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        var frames = Self.frames(seconds: 2, gop: 1)
        var restarted = Self.frames(seconds: 6, gop: 1, start: 90_000_000)
        restarted[0].flags.insert(.discontinuity)
        var audio = FrameInfo(track: 2, flags: [.keyframe, .discontinuity], dts: 90_000_000, pts: 90_000_000)
        restarted.insert(audio, at: 1)
        audio.dts += 1920
        audio.pts += 1920
        audio.flags = [.keyframe]
        restarted.insert(audio, at: 2)
        frames += restarted
        let cuts = Self.run(&cutter, frames)
        #expect(cuts.map(\.1.reason) == [.first, .discontinuity, .duration])
    }

    @Test func discontinuityFlagStartsADiscontinuousSegment() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        var frames = Self.frames(seconds: 2, gop: 1)
        var jumped = Self.frames(seconds: 6, gop: 1, start: 90_000_000)
        jumped[0].flags.insert(.discontinuity)
        frames += jumped
        let cuts = Self.run(&cutter, frames)
        #expect(cuts.map(\.1.reason) == [.first, .discontinuity, .duration])
        #expect(cuts[1].1.isDiscontinuity && cuts[1].1.discontinuitySequence == 1)
        #expect(cuts[1].1.closedDuration == 2 * Self.second)
        #expect(cuts[2].1.startDTS == 90_000_000 + 4 * Self.second)
    }

    @Test func fortySecondsWithoutKeyframesAreCutByTheSafetyCap() {
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1)
        #expect(cutter.safetyCap == 30 * Self.second)
        let cuts = Self.run(&cutter, Self.frames(seconds: 40, gop: nil))
        #expect(cuts.map(\.1.reason) == [.first, .safetyCap])
        #expect(cuts[1].1.startDTS == 900_000 + 30 * Self.second)
        #expect(cuts[1].1.closedDuration == 30 * Self.second && !cuts[1].1.isDiscontinuity)
        // A long segment_duration moves the cap to three durations.
        #expect(SegmentCutter(segmentDuration: 20, videoTrack: 1).safetyCap == 60 * Self.second)
    }

    @Test func numberingResumesFromTheRingTable() {
        let last = HLSSegment(number: 41, discontinuitySequence: 3, isDiscontinuity: false, generation: 7,
                              startDTS: 0, wallClockMs: 0)
        var cutter = SegmentCutter(segmentDuration: 4, videoTrack: 1, resumingAfter: last)
        #expect(cutter.nextNumber == 42)
        let cuts = Self.run(&cutter, Self.frames(seconds: 5, gop: 1), generation: 8)
        #expect(cuts.map(\.1.number) == [42, 43])
        #expect(cuts[0].1.reason == .generationChange && cuts[0].1.isDiscontinuity)
        #expect(cuts.map(\.1.discontinuitySequence) == [4, 4])
        let segment = cuts[0].1.segment(wallClockMs: 1234)
        #expect(segment == HLSSegment(number: 42, discontinuitySequence: 4, isDiscontinuity: true, generation: 8,
                                      startDTS: 900_000, wallClockMs: 1234))

        var same = SegmentCutter(segmentDuration: 4, videoTrack: 1, resumingAfter: last)
        let first = same.cut(FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), generation: 7)
        #expect(first?.reason == .first && first?.isDiscontinuity == false && first?.number == 42)
    }

    @Test func hostileTimestampsDoNotTrap() {
        var cutter = SegmentCutter(segmentDuration: 1, videoTrack: 1)
        var reasons: [SegmentCutter.Reason] = []
        for dts in [Int64.min, .max, .min, 0, .max, -1, .min] {
            for track in [1, 2] {
                let frame = FrameInfo(track: track, flags: .keyframe, dts: dts, pts: dts)
                if let cut = cutter.cut(frame, generation: 1) {
                    reasons.append(cut.reason)
                    #expect((cut.closedDuration ?? 0) >= 0)
                }
            }
        }
        #expect(reasons.first == .first)
        let discontinuous = cutter.cut(FrameInfo(track: 1, flags: .discontinuity, dts: .min, pts: .min), generation: 1)
        #expect(discontinuous?.isDiscontinuity == true)
    }
}
