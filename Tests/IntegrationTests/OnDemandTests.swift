import Foundation
import Testing

/// `ondemand NAME { ... }`: started by its first viewer, whose first request waits for it (LESSONS.md 6), and
/// stopped `clients_timeout` after its last viewer; the next viewer starts it again.
@Suite(.serialized) struct OnDemandTests {
    static let config = """
    ondemand cam {
      input fake://fake;
      segment_duration 1;
      clients_timeout 3;
    }
    stream always {
      input fake://fake;
    }
    """

    @Test func firstPlaylistRequestStartsTheStreamAndWaitsForIt() throws {
        let server = try SluiceServer(Self.config)
        defer { server.stop() }
        try server.waitForPlaylist("always")
        #expect(try server.pid(role: "ingest", stream: "cam") == nil)
        #expect(try server.pid(role: "ingest", stream: "always") != nil)
        // One request, held until the first segments exist.
        let first = try server.get("/cam/index.m3u8", timeout: 20)
        #expect(first.status == 200, "\(first.body)\n\(server.log.suffix(2000))")
        #expect(first.body.contains("#EXT-X-STREAM-INF"))
        #expect(try server.pid(role: "ingest", stream: "cam") != nil)
        #expect(try Sluice.probe(server.url("/cam/index.m3u8")) == ["h264 640 360", "aac"])
        #expect(server.log.contains("cam: started for its first viewer"))
        // Without viewers it stops after clients_timeout (3 s, checked every 2 s) and frees its ring.
        try waitUntil(seconds: 20, "cam stops without viewers") { try server.pid(role: "ingest", stream: "cam") == nil }
        #expect(server.log.contains("cam: no viewers for 3 s; stopped"))
        #expect(try server.pid(role: "ingest", stream: "always") != nil)
        // The next viewer starts it again.
        let again = try server.get("/cam/mono.m3u8", timeout: 20)
        #expect(again.status == 200, "\(again.body)\n\(server.log.suffix(3000))")
    }

    @Test func viewersKeepItRunningAndLiveMPEGTSStartsItToo() throws {
        let server = try SluiceServer(Self.config)
        defer { server.stop() }
        // A live MPEG-TS viewer starts it and keeps it running for longer than clients_timeout.
        let decode = try Sluice.run("/usr/bin/ffmpeg", ["-hide_banner", "-v", "error", "-t", "8", "-i", server.url("/cam/mpegts"),
                                                         "-f", "null", "-"], timeout: 60)
        #expect(decode.status == 0 && decode.stderr.isEmpty, "\(decode.stderr)\n\(server.log.suffix(2000))")
        #expect(!server.log.contains("cam: no viewers"))
        // A playlist poller every second keeps it too.
        for _ in 0..<6 {
            #expect(try server.get("/cam/mono.m3u8", timeout: 20).status == 200)
            Thread.sleep(forTimeInterval: 1)
        }
        #expect(!server.log.contains("cam: no viewers"))
        let pid = try #require(try server.pid(role: "ingest", stream: "cam"))
        #expect(try server.pid(role: "ingest", stream: "cam") == pid)
    }
}
