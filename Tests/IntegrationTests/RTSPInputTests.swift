import Foundation
import Testing

/// `input rtsp://` (issue 5, deliverable 2) against GStreamer's RTSP server as a camera (scripts/test-camera.py) and
/// scripted misbehaving cameras: over TCP and UDP, H.264 and H.265 with AAC, G.711, Digest authentication, track
/// selection, a redirect, a camera that dies and comes back, one that answers PLAY and sends nothing.
@Suite(.serialized, .enabled(if: TestCamera.isAvailable,
                             "needs /usr/bin/python3 with gi and GstRtspServer 1.0 (python3-gi, gir1.2-gst-rtsp-server-1.0: scripts/install-deps.sh)"))
struct RTSPInputTests {
    private func stream(_ name: String, in server: SluiceServer) throws -> [String: Any] {
        try #require(try server.streams().first { $0["name"] as? String == name })
    }

    private func config(_ name: String, _ input: String, _ extra: String = "") -> String {
        "stream \(name) {\n  input \(input);\n  segment_duration 1;\n\(extra)}\n"
    }

    /// The camera pulled, lost (killed) and found again (restarted on its port), then let go (the stream removed):
    /// its SETUPs name the transport, the output decodes before and after, the playlist shows the discontinuity,
    /// and the camera gets a TEARDOWN.
    @Test(arguments: ["tcp", "udp"]) func pullsLosesAndFindsTheCamera(transport: String) throws {
        var camera = try TestCamera()
        let url = camera.url()
        let server = try SluiceServer(config("cam", url, transport == "udp" ? "  rtp udp;\n" : ""), workers: 1)
        try server.waitForPlaylist("cam")
        #expect(try Sluice.probe(server.url("/cam/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/cam/index.m3u8"), seconds: 3) == "")
        let setups = camera.setups
        #expect(setups.count == 2, "\(camera.output)")
        #expect(setups.allSatisfy { $0.hasPrefix(transport == "udp" ? "RTP/AVP;unicast;client_port=" : "RTP/AVP/TCP;unicast;interleaved=") }, "\(setups)")
        if transport == "udp" {  // even RTP ports, RTCP the next one up
            let ports = setups.compactMap { $0.split(separator: "=").last?.split(separator: "-").compactMap { Int($0) } }
            #expect(ports.allSatisfy { $0.count == 2 && $0[0] % 2 == 0 && $0[1] == $0[0] + 1 }, "\(ports)")
        }
        let running = try stream("cam", in: server)
        #expect(running["status"] as? String == "running" && running["input"] as? String == url && running["generation"] as? Int == 1)
        #expect(!server.log.contains("not built yet"), "\(server.log)")

        camera.kill()
        try waitUntil(seconds: 15, "the stream waits for the camera") { (try self.stream("cam", in: server)["status"] as? String) == "waiting" }
        #expect((try stream("cam", in: server)["error"] as? String)?.hasPrefix("\(url): ") == true)
        #expect(server.log.contains("source_lost url=\(url) reason=the camera closed the connection")
                    || server.log.contains("source_lost url=\(url) reason=connection lost"), "\(server.log)")
        camera = try TestCamera(port: camera.port)
        try waitUntil(seconds: 40, "the playlist shows a discontinuity") {
            try server.get("/cam/mono.m3u8").body.contains("#EXT-X-DISCONTINUITY\n")
        }
        let resumed = try stream("cam", in: server)
        #expect(resumed["status"] as? String == "running" && resumed["generation"] as? Int == 2)
        #expect(try Sluice.decodeErrors(server.url("/cam/index.m3u8"), seconds: 2) == "")

