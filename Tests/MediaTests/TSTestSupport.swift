import Testing
@testable import Media
import TestSupport

/// Runs the demuxer over a whole stream fed in the pieces given by `chunkSizes` (cycled), then flushes.
func demux(_ bytes: [UInt8], options: TSDemuxer.Options = .init(), chunkSizes: [Int]) -> (frames: [Frame], demuxer: TSDemuxer) {
    var demuxer = TSDemuxer(options: options)
    var frames: [Frame] = []
    var offset = 0, n = 0
    bytes.withUnsafeBytes { all in
        while offset < all.count {
            let size = min(max(1, chunkSizes[n % chunkSizes.count]), all.count - offset)
            demuxer.feed(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + size)])) {
                frames.append(Frame(info: $0, payload: Array($1)))
            }
            offset += size
            n += 1
        }
    }
    demuxer.flush { frames.append(Frame(info: $0, payload: Array($1))) }
    return (frames, demuxer)
}

/// The three ways every demuxer test feeds a stream: whole, byte by byte, and in random chunks.
enum Feeding: CaseIterable, CustomStringConvertible {
    case whole, byteByByte, randomChunks

    var description: String { "\(self == .whole ? "whole" : self == .byteByByte ? "byte by byte" : "random chunks")" }

    func run(_ bytes: [UInt8], options: TSDemuxer.Options = .init()) -> (frames: [Frame], demuxer: TSDemuxer) {
        switch self {
        case .whole: return TSDemuxer.frames(of: bytes, options: options)
        case .byteByByte: return demux(bytes, options: options, chunkSizes: [1])
        case .randomChunks:
            var random = SplitMix64(seed: UInt64(bytes.count))
            return demux(bytes, options: options, chunkSizes: (0..<64).map { _ in Int.random(in: 1...1500, using: &random) })
        }
    }
}

extension [Frame] {
    func of(track: Int) -> [Frame] { filter { $0.info.track == track } }
}

/// Builds and edits TS packets for tests.
enum TSBuild {
    /// The 188-byte packets of `bytes` (whose length must be a multiple of 188).
    static func packets(_ bytes: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: bytes.count - TSPacket.size + 1, by: TSPacket.size).map { Array(bytes[$0..<($0 + TSPacket.size)]) }
    }

    static func pid(_ packet: [UInt8]) -> Int { Int(packet[1] & 0x1F) << 8 | Int(packet[2]) }

    static func unitStart(_ packet: [UInt8]) -> Bool { packet[1] & 0x40 != 0 }

    static func payloadOffset(_ packet: [UInt8]) -> Int {
        packet[3] & 0x20 != 0 ? 5 + Int(packet[4]) : 4
    }

    /// A section with the long syntax: table_id, extension, version, body, CRC.
    static func section(table: UInt8, extension ext: Int, version: Int = 0, body: [UInt8]) -> [UInt8] {
        let length = 5 + body.count + 4
        var s: [UInt8] = [table, 0xB0 | UInt8(length >> 8), UInt8(length & 0xFF), UInt8(ext >> 8), UInt8(ext & 0xFF),
                          0xC1 | UInt8(version << 1), 0, 0] + body
        let crc = CRC32MPEG2.checksum(s)
        s += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return s
    }

    static func pat(_ programs: [(number: Int, pmtPID: Int)], version: Int = 0) -> [UInt8] {
        section(table: 0, extension: 1, version: version, body: programs.flatMap {
            [UInt8($0.number >> 8), UInt8($0.number & 0xFF), 0xE0 | UInt8($0.pmtPID >> 8), UInt8($0.pmtPID & 0xFF)]
        })
    }

    /// A PMT; each stream is (stream_type, PID, ES descriptors).
    static func pmt(program: Int, pcrPID: Int, streams: [(type: UInt8, pid: Int, descriptors: [UInt8])],
                    programInfo: [UInt8] = [], version: Int = 0) -> [UInt8] {
        var body: [UInt8] = [0xE0 | UInt8(pcrPID >> 8), UInt8(pcrPID & 0xFF),
                             0xF0 | UInt8(programInfo.count >> 8), UInt8(programInfo.count & 0xFF)] + programInfo
        for s in streams {
            body += [s.type, 0xE0 | UInt8(s.pid >> 8), UInt8(s.pid & 0xFF),
                     0xF0 | UInt8(s.descriptors.count >> 8), UInt8(s.descriptors.count & 0xFF)] + s.descriptors
        }
        return section(table: 2, extension: program, version: version, body: body)
    }

    /// Packets carrying `section` on `pid` (pointer_field 0, 0xFF stuffing), continuity counters from `cc`.
    static func psiPackets(_ section: [UInt8], pid: Int, cc: inout UInt8) -> [[UInt8]] {
        var data = [0] + section
        var out: [[UInt8]] = []
        var first = true
        while !data.isEmpty {
            let take = min(184, data.count)
            var p: [UInt8] = [0x47, (first ? 0x40 : 0) | UInt8(pid >> 8), UInt8(pid & 0xFF), 0x10 | (cc & 0x0F)]
            p += data[0..<take]
            p += [UInt8](repeating: 0xFF, count: 184 - take)
            data.removeFirst(take)
            out.append(p)
            cc &+= 1
            first = false
        }
        return out
    }

    /// Adds `delta` to every PTS and DTS of the PES packets that start in `packets[range]`.
    static func shiftTimestamps(_ packets: inout [[UInt8]], in range: Range<Int>, by delta: Int64) {
        for i in range where unitStart(packets[i]) && ![0, 0x11, 0x1000].contains(pid(packets[i])) {
            let o = payloadOffset(packets[i])
            guard packets[i][o] == 0, packets[i][o + 1] == 0, packets[i][o + 2] == 1 else { continue }
            let flags = packets[i][o + 7] >> 6
            if flags & 2 != 0 { shift(&packets[i], at: o + 9, by: delta) }
            if flags == 3 { shift(&packets[i], at: o + 14, by: delta) }
        }
    }

    private static func shift(_ p: inout [UInt8], at i: Int, by delta: Int64) {
        var v = Int64(p[i] >> 1 & 7) << 30 | Int64(p[i + 1]) << 22 | Int64(p[i + 2] >> 1) << 15
            | Int64(p[i + 3]) << 7 | Int64(p[i + 4] >> 1)
        v = (v + delta) & (MediaTime.wrap33 - 1)
        p[i] = p[i] & 0xF1 | UInt8(v >> 29 & 0x0E)
        p[i + 1] = UInt8(v >> 22 & 0xFF)
        p[i + 2] = UInt8(v >> 14 & 0xFE) | 1
        p[i + 3] = UInt8(v >> 7 & 0xFF)
        p[i + 4] = UInt8(v << 1 & 0xFE) | 1
    }
}

/// Expects two frame lists to be equal, reporting the first difference rather than both lists.
func expectSameFrames(_ a: [Frame], _ b: [Frame], _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    let firstDifference = zip(a.indices, b.indices).first { a[$0.0] != b[$0.1] }?.0
    #expect(a.count == b.count && firstDifference == nil,
            "\(comment.map { "\($0): " } ?? "")\(a.count) vs \(b.count) frames, first difference at \(firstDifference.map(String.init) ?? "-")",
            sourceLocation: sourceLocation)
}
