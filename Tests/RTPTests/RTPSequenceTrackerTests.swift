import Testing
@testable import RTP

/// RTPSequenceTracker alone: packets are one byte (their sequence number's low byte), so that what comes out can
/// be checked against what went in.
@Suite struct RTPSequenceTrackerTests {
    /// Feeds `(sequence number, arrival)` pairs; returns what was delivered, as (low byte, lostBefore).
    static func run(_ tracker: inout RTPSequenceTracker, _ input: [(seq: UInt16, at: Int64)]) -> [(UInt8, Int)] {
        var out: [(UInt8, Int)] = []
        for (seq, at) in input {
            [UInt8(truncatingIfNeeded: seq)].withUnsafeBytes { bytes in
                tracker.push(bytes, sequenceNumber: seq, arrival: at) { b, lost, _ in out.append((b[0], lost)) }
            }
        }
        return out
    }

    static func feed(_ tracker: inout RTPSequenceTracker, _ seqs: [UInt16]) -> [(UInt8, Int)] {
        run(&tracker, seqs.enumerated().map { ($1, Int64($0)) })
    }

    static func finish(_ tracker: inout RTPSequenceTracker) -> [(UInt8, Int)] {
        var out: [(UInt8, Int)] = []
        tracker.flushAll { b, lost, _ in out.append((b[0], lost)) }
        return out
    }

    static func bytes(_ out: [(UInt8, Int)]) -> [UInt8] { out.map(\.0) }
    static func losses(_ out: [(UInt8, Int)]) -> [Int] { out.map(\.1) }

    @Test func inOrder() {
        var t = RTPSequenceTracker()
        let out = Self.feed(&t, Array(10...20)) + Self.finish(&t)
        #expect(Self.bytes(out) == Array(10...20))
        #expect(Self.losses(out).allSatisfy { $0 == 0 })
        #expect(t.stats.received == 11 && t.stats.delivered == 11 && t.stats.lost == 0 && t.stats.reordered == 0)
        #expect(t.expected == 21 && t.highest == 20)
    }

    @Test func inOrderAcrossWrap() {
        var t = RTPSequenceTracker()
        let seqs: [UInt16] = [65533, 65534, 65535, 0, 1, 2]
        let out = Self.feed(&t, seqs) + Self.finish(&t)
        #expect(Self.bytes(out) == seqs.map { UInt8(truncatingIfNeeded: $0) })
        #expect(t.stats.lost == 0 && t.highest == 65538)
    }

    @Test func swappedNeighbours() {
        var t = RTPSequenceTracker()
        let out = Self.feed(&t, [10, 12, 11, 13, 15, 14, 16]) + Self.finish(&t)
        #expect(Self.bytes(out) == Array(10...16))
        #expect(Self.losses(out).allSatisfy { $0 == 0 })
        #expect(t.stats.reordered == 2 && t.stats.lost == 0 && t.stats.late == 0 && t.stats.duplicates == 0)
    }

    /// The very first two packets swapped: the first one to arrive must wait for the one before it.
    @Test func swappedAtTheStart() {
        var t = RTPSequenceTracker()
        let out = Self.feed(&t, [11, 10, 12, 13]) + Self.finish(&t)
        #expect(Self.bytes(out) == Array(10...13))
        #expect(Self.losses(out).allSatisfy { $0 == 0 })
        #expect(t.stats.late == 0 && t.stats.duplicates == 0 && t.stats.lost == 0)
    }

    @Test func duplicatesAfterDelivery() {
        var t = RTPSequenceTracker(maxPackets: 2)
        // 10 and 11 fill the window, 12 makes 10 and 11 go out; then 11 and 10 again.
        let out = Self.feed(&t, [10, 11, 12, 11, 10, 13]) + Self.finish(&t)
        #expect(Self.bytes(out) == Array(10...13))
        #expect(t.stats.duplicates == 2 && t.stats.late == 0 && t.stats.lost == 0)
    }

    @Test func duplicates() {
        var t = RTPSequenceTracker()
        // Each of 10, 12 and 11 twice in a row, while waiting.
        let out = Self.feed(&t, [10, 10, 12, 12, 11, 11, 13]) + Self.finish(&t)
        #expect(Self.bytes(out) == Array(10...13))
        #expect(t.stats.duplicates == 3 && t.stats.late == 0 && t.stats.lost == 0)
        #expect(t.stats.received == 7 && t.stats.delivered == 4)
    }

    @Test func gapGivenUpAtTheEnd() {
        var t = RTPSequenceTracker()
        let out = Self.feed(&t, [10, 11, 14, 15]) + Self.finish(&t)
        #expect(Self.bytes(out) == [10, 11, 14, 15])
        #expect(Self.losses(out) == [0, 0, 2, 0])
        #expect(t.stats.lost == 2)
    }

    @Test func latePacketAfterGivingUp() {
        var t = RTPSequenceTracker(maxPackets: 4)
        // 12 is missing; 13...16 fill the window, 17 makes it overflow: 12 is given up. Then 12 comes: late.
        let out = Self.feed(&t, [10, 11, 13, 14, 15, 16, 17, 12, 11])
        #expect(Self.bytes(out) == [10, 11, 13, 14, 15, 16, 17])
        #expect(Self.losses(out) == [0, 0, 1, 0, 0, 0, 0])
        #expect(t.stats.lost == 1 && t.stats.late == 1 && t.stats.duplicates == 1)
    }

