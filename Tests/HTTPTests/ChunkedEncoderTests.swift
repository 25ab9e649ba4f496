import Testing
@testable import HTTP
import TestSupport

@Suite struct ChunkedEncoderTests {
    @Test func encodes() {
        var out: [UInt8] = []
        Array("hello".utf8).withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &out) }
        [UInt8]().withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &out) }
        [UInt8](repeating: 0x2E, count: 26).withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &out) }
        ChunkedEncoder.appendChunkHeader(size: 4096, to: &out)
        ChunkedEncoder.appendTerminator(to: &out)
        #expect(String(decoding: out, as: UTF8.self)
            == "5\r\nhello\r\n1A\r\n" + String(repeating: ".", count: 26) + "\r\n1000\r\n0\r\n\r\n")
    }

    /// What the encoder writes, the response parser reads back, in any split.
    @Test func roundTripsThroughTheResponseParser() throws {
        var random = SplitMix64(seed: 11)
        var wire = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var sent: [UInt8] = []
        for _ in 0..<50 {
            let piece = (0..<Int.random(in: 0...700, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            sent += piece
            piece.withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &wire) }
        }
        ChunkedEncoder.appendTerminator(to: &wire)
        for split in Split.all {
            var parser = HTTPResponseParser()
            var received: [UInt8] = []
            var ended = false
            for piece in split.pieces(wire) {
                try piece.withUnsafeBytes { bytes in
                    try parser.feed(bytes) { event in
                        if case .body(let b) = event { received += b }
                        if case .end = event { ended = true }
                    }
                }
            }
            #expect(received == sent && ended)
        }
    }
}
