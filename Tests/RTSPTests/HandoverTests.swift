import Testing
@testable import RTSP

/// A publisher's session handed from the edge worker to the ingest worker at its ANNOUNCE (`handOver()`,
/// `RTSPServerSessionHandover`, `init(resuming:)`), and the request URLs publishers and players make by appending to
/// a URL with a query.
@Suite struct HandoverTests {
    /// What ffmpeg 5.1 sent to publish the H.264/AAC FLV fixture (`-f rtsp rtsp://127.0.0.1:18999/pub?password=x`).
    static let announced = """
        v=0
        o=- 0 0 IN IP4 127.0.0.1
        s=No Name
        c=IN IP4 127.0.0.1
        t=0 0
        a=tool:libavformat LIBAVFORMAT_VERSION
        m=video 0 RTP/AVP 96
        a=rtpmap:96 H264/90000
        a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA; profile-level-id=64000D
        a=control:streamid=0
        m=audio 0 RTP/AVP 97
        b=AS:64
        a=rtpmap:97 MPEG4-GENERIC/44100/2
        a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=121056E500
        a=control:streamid=1

        """

    static let options = crlf("OPTIONS rtsp://127.0.0.1:18999/pub?password=x RTSP/1.0\nCSeq: 1\nUser-Agent: Lavf59.27.100\n\n")
    static let announce = crlf("""
        ANNOUNCE rtsp://127.0.0.1:18999/pub?password=x RTSP/1.0
        Content-Type: application/sdp
        CSeq: 2
        User-Agent: Lavf59.27.100
        Content-Length: \(crlf(announced).count)


        """) + crlf(announced)
    static let setup = crlf("""
        SETUP rtsp://127.0.0.1:18999/pub?password=x/streamid=0 RTSP/1.0
        Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record
        CSeq: 3


        """)

    /// The edge's side: OPTIONS answered, the ANNOUNCE waits; the SETUP sent right behind it stays unparsed.
    static func edge(_ feed: Feed) -> (RTSPServerSession, [RTSPServerSession.Action]) {
        var session = RTSPServerSession(configuration: .init(sessionID: "5EC7", nonce: "n0nce"))
        var actions: [RTSPServerSession.Action] = []
        for piece in feed.pieces(options + announce + setup) { actions += session.receive(piece) }
        return (session, actions)
    }

    @Test(arguments: Feed.all)
    func theAnnounceAndWhatFollowsItGoOnInTheResumedSession(feed: Feed) throws {
        var (edge, actions) = Self.edge(feed)
        guard case .announce(let request, let description)? = actions.last else { Issue.record("\(actions)"); return }
        #expect(request.path == "pub" && request.queryValue("password") == "x" && description.media.count == 2)
        let handedOver = edge.handOver()
        let handover = try #require(handedOver)
        #expect(edge.receive(crlf("OPTIONS * RTSP/1.0\nCSeq: 9\n\n")).isEmpty, "a session handed over is spent")

        var resumed = RTSPServerSession(resuming: try RTSPServerSessionHandover(serialized: handover.serialized()))
        let again = resumed.start()
        #expect(again == [.announce(request, description)])
        var after = resumed.acceptAnnounce()
        guard case .send(let ok) = after.removeFirst(), case .setup(let setup, let transport)? = after.first else {
            Issue.record("\(after)")
            return
        }
        guard case .response(let announceAnswer)? = try parseAll(ok, .whole).first else { Issue.record("no ANNOUNCE answer"); return }
        #expect(announceAnswer.status == 200 && announceAnswer.headers.cseq == 2)
        #expect(setup.path == "pub" && setup.track == 0 && setup.queryValue("password") == "x")
        #expect(transport.interleaved! == (0, 1) && transport.mode == "RECORD")
        guard case .send(let answer) = resumed.acceptSetup().first,
              case .response(let response) = try parseAll(answer, .whole).first else { Issue.record("no SETUP answer"); return }
        #expect(response.headers.session?.id == "5EC7", "the session id carries over")
    }