    @Test func windowOverflow() {
        var t = RTPSequenceTracker(maxPackets: 4)
        // 11 is missing; 12...14 wait (3 pending); 15 would need a fifth slot: 11 is given up.
        var out = Self.feed(&t, [10, 12, 13, 14])
        #expect(Self.bytes(out) == [10])
        out += Self.run(&t, [(15, 4)])
        #expect(Self.bytes(out) == [10, 12, 13, 14, 15])
        #expect(Self.losses(out) == [0, 1, 0, 0, 0])
        #expect(t.stats.lost == 1 && t.stats.reordered == 0 && t.expected == 16)
    }

    @Test func farJumpAheadGivesUpTheGap() {
        var t = RTPSequenceTracker(maxPackets: 4)
        let out = Self.feed(&t, [10, 12, 20, 21]) + Self.finish(&t)
        #expect(Self.bytes(out) == [10, 12, 20, 21])
        #expect(Self.losses(out) == [0, 1, 7, 0])
        #expect(t.stats.lost == 8)
    }

    /// Collects what `flush(now:)` delivers.
    static func flush(_ tracker: inout RTPSequenceTracker, now: Int64) -> [(UInt8, Int)] {
        var out: [(UInt8, Int)] = []
        tracker.flush(now: now) { b, lost, _ in out.append((b[0], lost)) }
        return out
    }

    @Test func timeoutThroughFlush() {
        var t = RTPSequenceTracker(maxDelay: 100)
        // The first packet waits maxDelay; 12 and 13 wait for 11 until 12 has waited maxDelay.
        var out = Self.run(&t, [(10, 0), (12, 10), (13, 20)])
        #expect(out.isEmpty)
        out += Self.flush(&t, now: 99)
        #expect(out.isEmpty)
        out += Self.flush(&t, now: 100)
        #expect(Self.bytes(out) == [10])
        out += Self.flush(&t, now: 109)
        #expect(Self.bytes(out) == [10])
        out += Self.flush(&t, now: 110)
        #expect(Self.bytes(out) == [10, 12, 13])
        #expect(Self.losses(out) == [0, 1, 0])
        #expect(t.stats.lost == 1 && t.expected == 14)
        // 11 now is late; 14 goes straight out.
        out += Self.run(&t, [(11, 120), (14, 130)])
        #expect(Self.bytes(out) == [10, 12, 13, 14] && t.stats.late == 1)
    }

    @Test func arrivalOfEachPacket() {
        var t = RTPSequenceTracker()
        var arrivals: [Int64] = []
        for (seq, at) in [(UInt16(11), Int64(5)), (10, 7), (12, 9)] {
            [UInt8(0)].withUnsafeBytes { t.push($0, sequenceNumber: seq, arrival: at) { _, _, a in arrivals.append(a) } }
        }
        t.flushAll { _, _, a in arrivals.append(a) }
        #expect(arrivals == [7, 5, 9])
    }

    /// The first packet numbered near 0 and one sent before it (65535, extended to -1).
    @Test func beforeAFirstPacketNumberedZero() {
        var t = RTPSequenceTracker(maxPackets: 4)
        let out = Self.feed(&t, [0, 65535, 1, 3, 4, 5]) + Self.finish(&t)
        #expect(Self.bytes(out) == [255, 0, 1, 3, 4, 5])
        #expect(Self.losses(out) == [0, 0, 0, 1, 0, 0])
        #expect(t.stats.lost == 1 && t.stats.reordered == 1 && t.highest == 5)
    }

    /// Before the start but too far back for the window: late.
    @Test func tooFarBeforeTheStart() {
        var t = RTPSequenceTracker(maxPackets: 4)
        let out = Self.feed(&t, [10, 11, 12, 8]) + Self.finish(&t)
        #expect(Self.bytes(out) == [10, 11, 12])
        #expect(t.stats.late == 1)
    }

    @Test func timeoutOnPush() {
        var t = RTPSequenceTracker(maxDelay: 100)
        // 12 waits for 11; a packet further ahead arriving 100 ticks later gives 11 up.
        let out = Self.run(&t, [(10, 0), (12, 0), (14, 100)])
        #expect(Self.bytes(out) == [10, 12])
        #expect(t.stats.lost == 1 && t.expected == 13)
    }

    @Test func resetOnAJump() {
        var t = RTPSequenceTracker()
        let out = Self.feed(&t, [10, 11, 40_000, 40_001]) + Self.finish(&t)
        #expect(Self.bytes(out) == [10, 11, UInt8(truncatingIfNeeded: 40_000), UInt8(truncatingIfNeeded: 40_001)])
        #expect(Self.losses(out) == [0, 0, 1, 0])
        #expect(t.stats.resets == 1)
    }

    @Test func resetBackwardsNearZero() {
        var t = RTPSequenceTracker()
        // From 100 to 62000 (a restart; 3636 back from 100): extended numbers must not go negative, a gap after
        // the reset included.
        let out = Self.feed(&t, [100, 101, 62000, 62002, 62001, 62004]) + Self.finish(&t)
        #expect(Self.bytes(out) == [100, 101, 62000, 62001, 62002, 62004].map { UInt8(truncatingIfNeeded: $0) })
        #expect(t.stats.resets == 1 && t.stats.lost == 1)
    }
}
