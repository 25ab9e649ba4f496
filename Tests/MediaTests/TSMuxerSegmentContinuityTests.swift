import Testing
@testable import Media

/// HLS segments are each written by a fresh muxer; `lastOfTrack` and `closeSegment` keep the continuity counters
/// running from one segment into the next.
@Suite struct TSMuxerSegmentContinuityTests {
    /// Cuts `frames` into segments at video keyframes and muxes each with a muxer of its own, closing the counters
    /// when `closing`.
    static func segments(_ frames: [Frame], closing: Bool) throws -> [[UInt8]] {
        var cuts: [[Frame]] = []
        for frame in frames {
            if frame.info.track == 1 && frame.info.isKeyframe || cuts.isEmpty { cuts.append([]) }
            cuts[cuts.count - 1].append(frame)
        }
        return try cuts.map { cut in
            var muxer = try TSMuxer(tracks: TSMuxerTests.tracks(), options: .init())
            var out: [UInt8] = []
            muxer.writeTables(into: &out)
            for (i, frame) in cut.enumerated() {
                let last = closing && !cut[(i + 1)...].contains { $0.info.track == frame.info.track }
                frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, lastOfTrack: last, into: &out) }
            }
            if closing { muxer.closeSegment(into: &out) }
            return out
        }
    }

    /// Continuity errors per PID over the concatenated bytes (a payload packet must add one; one without repeats).
    static func continuityErrors(_ bytes: [UInt8]) throws -> [Int: Int] {
        var errors: [Int: Int] = [:]
        var last: [Int: UInt8] = [:]
        for packet in try TSTestReader(bytes).packets {
            if let previous = last[packet.pid],
               packet.counter != (packet.hasPayload ? (previous + 1) & 0x0F : previous) {
                errors[packet.pid, default: 0] += 1
            }
            last[packet.pid] = packet.counter
        }
        return errors
    }

    @Test func countersRunOnAcrossSegmentsOfFreshMuxers() throws {
        let segments = try Self.segments(TSMuxerTests.frames(), closing: true)
        #expect(segments.count == 2)
        #expect(try Self.continuityErrors(segments.flatMap { $0 }) == [:])
        // Each segment on its own ends every PID at 15.
        for segment in segments {
            let reader = try TSTestReader(segment)
            for pid in Set(reader.packets.map(\.pid)) {
                #expect(reader.on(pid).last(where: \.hasPayload)?.counter == 15, "PID \(pid)")
            }
        }
    }

    @Test func withoutClosingTheCountersBreakAtEverySegment() throws {
        let segments = try Self.segments(TSMuxerTests.frames(), closing: false)
        let errors = try Self.continuityErrors(segments.flatMap { $0 })
        #expect(errors[0x100] == 1 && errors[0x101] == 1)
    }

    @Test func theFramesSurviveTheSpreadPackets() throws {
        let frames = TSMuxerTests.frames()
        let closed = try Self.segments(frames, closing: true).flatMap { $0 }
        let plain = try Self.segments(frames, closing: false).flatMap { $0 }
        #expect(closed.count > plain.count)
        #expect(closed.count - plain.count <= 2 * 5 * 15 * 188)  // 2 segments, 5 PIDs, at most 15 packets each
        // The same PES units, byte for byte, on every PID.
        let closedReader = try TSTestReader(closed), plainReader = try TSTestReader(plain)
        for pid in [0x100, 0x101] {
            let a = try closedReader.pes(pid), b = try plainReader.pes(pid)
            #expect(a.count == b.count && a.count > 0)
            #expect(zip(a, b).allSatisfy { $0.body == $1.body && $0.pts == $1.pts && $0.dts == $1.dts })
        }
        // And the demuxer reads the audio whole from both, with no continuity error in the closed one.
        for bytes in [closed, plain] {
            let (got, demuxer) = TSDemuxer.frames(of: bytes)
            if bytes == plain { #expect(demuxer.stats.continuityErrors > 0) } else { #expect(demuxer.stats.continuityErrors == 0) }
            let audio = got.filter { $0.info.track == 2 }
            #expect(audio.count == 94 && audio.allSatisfy { $0.payload == [UInt8](repeating: 0x21, count: 300) })
        }
    }

    @Test func aTinyLastFrameStillClosesTheCounter() throws {
        var muxer = try TSMuxer(tracks: TSMuxerTests.tracks(), options: .init())
        var out: [UInt8] = []
        muxer.writeTables(into: &out)
        // AAC frames of 1 byte: a PES of 22 bytes (14 header, 7 ADTS, 1), spread over up to 16 packets.
        for i in 0..<Int64(3) {
            [UInt8(0x21)].withUnsafeBytes {
                muxer.write(FrameInfo(track: 2, flags: .keyframe, dts: i * 1920, pts: i * 1920), payload: $0,
                            lastOfTrack: i == 2, into: &out)
            }
        }
        muxer.closeSegment(into: &out)
        let reader = try TSTestReader(out)
        let audio = reader.on(0x101)
        #expect(audio.last?.counter == 15)
        #expect(audio.allSatisfy { !$0.payload.isEmpty })
        #expect(reader.on(0).last?.counter == 15)
    }
}
