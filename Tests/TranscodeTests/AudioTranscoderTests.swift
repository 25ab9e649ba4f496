import Foundation
import Media
import Testing
@testable import Transcode

@Suite struct AudioTranscoderTests {
    static let start: Int64 = 8_100_000  // 90 s: a source's own timestamps, not 0
    /// How many 48 kHz samples of the input the chain holds at any time: two frames in the encoder, the resampler's
    /// 96, and a frame being filled.
    static let lookAhead = (2 * AACEncoder.frameLength + 96)..<(3 * AACEncoder.frameLength + 96)

    /// The decoded output's sample for input time `t` (seconds after the first input sample): the encoder's priming
    /// frame comes first.
    static func index(at t: Double) -> Int { AACEncoder.frameLength + Int((t * 48000).rounded()) }

    /// The lag (in 48 kHz samples, -24..<24, within one period of the tone) at which `samples[range]` best matches
    /// the tone as the input's timestamps place it.
    static func lag(_ samples: [Float], _ range: Range<Int>, silence: Double) -> Int {
        (-24..<24).max { a, b in
            func score(_ lag: Int) -> Double {
                range.reduce(0) { sum, j in
                    sum + Double(samples[j]) * ToneFeed.expected(at: Double(j - AACEncoder.frameLength - lag) / 48000, silence: silence)
                }
            }
            return score(a) < score(b)
        }!
    }

    static func rms(_ samples: ArraySlice<Float>) -> Double {
        (samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    static func zeroCrossings(_ samples: ArraySlice<Float>) -> Int {
        zip(samples, samples.dropFirst()).count { ($0 < 0) != ($1 < 0) }
    }

    @Test(arguments: [Codec.pcma, .pcmu], [ToneFeed.Split.fixed(160), .random(seed: 7), .fixed(1), .fixed(8000)])
    func toneSurvives(codec: Codec, split: ToneFeed.Split) throws {
        var feed = ToneFeed(codec: codec)
        let silence = 0.1
        let samples = ToneFeed.samples(seconds: 2, silence: silence)
        try feed.feed(samples, split: split, start: Self.start)

        // The track: AAC-LC 48 kHz mono under the G.711 track's id, with its AudioSpecificConfig.
        let track = try #require(feed.tracks.first)
        #expect(feed.tracks.allSatisfy { $0 == track })
        #expect(track.id == 2 && track.codec == .aac && track.sampleRate == 48000 && track.channels == 1 && track.profile == 2)
        let config = try #require(track.audioConfig)
        #expect(config.objectType == 2 && config.sampleRate == 48000 && config.channelConfiguration == 1)

        // Timestamps: from one frame before the first input sample (the priming frame), 1920 ticks apart, on.
        let frames = feed.output
        #expect(frames.first?.info.dts == Self.start - 1920)
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.info.dts - $0.info.dts == 1920 })
        #expect(frames.allSatisfy { $0.info.pts == $0.info.dts && $0.info.flags == .keyframe && $0.info.track == 2 })
        // Duration: all the input but what the chain holds: the encoder's two frames of look-ahead, the resampler's
        // 96 samples, and less than one frame being filled.
        let held = samples.count * 6 - (frames.count - 1) * AACEncoder.frameLength
        #expect(Self.lookAhead.contains(held), "\(held) samples at 48 kHz held")

        // Decoded by libavcodec with the track's configuration: the tone's frequency, level and place survive.
        let decoded = try LibAVCodecs.decodeAAC(frames.map(\.payload), config: config.bytes)
        #expect(decoded.sampleRate == 48000 && decoded.channels == 1)
        #expect(decoded.samples.count == frames.count * AACEncoder.frameLength)
        let steady = Self.index(at: 0.3)..<Self.index(at: 1.8)
        let crossings = Self.zeroCrossings(decoded.samples[steady])
        #expect(abs(crossings - 3000) <= 30, "\(crossings) zero crossings in 1.5 s of a 1 kHz tone")
        let level = Self.rms(decoded.samples[steady]) / (ToneFeed.amplitude / 2.0.squareRoot())
        #expect(level > 0.89 && level < 1.12, "level \(level) of the input's")  // within 1 dB
        #expect(abs(Self.lag(decoded.samples, Self.index(at: 0.5)..<Self.index(at: 0.6), silence: silence)) <= 1)
        let onset = try #require(decoded.samples.firstIndex { abs($0) > 0.25 })
        #expect(abs(onset - Self.index(at: silence)) <= 48, "the tone starts at sample \(onset)")
        #expect(Self.rms(decoded.samples[Self.index(at: 0)..<Self.index(at: silence - 0.01)]) < 0.01)
    }

