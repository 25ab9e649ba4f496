import Media
import Testing
@testable import Transcode

/// The timeline alone: 8 kHz in, 48 kHz out, as `rtsp2://` cameras send.
@Suite struct AudioTimelineTests {
    static let none = AudioTimeline.Admission(silence: 0, skip: 0)

    /// Frames of `count` samples, back to back from `start`; returns the admissions.
    static func feed(_ timeline: inout AudioTimeline, frames: Int, count: Int, start: Int64, from position: Int64 = 0)
        -> [AudioTimeline.Admission] {
        (0..<Int64(frames)).map {
            let dts = start + MediaTime.from(position + $0 * Int64(count), rate: 8000)
            return timeline.admit(dts: dts, count: count, discontinuity: false)
        }
    }

    @Test func backToBackFramesAreTakenAsTheyAre() {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        #expect(Self.feed(&timeline, frames: 50, count: 160, start: 900_000) == Array(repeating: Self.none, count: 50))
        #expect(timeline.fed == 8000)
        // The encoder's priming frame stands one frame before the first input sample; frames are 1920 ticks apart.
        #expect(timeline.timestamp(ofOutput: -1024) == (dts: 900_000 - 1920, discontinuity: false))
        #expect(timeline.timestamp(ofOutput: 0) == (dts: 900_000, discontinuity: false))
        #expect(timeline.timestamp(ofOutput: 47 * 1024) == (dts: 900_000 + 47 * 1920, discontinuity: false))
    }

    /// RTMP-like sources stamp in milliseconds: frames of 161 samples (20.125 ms) stamped to the millisecond below.
    @Test func millisecondRoundingIsLeftAlone() {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        let admissions = (0..<200).map { index in
            let ms = Int64(index) * 161 / 8
            return timeline.admit(dts: ms * 90, count: 161, discontinuity: false)
        }
        #expect(admissions == Array(repeating: Self.none, count: 200))
    }

    @Test func aGapUpTo100msIsFilledWithSilence() {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        _ = Self.feed(&timeline, frames: 10, count: 160, start: 0)
        // Two frames (40 ms) lost.
        #expect(timeline.admit(dts: 12 * 1800, count: 160, discontinuity: false) == .init(silence: 320, skip: 0))
        #expect(timeline.fed == 11 * 160 + 320)
        #expect(Self.feed(&timeline, frames: 5, count: 160, start: 0, from: 13 * 160) == Array(repeating: Self.none, count: 5))
        // 99 ms more is still filled; nothing starts anew.
        #expect(timeline.admit(dts: 18 * 1800 + 8910, count: 160, discontinuity: false) == .init(silence: 792, skip: 0))
        #expect(timeline.timestamp(ofOutput: 100 * 1024) == (dts: 100 * 1920, discontinuity: false))
    }

    @Test func anOverlapUpTo100msIsDropped() {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        _ = Self.feed(&timeline, frames: 10, count: 160, start: 0)
        // This frame starts 10 ms before the previous one ended: its first 80 samples are dropped.
        #expect(timeline.admit(dts: 10 * 1800 - 900, count: 160, discontinuity: false) == .init(silence: 0, skip: 80))
        #expect(timeline.fed == 11 * 160 - 80)
        // One that lies wholly behind (a duplicate) is dropped whole.
        #expect(timeline.admit(dts: 9 * 1800, count: 160, discontinuity: false) == .init(silence: 0, skip: 160))
        #expect(timeline.fed == 11 * 160 - 80)
    }

    @Test(arguments: [Int64(9091), 450_000, -9091, -180_000])
    func aJumpBeyond100msStartsANewTimeline(jump: Int64) {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        _ = Self.feed(&timeline, frames: 100, count: 160, start: 0)  // 2 s: 16,000 samples, output position 96,000
        let resumed = 100 * 1800 + jump
        #expect(timeline.admit(dts: resumed, count: 160, discontinuity: false) == Self.none)
        // Frames still in the encoder keep the old timeline; the first on the new one is flagged, and only it.
        #expect(timeline.timestamp(ofOutput: 93 * 1024) == (dts: 93 * 1920, discontinuity: false))
        let first = timeline.timestamp(ofOutput: 94 * 1024)  // 96,256: 256 samples into the new timeline
        #expect(first.dts == resumed + 480 && first.discontinuity)
        #expect(timeline.timestamp(ofOutput: 95 * 1024) == (dts: resumed + 480 + 1920, discontinuity: false))
        // A late frame of the old timeline still maps to it.
        #expect(timeline.timestamp(ofOutput: 93 * 1024) == (dts: 93 * 1920, discontinuity: false))
    }

    @Test func aFrameFlaggedDiscontinuityStartsANewTimeline() {
        var timeline = AudioTimeline(inputRate: 8000, outputRate: 48000)
        _ = Self.feed(&timeline, frames: 10, count: 160, start: 0)
        #expect(timeline.admit(dts: 10 * 1800 + 90, count: 160, discontinuity: true) == Self.none)
        #expect(timeline.timestamp(ofOutput: 9600) == (dts: 10 * 1800 + 90, discontinuity: true))
    }
}
