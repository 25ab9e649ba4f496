import Testing
@testable import HTTP
import TestSupport

/// Input from peers that are broken or malicious: every case must end in an `HTTPParseError` with the right
/// status, on any split, without a crash.
@Suite struct HTTPRequestParserHostileTests {
    static let refusals: [(String, HTTPParseError.Kind)] = [
        // framing and smuggling
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .conflictingFraming),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", .conflictingFraming),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", .badContentLength),
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length : 5\r\n\r\nhello", .malformedHeader),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\rX-A: 1\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", .badChunk),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", .badChunk),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\n", .badChunk),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", .badChunk),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\rabc\r\n", .badChunk),
        // request line
        ("GET / HTTP/1.2\r\nHost: h\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("GET / http/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/x.y\r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("GET /\r\n\r\n", .malformedRequestLine),
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        (" GET / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1 extra\r\n\r\n", .malformedRequestLine),
        ("G(T / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET /a\u{7F} HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .malformedRequestLine),
        // headers
        ("GET / HTTP/1.1\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\r\nX\u{0}A: b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-A: \u{1B}[31m\r\n\r\n", .malformedHeader),
    ]

    @Test(arguments: 0..<refusals.count) func refused(index: Int) {
        let (text, kind) = Self.refusals[index]
        for split in Split.all {
            let error = refusal(text, split: split)
            #expect(error?.kind == kind, "\(split.testDescription): \(String(reflecting: text))")
        }
    }

    @Test func statuses() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")?.status == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: br\r\n\r\n")?.status == 501)
        #expect(refusal("GET / HTTP/3.0\r\nHost: h\r\n\r\n")?.status == 505)
        #expect(refusal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")?.status == 400)
    }

    @Test func hugeHeaderSection() {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 9000) + "\r\n\r\n"
        for split in [Split.whole, .byteByByte] {
            let error = refusal(text, split: split)
            #expect(error?.kind == .headerTooLarge && error?.status == 431)
        }
        let longTarget = "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n"
        #expect(refusal(longTarget)?.status == 431)
        let blankLines = String(repeating: "\r\n", count: 5000)
        #expect(refusal(blankLines)?.status == 431)
    }

    @Test func thousandsOfHeaders() {
        let text = "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "A:b\n", count: 2000) + "\r\n"
        let error = refusal(text, parser: HTTPRequestParser(maxHeaderBytes: 64 * 1024))
        #expect(error?.kind == .tooManyHeaders && error?.status == 431)
        let fits = "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "A:b\r\n", count: 99) + "\r\n"
        #expect(throws: Never.self) { try receive(fits) }
    }

    @Test func bodyLimits() throws {
        let parser = HTTPRequestParser(maxBodyBytes: 10)
        let tooLong = refusal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", parser: parser)
        #expect(tooLong?.kind == .bodyTooLarge && tooLong?.status == 413)
        let chunks = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"
        #expect(refusal(chunks, parser: parser)?.kind == .bodyTooLarge)
        let exact = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10, 10\r\n\r\n0123456789"
        #expect(try receive(exact, parser: parser).first?.bodyText == "0123456789")
    }

    /// Garbage is refused on its first bytes, not after `maxHeaderBytes`.
    @Test func garbageIsRefusedQuickly() throws {
        let cases: [([UInt8], Int)] = [
            ([0x16, 0x03, 0x01, 0x02, 0x00] + Array(repeating: 0x41, count: 200), 1),  // a TLS ClientHello
            (Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), 16),
            (Array(repeating: UInt8(ascii: "A"), count: 500), 25),
            (Array("GET /\u{0}".utf8) + Array(repeating: 0x41, count: 500), 6),
        ]
        for (bytes, limit) in cases {
            var parser = HTTPRequestParser()
            var fed = 0
            #expect(throws: HTTPParseError.self) {
                for b in bytes {
                    fed += 1
                    _ = try [b].withUnsafeBytes { try parser.feed($0) { _ in } }
                }
            }
            #expect(fed <= limit, "refused after \(fed) bytes")
        }
    }

    /// Valid requests with random bytes changed, inserted or removed: each is parsed or refused with one of the
    /// statuses a server sends; nothing crashes, and whole and byte-by-byte feeding agree.
    @Test func mutatedRequests() throws {
        let seeds = [
            "GET /s/index.m3u8?t=1 HTTP/1.1\r\nHost: h\r\nRange: bytes=0-9\r\n\r\n",
            "POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody",
            "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        ].map { Array($0.utf8) }
        var random = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0, 9, 10, 13, 32, 43, 44, 45, 46, 47, 48, 58, 59, 0x7F, 0xFF, UInt8(ascii: "%")]
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                let b = Bool.random(using: &random) ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = b
                case 1: bytes.insert(b, at: at)
                default: if bytes.count > 1 { bytes.remove(at: at) }
                }
            }
            let whole = outcome(bytes, split: .whole)
            let byByte = outcome(bytes, split: .byteByByte)
            #expect(whole == byByte, "\(HTTPSyntax.quote(bytes))")
        }
    }

    /// What a connection sees: the requests' paths and bodies, or the status it is refused with.
    private func outcome(_ bytes: [UInt8], split: Split) -> String {
        do {
            let requests = try receive(bytes, split: split, close: true)
            return requests.map { "\($0.head.method) \($0.head.path) \($0.body)" }.joined(separator: "|")
        } catch let error as HTTPParseError {
            #expect([400, 413, 431, 501, 505].contains(error.status))
            return "refused \(error.kind)"
        } catch {
            Issue.record("unexpected error \(error)")
            return "?"
        }
    }
}
