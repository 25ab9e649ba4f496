import Testing
@testable import HTTP

@Suite struct HTTPRequestParserTests {
    @Test(arguments: Split.all) func simpleGet(split: Split) throws {
        let text = "GET /live/index.m3u8?token=a%20b&x=1+2&flag HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n"
        let requests = try receive(text, split: split, close: true)
        let request = try #require(requests.first)
        #expect(requests.count == 1 && requests[0].ended && requests[0].body.isEmpty)
        #expect(request.head.method == "GET" && request.head.version == .http11)
        #expect(request.head.target == "/live/index.m3u8?token=a%20b&x=1+2&flag")
        #expect(request.head.path == "/live/index.m3u8")
        #expect(request.head.query.map(\.name) == ["token", "x", "flag"])
        #expect(request.head.query.map(\.value) == ["a b", "1 2", ""])
        #expect(request.head.queryValue("token") == "a b")
        #expect(request.head.headers["host"] == "example.com" && request.head.headers["USER-AGENT"] == "t")
        #expect(request.head.keepAlive && !request.head.isHead)
    }

    @Test(arguments: Split.all) func contentLengthBody(split: Split) throws {
        let text = "POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
        let requests = try receive(text, split: split, close: true)
        #expect(requests.count == 1 && requests[0].bodyText == "hello world" && requests[0].ended)
    }

    @Test(arguments: Split.all) func chunkedBody(split: Split) throws {
        let text = "POST /api HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5 \r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: yes\r\n\r\n"
        let requests = try receive(text, split: split, close: true)
        #expect(requests.count == 1 && requests[0].bodyText == "Wikipedia in\r\n\r\nchunks." && requests[0].ended)
    }

    @Test(arguments: Split.all) func pipelinedRequests(split: Split) throws {
        let text = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
            + "HEAD /d HTTP/1.0\r\n\r\n"
        let requests = try receive(text, split: split, close: true)
        #expect(requests.map(\.head.path) == ["/a", "/b", "/c", "/d"])
        #expect(requests.map(\.bodyText) == ["", "abc", "xy", ""])
        #expect(requests.allSatisfy { $0.ended })
        #expect(requests[3].head.isHead && !requests[3].head.keepAlive)
    }

    @Test func feedStopsAfterEachRequest() throws {
        let first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
        let bytes = Array((first + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n").utf8)
        var parser = HTTPRequestParser()
        var ends = 0
        let used = try bytes.withUnsafeBytes { try parser.feed($0) { if case .end = $0 { ends += 1 } } }
        #expect(used == first.utf8.count && ends == 1 && parser.isIdle)
    }

    @Test(arguments: Split.all) func bareLineFeedsAndLeadingBlankLines(split: Split) throws {
        let requests = try receive("\r\n\nGET / HTTP/1.1\nHost: h\nX-A: 1\n\n", split: split, close: true)
        #expect(requests.count == 1 && requests[0].head.headers["x-a"] == "1" && requests[0].head.path == "/")
    }

    @Test func repeatedHeadersAreKept() throws {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX-Forwarded-For: 1.1.1.1\r\naccept:  b \r\n\r\n"
        let request = try #require(try receive(text).first).head
        #expect(request.headers.values("ACCEPT") == ["a", "b"])
        #expect(request.headers["Accept"] == "a" && request.headers.count == 4)
        #expect(request.headers.fields.map(\.name) == ["Host", "Accept", "X-Forwarded-For", "accept"])
    }

    @Test(arguments: [
        ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false), ("HTTP/1.1", "Connection: Close\r\n", false),
        ("HTTP/1.1", "Connection: keep-alive, Upgrade\r\n", true), ("HTTP/1.0", "", false),
        ("HTTP/1.0", "Connection: Keep-Alive\r\n", true), ("HTTP/1.0", "Connection: keep-alive\r\nConnection: close\r\n", false),
    ])
    func keepAlive(version: String, header: String, expected: Bool) throws {
        let request = try #require(try receive("GET / \(version)\r\nHost: h\r\n\(header)\r\n").first).head
        #expect(request.keepAlive == expected)
    }

    @Test(arguments: [
        ("/a%2Fb/c%20d.ts", "/a/b/c d.ts"), ("http://example.com:8080/x/y?z=1", "/x/y"), ("HTTPS://h", "/"),
        ("/%E2%82%AC", "/€"), ("/a+b", "/a+b"), ("//double", "//double"),
    ])
    func targets(target: String, path: String) throws {
        let request = try #require(try receive("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n").first).head
        #expect(request.path == path)
    }

    @Test func asteriskOnlyForOptions() throws {
        #expect(try receive("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").first?.head.path == "*")
        #expect(refusal("GET * HTTP/1.1\r\nHost: h\r\n\r\n")?.kind == .badTarget)
    }

    @Test(arguments: ["/../etc/passwd", "/a/..", "/a/%2e%2e/b", "/a%2F..%2Fb", "/./x", "/%2E%2E", "/x%00y", "/x%zz",
                      "/x%4", "/x#frag", "relative", "ftp://h/x", "/q?a=%ff", "/%ff"])
    func refusedTargets(target: String) {
        let error = refusal("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(error?.kind == .badTarget && error?.status == 400)
    }

    @Test func truncatedRequestsAreReported() throws {
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n")?.kind == .truncated)
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab")?.kind == .truncated)
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")?.kind == .truncated)
        #expect(try receive("GET / HTTP/1.1\r\nHost: h\r\n\r\n", close: true).count == 1)
        #expect(try receive("", close: true).isEmpty)
    }

    @Test func chunkedEncoderOutputParses() throws {
        var body: [UInt8] = []
        let payload = Array(repeating: UInt8(ascii: "z"), count: 300)
        payload.withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &body) }
        Array("tail".utf8).withUnsafeBytes { ChunkedEncoder.appendChunk($0, to: &body) }
        ChunkedEncoder.appendTerminator(to: &body)
        let head = Array("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for split in Split.all {
            let requests = try receive(head + body, split: split, close: true)
            #expect(requests.first?.body == payload + Array("tail".utf8))
        }
    }
}
