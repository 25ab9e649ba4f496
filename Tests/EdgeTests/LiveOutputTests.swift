import EventLoop
import Ring
import Testing
@testable import Edge

@Suite struct LiveOutputTests {
    /// What `flush` handed out: each piece's bytes and whether it starts a group.
    static func flush(_ output: inout LiveOutput, viewers: Int, nowMs: UInt64) -> [([UInt8], Bool)] {
        var pieces: [([UInt8], Bool)] = []
        output.flush(viewers: viewers, nowMs: nowMs) { piece, startsGroup in
            pieces.append((piece.withUnsafeBytes { Array($0) }, startsGroup))
        }
        return pieces
    }

    static func kept(_ output: LiveOutput) -> [[UInt8]]? {
        output.group.pieces.map { $0.map { piece in piece.withUnsafeBytes { Array($0) } } }
    }

    @Test func fewViewersGetEachFlushAtOnceCutAtTheGroupStart() {
        var output = LiveOutput()
        output.bytes = [1, 2]
        output.beginGroup()
        output.bytes += [3, 4]
        let pieces = Self.flush(&output, viewers: 5, nowMs: 1000)
        #expect(pieces.map(\.0) == [[1, 2], [3, 4]])
        #expect(pieces.map(\.1) == [false, true])
        #expect(Self.kept(output) == [[3, 4]])
        #expect(output.isEmpty)
        #expect(output.nextFlush(viewers: 5, nowMs: 1001) == nil)
    }

    @Test func manyViewersGetAtMostOneFlushPerInterval() {
        let many = LiveBatching.viewerThreshold + 1
        var output = LiveOutput()
        output.beginGroup()
        output.bytes = [1]
        #expect(Self.flush(&output, viewers: many, nowMs: 1000).map(\.0) == [[1]])
        output.bytes += [2]
        #expect(Self.flush(&output, viewers: many, nowMs: 1010).isEmpty)
        #expect(output.nextFlush(viewers: many, nowMs: 1010) == 1000 + LiveBatching.intervalMs)
        #expect(Self.kept(output) == [[1]])  // only what was handed out, for joiners
        output.beginGroup()
        output.bytes += [3]
        output.beginGroup()  // a later group start in the same held bytes: the cut stays at the first
        output.bytes += [4]
        let pieces = Self.flush(&output, viewers: many, nowMs: 1000 + LiveBatching.intervalMs)
        #expect(pieces.map(\.0) == [[2], [3, 4]])
        #expect(pieces.map(\.1) == [false, true])
        #expect(Self.kept(output) == [[3, 4]])
    }

    @Test func noViewerCountHandsOutAtOnce() {
        let many = LiveBatching.viewerThreshold + 1
        var output = LiveOutput()
        output.bytes = [1]
        _ = Self.flush(&output, viewers: many, nowMs: 1000)
        output.bytes = [2]
        #expect(Self.flush(&output, viewers: 0, nowMs: 1001).map(\.0) == [[2]])
    }
}
