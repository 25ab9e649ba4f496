import Foundation
import Testing

/// `sluice run` with real clients on loopback (issue 3): ffmpeg and ffprobe as sources and players, curl as a
/// polling client, kill -9 of workers, reloads and shutdown. Serialized: each test runs a whole server on 2 cores.
@Suite(.serialized) struct ServerTests {
    @Test func fakeStreamPlaysOverHLSAndHTTPMPEGTS() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\n")
        try server.waitForPlaylist("demo")
        #expect(try Sluice.probe(server.url("/demo/index.m3u8")) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/demo/index.m3u8")) == "")
        #expect(try Sluice.probe(server.url("/demo/mpegts")) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/demo/mpegts"), seconds: 3) == "")
        for path in ["/demo/video.m3u8", "/demo/tracks-v1a1/mono.m3u8", "/demo/playlist.m3u8"] {
            #expect(try server.get(path).status == 200, "\(path)")
        }
        #expect(try server.get("/nothing/index.m3u8").status == 404)
        #expect(try server.get("/demo/tracks-v3/mono.m3u8").status == 404)
        let streams = try server.streams()
        #expect(streams.first?["name"] as? String == "demo")
        #expect(streams.first?["status"] as? String == "running")
        #expect(streams.first?["input"] as? String == "fake://fake")
        #expect((streams.first?["frames"] as? Int ?? 0) > 0)
        #expect(server.stop() == 0)
    }

    /// The first viewer of a stream that has no segments yet is held, then served (LESSONS.md 6), not refused.
    @Test func firstPlaylistRequestWaitsForTheFirstSegments() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\n")
        let first = try server.get("/demo/index.m3u8", timeout: 20)
        #expect(first.status == 200)
        #expect(first.body.contains("#EXT-X-STREAM-INF"))
    }

    /// Every edge worker serves the same segment under the same name with the same bytes: fetched on many fresh
    /// connections (spread over both edges by the kernel), one segment always has the same digest.
    @Test func everyEdgeServesTheSameSegmentBytes() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n  segment_count 6;\n}\n")
        try server.waitForPlaylist("demo")
        let playlist = try server.get("/demo/mono.m3u8").body
        let segment = try #require(playlist.split(separator: "\n").first { $0.hasSuffix(".ts") })
        var digests: Set<String> = []
        for _ in 0..<12 {
            let result = try Sluice.run("/bin/sh", ["-c", "curl -s \(server.url("/demo/" + segment)) | md5sum"], timeout: 20)
            digests.insert(result.stdout)
        }
        #expect(digests.count == 1, "\(digests)")
        #expect(try Sluice.probe(server.url("/demo/" + segment)) == ["h264 640 360", "aac"])
    }

    /// Consecutive segments, concatenated, read as one stream: ffmpeg finds no continuity counter gap (analysers
    /// check them across segments; each segment is muxed on its own, see `TSMuxer`).
    @Test func continuityCountersRunOnAcrossSegments() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n  segment_count 6;\n}\n")
        var segments: [Substring] = []
        try waitUntil(seconds: 30, "3 segments are listed") {
            segments = (try? server.get("/demo/mono.m3u8").body.split(separator: "\n").filter { $0.hasSuffix(".ts") }) ?? []
            return segments.count >= 3
        }
        let urls = segments.prefix(3).map { server.url("/demo/" + $0) }.joined(separator: " ")
        let log = try Sluice.run("/bin/sh", ["-c", "curl -s \(urls) | ffmpeg -hide_banner -v debug -i - -f null - 2>&1"], timeout: 60)
        #expect(log.stdout.contains("Stream #0:0"), "\(log.stdout.suffix(2000))")
        let gaps = log.stdout.split(separator: "\n").filter { $0.contains("Continuity check failed") }
        #expect(gaps.isEmpty, "\(gaps)")
    }

    /// ffmpeg sends the H.264/AAC fixture over UDP, unicast and multicast, in real time; both streams decode.
    @Test func udpUnicastAndMulticastSources() throws {
        let unicast = Sluice.freePort(), multicast = Sluice.freePort()
        let server = try SluiceServer("""
        stream uni {
          input udp://127.0.0.1:\(unicast);
          segment_duration 1;
        }
        stream multi {
          input udp://239.255.77.1:\(multicast);
          segment_duration 1;
        }
        """)
        let fixture = Sluice.fixtures.appendingPathComponent("h264_aac.ts").path
        var senders: [Process] = []
        for target in ["udp://127.0.0.1:\(unicast)?pkt_size=1316", "udp://239.255.77.1:\(multicast)?pkt_size=1316&ttl=0"] {
            senders.append(try Sluice.start("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
                                                                 "-i", fixture, "-c", "copy", "-f", "mpegts", target]))
        }
        defer { senders.forEach(Sluice.stop) }
        for stream in ["uni", "multi"] {
            try server.waitForPlaylist(stream)
            #expect(try Sluice.probe(server.url("/\(stream)/index.m3u8")) == ["h264 320 240", "aac"], "\(stream)")
            #expect(try Sluice.decodeErrors(server.url("/\(stream)/mono.m3u8"), seconds: 2) == "", "\(stream)")
            #expect(try Sluice.decodeErrors(server.url("/\(stream)/mpegts"), seconds: 2) == "", "\(stream)")
        }
    }

    /// A source pulled over HTTP (chunked): the loopback server sends the fixture once per connection, so the
    /// ingest reconnects and the stream carries on with a new generation.
    @Test func tshttpSource() throws {
        let body = try Data(contentsOf: Sluice.fixtures.appendingPathComponent("h264_aac.ts"))
        let origin = try LoopbackHTTPServer { _ in .chunked(body) }
        let server = try SluiceServer("stream pulled {\n  input tshttp://127.0.0.1:\(origin.port)/live.ts;\n  segment_duration 1;\n}\n")
        try server.waitForPlaylist("pulled")
        #expect(try Sluice.probe(server.url("/pulled/index.m3u8")) == ["h264 320 240", "aac"])
    }

    /// kill -9 of the ingest worker while a client polls the playlist every 100 ms: nothing but 200, and the
    /// stream resumes behind a discontinuity.
    @Test func ingestKilledWhileViewersPoll() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\n")
        try server.waitForPlaylist("demo")
        let ingest = try #require(try server.pid(role: "ingest", stream: "demo"))
        var statuses: [Int] = []
        for i in 0..<40 {
            if i == 5 { kill(ingest, SIGKILL) }
            statuses.append(try server.get("/demo/mono.m3u8").status)
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        try waitUntil(seconds: 20, "the playlist shows the discontinuity") {
            try server.get("/demo/mono.m3u8").body.contains("#EXT-X-DISCONTINUITY\n")
        }
        #expect(!(try server.get("/demo/mono.m3u8").body.contains("#EXTINF:0.000")), "no empty segment at the restart")
        let restarted = try #require(try server.pid(role: "ingest", stream: "demo"))
        #expect(restarted != ingest)
        #expect(try Sluice.decodeErrors(server.url("/demo/index.m3u8"), seconds: 2) == "")
    }

    /// kill -9 of an edge worker: the port stays open (the supervisor holds it) and the next request is served.
    @Test func edgeKilledPortStaysOpen() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\n")
        try server.waitForPlaylist("demo")
        let edges = try server.workers().filter { $0["role"] as? String == "edge" }.compactMap { $0["pid"] as? Int }
        #expect(edges.count == 2)
        for pid in edges { kill(Int32(pid), SIGKILL) }
        // Both edges are gone for a moment: the kernel queues connections on the listening socket meanwhile.
        #expect(try server.get("/demo/mono.m3u8").status == 200)
        try waitUntil(seconds: 10, "both edges are back") {
            try server.workers().filter { $0["role"] as? String == "edge" && $0["state"] as? String == "running" }.count == 2
        }
    }

    /// SIGHUP adding, removing and changing streams: the unchanged stream's ingest keeps its pid and its frames.
    @Test func reloadIsAPerStreamDiff() throws {
        let server = try SluiceServer("""
        stream keep { input fake://fake; }
        stream drop { input fake://fake; }
        stream change { input fake://fake; segment_duration 2; }
        """)
        try server.waitForPlaylist("keep")
        let keepPID = try server.pid(role: "ingest", stream: "keep")
        let changePID = try server.pid(role: "ingest", stream: "change")
        let framesBefore = try server.streams().first { $0["name"] as? String == "keep" }?["frames"] as? Int ?? 0
        try server.rewriteConfig("""
        stream keep { input fake://fake; }
        stream change { input fake://fake; segment_duration 3; }
        stream added { input fake://fake; }
        """)
        server.signal(SIGHUP)
        try waitUntil(seconds: 15, "the reload is applied") {
            let names = Set(try server.streams().compactMap { $0["name"] as? String })
            let changed = try server.pid(role: "ingest", stream: "change")
            return names == ["keep", "change", "added"] && changed != nil && changed != changePID
        }
        #expect(try server.pid(role: "ingest", stream: "keep") == keepPID)
        let framesAfter = try server.streams().first { $0["name"] as? String == "keep" }?["frames"] as? Int ?? 0
        #expect(framesAfter > framesBefore)
        #expect(try server.get("/drop/mono.m3u8").status == 404)
        #expect(!server.ringFiles.contains { $0.hasSuffix("-drop") })
    }

    /// A config that does not parse on SIGHUP changes nothing, and `ctl status` shows the error with its place.
    @Test func brokenReloadChangesNothing() throws {
        let server = try SluiceServer("stream demo { input fake://fake; }\n")
        let pid = try server.pid(role: "ingest", stream: "demo")
        try server.rewriteConfig("stream demo { input fake://fake; }\nstream broken {\n  input fake://fake\n")
        server.signal(SIGHUP)
        try waitUntil(seconds: 10, "status shows the failed reload") { try server.ctl("status").stdout.contains("FAILED") }
        let status = try server.ctl("status").stdout
        #expect(status.contains("sluice.conf:"))
        #expect(try server.pid(role: "ingest", stream: "demo") == pid)
        #expect(try server.streams().count == 1)
    }

    /// SIGTERM stops everything and leaves no ring, control socket or pid file behind.
    @Test func sigtermLeavesNothingBehind() throws {
        let server = try SluiceServer("stream a { input fake://fake; }\nstream b { input fake://fake; }\n")
        try waitUntil(seconds: 10, "the rings exist") { server.ringFiles.count == 2 }
        let pids = try server.workers().compactMap { $0["pid"] as? Int }
        #expect(server.stop() == 0)
        #expect(server.ringFiles.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: server.runtimeDir + "/control.sock"))
        #expect(!FileManager.default.fileExists(atPath: server.runtimeDir + "/sluice.pid"))
        for pid in pids { #expect(kill(Int32(pid), 0) != 0, "pid \(pid) still alive") }
    }

    /// A live MPEG-TS viewer that never reads blocks no one: another viewer decodes, playlists are served.
    @Test func stalledLiveViewerBlocksNoOne() throws {
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\n", workers: 1)
        try server.waitForPlaylist("demo")
        let stalled = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(stalled) }
        var small: Int32 = 4096
        setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(server.httpPort).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(stalled, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        let request = Array("GET /demo/mpegts HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(stalled, $0.baseAddress, $0.count, 0) }
        Thread.sleep(forTimeInterval: 3)  // let the stalled viewer's queue fill while the stream runs
        #expect(try Sluice.decodeErrors(server.url("/demo/mpegts"), seconds: 3) == "")
        #expect(try server.get("/demo/mono.m3u8").status == 200)
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Malformed HTTP and garbage UDP payloads harm nothing: the server keeps serving.
    @Test func garbageHarmsNothing() throws {
        let port = Sluice.freePort()
        let server = try SluiceServer("stream demo {\n  input fake://fake;\n  segment_duration 1;\n}\nstream udp {\n  input udp://127.0.0.1:\(port);\n}\n")
        try server.waitForPlaylist("demo")
        for garbage in ["GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\n" + String(repeating: "X-Long: y\r\n", count: 2000) + "\r\n",
                        "\u{16}\u{3}\u{1}\u{0}binary", "GET /demo/mono.m3u8 HTTP/9.9\r\n\r\n", String(repeating: "A", count: 100_000)] {
            Sluice.sendRaw(garbage, toTCPPort: server.httpPort)
        }
        for _ in 0..<200 { Sluice.sendDatagram([UInt8]((0..<1316).map { _ in UInt8.random(in: 0...255) }), toUDPPort: port) }
        #expect(try server.get("/demo/mono.m3u8").status == 200)
        let workers = try server.workers()
        #expect(workers.allSatisfy { ($0["restarts"] as? Int) == 0 }, "\(workers)")
    }
}
