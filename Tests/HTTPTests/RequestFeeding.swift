import Testing
@testable import HTTP
import TestSupport

/// How a test hands bytes to a parser: as one read, one byte per read, or reads of random sizes (seeded).
enum Split: Sendable, CustomTestStringConvertible {
    case whole
    case byteByByte
    case random(seed: UInt64)

    static let all: [Split] = [.whole, .byteByByte, .random(seed: 1), .random(seed: 2), .random(seed: 3)]

    var testDescription: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "random splits, seed \(seed)"
        }
    }

    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole:
            return [bytes]
        case .byteByByte:
            return bytes.map { [$0] }
        case .random(let seed):
            var random = SplitMix64(seed: seed)
            var pieces: [[UInt8]] = []
            var i = 0
            while i < bytes.count {
                let size = Int.random(in: 1...max(1, min(40, bytes.count - i)), using: &random)
                pieces.append(Array(bytes[i..<(i + size)]))
                i += size
            }
            return pieces
        }
    }
}

/// One request as a parser reported it.
struct ReceivedRequest {
    var head: HTTPRequest
    var body: [UInt8] = []
    var ended = false
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Feeds `text` to `parser` as a connection would, keeping what `feed` did not use for the next call, and collects
/// the requests. With `close`, the peer closes at the end (`finish`).
func receive(_ text: String, split: Split = .whole, parser: HTTPRequestParser = HTTPRequestParser(),
             close: Bool = false) throws -> [ReceivedRequest] {
    try receive(Array(text.utf8), split: split, parser: parser, close: close)
}

func receive(_ bytes: [UInt8], split: Split = .whole, parser: HTTPRequestParser = HTTPRequestParser(),
             close: Bool = false) throws -> [ReceivedRequest] {
    var parser = parser
    var requests: [ReceivedRequest] = []
    var pending: [UInt8] = []
    for piece in split.pieces(bytes) {
        pending += piece
        while !pending.isEmpty {
            let used = try pending.withUnsafeBytes { buffer in
                try parser.feed(buffer) { event in
                    switch event {
                    case .head(let head): requests.append(ReceivedRequest(head: head))
                    case .body(let bytes): requests[requests.count - 1].body += bytes
                    case .end: requests[requests.count - 1].ended = true
                    }
                }
            }
            #expect(used > 0)
            pending.removeFirst(used)
        }
    }
    if close { try parser.finish() }
    return requests
}

/// The error `text` is refused with, fed in `split`; a test failure when it is accepted.
func refusal(_ text: String, split: Split = .whole, parser: HTTPRequestParser = HTTPRequestParser(),
             sourceLocation: SourceLocation = #_sourceLocation) -> HTTPParseError? {
    refusal(Array(text.utf8), split: split, parser: parser, sourceLocation: sourceLocation)
}

func refusal(_ bytes: [UInt8], split: Split = .whole, parser: HTTPRequestParser = HTTPRequestParser(),
             sourceLocation: SourceLocation = #_sourceLocation) -> HTTPParseError? {
    #expect(throws: HTTPParseError.self, sourceLocation: sourceLocation) {
        _ = try receive(bytes, split: split, parser: parser, close: true)
    }
}
