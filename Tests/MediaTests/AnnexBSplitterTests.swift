import Testing
@testable import Media
import TestSupport

/// `AnnexBSplitter` against a byte-at-a-time reference, fed whole, byte by byte and in random pieces; and the
/// framer fed piece by piece (as the MPEG-TS demuxer feeds it) against the same access unit framed whole.
@Suite struct AnnexBSplitterTests {
    /// The NAL units of an Annex B stream, the plain way: the bytes between `00 00 01` start codes, trailing zeros
    /// dropped, nothing before the first start code, no empty unit.
    static func reference(_ bytes: [UInt8]) -> [[UInt8]] {
        var units: [[UInt8]] = []
        var current: [UInt8]?
        func close() {
            guard var unit = current else { return }
            while unit.last == 0 { unit.removeLast() }
            if !unit.isEmpty { units.append(unit) }
        }
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count && bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 {
                close()
                current = []
                i += 3
            } else {
                current?.append(bytes[i])
                i += 1
            }
        }
        close()
        return units
    }

    /// The splitter's NAL units for `bytes` cut into pieces of `sizes` (cycled); checks that each unit starts
    /// with one `first` span and ends with `.end`.
    static func split(_ bytes: [UInt8], sizes: [Int]) -> [[UInt8]] {
        var splitter = AnnexBSplitter()
        var units: [[UInt8]] = []
        var open = false
        let handle: (AnnexBSplitter.Event) -> Void = { event in
            switch event {
            case .bytes(let span, let first):
                #expect(first == !open)
                if first { units.append([]) }
                open = true
                units[units.count - 1].append(contentsOf: span)
            case .end:
                #expect(open)
                open = false
            }
        }
        var offset = 0, n = 0
        bytes.withUnsafeBytes { all in
            while offset < all.count {
                let size = min(sizes[n % sizes.count], all.count - offset)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)]), handle)
                offset += size
                n += 1
            }
        }
        splitter.finish(handle)
        #expect(!open)
        return units
    }

    private func checkAllWays(_ bytes: [UInt8], seed: UInt64 = 1) {
        let expected = Self.reference(bytes)
        #expect(Self.split(bytes, sizes: [max(bytes.count, 1)]) == expected, "whole: \(bytes)")
        #expect(Self.split(bytes, sizes: [1]) == expected, "byte by byte: \(bytes)")
        var random = SplitMix64(seed: seed)
        let sizes = (0..<16).map { _ in Int.random(in: 1...40, using: &random) }
        #expect(Self.split(bytes, sizes: sizes) == expected, "pieces \(sizes): \(bytes)")
    }

    @Test func startCodesOfThreeAndFourBytes() {
        let stream: [UInt8] = [0xFF, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0, 0, 3, 4, 0]
        #expect(Self.reference(stream) == [[0x67, 1, 2], [0x68, 3], [0x65, 0, 0, 3, 4]])
        checkAllWays(stream)
    }

    @Test func zerosAndOnesThatAreNotStartCodes() {
        checkAllWays([0, 0, 1, 0x41, 0, 1, 0, 0, 2, 1, 0, 0])  // 00 01 and 00 00 02 are content
        checkAllWays([0, 0, 1, 0, 0x41, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5])  // leading zeros are content, trailing ones not
        checkAllWays([0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0x65, 0, 0, 1])  // empty units, and one at the end
        checkAllWays([0, 1, 0, 0, 1])  // a 01 too early to close a start code
        checkAllWays([1, 0, 0, 1, 0x65, 7])
        checkAllWays([0, 0, 0, 0])
        checkAllWays([])
    }

    @Test func startCodeCutAtEveryPlace() {
        let stream: [UInt8] = [0, 0, 0, 1, 0x65, 9, 0, 0, 8, 0, 0, 0, 1, 0x41, 0, 0, 1, 0x41, 1]
        let expected = Self.reference(stream)
        for cut in 1..<stream.count {
            #expect(Self.split(stream, sizes: [cut, stream.count]) == expected, "cut at \(cut)")
        }
    }

    /// `count` bytes, four in ten of them 00 and two in ten 01.
    static func richInZerosAndOnes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: 0
            case 4..<6: 1
            default: UInt8.random(in: 0...255, using: &random)
            }
        }
    }

    /// Streams rich in 00 and 01 bytes, so that start codes, near misses and zero runs fall on piece boundaries.
    @Test func randomStreams() {
        var random = SplitMix64(seed: 42)
        for round in 0..<3000 {
            let bytes = Self.richInZerosAndOnes(Int.random(in: 0...200, using: &random), &random)
            checkAllWays(bytes, seed: UInt64(round))
        }
    }

    /// A long run of coded bytes without a 01, so that the 16-byte search runs, with start codes around it.
    @Test func longUnits() {
        var random = SplitMix64(seed: 7)
        var stream: [UInt8] = []
        for length in [15, 16, 17, 31, 32, 33, 1000] {
            stream += [0, 0, 0, 1] + (0..<length).map { _ in UInt8.random(in: 2...255, using: &random) }
        }
        checkAllWays(stream)
    }

    /// Coded units (no 00 or 01 in them) with 3- and 4-byte start codes and emulation prevention sequences at
    /// every offset of the search's 64-byte steps, fed whole, byte by byte, in random pieces and in TS payloads.
    @Test func startCodesAtEveryOffsetOfLongUnits() {
        var random = SplitMix64(seed: 9)
        for length in 60...130 {
            var stream: [UInt8] = []
            for (n, code) in ([[0, 0, 0, 1], [0, 0, 1], [0, 0, 1]] as [[UInt8]]).enumerated() {
                var unit = (0..<length).map { _ in UInt8.random(in: 2...255, using: &random) }
                unit[(length + n * 7) % length / 2] = 0
                unit.insert(contentsOf: [0, 0, 3], at: (length * (n + 1)) / 4)  // emulation prevention
                stream += code + unit
            }
            checkAllWays(stream, seed: UInt64(length))
            #expect(Self.split(stream, sizes: [184]) == Self.reference(stream), "in 184-byte pieces: \(stream)")
        }
    }

    /// An elementary stream from ffmpeg, as one access unit: framed whole and piece by piece, the payload, the
    /// outcome and the track are the same, and the payload holds the picture NAL units of the reference split.
    @Test(arguments: ["h264_high.h264", "h264_interlaced.h264", "h265_main.h265"])
    func framerFedInPieces(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let codec: Codec = name.hasSuffix(".h265") ? .h265 : .h264
        var whole = VideoAccessUnitFramer()
        var wholeTrack = Track(id: 1, codec: codec)
        let outcome = try bytes.withUnsafeBytes { try whole.frame($0, track: &wholeTrack) }
        #expect(outcome == .frame([.keyframe, .configChange]))

        var expected: [UInt8] = []
        for nal in Self.reference(bytes) {
            let type = codec == .h264 ? H264.nalType(nal[0]) : H265.nalType(nal[0])
            let taken: [UInt8] = codec == .h264 ? [H264.aud, H264.sps, H264.pps] : [H265.aud, H265.vps, H265.sps, H265.pps]
            if !taken.contains(type) { nal.withUnsafeBytes { LengthPrefixed.append($0, to: &expected) } }
        }
        #expect(whole.withPayload { Array($0) } == expected)

        for sizes in [[1], [184], [7, 184, 1, 100, 3]] {
            var framer = VideoAccessUnitFramer()
            var track = Track(id: 1, codec: codec)
            framer.begin(codec: codec)
            var offset = 0, n = 0
            bytes.withUnsafeBytes { all in
                while offset < all.count {
                    let size = min(sizes[n % sizes.count], all.count - offset)
                    framer.append(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)]))
                    offset += size
                    n += 1
                }
            }
            #expect(try framer.finish(track: &track) == outcome, "pieces \(sizes)")
            #expect(framer.withPayload { Array($0) } == whole.withPayload { Array($0) }, "pieces \(sizes)")
            #expect(track == wholeTrack, "pieces \(sizes)")
        }
    }
}
