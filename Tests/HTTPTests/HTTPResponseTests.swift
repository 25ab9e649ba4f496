import Testing
@testable import HTTP

@Suite struct HTTPResponseTests {
    let date = HTTPDate(seconds: 784_111_777)

    private func text(_ response: HTTPResponse) throws -> String {
        var out: [UInt8] = []
        try response.write(to: &out, date: date)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func segmentResponse() throws {
        var headers = HTTPHeaders()
        headers.add("Accept-Ranges", "bytes")
        let response = HTTPResponse(status: 200, body: .length(188_000), contentType: "video/mp2t",
                                    cacheControl: "max-age=3600", allowOrigin: "*", headers: headers)
        #expect(try text(response) == "HTTP/1.1 200 OK\r\nServer: Sluice\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "Content-Type: video/mp2t\r\nContent-Length: 188000\r\nCache-Control: max-age=3600\r\n"
            + "Access-Control-Allow-Origin: *\r\nAccept-Ranges: bytes\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func framings() throws {
        let chunked = try text(HTTPResponse(status: 200, body: .chunked, contentType: "video/mp2t"))
        #expect(chunked.contains("\r\nTransfer-Encoding: chunked\r\n") && !chunked.contains("Content-Length"))
        let live = HTTPResponse(status: 200, body: .untilClose)
        #expect(try text(live).hasSuffix("\r\nConnection: close\r\n\r\n") && !live.keepsConnection)
        let notFound = try text(HTTPResponse(status: 404, keepAlive: false))
        #expect(notFound.hasPrefix("HTTP/1.1 404 Not Found\r\n") && notFound.contains("Content-Length: 0\r\n"))
        #expect(notFound.hasSuffix("Connection: close\r\n\r\n"))
        for status in [204, 304, 101] {
            let head = try text(HTTPResponse(status: status, body: .length(10)))
            #expect(!head.contains("Content-Length") && !head.contains("Transfer-Encoding"))
        }
    }

    @Test func writesIntoAReusedBuffer() throws {
        var out: [UInt8] = Array("previous".utf8)
        try HTTPResponse(status: 206, body: .length(1)).write(to: &out, date: date)
        #expect(String(decoding: out, as: UTF8.self).hasPrefix("previousHTTP/1.1 206 Partial Content\r\n"))
    }

    @Test func refusesInjection() {
        var evil = HTTPHeaders()
        evil.add("Location", "/x\r\nSet-Cookie: a=b")
        var badName = HTTPHeaders()
        badName.add("X Y", "1")
        var reserved = HTTPHeaders()
        reserved.add("content-length", "5")
        let responses = [
            HTTPResponse(status: 302, headers: evil), HTTPResponse(status: 200, contentType: "text/html\nX: 1"),
            HTTPResponse(status: 200, cacheControl: "a\u{0}"), HTTPResponse(status: 200, allowOrigin: "\r"),
            HTTPResponse(status: 200, headers: badName), HTTPResponse(status: 200, headers: reserved),
            HTTPResponse(status: 42), HTTPResponse(status: 200, body: .length(-1)),
        ]
        for response in responses {
            var out: [UInt8] = [1, 2, 3]
            #expect(throws: HTTPParseError.self) { try response.write(to: &out, date: date) }
            #expect(out == [1, 2, 3])
        }
    }

    @Test func reasonPhrases() {
        #expect(HTTPStatus.reason(200) == "OK" && HTTPStatus.reason(416) == "Range Not Satisfiable")
        #expect(HTTPStatus.reason(431) == "Request Header Fields Too Large" && HTTPStatus.reason(599) == "Status 599")
    }
}
