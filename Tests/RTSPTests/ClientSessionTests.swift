import Testing
import TestSupport
@testable import RTSP

/// The client session against scripted cameras: each request the client sends is parsed and answered with the
/// camera's bytes, cut as `feed` says.
@Suite struct ClientSessionTests {
    /// A camera: given a request, its answer (the CSeq is filled in).
    typealias Camera = (RTSPRequest) -> String

    struct Run {
        var client: RTSPClientSession
        var requests: [RTSPRequest] = []
        var actions: [RTSPClientSession.Action] = []
    }

    /// Runs until the client stops sending; returns every request and every non-send action.
    static func run(_ url: String, feed: Feed, configuration: RTSPClientSession.Configuration = .init(), camera: Camera) throws -> Run {
        var run = Run(client: RTSPClientSession(url: try RTSPURL(url), configuration: configuration))
        var queue = run.client.start()
        var rounds = 0
        while !queue.isEmpty, rounds < 50 {
            rounds += 1
            let action = queue.removeFirst()
            switch action {
            case .send(let bytes):
                var parser = RTSPParser()
                parser.append(bytes)
                guard case .request(let request) = try #require(try parser.next()) else { Issue.record("not a request"); return run }
                run.requests.append(request)
                let answer = camera(request).replacingOccurrences("CSEQ", with: "\(request.headers.cseq ?? 0)")
                for piece in feed.pieces(crlf(answer)) { queue += run.client.receive(piece) }
            case .reconnect:
                run.actions.append(action)
                queue += run.client.start()
            case .openUDP(let track):
                run.actions.append(action)
                queue += run.client.udpOpened(track: track, rtpPort: 5000 + 2 * track, rtcpPort: 5001 + 2 * track)
            default:
                run.actions.append(action)
            }
        }
        return run
    }



    /// A Hikvision-like camera: Digest with qop, Content-Base, Session timeout, RTSP/1.0.
    static func hikvision(_ request: RTSPRequest) -> String {
        if request.method != "OPTIONS", request.headers["Authorization"] == nil {
            return "RTSP/1.0 401 Unauthorized\nCSeq: CSEQ\nWWW-Authenticate: Digest realm=\"IP Camera(C1234)\", nonce=\"e1b2\", stale=\"FALSE\"\nWWW-Authenticate: Basic realm=\"IP Camera(C1234)\"\n\n"
        }
        switch request.method {
        case "OPTIONS": return "RTSP/1.0 200 OK\nCSeq: CSEQ\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\n\n"
        case "DESCRIBE":
            return "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Type: application/sdp\nContent-Base: rtsp://10.0.0.2:554/Streaming/Channels/101/\nContent-Length: \(crlf(sdp).count)\n\n" + sdp
        case "SETUP":
            let transport = request.headers["Transport"]!.replacingOccurrences("RTP/AVP;unicast;client_port", with: "RTP/AVP;unicast;server_port=8000-8001;client_port")
            return "RTSP/1.0 200 OK\nCSeq: CSEQ\nSession: 1273222592;timeout=60\nTransport: \(transport);ssrc=0F3C2A1B\n\n"
        case "PLAY":
            return "RTSP/1.0 200 OK\nCSeq: CSEQ\nSession: 1273222592\nRTP-Info: url=rtsp://10.0.0.2:554/Streaming/Channels/101/trackID=1;seq=11;rtptime=900,url=rtsp://10.0.0.2:554/Streaming/Channels/101/trackID=2;seq=22;rtptime=80\n\n"
        default: return "RTSP/1.0 200 OK\nCSeq: CSEQ\n\n"
        }
    }

