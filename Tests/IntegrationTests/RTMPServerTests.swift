import Foundation
import Testing

/// RTMP with real clients on loopback (issue 4): ffmpeg publishes (the H.264/AAC FLV fixture, looped, not
/// re-encoded), ffmpeg, ffprobe and rtmpdump play; refusals, a publisher killed and replaced, garbage on the port.
@Suite(.serialized) struct RTMPServerTests {
    private let rtmpPort = Sluice.freePort()

    private func server(_ streams: String) throws -> SluiceServer {
        try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\n\(streams)")
    }

    private func rtmpURL(_ path: String) -> String { "rtmp://127.0.0.1:\(rtmpPort)/\(path)" }

    private func publish(_ path: String) throws -> Process { try Sluice.publish(to: rtmpURL(path)) }

    private func refusedPublish(_ path: String) throws -> String { try Sluice.refusedPublish(to: rtmpURL(path)) }

    private let stream = "stream pub {\n  input publish://;\n  password secret;\n  segment_duration 1;\n}\n"

    @Test func publishedStreamPlaysOverHLSMPEGTSAndRTMP() throws {
        let server = try server(stream)
        let publisher = try publish("static/pub?password=secret")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        #expect(try Sluice.probe(server.url("/pub/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/pub/index.m3u8"), seconds: 2) == "")
        #expect(try Sluice.decodeErrors(server.url("/pub/mpegts"), seconds: 2) == "")
        // RTMP players: the app `static` is dropped, and the picture starts at once (the newest keyframe).
        #expect(try Sluice.probe(rtmpURL("static/pub")) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(rtmpURL("static/pub"), seconds: 3) == "")
        let dump = try Sluice.temporaryFile("dump.flv", "")
        // rtmpdump reads a live stream until it ends: stopped after 4 s (SIGKILL: the test runner's children have
        // SIGTERM blocked), its FLV file is whole up to the last tag it wrote.
        _ = try Sluice.run("/usr/bin/timeout", ["-s", "KILL", "4", "/usr/bin/rtmpdump", "-q", "--live", "-r",
                                                rtmpURL("static/pub"), "-o", dump], timeout: 30)
        #expect(try Sluice.probe(dump) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(dump, seconds: 2) == "")
        let streams = try server.streams()
        #expect(streams.first?["status"] as? String == "running")
        #expect(streams.first?["input"] as? String == "publish://")
        #expect(server.log.contains("RTMP publisher of pub accepted"))
    }