    @Test func otherFramesPassUntouched() throws {
        var feed = ToneFeed()
        var video = Track(id: 1, codec: .h264)
        video.width = 640
        var aac = Track(id: 3, codec: .aac)
        aac.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)
        let videoInfo = FrameInfo(track: 1, flags: [.keyframe, .configChange], dts: 100, pts: 3700)
        let aacInfo = FrameInfo(track: 3, flags: [.keyframe, .discontinuity], dts: 200, pts: 200)
        try feed.process(video, videoInfo, [0, 0, 0, 2, 0x65, 0x88])
        try feed.process(aac, aacInfo, [0x21, 0x10, 0x04])
        #expect(feed.tracks == [video, aac])
        #expect(feed.output == [Frame(info: videoInfo, payload: [0, 0, 0, 2, 0x65, 0x88]), Frame(info: aacInfo, payload: [0x21, 0x10, 0x04])])
    }

    /// A camera's timestamps jump (forward 10 s, back 5 s, forward 150 ms): the output follows on a new timeline
    /// whose first frame is flagged, rather than running on from the sample count.
    @Test(arguments: [Int64(900_000), -450_000, 13_500])
    func timestampJumpStartsANewTimeline(jump: Int64) throws {
        var feed = ToneFeed()
        let second = ToneFeed.samples(seconds: 1)
        try feed.feed(second, split: .fixed(160), start: Self.start)
        let resumed = Self.start + 90_000 + jump
        try feed.feed(second, split: .fixed(160), start: resumed)
        let frames = feed.output
        let flagged = frames.indices.filter { frames[$0].info.flags.contains(.discontinuity) }
        try #require(flagged.count == 1)
        let first = flagged[0]
        // Steps of 1920 everywhere but at the flagged frame, which lands within one frame after the jump's target.
        let steps = zip(frames, frames.dropFirst()).map { $1.info.dts - $0.info.dts }
        #expect(steps.indices.filter { steps[$0] != 1920 } == [first - 1])
        #expect(frames[first].info.dts >= resumed && frames[first].info.dts < resumed + 1920)
        // Before it, the first second's timeline; the new one holds the second second's frames but the ones still held.
        #expect(frames[first - 1].info.dts < Self.start + 90_000)
    }

    /// A track whose rate changes (8 kHz, then 16 kHz) gets a new chain: timestamps go on forward, and the tone
    /// survives at both rates.
    @Test func aRateChangeMakesANewChain() throws {
        var feed = ToneFeed()
        try feed.feed(ToneFeed.samples(seconds: 1), split: .fixed(160), start: Self.start)
        let first = feed.output.count
        feed.input.sampleRate = 16000
        try feed.feed(ToneFeed.samples(seconds: 1, rate: 16000), split: .fixed(320), start: Self.start + 90_000)
        let frames = feed.output
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.info.dts > $0.info.dts })
        #expect(frames[first].info.dts == Self.start + 90_000 - 1920)  // the new chain's priming frame
        let config = try #require(feed.tracks.last?.audioConfig).bytes
        for part in [frames[..<first], frames[first...]] {
            let decoded = try LibAVCodecs.decodeAAC(part.map(\.payload), config: config).samples
            let crossings = Self.zeroCrossings(decoded[Self.index(at: 0.2)..<Self.index(at: 0.7)])
            #expect(abs(crossings - 1000) <= 10, "\(crossings) zero crossings in 0.5 s of a 1 kHz tone")
        }
    }

    /// Two 20 ms packets lost: the gap is filled with silence, timestamps run on without a discontinuity, and the
    /// sound after the gap stays where its timestamps put it.
    @Test func lostPacketsLeaveSilenceNotDrift() throws {
        var feed = ToneFeed()
        try feed.feed(ToneFeed.samples(seconds: 2), split: .fixed(160), start: Self.start, drop: [50, 51])
        let frames = feed.output
        #expect(frames.allSatisfy { !$0.info.flags.contains(.discontinuity) })
        #expect(zip(frames, frames.dropFirst()).allSatisfy { $1.info.dts - $0.info.dts == 1920 })
        let decoded = try LibAVCodecs.decodeAAC(frames.map(\.payload), config: try #require(feed.tracks.first?.audioConfig).bytes)
        #expect(Self.rms(decoded.samples[Self.index(at: 1.005)..<Self.index(at: 1.035)]) < 0.05)
        #expect(abs(Self.lag(decoded.samples, Self.index(at: 1.3)..<Self.index(at: 1.4), silence: 0)) <= 1)
    }

    /// The cost figure of docs/transcode.md: 60 s of an 8 kHz A-law stream in 20 ms frames, the CPU time of this
    /// thread (printed, not judged: tests never assert on timing).
    @Test func sixtySecondsOfAStream() throws {
        let feed = ToneFeed()
        let minute = ToneFeed.samples(seconds: 60)
        let codes = try LibAVCodecs.encodeG711(minute, aLaw: true)
        var frames = 0
        let transcoder = feed.transcoder
        let before = Self.threadCPU()
        try codes.withUnsafeBytes { bytes in
            for index in 0..<(codes.count / 160) {
                let info = FrameInfo(track: 2, flags: .keyframe, dts: Int64(index) * 1800, pts: Int64(index) * 1800)
                try transcoder.process(feed.input, info, UnsafeRawBufferPointer(rebasing: bytes[(index * 160)..<(index * 160 + 160)])) { _, _, _ in
                    frames += 1
                }
            }
        }
        let seconds = Self.threadCPU() - before
        print("transcoding 60 s of 8 kHz G.711 to AAC 48 kHz: \(String(format: "%.3f", seconds)) s of CPU, "
              + "\(String(format: "%.2f", seconds / 60 * 100)) % of a core")
        #expect(Self.lookAhead.contains(minute.count * 6 - (frames - 1) * AACEncoder.frameLength))
    }

    static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
