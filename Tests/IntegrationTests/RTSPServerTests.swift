import Foundation
import Testing

/// RTSP on Sluice's own port with real clients on loopback (issue 5, deliverable 4): ffmpeg and GStreamer play a
/// `fake://` stream over TCP and UDP, ffmpeg publishes the H.264/AAC FLV fixture (copied, not re-encoded) over TCP
/// and UDP and the HLS output decodes; refusals, `on_publish`, a template, a stalled viewer, garbage on the port.
@Suite(.serialized) struct RTSPServerTests {
    private let rtspPort = Sluice.freePort()

    private static let fake = "stream fake {\n  input fake://fake;\n  segment_duration 1;\n}\n"
    private static let pub = "stream pub {\n  input publish://;\n  password secret;\n  segment_duration 1;\n}\n"

    private func server(_ streams: String) throws -> SluiceServer {
        try SluiceServer("rtsp 127.0.0.1:\(rtspPort);\n\(streams)")
    }

    private func url(_ path: String) -> String { "rtsp://127.0.0.1:\(rtspPort)/\(path)" }

    private static func transport(_ name: String) -> [String] { ["-rtsp_transport", name] }

    /// ffmpeg publishing the fixture in a loop at its own pace, until `Sluice.stop`.
    private func publish(_ path: String, over transport: String = "tcp") throws -> Process {
        try Sluice.start("/usr/bin/ffmpeg", ["-v", "error", "-re", "-stream_loop", "-1", "-i", Sluice.flvFixture, "-c", "copy",
                                             "-f", "rtsp"] + Self.transport(transport) + [url(path)])
    }

    /// A publish the server refuses: ffmpeg gives up, and what it said.
    private func refusedPublish(_ path: String) throws -> String {
        let result = try Sluice.run("/usr/bin/ffmpeg", ["-v", "error", "-re", "-i", Sluice.flvFixture, "-c", "copy", "-f", "rtsp"]
                                    + Self.transport("tcp") + [url(path)], timeout: 30)
        #expect(result.status != 0, "ffmpeg should fail to publish to \(path)")
        return result.stderr
    }