    @Test func refusedPublishersLeaveNoStreamBehind() throws {
        let server = try server(stream)
        #expect(try refusedPublish("static/pub?password=wrong").contains("wrong password"))
        #expect(try refusedPublish("static/pub").contains("wrong password"))
        #expect(try refusedPublish("static/nosuch?password=secret").contains("no stream nosuch"))
        let streams = try server.streams()
        #expect(streams.first?["status"] as? String == "waiting")
        #expect(streams.first?["frames"] as? Int == 0)
        #expect(try server.get("/pub/mono.m3u8", timeout: 2).status != 200)
        // One publisher at a time.
        let first = try publish("static/pub?password=secret")
        defer { Sluice.stop(first) }
        try server.waitForPlaylist("pub")
        #expect(try refusedPublish("static/pub?password=secret").contains("already being published"))
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// The publisher is killed and another one publishes: viewers polling the playlist every 100 ms see nothing but
    /// 200, and the stream carries on behind a discontinuity.
    @Test func publisherKilledAndReplacedWhileViewersPoll() throws {
        let server = try server(stream)
        var publisher = try publish("static/pub?password=secret")
        try server.waitForPlaylist("pub")
        var statuses: [Int] = []
        var sawDiscontinuity = false
        for i in 0..<50 {
            if i == 5 { Sluice.stop(publisher) }
            if i == 20 { publisher = try publish("static/pub?password=secret") }
            let playlist = try server.get("/pub/mono.m3u8")
            statuses.append(playlist.status)
            if playlist.body.contains("#EXT-X-DISCONTINUITY\n") { sawDiscontinuity = true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        defer { Sluice.stop(publisher) }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(sawDiscontinuity)
        #expect(try Sluice.decodeErrors(server.url("/pub/index.m3u8"), seconds: 2) == "")
        #expect(try server.streams().first?["generation"] as? Int == 2)
    }

    /// Publishing under a template's prefix (and to a `live` block) makes the stream: HLS and RTMP play it, `ctl
    /// streams` lists it; a name no template makes is refused.
    @Test func templatesAndLiveBlocksMakeStreamsForPublishers() throws {
        let server = try server("template chats {\n  prefix chats;\n  input publish://;\n  segment_duration 1;\n}\nlive studio {\n}\n")
        let publisher = try publish("chats/room-15")
        defer { Sluice.stop(publisher) }
        let live = try publish("studio/cam1")
        defer { Sluice.stop(live) }
        try server.waitForPlaylist("chats/room-15")
        #expect(try Sluice.probe(server.url("/chats/room-15/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try Sluice.decodeErrors(server.url("/chats/room-15/index.m3u8"), seconds: 2) == "")
        #expect(try Sluice.probe(rtmpURL("chats/room-15")) == ["h264 320 240", "aac"])
        try waitUntil(seconds: 15, "both published streams are listed") {
            Set(try server.streams().compactMap { $0["name"] as? String }) == ["chats/room-15", "studio/cam1"]
        }
        #expect(try refusedPublish("nothing/x").contains("no stream nothing/x"))
        #expect(try server.get("/chats/other/index.m3u8", timeout: 2).status == 404)
    }

    /// A publisher over `max_bitrate` is cut (the fixture is about 350 kbit/s), with a log line.
    @Test func aPublisherOverMaxBitrateIsCut() throws {
        let server = try server("stream pub {\n  input publish://;\n  max_bitrate 100;\n}\n")
        let publisher = try publish("static/pub")
        defer { Sluice.stop(publisher) }
        try waitUntil(seconds: 20, "the publisher is cut") { server.log.contains("over max_bitrate") }
        #expect(server.log.contains("kbit/s > 100 kbit/s"))
    }

    /// A player that stops reading (SIGSTOP) holds up nobody: another RTMP player and HLS viewers carry on.
    @Test func aStalledPlayerBlocksNoOne() throws {
        let server = try server(stream)
        let publisher = try publish("static/pub?password=secret")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        let stalled = try Sluice.start("/usr/bin/ffmpeg", ["-v", "error", "-i", rtmpURL("static/pub"), "-f", "null", "-"])
        defer { Sluice.stop(stalled) }
        Thread.sleep(forTimeInterval: 2)
        kill(stalled.processIdentifier, SIGSTOP)
        Thread.sleep(forTimeInterval: 3)
        #expect(try Sluice.decodeErrors(rtmpURL("static/pub"), seconds: 3) == "")
        #expect(try server.get("/pub/mono.m3u8").status == 200)
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Over 100 players (`LiveBatching.viewerThreshold`) a channel writes at most every 80 ms: 110 players from one
    /// process (`SluiceBench rtmp-viewers`) all get the stream, none less than half of what the others get, while a
    /// stalled player blocks none of them and a player that joins meanwhile decodes from its first frame.
    @Test func aBatchingChannelServesEveryPlayer() throws {
        // One edge, so that every player is on one channel.
        let server = try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\n\(stream)", workers: 1)
        let publisher = try publish("static/pub?password=secret")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        let stalled = try Sluice.start("/usr/bin/ffmpeg", ["-v", "error", "-i", rtmpURL("static/pub"), "-f", "null", "-"])
        defer { Sluice.stop(stalled) }
        try waitUntil(seconds: 30, "the first player plays") { server.log.contains("RTMP play of pub") }
        kill(stalled.processIdentifier, SIGSTOP)
        let output = try Sluice.temporaryFile("viewers.out", "")
        let viewers = Process()
        viewers.executableURL = URL(fileURLWithPath: Sluice.benchTool)
        viewers.arguments = ["rtmp-viewers", rtmpURL("static/pub"), "110", "6", "0"]
        viewers.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        viewers.standardError = FileHandle.nullDevice
        try viewers.run()
        defer { if viewers.isRunning { Sluice.stop(viewers) } }
        try waitUntil(seconds: 60, "110 players playing") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.contains("rtmp_viewers_started") == true
        }
        #expect(try Sluice.decodeErrors(rtmpURL("static/pub"), seconds: 3) == "")
        viewers.waitUntilExit()
        // rtmp_viewers N playing P failed F bytes B seconds S mbps_per_viewer X acks A cpu_s C least_mbps L
        let line = try #require(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("rtmp_viewers ") })
        let fields = line.split(separator: " ").map(String.init)
        #expect(fields[3] == "110" && fields[5] == "0", "\(line)")
        let mean = try #require(Double(fields[11]))
        let least = try #require(Double(fields[17]))
        #expect(mean > 0 && least >= mean / 2, "\(line)")
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Garbage, a truncated handshake and an RTMPE handshake on the RTMP port harm nothing: a publisher still gets in.
    @Test func garbageOnTheRTMPPortHarmsNothing() throws {
        let server = try server(stream)
        for garbage in ["GET / HTTP/1.1\r\n\r\n", "\u{3}" + String(repeating: "x", count: 700), "\u{6}" + String(repeating: "y", count: 1536),
                        "\u{3}" + String(repeating: "z", count: 3073) + String(repeating: "\u{FF}", count: 5000)] {
            Sluice.sendRaw(garbage, toTCPPort: rtmpPort)
        }
        let publisher = try publish("static/pub?password=secret")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }
}
