import Testing
import TestSupport
@testable import RTSP

/// How a test cuts a byte stream into reads: one read, one byte per read, or reads of seeded random sizes (1 to 64
/// bytes, so that every header and length field straddles reads somewhere).
enum Feed: Sendable, CustomTestStringConvertible {
    case whole
    case bytes
    case seeded(UInt64)

    static let all: [Feed] = [.whole, .bytes, .seeded(7), .seeded(8), .seeded(9)]

    var testDescription: String {
        switch self {
        case .whole: "in one read"
        case .bytes: "one byte per read"
        case .seeded(let seed): "random reads, seed \(seed)"
        }
    }

    /// The read boundaries for `count` bytes.
    func reads(_ count: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        switch self {
        case .whole:
            return [0..<count]
        case .bytes:
            return (0..<count).map { $0..<($0 + 1) }
        case .seeded(let seed):
            var generator = SplitMix64(seed: seed)
            var ranges: [Range<Int>] = []
            var start = 0
            while start < count {
                let end = min(count, start + Int.random(in: 1...64, using: &generator))
                ranges.append(start..<end)
                start = end
            }
            return ranges
        }
    }

    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        reads(bytes.count).map { Array(bytes[$0]) }
    }
}

/// `text` as bytes with CRLF line ends (fixtures are written with `\n` for readability).
func crlf(_ text: String) -> [UInt8] {
    Array(text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n").utf8)
}

/// Every message `bytes` holds, fed as `feed` cuts them.
func parseAll(_ bytes: [UInt8], _ feed: Feed, limits: RTSPParser.Limits = RTSPParser.Limits()) throws -> [RTSPMessage] {
    var parser = RTSPParser(limits: limits)
    var messages: [RTSPMessage] = []
    for piece in feed.pieces(bytes) {
        parser.append(piece)
        while let message = try parser.next() { messages.append(message) }
    }
    try parser.finish()
    return messages
}
