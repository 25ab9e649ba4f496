import Testing
@testable import HTTP

/// Feeds `bytes` to a parser in pieces of `split` bytes (0 = whole) and collects what it reports.
private func parse(_ text: String, split: Int = 0, head: Bool = false, close: Bool = false) throws -> (HTTPResponseHead?, [UInt8], Bool) {
    var parser = HTTPResponseParser(maxHeaderBytes: 512)
    parser.isHeadRequest = head
    var gotHead: HTTPResponseHead?
    var body: [UInt8] = []
    var ended = false
    let handler: (HTTPResponseParser.Event) -> Void = { event in
        switch event {
        case .head(let h): gotHead = h
        case .body(let b): body.append(contentsOf: b)
        case .end: ended = true
        }
    }
    let bytes = Array(text.utf8)
    let step = split == 0 ? max(bytes.count, 1) : split
    var i = 0
    while i < bytes.count {
        let piece = Array(bytes[i..<min(i + step, bytes.count)])
        try piece.withUnsafeBytes { try parser.feed($0, handler) }
        i += step
    }
    if close { try parser.finish(handler) }
    return (gotHead, body, ended)
}

@Suite struct HTTPResponseParserTests {
    static let splits = [0, 1, 2, 7]

    @Test(arguments: splits) func contentLength(split: Int) throws {
        let (head, body, ended) = try parse("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nContent-Length: 5\r\n\r\nhelloEXTRA", split: split)
        #expect(head?.status == 200 && head?.reason == "OK")
        #expect(head?.header("content-type") == "video/mp2t")
        #expect(body == Array("hello".utf8))
        #expect(ended)
    }

    @Test(arguments: splits) func chunkedWithExtensionsAndTrailers(split: Int) throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let (_, body, ended) = try parse(text, split: split)
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia in\r\n\r\nchunks.")
        #expect(ended)
    }

    @Test(arguments: splits) func untilCloseAndBareLineFeeds(split: Int) throws {
        let (head, body, ended) = try parse("HTTP/1.0 200 OK\nServer: x\n\nstream bytes", split: split, close: true)
        #expect(head?.version == "HTTP/1.0")
        #expect(body == Array("stream bytes".utf8))
        #expect(ended)
    }

    @Test func interimResponsesAreSkipped() throws {
        let (head, _, ended) = try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n")
        #expect(head?.status == 302 && head?.header("Location") == "/x")
        #expect(ended)
    }

    @Test func headResponseHasNoBody() throws {
        let (_, body, ended) = try parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", head: true)
        #expect(body.isEmpty && ended)
    }

    @Test func refusesMalformedInput() {
        #expect(throws: HTTPParseError.self) { try parse("SIP/2.0 200 OK\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 2000 OK\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") }
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", close: true) }
        let huge = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 100) + "\r\n"
        #expect(throws: HTTPParseError.self) { try parse(huge) }
    }

    @Test func requestRefusesInjection() throws {
        let ok = try HTTPRequestHead(target: "/a/mpegts", host: "cam:8080", headers: [("User-Agent", "Sluice")]).serialized()
        #expect(String(decoding: ok, as: UTF8.self) == "GET /a/mpegts HTTP/1.1\r\nHost: cam:8080\r\nUser-Agent: Sluice\r\n\r\n")
        #expect(throws: HTTPParseError.self) { try HTTPRequestHead(target: "/x\r\nEvil: 1", host: "h").serialized() }
    }
}