    @Test(arguments: ["tcp", "udp"])
    func ffmpegPlaysAFakeStream(transport: String) throws {
        let server = try server(Self.fake)
        try server.waitForPlaylist("fake")
        #expect(try Sluice.probe(url("fake"), input: Self.transport(transport)) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(url("fake"), input: Self.transport(transport), seconds: 4) == "")
        #expect(server.log.contains("RTSP play of fake over \(transport.uppercased())"))
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// `rtspsrc` plays each track: its RTP goes through `decodebin` to a sink that takes only decoded media of that
    /// kind and ends the pipeline (EOS, exit 0) after 60 buffers. (One pipeline per track: with two branches from
    /// one `rtspsrc`, gst-launch's delayed linking sometimes links a branch to the wrong pad.)
    @Test(arguments: ["tcp", "udp"])
    func gstreamerPlaysAFakeStream(protocols: String) throws {
        let server = try server(Self.fake)
        try server.waitForPlaylist("fake")
        for media in ["video", "audio"] {
            let result = try Sluice.run("/usr/bin/gst-launch-1.0", [
                "rtspsrc", "location=\(url("fake"))", "protocols=\(protocols)", "!", "application/x-rtp,media=\(media)", "!",
                "decodebin", "!", "\(media)/x-raw", "!", "fakesink", "num-buffers=60",
            ], timeout: 60)
            #expect(result.status == 0, "gst-launch, \(media): \(result.stdout.suffix(2000)) \(result.stderr.suffix(2000))")
            #expect(result.stdout.contains("Setting pipeline to PLAYING") && result.stdout.contains("Got EOS from element"))
        }
        #expect(server.log.contains("RTSP play of fake over \(protocols.uppercased())"))
    }

    @Test(arguments: ["tcp", "udp"])
    func ffmpegPublishesAndTheStreamPlays(transport: String) throws {
        let server = try server(Self.pub)
        let publisher = try publish("pub?password=secret", over: transport)
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        #expect(try Sluice.probe(server.url("/pub/index.m3u8")) == ["h264 320 240", "aac"])
        let hlsErrors = try Sluice.decodeErrors(server.url("/pub/index.m3u8"), seconds: 2)
        #expect(hlsErrors == "", "\(hlsErrors)")
        #expect(try Sluice.decodeErrors(url("pub"), input: Self.transport("tcp"), seconds: 2) == "")
        #expect(server.log.contains("RTSP publisher of pub accepted"))
        #expect(server.log.contains("RTSP publisher of pub records over \(transport.uppercased())"))
        let stream = try server.streams().first
        #expect(stream?["status"] as? String == "running" && stream?["input"] as? String == "publish://")
    }

    @Test func refusedPublishersLeaveNothingBehind() throws {
        let server = try server(Self.pub)
        #expect(try refusedPublish("pub?password=wrong").contains("403 Forbidden"))
        #expect(try refusedPublish("pub").contains("403 Forbidden"))
        #expect(try refusedPublish("nosuch?password=secret").contains("404 Not Found"))
        let streams = try server.streams()
        #expect(streams.first?["status"] as? String == "waiting" && streams.first?["frames"] as? Int == 0)
        #expect(try server.get("/pub/mono.m3u8", timeout: 2).status != 200)
        #expect(server.log.contains("RTSP publish refused: wrong password for pub"))
        // One publisher at a time.
        let first = try publish("pub?password=secret")
        defer { Sluice.stop(first) }
        try server.waitForPlaylist("pub")
        #expect(try refusedPublish("pub?password=secret").contains("403 Forbidden"))
        #expect(server.log.contains("RTSP publish refused: pub already has a publisher"))
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// `on_publish` is asked as for RTMP, with `proto=rtsp` and the URL's token; a template's prefix makes the stream.
    @Test func onPublishAndTemplatesAsForRTMP() throws {
        let backend = try LoopbackHTTPServer { _ in .status(200) }
        let server = try server("template chats {\n  prefix chats;\n  input publish://;\n  on_publish http://127.0.0.1:\(backend.port)/auth;\n"
                                + "  segment_duration 1;\n}\n")
        let publisher = try publish("chats/room-15?token=abc")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("chats/room-15")
        #expect(try Sluice.decodeErrors(server.url("/chats/room-15/index.m3u8"), seconds: 2) == "")
        let asked = try #require(backend.requests.first)
        #expect(asked.hasPrefix("/auth?name=chats%2Froom-15&ip=127.0.0.1&proto=rtsp&token=abc&session_id="), "\(asked)")
        #expect(server.log.contains("RTSP publisher of chats/room-15 accepted"))
    }

    @Test func anUnknownStreamIs404() throws {
        let server = try server(Self.fake)
        let result = try Sluice.run("/usr/bin/ffprobe", ["-v", "error"] + Self.transport("tcp") + [url("nosuch")], timeout: 30)
        #expect(result.status != 0 && result.stderr.contains("404 Not Found"), "\(result.stderr)")
        #expect(server.log.contains("RTSP DESCRIBE of nosuch refused (404)"))
    }

    /// A TCP viewer that stops reading (SIGSTOP) holds up nobody: another viewer decodes the stream meanwhile.
    @Test func aStalledViewerBlocksNoOne() throws {
        let server = try server(Self.fake)
        try server.waitForPlaylist("fake")
        let stalled = try Sluice.start("/usr/bin/ffmpeg", ["-v", "error"] + Self.transport("tcp") + ["-i", url("fake"), "-f", "null", "-"])
        defer { Sluice.stop(stalled) }
        try waitUntil(seconds: 10, "the first viewer plays") { server.log.contains("RTSP play of fake over TCP") }
        kill(stalled.processIdentifier, SIGSTOP)
        #expect(try Sluice.decodeErrors(url("fake"), input: Self.transport("tcp"), seconds: 3) == "")
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Garbage, truncated requests and frames, a bad SDP and an SDP with nothing Sluice takes harm nothing: the port
    /// keeps serving and no worker restarts.
    @Test func garbageOnTheRTSPPortHarmsNothing() throws {
        let server = try server(Self.fake + Self.pub)
        let jpegOnly = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 26\r\na=control:streamid=0\r\n"
        for garbage in [
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "\u{16}\u{3}\u{1}\u{2}\u{0}\u{1}\u{0}\u{1}\u{FC}\u{3}\u{3}" + String(repeating: "\u{7}", count: 600),
            "DESCRIBE rtsp://127.0.0.1/fake RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 100\r\n\r\nabc",
            "DESCRIBE rtsp://127.0.0.1/fake RTSP/1.0\r\nCSeq:",
            "$\u{0}\u{7F}\u{7F}abc",
            "SETUP rtsp://127.0.0.1/fake/trackID=1 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;multicast\r\n\r\n",
            "PLAY rtsp://127.0.0.1/fake RTSP/1.0\r\nCSeq: 1\r\n\r\n",
            "ANNOUNCE rtsp://127.0.0.1/pub?password=secret RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 9\r\n\r\nm=garbage",
            "ANNOUNCE rtsp://127.0.0.1/pub?password=secret RTSP/1.0\r\nCSeq: 1\r\nContent-Length: \(jpegOnly.utf8.count)\r\n\r\n\(jpegOnly)",
            String(repeating: "A", count: 20_000),
        ] {
            Sluice.sendRaw(garbage, toTCPPort: rtspPort)
        }
        try server.waitForPlaylist("fake")
        #expect(try Sluice.decodeErrors(url("fake"), input: Self.transport("tcp"), seconds: 2) == "")
        #expect(server.log.contains("RTSP publish of pub refused: its SDP has no H.264, H.265, AAC or G.711 track"))
        #expect(try server.streams().first { $0["name"] as? String == "pub" }?["status"] as? String == "waiting")
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }
}
