import Testing
import TestSupport
@testable import RTSP

/// The server session alone (as ffmpeg and hostile clients talk to it) and against the client session in memory.
@Suite struct ServerSessionTests {
    static let configuration = RTSPServerSession.Configuration(sessionID: "5EC7", nonce: "abcdef0123")
    static let sdp = SessionDescription.live(name: "cam", media: [
        .h264(sps: [0x67, 0x64, 0, 0x1F], pps: [0x68, 0xEB], control: "trackID=1"), .g711(aLaw: true, control: "trackID=2"),
    ])

    /// The role's part: a stream `cam` with an optional password; every decision accepted.
    static func serve(_ server: inout RTSPServerSession, _ actions: [RTSPServerSession.Action], password: String? = nil, out: inout [UInt8], events: inout [String]) {
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            if let password {
                switch action {
                case .describe, .setup, .play, .announce, .record:
                    if case .challenged(let more) = server.authenticate(user: nil, password: password) {
                        queue += more
                        continue
                    }
                default: break
                }
            }
            switch action {
            case .send(let bytes): out += bytes
            case .describe(let request): queue += request.path == "cam" ? server.acceptDescribe(sdp) : server.reject(status: 404)
            case .setup(let request, let transport):
                events.append("setup \(request.track ?? 0) \(transport.lowerTransport.rawValue)")
                queue += server.acceptSetup(serverPorts: transport.lowerTransport == .udp ? (9000, 9001) : nil, ssrc: 0x1234)
            case .play(let request):
                events.append("play \(request.path)")
                queue += server.acceptPlay(rtpInfo: [RTPInfo(url: request.uri + "/trackID=1", sequenceNumber: 5, rtpTime: 77)])
            case .announce(let request, let description):
                events.append("announce \(request.path) \(description.media.count)")
                queue += server.acceptAnnounce()
            case .record: events.append("record"); queue += server.acceptRecord()
            case .interleaved(let channel, let payload): events.append("rtp \(channel) \(payload.count)")
            case .teardown: events.append("teardown")
            case .close(let reason): events.append("close \(reason)")
            }
        }
    }

    /// Client and server in memory; the client's bytes reach the server cut as `feed` says, and back.
    static func pair(url: String, transport: RTSPClientSession.Transport, password: String?, feed: Feed) throws -> (RTSPClientSession, RTSPServerSession, [RTSPClientSession.Action], [String]) {
        var configuration = RTSPClientSession.Configuration()
        configuration.transport = transport
        var client = RTSPClientSession(url: try RTSPURL(url), configuration: configuration)
        var server = RTSPServerSession(configuration: Self.configuration)
        var clientActions: [RTSPClientSession.Action] = []
        var events: [String] = []
        var toServer: [UInt8] = []
        var queue = client.start()
        var rounds = 0
        while !queue.isEmpty, rounds < 100 {
            rounds += 1
            switch queue.removeFirst() {
            case .send(let bytes): toServer += bytes
            case .openUDP(let track): queue += client.udpOpened(track: track, rtpPort: 6000, rtcpPort: 6001)
            case let other: clientActions.append(other)
            }
            guard queue.isEmpty, !toServer.isEmpty else { continue }
            var toClient: [UInt8] = []
            for piece in feed.pieces(toServer) { serve(&server, server.receive(piece), password: password, out: &toClient, events: &events) }
            toServer = []
            for piece in feed.pieces(toClient) { queue += client.receive(piece) }
        }
        return (client, server, clientActions, events)
    }

    @Test(arguments: Feed.all)
    func clientPlaysFromServerOverTCPWithDigest(feed: Feed) throws {
        var (client, server, actions, events) = try Self.pair(url: "rtsp://any:secret@127.0.0.1:8554/cam", transport: .tcp, password: "secret", feed: feed)
        #expect(events == ["setup 1 TCP", "setup 2 TCP", "play cam"])
        guard case .ready(let tracks) = actions.first else { Issue.record("not ready: \(actions)"); return }
        #expect(tracks.count == 2 && tracks[0].interleavedChannels! == (0, 1) && tracks[1].encodingName == "PCMA")
        #expect(tracks[0].rtpInfo?.sequenceNumber == 5 && tracks[0].transport.ssrc == 0x1234)
        #expect(server.playing && server.transports.count == 2)
        // A receiver report from the client; a keep-alive; TEARDOWN.
        var out: [UInt8] = []
        var more: [String] = []
        Self.serve(&server, server.receive(RTSPInterleavedFrame.encode(channel: 1, payload: [0x81, 201, 0, 1])), password: "secret", out: &out, events: &more)
        _ = client.tick(now: 0)
        Self.serve(&server, server.receive(try #require(bytes(client.tick(now: 30_000)))), password: "secret", out: &out, events: &more)
        #expect(client.receive(out).isEmpty)
        Self.serve(&server, server.receive(try #require(bytes(client.stop()))), password: "secret", out: &out, events: &more)
        #expect(more == ["rtp 1 4", "teardown"])
    }

    @Test(arguments: Feed.all)
    func clientPlaysOverUDP(feed: Feed) throws {
        let (_, _, actions, events) = try Self.pair(url: "rtsp://127.0.0.1/cam?tracks=2", transport: .udp, password: nil, feed: feed)
        #expect(events == ["setup 2 UDP", "play cam"])
        guard case .ready(let tracks) = actions.first else { Issue.record("not ready: \(actions)"); return }
        #expect(tracks[0].transport.serverPort! == (9000, 9001) && tracks[0].transport.clientPort! == (6000, 6001))
    }

    @Test func wrongPasswordAndUnknownStream() throws {
        let (_, _, refused, _) = try Self.pair(url: "rtsp://u:nope@127.0.0.1/cam", transport: .tcp, password: "secret", feed: .whole)
        guard case .failed(let reason) = refused.first else { Issue.record("\(refused)"); return }
        #expect(reason.contains("refused"))
        let (_, _, missing, _) = try Self.pair(url: "rtsp://127.0.0.1/nothing", transport: .tcp, password: nil, feed: .whole)
        #expect(missing.first == .failed("DESCRIBE rtsp://127.0.0.1/nothing: 404 Not Found"))
    }

    /// What ffmpeg sends to publish (`ffmpeg -f rtsp -rtsp_transport tcp rtsp://HOST/live/pub`).
    @Test(arguments: Feed.all)
    func publisherAnnounceRecord(feed: Feed) throws {
        let announced = "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\na=tool:libavformat\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1\na=control:streamid=0\n"
        let input = crlf("""
            OPTIONS rtsp://127.0.0.1:8554/live/pub RTSP/1.0
            CSeq: 1
            User-Agent: Lavf61.7.100

            ANNOUNCE rtsp://127.0.0.1:8554/live/pub RTSP/1.0
            Content-Type: application/sdp
            CSeq: 2
            Content-Length: \(crlf(announced).count)

            \(announced)SETUP rtsp://127.0.0.1:8554/live/pub/streamid=0 RTSP/1.0
            Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record
            CSeq: 3

            RECORD rtsp://127.0.0.1:8554/live/pub RTSP/1.0
            Range: npt=0.000-
            CSeq: 4
            Session: 5EC7


            """) + RTSPInterleavedFrame.encode(channel: 0, payload: [UInt8](repeating: 7, count: 100))
        var server = RTSPServerSession(configuration: Self.configuration)
        var out: [UInt8] = []
        var events: [String] = []
        for piece in feed.pieces(Array(input)) { Self.serve(&server, server.receive(piece), out: &out, events: &events) }
        #expect(events == ["announce live/pub 1", "setup 0 TCP", "record", "rtp 0 100"])
        #expect(server.recording)
        let responses = try parseAll(out, .whole).compactMap { message -> Int? in
            if case .response(let response) = message { return response.status }
            return nil
        }
        #expect(responses == [200, 200, 200, 200])
    }

    @Test func refusals() throws {
        func statuses(_ text: String) throws -> ([Int], [String]) {
            var server = RTSPServerSession(configuration: Self.configuration)
            var out: [UInt8] = []
            var events: [String] = []
            Self.serve(&server, server.receive(crlf(text)), out: &out, events: &events)
            var parser = RTSPParser()
            parser.append(out)
            var result: [Int] = []
            while case .response(let response)? = try parser.next() { result.append(response.status) }
            return (result, events)
        }
        #expect(try statuses("FOO rtsp://h/cam RTSP/1.0\nCSeq: 1\n\n").0 == [501])
        #expect(try statuses("OPTIONS * RTSP/1.0\n\n").0 == [400])
        #expect(try statuses("PLAY rtsp://h/cam RTSP/1.0\nCSeq: 1\n\n").0 == [455])
        #expect(try statuses("SETUP rtsp://h/cam/trackID=1 RTSP/1.0\nCSeq: 1\nTransport: RTP/AVP;multicast\n\n").0 == [461])
        #expect(try statuses("GET_PARAMETER rtsp://h/cam RTSP/1.0\nCSeq: 1\nSession: other\n\n").0 == [454])
        #expect(try statuses("ANNOUNCE rtsp://h/cam RTSP/1.0\nCSeq: 1\nContent-Length: 7\n\ngarbage").0 == [400])
        let (garbage, events) = try statuses("\u{16}\u{3}\u{1}binary\n\n")
        #expect(garbage == [400] && events.first?.hasPrefix("close") == true)
        var server = RTSPServerSession(configuration: Self.configuration)
        _ = server.receive(crlf("OPTIONS * RTSP/1.0\nX: ") + [UInt8](repeating: 0x41, count: 20_000))
        #expect(server.closed)
    }
}

private func bytes(_ actions: [RTSPClientSession.Action]) -> [UInt8]? {
    guard case .send(let bytes)? = actions.first else { return nil }
    return bytes
}
