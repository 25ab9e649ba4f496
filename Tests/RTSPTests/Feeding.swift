import Testing
import TestSupport
@testable import RTSP

/// How a test cuts a byte stream into reads: whole, one byte per read, or seeded random reads of 1 to 64 bytes
/// (the same three ways RTMPTests feeds its parsers; that helper lives in its target, so it is restated here).
enum Feed: Sendable, CustomTestStringConvertible {
    case whole, bytes, seeded(UInt64)

    static let all: [Feed] = [.whole, .bytes, .seeded(7), .seeded(8), .seeded(9)]

    var testDescription: String {
        if case .seeded(let seed) = self { return "random reads, seed \(seed)" }
        if case .bytes = self { return "one byte per read" }
        return "in one read"
    }

    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        var seed: UInt64 = 0
        var fixed: Int?
        switch self {
        case .whole: fixed = bytes.count
        case .bytes: fixed = 1
        case .seeded(let value): seed = value
        }
        var sizes = SplitMix64(seed: seed)
        var pieces: [[UInt8]] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let size = fixed ?? Int.random(in: 1...64, using: &sizes)
            pieces.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
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
