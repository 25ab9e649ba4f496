import Testing
@testable import Media
import TestSupport

/// `StartCodeSearch` against the plain byte-by-byte search, on coded-like bytes with start codes (3- and 4-byte),
/// emulation prevention sequences and zero runs at every offset of its 64- and 16-byte steps, from every start.
@Suite struct StartCodeSearchTests {
    /// The index of the 01 of the first `00 00 01` whose 01 lies in `bytes[from..<to]`, or `to`.
    static func reference(_ bytes: [UInt8], from: Int, to: Int) -> Int {
        var j = from
        while j < to && !(bytes[j] == 1 && bytes[j - 1] == 0 && bytes[j - 2] == 0) { j += 1 }
        return j
    }

    static func search(_ bytes: [UInt8], from: Int, to: Int) -> Int {
        bytes.withUnsafeBufferPointer { StartCodeSearch.end(in: $0.baseAddress!, from: from, to: to) }
    }

    /// Every `from` and a few `to` of `bytes` give the reference's answer.
    private func checkEveryRange(_ bytes: [UInt8], _ comment: String) {
        for from in 2...max(2, bytes.count) {
            for to in Set([bytes.count, max(from, bytes.count - 1), min(bytes.count, from + 17), min(bytes.count, from + 66)])
            where to >= from {
                let found = Self.search(bytes, from: from, to: to)
                let expected = Self.reference(bytes, from: from, to: to)
                if found != expected {
                    Issue.record("\(comment): from \(from) to \(to): \(found), expected \(expected)")
                    return
                }
            }
        }
    }

    /// Coded bytes: no 00 and no 01, so only what a test puts in can match.
    static func coded(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 2...255, using: &random) }
    }

    @Test func startCodeAtEveryOffset() {
        var random = SplitMix64(seed: 3)
        for count in [3, 15, 16, 17, 18, 63, 64, 65, 66, 67, 130, 184] {
            for code in [[0, 0, 1], [0, 0, 0, 1]] as [[UInt8]] where code.count <= count {
                for offset in 0...(count - code.count) {
                    var bytes = Self.coded(count, &random)
                    bytes.replaceSubrange(offset..<(offset + code.count), with: code)
                    checkEveryRange(bytes, "\(code) at \(offset) of \(count)")
                }
            }
        }
    }

    /// `00 00 03` (emulation prevention) and `00 00 02` are not start codes, wherever they lie; nor is `00 01`
    /// or a lone zero before a 01.
    @Test func nearMissesAtEveryOffset() {
        var random = SplitMix64(seed: 5)
        for near in [[0, 0, 3], [0, 0, 3, 1], [0, 0, 2], [0, 1], [0, 2, 1], [0, 3, 0, 1]] as [[UInt8]] {
            for offset in 0...(130 - near.count) {
                var bytes = Self.coded(130, &random)
                bytes.replaceSubrange(offset..<(offset + near.count), with: near)
                #expect(Self.search(bytes, from: 2, to: bytes.count) == bytes.count, "\(near) at \(offset)")
                checkEveryRange(bytes, "\(near) at \(offset)")
            }
        }
    }

    /// Bytes rich in 00 and 01: start codes close together, zero runs, and matches that begin before `from`.
    @Test func randomBuffers() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<400 {
            let bytes = AnnexBSplitterTests.richInZerosAndOnes(Int.random(in: 2...200, using: &random), &random)
            checkEveryRange(bytes, "\(bytes)")
        }
    }
}