    @Test(arguments: Feed.all)
    func hikvisionOverTCPWithDigest(feed: Feed) throws {
        var run = try Self.run("rtsp://admin:12345@10.0.0.2/Streaming/Channels/101", feed: feed, camera: Self.hikvision)
        #expect(run.requests.map(\.method) == ["OPTIONS", "DESCRIBE", "DESCRIBE", "SETUP", "SETUP", "PLAY"])
        #expect(run.requests[3].uri == "rtsp://10.0.0.2:554/Streaming/Channels/101/trackID=1")
        #expect(run.requests[3].headers["Transport"] == "RTP/AVP/TCP;unicast;interleaved=0-1")
        #expect(run.requests[4].headers["Transport"] == "RTP/AVP/TCP;unicast;interleaved=2-3")
        #expect(run.requests[4].headers["Session"] == "1273222592")
        #expect(run.requests[5].headers["Authorization"]?.contains("nonce=\"e1b2\"") == true)
        guard case .ready(let tracks) = try #require(run.actions.first) else { Issue.record("not ready: \(run.actions)"); return }
        #expect(tracks.map(\.index) == [1, 2] && tracks[0].encodingName == "H264" && tracks[1].encodingName == "PCMU")
        #expect(tracks[1].interleavedChannels! == (2, 3) && tracks[0].rtpInfo?.sequenceNumber == 11 && tracks[1].rtpInfo?.rtpTime == 80)
        #expect(tracks[0].transport.ssrc == 0x0F3C_2A1B)
        // Media interleaved, split anywhere; then keep-alive by GET_PARAMETER at half the timeout, then TEARDOWN.
        let frames = RTSPInterleavedFrame.encode(channel: 0, payload: [0x80, 96, 0, 1]) + RTSPInterleavedFrame.encode(channel: 3, payload: [1])
        var media: [RTSPClientSession.Action] = []
        for piece in feed.pieces(frames) { media += run.client.receive(piece) }
        #expect(media == [.interleaved(channel: 0, payload: [0x80, 96, 0, 1]), .interleaved(channel: 3, payload: [1])])
        #expect(run.client.tick(now: 1_000).isEmpty)
        #expect(run.client.tick(now: 30_999).isEmpty)
        let keepAlive = try request(run.client.tick(now: 31_000))
        #expect(keepAlive.method == "GET_PARAMETER" && keepAlive.headers["Session"] == "1273222592" && keepAlive.headers["Authorization"] != nil)
        #expect(try request(run.client.stop()).method == "TEARDOWN")
        #expect(run.client.state == .closed)
    }

    @Test(arguments: Feed.all)
    func udpTrackOneOnly(feed: Feed) throws {
        var configuration = RTSPClientSession.Configuration()
        configuration.transport = .udp
        let run = try Self.run("rtsp://admin:12345@10.0.0.2/Streaming/Channels/101?tracks=1", feed: feed, configuration: configuration, camera: Self.hikvision)
        #expect(run.actions.first == .openUDP(track: 1))
        guard case .ready(let tracks) = run.actions.last else { Issue.record("not ready: \(run.actions)"); return }
        #expect(tracks.count == 1 && tracks[0].transport.clientPort! == (5002, 5003) && tracks[0].transport.serverPort! == (8000, 8001))
    }

    /// A camera with no Content-Base (Axis-like: the request URL is the base), RTSP/2.0 status lines, a redirect
    /// first, OPTIONS for keep-alive (no GET_PARAMETER in Public), and a timeout of 10 s.
    @Test(arguments: Feed.all)
    func redirectNoContentBaseAndRTSP2(feed: Feed) throws {
        var run = try Self.run("rtsp://root:pass@old/axis-media/media.amp", feed: feed) { request in
            if request.uri.hasPrefix("rtsp://old/") {
                return "RTSP/2.0 302 Found\nCSeq: CSEQ\nLocation: rtsp://new:8554/axis-media/media.amp\n\n"
            }
            switch request.method {
            case "OPTIONS": return "RTSP/2.0 200 OK\nCSeq: CSEQ\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\n\n"
            case "DESCRIBE": return "RTSP/2.0 200 OK\nCSeq: CSEQ\nContent-Length: \(crlf(sdp).count)\n\n" + sdp
            case "SETUP": return "RTSP/2.0 200 OK\nCSeq: CSEQ\nSession: ABC;timeout=10\nTransport: \(request.headers["Transport"]!)\n\n"
            default: return "RTSP/2.0 200 OK\nCSeq: CSEQ\n\n"
            }
        }
        let target = try RTSPURL("rtsp://root:pass@new:8554/axis-media/media.amp")
        #expect(run.actions.first == RTSPClientSession.Action.reconnect(target))
        guard case .ready(let tracks) = run.actions.last else { Issue.record("not ready: \(run.actions)"); return }
        #expect(tracks[0].controlURL == "rtsp://new:8554/axis-media/media.amp/trackID=1")
        #expect(run.client.tick(now: 0).isEmpty)
        #expect(try request(run.client.tick(now: 5_000)).method == "OPTIONS")
    }