    @Test func onlyAWaitingAnnounceIsHandedOver() throws {
        var fresh = RTSPServerSession(configuration: .init(sessionID: "1", nonce: "2"))
        #expect(fresh.handOver() == nil)
        var describing = fresh
        _ = describing.receive(crlf("DESCRIBE rtsp://h/cam RTSP/1.0\nCSeq: 1\n\n"))
        #expect(describing.handOver() == nil)
        var (answered, _) = Self.edge(.whole)
        _ = answered.acceptAnnounce()
        #expect(answered.handOver() == nil, "an ANNOUNCE answered here is not handed over")
    }

    @Test func brokenHandoversAreRefused() throws {
        let good = RTSPServerSessionHandover(sessionID: "abc", nonce: "def", input: [1, 2, 3]).serialized()
        #expect(try RTSPServerSessionHandover(serialized: good) == RTSPServerSessionHandover(sessionID: "abc", nonce: "def", input: [1, 2, 3]))
        for cut in 0..<11 {
            #expect(throws: RTSPError.self) { try RTSPServerSessionHandover(serialized: Array(good.prefix(cut))) }
        }
        var other = good
        other[4] = 2
        #expect(throws: RTSPError(.badMessage, "RTSP session handover version 2, expected 1")) { try RTSPServerSessionHandover(serialized: other) }
        #expect(throws: RTSPError.self) { try RTSPServerSessionHandover(serialized: Array("SLRH\u{1}".utf8)) }
    }

    @Test(arguments: [
        ("rtsp://h/cam?password=x/streamid=0", "cam", 0, "password=x"),
        ("rtsp://h:8554/live/cam?token=a%20b/", "live/cam", nil, "token=a%20b"),
        ("rtsp://h/live/cam/trackID=2", "live/cam", 2, nil),
        ("rtsp://h/cam?a=b/c", "cam", nil, "a=b/c"),
        ("rtsp://h/cam?token=t/trackID=1", "cam", 1, "token=t"),
        ("/cam/streamid=1", "cam", 1, nil),
    ] as [(String, String, Int?, String?)])
    func trackURLsMadeByAppendingToAQuery(uri: String, path: String, track: Int?, query: String?) {
        let request = RTSPServerSession.Request(RTSPRequest(method: "SETUP", uri: uri), cseq: 1)
        #expect(request.path == path && request.track == track && request.query == query)
    }

    @Test func queryValuesArePercentDecoded() {
        let request = RTSPServerSession.Request(RTSPRequest(method: "ANNOUNCE", uri: "rtsp://h/cam?token=t%C3%A9%20k&password=p%3Dq&bad=%zz"), cseq: 1)
        #expect(request.queryValue("token") == "té k" && request.queryValue("password") == "p=q")
        #expect(request.queryValue("bad") == nil && request.queryValue("missing") == nil)
    }

    /// The edge puts every viewer's track `k` on channels `2k`/`2k+1`, whatever the client asked, so that all
    /// viewers share one framing.
    @Test func theServerChoosesTheInterleavedChannels() throws {
        var session = RTSPServerSession(configuration: .init(sessionID: "5EC7", nonce: "n"))
        let actions = session.receive(crlf("SETUP rtsp://h/cam/trackID=2 RTSP/1.0\nCSeq: 1\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\n\n"))
        guard case .setup(_, let transport)? = actions.first else { Issue.record("\(actions)"); return }
        #expect(transport.interleaved! == (0, 1))
        guard case .send(let answer) = session.acceptSetup(ssrc: 7, interleaved: (2, 3)).first,
              case .response(let response) = try parseAll(answer, .whole).first else { Issue.record("no answer"); return }
        #expect(try RTSPTransport(parsing: try #require(response.headers["Transport"])).interleaved! == (2, 3))
        #expect(try #require(session.transports[2]?.interleaved) == (2, 3))
    }
}
