import Foundation
import Testing

@Suite(.serialized) struct InspectCommandTests {
    private func tracks(_ json: [String: Any]) -> [[String: Any]] { json["tracks"] as? [[String: Any]] ?? [] }

    @Test func fileReportAsJSON() throws {
        let result = try Sluice.sluice("inspect", Sluice.fixtures.appendingPathComponent("h264_aac.ts").path, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Sluice.json(result.stdout)
        let t = tracks(json)
        #expect(t.count == 2)
        #expect(t.first?["codec"] as? String == "h264")
        #expect(t.first?["width"] as? Int == 320 && t.first?["height"] as? Int == 240)
        #expect(t.last?["codec"] as? String == "aac")
        #expect(t.last?["sample_rate"] as? Int == 44100 && t.last?["channels"] as? Int == 2)
        let errors = try #require(json["errors"] as? [String: Int])
        #expect(errors["continuity"] == 0)
    }

    @Test func fileReportAsTable() throws {
        let result = try Sluice.sluice("inspect", Sluice.fixtures.appendingPathComponent("h265_mp2.ts").path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("h265"))
        #expect(result.stdout.contains("mp2"))
        #expect(result.stdout.contains("320x240"))
    }

    @Test func secondProgramSelected() throws {
        let result = try Sluice.sluice("inspect", Sluice.fixtures.appendingPathComponent("two_programs.ts").path,
                                       "--program", "2", "--json")
        let t = tracks(try Sluice.json(result.stdout))
        #expect(t.map { $0["codec"] as? String } == ["h264", "mp2"])
        #expect(t.first?["width"] as? Int == 160)
    }

    /// ffmpeg sends the fixture over UDP to loopback, unicast and multicast, in real time, while sluice listens.
    @Test(arguments: ["127.0.0.1", "239.255.42.42"])
    func udpSource(address: String) throws {
        let port = Sluice.freePort()
        let url = "udp://\(address):\(port)"
        let sender = try Sluice.start("/usr/bin/ffmpeg", [
            "-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1",
            "-i", Sluice.fixtures.appendingPathComponent("h264_aac.ts").path, "-c", "copy", "-f", "mpegts",
            "\(url)?pkt_size=1316&ttl=0",
        ])
        defer { Sluice.stop(sender) }
        let result = try Sluice.sluice("inspect", url, "--seconds", "3", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Sluice.json(result.stdout)
        #expect(tracks(json).map { $0["codec"] as? String } == ["h264", "aac"])
        #expect((json["bytes"] as? Int ?? 0) > 10_000)
    }

    /// A loopback HTTP server sends the fixture chunked, behind a redirect; sluice pulls it as tshttp://.
    @Test func httpSourceChunkedBehindARedirect() throws {
        let body = try Data(contentsOf: Sluice.fixtures.appendingPathComponent("h264_aac.ts"))
        let server = try LoopbackHTTPServer { path in
            path == "/old" ? .redirect("/live.ts") : .chunked(body)
        }
        let result = try Sluice.sluice("inspect", "tshttp://127.0.0.1:\(server.port)/old", "--seconds", "5", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Sluice.json(result.stdout)
        #expect(tracks(json).map { $0["codec"] as? String } == ["h264", "aac"])
        #expect(json["bytes"] as? Int == body.count)
        #expect(server.requests == ["/old", "/live.ts"])
    }

    @Test func unreachableSourceIsAClearError() throws {
        let result = try Sluice.sluice("inspect", "tshttp://127.0.0.1:\(Sluice.freePort())/x", "--seconds", "1")
        #expect(result.status == 1)
        #expect(result.stderr.contains("tshttp://127.0.0.1:") && result.stderr.contains(": connect(127.0.0.1:"), "\(result.stderr)")
    }
}