    @Test func failures() throws {
        func failure(_ url: String, _ configuration: RTSPClientSession.Configuration = .init(), _ camera: @escaping Camera) throws -> String? {
            let run = try Self.run(url, feed: .whole, configuration: configuration, camera: camera)
            guard case .failed(let reason) = run.actions.last else { return nil }
            return reason
        }
        let wrongPassword = try failure("rtsp://admin:bad@cam/x") { request in
            request.method == "OPTIONS" ? "RTSP/1.0 200 OK\nCSeq: CSEQ\n\n"
                : "RTSP/1.0 401 Unauthorized\nCSeq: CSEQ\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\n\n"
        }
        #expect(wrongPassword?.contains("refused") == true)
        let noCredentials = try failure("rtsp://cam/x") { _ in "RTSP/1.0 401 Unauthorized\nCSeq: CSEQ\nWWW-Authenticate: Basic realm=\"r\"\n\n" }
        #expect(noCredentials?.contains("has none") == true)
        let loop = try failure("rtsp://cam/x") { _ in "RTSP/1.0 301 Moved\nCSeq: CSEQ\nLocation: rtsp://cam/x\n\n" }
        #expect(loop?.contains("more than 3 redirects") == true)
        let noTCP = try failure("rtsp://cam/x") { request in
            request.method == "SETUP" ? "RTSP/1.0 461 Unsupported Transport\nCSeq: CSEQ\n\n"
                : "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Length: \(crlf(sdp).count)\n\n" + (request.method == "DESCRIBE" ? sdp : String(repeating: " ", count: crlf(sdp).count))
        }
        #expect(noTCP?.contains("try rtp udp") == true)
        let otherTransport = try failure("rtsp://cam/x") { request in
            request.method == "SETUP" ? "RTSP/1.0 200 OK\nCSeq: CSEQ\nSession: 1\nTransport: RTP/AVP;unicast;client_port=1-2\n\n"
                : "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Length: \(crlf(sdp).count)\n\n" + (request.method == "DESCRIBE" ? sdp : String(repeating: " ", count: crlf(sdp).count))
        }
        #expect(otherTransport?.contains("the camera answered") == true)
        let badSDP = try failure("rtsp://cam/x") { _ in "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Length: 9\n\nnot sdp!!" }
        #expect(badSDP?.contains("bad SDP") == true)
        let missingTrack = try failure("rtsp://cam/x?tracks=3") { _ in "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Length: \(crlf(sdp).count)\n\n" + sdp }
        #expect(missingTrack?.contains("tracks=3") == true)
        let garbage = try failure("rtsp://cam/x") { _ in "HTTP/1.1 400 Bad Request\n\n" }
        #expect(garbage?.contains("bad RTSP message") == true)
    }
}

/// A camera's SDP: H.264 with a relative control, PCMU without rtpmap.
let sdp = """
    v=0
    o=- 0 0 IN IP4 10.0.0.2
    s=cam
    t=0 0
    m=video 0 RTP/AVP 96
    a=rtpmap:96 H264/90000
    a=control:trackID=1
    m=audio 0 RTP/AVP 0
    a=control:trackID=2

    """

func request(_ actions: [RTSPClientSession.Action]) throws -> RTSPRequest {
    guard case .send(let bytes) = try #require(actions.first) else { throw RTSPError(.badMessage, "no send") }
    var parser = RTSPParser()
    parser.append(bytes)
    guard case .request(let request) = try parser.next() else { throw RTSPError(.badMessage, "not a request") }
    return request
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
