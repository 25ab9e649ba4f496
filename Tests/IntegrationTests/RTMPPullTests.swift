import Foundation
import Testing

/// `input rtmp://` (issue 4, deliverable 5) with real servers on loopback: one Sluice instance pulls another's
/// fake:// stream over RTMP and loses it, then gets it back; and Sluice pulls ffmpeg serving a file (`-listen 1`).
@Suite(.serialized) struct RTMPPullTests {
    private let rtmpPort = Sluice.freePort()

    /// Instance A: the fake picture (H.264 640x360, AAC), played over RTMP at rtmp://127.0.0.1:PORT/static/origin.
    private func origin() throws -> SluiceServer {
        try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\nstream origin {\n  input fake://fake;\n  segment_duration 1;\n}\n")
    }

    private func stream(_ name: String, in server: SluiceServer) throws -> [String: Any] {
        try #require(try server.streams().first { $0["name"] as? String == name })
    }

    @Test func pullsAnotherSluiceAndReconnectsWhenItComesBack() throws {
        var origin = try origin()
        let url = "rtmp://127.0.0.1:\(rtmpPort)/static/origin"
        let puller = try SluiceServer("""
            stream pulled {
              input \(url);
              segment_duration 1;
            }

            """)
        try puller.waitForPlaylist("pulled")
        #expect(try Sluice.probe(puller.url("/pulled/index.m3u8")) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(puller.url("/pulled/index.m3u8"), seconds: 2) == "")
        let pulled = try stream("pulled", in: puller)
        #expect(pulled["status"] as? String == "running" && pulled["input"] as? String == url)
        #expect(!puller.log.contains("ignored: stream pulled"))

        // The origin goes away: the input fails, and is retried with the stream's backoff while the playlist stays.
        origin.stop()
        try waitUntil(seconds: 10, "the pulled stream waits") { (try self.stream("pulled", in: puller)["status"] as? String) == "waiting" }
        #expect(puller.log.contains("source_lost url=\(url) reason=the server closed the connection"), "\(puller.log)")
        #expect(try puller.get("/pulled/mono.m3u8").status == 200)
        // It comes back on the same port: the puller reconnects, and the playlist goes on after a discontinuity.
        origin = try self.origin()
        defer { origin.stop() }
        try waitUntil(seconds: 40, "the pulled playlist shows a discontinuity") {
            try puller.get("/pulled/mono.m3u8").body.contains("#EXT-X-DISCONTINUITY\n")
        }
        let resumed = try stream("pulled", in: puller)
        #expect(resumed["status"] as? String == "running" && resumed["generation"] as? Int == 2)
        #expect(try Sluice.decodeErrors(puller.url("/pulled/index.m3u8"), seconds: 2) == "")
        #expect(try puller.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// ffmpeg as the server: `-listen 1` serves the H.264/AAC FLV fixture to the first player that comes.
    @Test func pullsFFmpegListening() throws {
        let fixture = Sluice.fixtures.appendingPathComponent("h264_aac.flv").path
        let url = "rtmp://127.0.0.1:\(rtmpPort)/live/x"
        let ffmpeg = try Sluice.start("/usr/bin/ffmpeg", ["-v", "error", "-re", "-stream_loop", "-1", "-i", fixture,
                                                          "-c", "copy", "-f", "flv", "-listen", "1", url])
        defer { Sluice.stop(ffmpeg) }
        // Until ffmpeg listens, the connection is refused and retried after the backoff.
        let puller = try SluiceServer("stream pulled {\n  input \(url);\n  segment_duration 1;\n}\n")
        try puller.waitForPlaylist("pulled")
        #expect(try Sluice.probe(puller.url("/pulled/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(puller.url("/pulled/index.m3u8"), seconds: 2) == "")
        #expect(try stream("pulled", in: puller)["status"] as? String == "running")
    }
}
