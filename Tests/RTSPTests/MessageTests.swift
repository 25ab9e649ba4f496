import Testing
import TestSupport
@testable import RTSP

/// The wire codec: RFC 2326's examples (section 14), camera answers, interleaved frames mixed in, limits.
@Suite struct MessageTests {
    // RFC 2326 14.1 (a media-on-demand DESCRIBE), cut to what matters, with an RTSP/2.0 status line from a camera.
    static let exchange = crlf("""
        DESCRIBE rtsp://server.example.com/fizzle/foo RTSP/1.0
        CSeq: 312
        Accept: application/sdp, application/rtsl, application/mheg

        RTSP/1.0 200 OK
        CSeq: 312
        Content-Type: application/sdp
        Content-Length: 5

        v=0
        $\u{01}\u{00}\u{03}abcRTSP/2.0 401 Unauthorized
        cseq: 313
        WWW-Authenticate: Digest realm="x",
         nonce="abc"


        """)

    @Test(arguments: Feed.all)
    func parsesRequestsResponsesAndFrames(feed: Feed) throws {
        let messages = try parseAll(Self.exchange, feed)
        #expect(messages.count == 4)
        guard case .request(let request) = messages[0] else { Issue.record("not a request"); return }
        #expect(request.method == "DESCRIBE" && request.uri == "rtsp://server.example.com/fizzle/foo" && request.headers.cseq == 312)
        guard case .response(let response) = messages[1] else { Issue.record("not a response"); return }
        #expect(response.status == 200 && response.body == Array("v=0\r\n".utf8))
        #expect(messages[2] == .interleaved(channel: 1, payload: Array("abc".utf8)))
        guard case .response(let challenge) = messages[3] else { Issue.record("not a response"); return }
        #expect(challenge.version == "RTSP/2.0" && challenge.status == 401 && challenge.headers.cseq == 313)
        #expect(challenge.headers["www-authenticate"] == "Digest realm=\"x\", nonce=\"abc\"")
    }

    @Test(arguments: Feed.all)
    func toleratesBareLineFeeds(feed: Feed) throws {
        let bytes = Array("RTSP/1.0 200 OK\nCSeq: 2\nPublic: OPTIONS, DESCRIBE,GET_PARAMETER \n\n".utf8)
        let messages = try parseAll(bytes, feed)
        guard case .response(let response) = messages.first else { Issue.record("no response"); return }
        #expect(response.headers.publicMethods == ["OPTIONS", "DESCRIBE", "GET_PARAMETER"])
    }

    @Test func writesWhatItReads() throws {
        let request = RTSPRequest(method: "ANNOUNCE", uri: "rtsp://h/x", headers: RTSPHeaders([("CSeq", "3"), ("Content-Length", "99")]), body: Array("v=0\r\n".utf8))
        let response = RTSPResponse(status: 461, headers: RTSPHeaders([("CSeq", "4")]))
        var frame: [UInt8] = []
        RTSPInterleavedFrame.append(channel: 7, payload: [1, 2, 3], to: &frame)
        let messages = try parseAll(request.serialized() + frame + response.serialized(), .whole)
        var expected = request
        expected.headers = RTSPHeaders([("CSeq", "3"), ("Content-Length", "5")])
        #expect(messages == [.request(expected), .interleaved(channel: 7, payload: [1, 2, 3]), .response(response)])
        #expect(response.reason == "Unsupported Transport")
    }

    @Test func refusesHostileInput() {
        var limits = RTSPParser.Limits()
        limits.maxHeaderBytes = 1024
        limits.maxBodyBytes = 100
        limits.maxFrameBytes = 1500
        let cases: [([UInt8], RTSPError.Kind)] = [
            (Array("OPTIONS * RTSP/1.0\r\nX: ".utf8) + [UInt8](repeating: 0x41, count: 2000), .headerTooLarge),
            (Array("RTSP/1.0 200 OK\r\nContent-Length: -4\r\n\r\n".utf8), .badMessage),
            (Array("RTSP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\n".utf8), .badMessage),
            (Array("RTSP/1.0 200 OK\r\nContent-Length: 101\r\n\r\n".utf8), .bodyTooLarge),
            ([0x24, 0, 0x10, 0], .frameTooLarge),
            ([0x16, 3, 1, 0, 0x2F, 1, 0, 0], .badMessage),
            (Array("GET / HTTP/1.1\r\n\r\n".utf8), .badMessage),
            (Array("RTSP/1.0 abc OK\r\n\r\n".utf8), .badMessage),
            (Array("OPTIONS * RTSP/1.0\r\nno colon here\r\n\r\n".utf8), .badMessage),
        ]
        for (bytes, kind) in cases {
            for feed in Feed.all {
                #expect(throws: RTSPError.self) { _ = try parseAll(bytes, feed, limits: limits) }
                var parser = RTSPParser(limits: limits)
                parser.append(bytes)
                let error = #expect(throws: RTSPError.self) { while try parser.next() != nil {} }
                #expect(error?.kind == kind, "\(printable(bytes.prefix(40)))")
            }
        }
    }

    @Test func truncatedInputIsReportedAtTheEnd() throws {
        for bytes in [[0x24, 0, 0, 10, 1, 2], Array("RTSP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)] {
            var parser = RTSPParser()
            parser.append(bytes)
            #expect(try parser.next() == nil)
            #expect(throws: RTSPError.self) { try parser.finish() }
        }
    }

    @Test(arguments: [Feed.seeded(1), .seeded(2), .seeded(3)])
    func randomBytesNeverCrash(feed: Feed) {
        guard case .seeded(let seed) = feed else { return }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...400, using: &generator)).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0x20...0x7E, using: &generator) : [0x24, 0x0A, 0x0D, 0x3A][Int.random(in: 0...3, using: &generator)]
            }
            _ = try? parseAll(bytes, feed)
        }
    }
}
