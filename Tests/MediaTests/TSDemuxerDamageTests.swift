import Testing
@testable import Media
import TestSupport

/// The demuxer over damaged streams: garbage, lost and repeated packets, timestamp jumps, random mutations.
/// Damage is counted and contained, never fatal, and the result does not depend on how the input is split.
@Suite struct TSDemuxerDamageTests {
    private let clean: [UInt8]
    private let packets: [[UInt8]]

    init() throws {
        clean = try Fixture.bytes("h264_aac.ts")
        packets = TSBuild.packets(clean)
    }

    /// Random bytes without a sync byte, so that they cannot pass for packets.
    private func garbage(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let b = UInt8.random(in: 0...255, using: &random)
            return b == TSPacket.syncByte ? 0 : b
        }
    }

    /// Demuxes `bytes` the three ways and checks they agree.
    private func demuxAllWays(_ bytes: [UInt8]) -> (frames: [Frame], demuxer: TSDemuxer) {
        let reference = Feeding.whole.run(bytes)
        for feeding in [Feeding.byteByByte, .randomChunks] {
            let other = feeding.run(bytes)
            expectSameFrames(other.frames, reference.frames, "fed \(feeding)")
            #expect(other.demuxer.stats == reference.demuxer.stats, "fed \(feeding)")
        }
        return reference
    }

    @Test func garbageBeforeAndBetweenPacketsIsSkipped() {
        let reference = Feeding.whole.run(clean).frames
        let bytes = garbage(1000, seed: 1) + packets[0..<200].joined() + garbage(500, seed: 2) + packets[200...].joined()
        let (frames, demuxer) = demuxAllWays(bytes)
        expectSameFrames(frames, reference)
        #expect(demuxer.stats.skippedBytes == 1500 && demuxer.stats.syncLosses == 1)
        #expect(demuxer.stats.continuityErrors == 0)
    }

    @Test func aPartialPacketCostsOnePES() throws {
        let reference = Feeding.whole.run(clean).frames
        // Packet 250 (inside a video PES) is cut to 100 bytes: the rest of the stream resyncs after it.
        try #require(TSBuild.pid(packets[250]) == 0x100 && !TSBuild.unitStart(packets[250]))
        let bytes = Array(packets[0..<250].joined()) + packets[250][0..<100] + packets[251...].joined()
        let (frames, demuxer) = demuxAllWays(bytes)
        #expect(demuxer.stats.syncLosses == 1 && demuxer.stats.skippedBytes == 100)
        #expect(demuxer.stats.continuityErrors == 1 && demuxer.stats.pesErrors == 1)
        #expect(frames.of(track: 1).count == reference.of(track: 1).count - 1)
        expectSameFrames(frames.of(track: 2), reference.of(track: 2))
    }

    @Test func lostPacketDropsItsPESAndFlagsTheNextFrame() throws {
        let reference = Feeding.whole.run(clean).frames
        let lost = try #require((200..<packets.count).first { TSBuild.pid(packets[$0]) == 0x100 && !TSBuild.unitStart(packets[$0]) })
        var damaged = packets
        damaged.remove(at: lost)
        let (frames, demuxer) = demuxAllWays(Array(damaged.joined()))
        #expect(demuxer.stats.continuityErrors == 1 && demuxer.stats.pesErrors == 1)
        let video = frames.of(track: 1), referenceVideo = reference.of(track: 1)
        #expect(video.count == referenceVideo.count - 1)
        // The frames after the lost one are intact; the first of them says that something is missing.
        let missing = try #require(referenceVideo.firstIndex { !video.contains($0) && !video.map(\.payload).contains($0.payload) })
        #expect(video[missing].info.flags.contains(.discontinuity))
        #expect(video[missing].payload == referenceVideo[missing + 1].payload)
        #expect(frames.filter { $0.info.flags.contains(.discontinuity) }.count == 1)
        expectSameFrames(frames.of(track: 2), reference.of(track: 2))
    }

    @Test func oneDuplicatePacketIsAllowed() {
        var damaged = packets
        damaged.insert(packets[120], at: 121)
        let (frames, demuxer) = demuxAllWays(Array(damaged.joined()))
        expectSameFrames(frames, Feeding.whole.run(clean).frames)
        #expect(demuxer.stats.continuityErrors == 0)
        // A second repeat is an error.
        damaged.insert(packets[120], at: 121)
        #expect(Feeding.whole.run(Array(damaged.joined())).demuxer.stats.continuityErrors == 1)
    }

    @Test func transportErrorsAreCountedAndDropped() {
        var damaged = packets
        damaged[300][1] |= 0x80
        let (_, demuxer) = demuxAllWays(Array(damaged.joined()))
        #expect(demuxer.stats.transportErrors == 1)
        #expect(demuxer.stats.continuityErrors <= 1)
    }

    @Test func timestampJumpIsAbsorbedOnce() throws {
        let reference = Feeding.whole.run(clean).frames
        var damaged = packets
        TSBuild.shiftTimestamps(&damaged, in: 250..<damaged.count, by: 3600 * MediaTime.hz)
        let (frames, demuxer) = demuxAllWays(Array(damaged.joined()))
        #expect(demuxer.stats.timestampJumps == 1)
        #expect(frames.filter { $0.info.flags.contains(.discontinuity) }.count == 1)
        #expect(frames.count == reference.count)
        // Output stays continuous: every track's DTS advances as in the clean stream, to within a frame.
        for track in [1, 2] {
            let out = frames.of(track: track), ref = reference.of(track: track)
            for i in 1..<out.count {
                let step = out[i].info.dts - out[i - 1].info.dts
                #expect(step >= 0 && abs(step - (ref[i].info.dts - ref[i - 1].info.dts)) <= 3600)
            }
        }
        // Audio and video stay aligned: the offset is shared.
        let lastVideo = frames.of(track: 1).last!.info.dts, lastAudio = frames.of(track: 2).last!.info.dts
        let refVideo = reference.of(track: 1).last!.info.dts, refAudio = reference.of(track: 2).last!.info.dts
        #expect(abs((lastVideo - lastAudio) - (refVideo - refAudio)) <= 3600)
    }

    @Test func oneFrameStampedHoursOffDoesNotShiftTheStream() throws {
        let reference = Feeding.whole.run(clean).frames
        var damaged = packets
        let start = try #require((250..<packets.count).first { TSBuild.pid(packets[$0]) == 0x100 && TSBuild.unitStart(packets[$0]) })
        TSBuild.shiftTimestamps(&damaged, in: start..<(start + 1), by: 5 * 3600 * MediaTime.hz)
        let (frames, demuxer) = demuxAllWays(Array(damaged.joined()))
        #expect(demuxer.stats.timestampJumps == 2)
        for track in [1, 2] {
            let out = frames.of(track: track)
            #expect(zip(out, out.dropFirst()).allSatisfy { $1.info.dts >= $0.info.dts && $1.info.dts - $0.info.dts < MediaTime.hz })
            #expect(abs(out.last!.info.dts - reference.of(track: track).last!.info.dts) <= 2 * 3600)
        }
    }

    @Test func backwardJumpIsAbsorbed() {
        var damaged = packets
        TSBuild.shiftTimestamps(&damaged, in: 300..<damaged.count, by: -600 * MediaTime.hz)
        let (frames, demuxer) = demuxAllWays(Array(damaged.joined()))
        #expect(demuxer.stats.timestampJumps == 1)
        for track in [1, 2] {
            let out = frames.of(track: track)
            #expect(zip(out, out.dropFirst()).allSatisfy { $1.info.dts >= $0.info.dts && $1.info.dts - $0.info.dts < MediaTime.hz })
        }
    }

    /// Thousands of random and mutated buffers: nothing may crash, and the output keeps its promises.
    @Test func fuzzedInputNeverCrashes() throws {
        var random = SplitMix64(seed: 42)
        let fixtures = try ["h264_aac.ts", "h265_mp2.ts", "h264_mp3_ac3.ts", "two_programs.ts"].map { try Fixture.bytes($0) }
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 10 == 0 {
                bytes = (0..<Int.random(in: 0...4000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                let source = fixtures[round % fixtures.count]
                let start = Int.random(in: 0..<(source.count / 2), using: &random) / 188 * 188
                bytes = Array(source[start..<min(source.count, start + Int.random(in: 188...12000, using: &random))])
                if round % 3 == 0 { bytes = Array(source.prefix(188 * 8)) + bytes }  // tables first, so that PES are read
                for _ in 0..<Int.random(in: 1...20, using: &random) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let chunks = (0..<8).map { _ in Int.random(in: 1...400, using: &random) }
            let (frames, demuxer) = demux(bytes, chunkSizes: chunks)
            for track in demuxer.tracks {
                let f = frames.of(track: track.id)
                #expect(zip(f, f.dropFirst()).allSatisfy { $1.info.dts >= $0.info.dts })
            }
            #expect(frames.allSatisfy { $0.info.pts >= $0.info.dts })
        }
    }
}
