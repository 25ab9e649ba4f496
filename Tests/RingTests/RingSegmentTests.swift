import Foundation
import Media
import Testing
@testable import Ring

/// The segment table: numbering, carry-on across writers, wrap-around, discontinuities, segments leaving the ring,
/// reading exactly one segment.
@Suite struct RingSegmentTests {
    /// Frame `index` of these tests: `testFrame` (a keyframe every 10), and every 10th frame starts a segment.
    private func write(_ writer: RingWriter, _ index: Int, size: Int = 100, discontinuity: Bool = false) throws {
        let frame = testFrame(index, size: size)
        let segment = index % 10 == 0
            ? RingSegmentStart(isDiscontinuity: discontinuity, wallClockMs: 1_700_000_000_000 + Int64(index) * 40)
            : nil
        try writer.write(frame.info, payload: frame.payload, segment: segment)
    }

    @Test func segmentsAreNumberedWithTheirFirstFrameAndEnd() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            writer.bumpGeneration()
            for index in 0..<35 { try write(writer, index, discontinuity: index == 0) }
            let reader = try RingReader(open: name)
            let segments = reader.segments()
            #expect(segments.map(\.number) == [0, 1, 2, 3])
            #expect(segments.map(\.sequence) == [0, 10, 20, 30])
            #expect(segments.map(\.dts) == [0, 36_000, 72_000, 108_000])
            #expect(segments.map(\.wallClockMs) == [1_700_000_000_000, 1_700_000_000_400, 1_700_000_000_800,
                                                    1_700_000_001_200])
            #expect(segments.map(\.isDiscontinuity) == [true, false, false, false])
            #expect(segments.map(\.discontinuitySequence) == [1, 1, 1, 1])
            #expect(segments.allSatisfy { $0.generation == 1 })
            // A segment's first frame is where the keyframe table points too; it ends where the next one starts.
            #expect(segments.map(\.position) == reader.keyframes().map(\.position))
            #expect(segments.dropLast().map(\.end) == segments.dropFirst().map {
                Optional(RingSegment.End(position: $0.position, sequence: $0.sequence, dts: $0.dts))
            })
            #expect(segments.last?.end == nil)
            #expect(segments.map(\.duration) == [36_000, 36_000, 36_000, nil])
            #expect(segments.map(\.frameCount) == [10, 10, 10, nil])
            #expect(reader.status().segments == 4)
            #expect(writer.nextSegmentNumber == 4)
            // Giving `segment` marks the record too.
            #expect(reader.seek(toSegment: segments[1]))
            var payload: [UInt8] = []
            #expect(reader.next(into: &payload)?.frame?.info.flags == [.keyframe, .segmentStart])
            #expect(reader.next(into: &payload)?.frame?.info.flags == [])
        }
    }

    @Test func readSegmentHandsOverExactlyOneSegmentAndLeavesTheReaderWhereItWas() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            for index in 0..<25 { try write(writer, index, size: 50 + index) }
            let reader = try RingReader(open: name)
            let segments = reader.segments()
            try #require(segments.count == 3)
            var payload: [UInt8] = []
            #expect(reader.next(into: &payload)?.frame?.sequence == 20)

            var got: [(UInt64, [UInt8])] = []
            let complete = reader.readSegment(segments[1]) { frame, bytes in got.append((frame.sequence, Array(bytes))) }
            #expect(complete == .complete(frames: 10))
            #expect(got.map(\.0) == Array(10..<20))
            #expect(got.map(\.1) == (10..<20).map { testFrame($0, size: 50 + $0).payload })

            got = []
            #expect(reader.readSegment(segments[2]) { frame, _ in got.append((frame.sequence, [])) } == .partial(frames: 5))
            #expect(got.map(\.0) == Array(20..<25))
            // The reader's own position did not move.
            #expect(reader.next(into: &payload)?.frame?.sequence == 21)

            // The body may use the reader itself.
            var nested = 0
            _ = reader.readSegment(segments[0]) { _, _ in
                if case .complete(let frames) = reader.readSegment(segments[1], { _, _ in }) { nested += frames }
            }
            #expect(nested == 100)
        }
    }

    @Test func numberingCarriesOnAcrossWriters() throws {
        try withRingName { name in
            var writer: RingWriter? = try RingWriter(create: name, capacity: 1 << 20)
            for index in 0..<30 { try write(try #require(writer), index, discontinuity: index == 0) }
            // The writer goes away (as a crashed worker's does); its successor carries on the numbering.
            writer = nil
            let successor = try RingWriter(open: name)
            #expect(successor.nextSegmentNumber == 3)
            #expect(successor.discontinuitySequence == 1)
            successor.bumpGeneration()
            for index in 30..<60 { try write(successor, index, discontinuity: index == 30) }
            let segments = try RingReader(open: name).segments()
            #expect(segments.map(\.number) == [0, 1, 2, 3, 4, 5])
            #expect(segments.map(\.generation) == [0, 0, 0, 1, 1, 1])
            #expect(segments.map(\.discontinuitySequence) == [1, 1, 1, 2, 2, 2])
            #expect(segments.map(\.isDiscontinuity) == [true, false, false, true, false, false])
            // The segment the first writer left open ends where the successor's first one starts.
            #expect(segments[2].frameCount == 10)
        }
    }

    @Test func discontinuitySequenceCountsDiscontinuousSegments() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            let before = Ring.realtimeMillis()
            // Flag only: discontinuous when the frame is, wall clock from CLOCK_REALTIME.
            try writer.write(FrameInfo(track: 1, flags: [.keyframe, .segmentStart], dts: 0, pts: 0), payload: [1])
            try writer.write(FrameInfo(track: 1, flags: [.keyframe, .segmentStart, .discontinuity], dts: 90_000, pts: 90_000),
                             payload: [2])
            let after = Ring.realtimeMillis()
            // Explicit: the writer's verdict wins over the frame's flag.
            try writer.write(FrameInfo(track: 1, flags: [.keyframe, .discontinuity], dts: 180_000, pts: 180_000), payload: [3],
                             segment: RingSegmentStart(isDiscontinuity: false, wallClockMs: 5))
            try writer.write(FrameInfo(track: 1, flags: .keyframe, dts: 270_000, pts: 270_000), payload: [4],
                             segment: RingSegmentStart(isDiscontinuity: true, wallClockMs: 6))
            // Not a segment start: no entry.
            try writer.write(FrameInfo(track: 1, flags: [.keyframe, .discontinuity], dts: 360_000, pts: 360_000), payload: [5])
            let segments = try RingReader(open: name).segments()
            #expect(segments.map(\.isDiscontinuity) == [false, true, false, true])
            #expect(segments.map(\.discontinuitySequence) == [0, 1, 1, 2])
            #expect(segments.prefix(2).allSatisfy { (before...after).contains($0.wallClockMs) })
            #expect(segments.suffix(2).map(\.wallClockMs) == [5, 6])
            #expect(writer.discontinuitySequence == 2)
        }
    }

    @Test func tableWrapsAndKeepsTheNewestEntries() throws {
        try withRingName { name in
            let slots = RingLayout.segmentSlots
            let total = 2 * slots + 44
            // Every frame starts a segment; the data area holds them all, so only the table limits what is listed.
            var writer: RingWriter? = try RingWriter(create: name, capacity: 1 << 20)
            for index in 0..<total {
                try writer?.write(FrameInfo(track: 1, flags: [.keyframe, .segmentStart], dts: Int64(index), pts: Int64(index)),
                                  payload: [UInt8(truncatingIfNeeded: index)])
            }
            let reader = try RingReader(open: name)
            let segments = reader.segments()
            // The oldest slot is the one the next segment will overwrite: a reader cannot tell it from one being
            // overwritten, so it is never listed.
            #expect(segments.count == slots - 1)
            #expect(segments.count >= 128)
            #expect(segments.map(\.number) == (total - slots + 1..<total).map(UInt64.init))
            #expect(segments.map(\.sequence) == segments.map(\.number))
            #expect(segments.dropLast().allSatisfy { $0.frameCount == 1 })
            writer = nil
            let successor = try RingWriter(open: name)
            #expect(successor.nextSegmentNumber == UInt64(total))
            try successor.write(FrameInfo(track: 1, flags: [.keyframe, .segmentStart], dts: 0, pts: 0), payload: [])
            #expect(reader.segments().last?.number == UInt64(total))
            #expect(reader.segments().first?.number == UInt64(total - slots + 2))
        }
    }

    @Test func overwrittenSegmentsLeaveTheTable() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            let reader = try RingReader(open: name)
            for index in 0..<40 { try write(writer, index, size: 500) }
            let early = try #require(reader.segments().first)
            #expect(early.number == 0)
            // About 120 records of 540 bytes fit: after 2000 frames only the last few segments remain.
            for index in 40..<2000 { try write(writer, index, size: 500) }
            let segments = reader.segments()
            let tail = try #require(segments.first)
            #expect(segments.map(\.number) == Array(tail.number...199))
            #expect(segments.count <= 12)
            #expect(tail.position >= reader.status().writePosition - 64 * 1024)
            #expect(reader.readSegment(early) { _, _ in Issue.record("a frame of an overwritten segment") } == .gone)
            #expect(!reader.seek(toSegment: early))
            var sequences: [UInt64] = []
            #expect(reader.readSegment(tail) { frame, _ in sequences.append(frame.sequence) } == .complete(frames: 10))
            #expect(sequences == Array(tail.sequence..<tail.sequence + 10))
        }
    }

    @Test func damagedEntriesAreLeftOutNeverTrusted() throws {
        try withRingName { name in
            var writer: RingWriter? = try RingWriter(create: name, capacity: 1 << 20)
            for index in 0..<40 { try write(try #require(writer), index) }
            writer = nil
            // Segment 1's slot claims another number: it is left out, and so is segment 0, whose end it was.
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: name.path))
            let slot = RingLayout.segmentTableOffset + RingLayout.segmentEntrySize + RingLayout.segmentNumber
            try file.seek(toOffset: UInt64(slot))
            try file.write(contentsOf: Data([0x77, 0, 0, 0, 0, 0, 0, 0]))
            let reader = try RingReader(open: name)
            #expect(reader.segments().map(\.number) == [2, 3])
            var bogus = try #require(reader.segments().first)
            // The newest one likewise: a writer cannot carry on from it.
            try file.seek(toOffset: UInt64(slot + 2 * RingLayout.segmentEntrySize))
            try file.write(contentsOf: Data([0x77, 0, 0, 0, 0, 0, 0, 0]))
            try file.close()
            #expect(reader.segments().isEmpty)
            #expect(throws: RingError.badFormat(path: name.path, reason: "segment table slot of segment 3 holds 119")) {
                try RingWriter(open: name)
            }
            // A segment whose end lies beyond what was written reads as gone, not as a trap.
            bogus.end = RingSegment.End(position: 1 << 40, sequence: 1 << 40, dts: 0)
            #expect(reader.readSegment(bogus) { _, _ in } == .gone)
        }
    }
}