        try server.rewriteConfig("", workers: 1)
        #expect(try server.ctl("reload").status == 0)
        try waitUntil(seconds: 15, "the camera gets a TEARDOWN") { camera.output.contains("teardown\n") }
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    @Test func digestAuthentication() throws {
        let camera = try TestCamera(user: "admin", password: "s3cr:et")
        let good = camera.url(user: "admin", password: "s3cr%3Aet")
        let bad = camera.url(user: "admin", password: "wr0ng")
        let server = try SluiceServer(config("good", good) + config("bad", bad), workers: 1)
        try server.waitForPlaylist("good")
        #expect(try Sluice.probe(server.url("/good/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try stream("good", in: server)["input"] as? String == camera.url(user: "admin", password: "***"))
        try waitUntil(seconds: 15, "the wrong password is reported") { (try self.stream("bad", in: server)["error"] as? String) != nil }
        let refused = try stream("bad", in: server)
        #expect(refused["status"] as? String == "waiting" && refused["frames"] as? Int == 0)
        #expect(refused["error"] as? String == camera.url(user: "admin", password: "***") + ": DESCRIBE " + camera.url()
                    + ": 401 Unauthorized: user \"admin\" refused (wrong user or password)")
        // Passwords appear nowhere: not in status, not in the log.
        let everything = try server.ctl("--json", "streams").stdout + server.log
        #expect(!everything.contains("s3cr") && !everything.contains("wr0ng"), "\(everything)")
    }

    /// `tracks=1`: the camera's first SDP section only (its video).
    @Test func tracksKeepsVideoOnly() throws {
        let camera = try TestCamera()
        let server = try SluiceServer(config("video", camera.url() + " tracks=1"), workers: 1)
        try server.waitForPlaylist("video")
        #expect(try Sluice.probe(server.url("/video/index.m3u8")) == ["h264 320 240"])
        #expect(try Sluice.decodeErrors(server.url("/video/index.m3u8"), seconds: 2) == "")
        #expect(camera.setups.count == 1)
    }

    /// H.265 with AAC, reached through a camera that redirects every request (302) to it.
    @Test func h265BehindARedirect() throws {
        let camera = try TestCamera(variant: "h265-aac")
        let target = camera.url()
        let redirector = try ScriptedRTSPServer { _, _ in "RTSP/1.0 302 Moved Temporarily\nCSeq: CSEQ\nLocation: \(target)\n\n" }
        let server = try SluiceServer(config("hevc", redirector.url), workers: 1)
        try server.waitForPlaylist("hevc")
        #expect(try Sluice.probe(server.url("/hevc/index.m3u8")) == ["hevc 320 240", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/hevc/index.m3u8"), seconds: 3) == "")
        #expect(server.log.contains("\(redirector.url): redirected to \(target)"), "\(server.log)")
    }

    /// `rtsp2://` with G.711 A-law audio: the HLS output has the video and AAC-LC 48 kHz mono in place of the G.711
    /// (docs/transcode.md), and both decode without an error; as `rtsp://`, the same camera has no audio in HLS.
    @Test func g711Camera() throws {
        let camera = try TestCamera(variant: "h264-pcma")
        let url = camera.url().replacingOccurrences(of: "rtsp://", with: "rtsp2://")
        let server = try SluiceServer(config("alaw", url), workers: 1)
        try server.waitForPlaylist("alaw")
        let playlist = server.url("/alaw/index.m3u8")
        #expect(try Sluice.probe(playlist) == ["h264 320 240", "aac"])
        let audio = try Sluice.run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries",
                                                         "stream=codec_name,profile,sample_rate,channels", "-of", "csv=p=0", playlist],
                                   timeout: 30)
        #expect(audio.stdout.split(separator: "\n").first == "aac,LC,48000,1", "\(audio.stdout)\(audio.stderr)")
        #expect(try Sluice.decodeErrors(playlist, seconds: 3) == "")
        let alaw = try stream("alaw", in: server)
        #expect(alaw["status"] as? String == "running" && alaw["input"] as? String == url)
        #expect(server.log.contains("\(url): playing over TCP, tracks 1 video H264, 2 audio PCMA"), "\(server.log)")
        #expect(server.log.contains("transcoding track 2: pcma 8000 Hz, 1 channel, to aac 48000 Hz mono 64 kbit/s"),
                "\(server.log)")
        // The same camera as `rtsp://` (in place of the first, one client per camera): no audio HLS can carry.
        try server.rewriteConfig(config("untranscoded", camera.url()), workers: 1)
        #expect(try server.ctl("reload").status == 0)
        try server.waitForPlaylist("untranscoded")
        #expect(try Sluice.probe(server.url("/untranscoded/index.m3u8")) == ["h264 320 240"])
    }

    /// A camera that answers PLAY and never sends: lost after `source_timeout`, and told so with a TEARDOWN.
    @Test func aSilentCameraTimesOut() throws {
        let sdp = "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=silent\nt=0 0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=control:trackID=1\n"
        let camera = try ScriptedRTSPServer { method, _ in
            switch method {
            case "DESCRIBE":
                let length = sdp.utf8.count + sdp.filter { $0 == "\n" }.count  // with CRLF line ends
                return "RTSP/1.0 200 OK\nCSeq: CSEQ\nContent-Type: application/sdp\nContent-Length: \(length)\n\n" + sdp
            case "SETUP": return "RTSP/1.0 200 OK\nCSeq: CSEQ\nSession: 42;timeout=60\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\n\n"
            default: return "RTSP/1.0 200 OK\nCSeq: CSEQ\n\n"
            }
        }
        let server = try SluiceServer(config("silent", camera.url, "  source_timeout 2;\n"), workers: 1)
        try waitUntil(seconds: 20, "the silent camera is lost") {
            (try self.stream("silent", in: server)["error"] as? String)?.contains("no frame for 2 s (source_timeout 2 s)") == true
        }
        #expect(Array(camera.requests.prefix(5)) == ["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN"])
        #expect(try stream("silent", in: server)["frames"] as? Int == 0)
        #expect(server.log.contains("\(camera.url): playing over TCP, tracks 1 video H264"), "\(server.log)")
    }
}
