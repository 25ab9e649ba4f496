import Foundation
import Testing

/// `on_publish URL;` (issue 4, deliverable 3) with ffmpeg publishing and the backend in the test process: a 200
/// lets the publish through, a 403, a redirect, a backend that is down or silent, and a `.lua` script refuse it with
/// NetStream.Publish.Denied, leave no frames behind and no socket open in the ingest worker.
@Suite(.serialized) struct RTMPAuthTests {
    private let rtmpPort = Sluice.freePort()

    private func rtmpURL(_ path: String) -> String { "rtmp://127.0.0.1:\(rtmpPort)/\(path)" }

    /// A config of one publish:// stream per (name, on_publish) pair.
    private func server(_ streams: [(name: String, onPublish: String)]) throws -> SluiceServer {
        try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\n" + streams.map {
            "stream \($0.name) {\n  input publish://;\n  on_publish \($0.onPublish);\n  segment_duration 1;\n}\n"
        }.joined())
    }

    private func stream(_ name: String, in server: SluiceServer) throws -> [String: Any] {
        try #require(try server.streams().first { $0["name"] as? String == name })
    }

    /// The query the backend got, as a dictionary (values decoded).
    private func query(_ target: String) throws -> [String: String] {
        let items = try #require(URLComponents(string: target)?.queryItems)
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test func aBackendAnswering200LetsThePublisherIn() throws {
        let backend = try LoopbackHTTPServer { _ in .status(200) }
        let server = try server([("pub", "http://127.0.0.1:\(backend.port)/auth/publish?key=k")])
        let publisher = try Sluice.publish(to: rtmpURL("static/pub?token=t%C3%A9%20k"))
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        #expect(try Sluice.probe(server.url("/pub/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(try stream("pub", in: server)["status"] as? String == "running")

        let target = try #require(backend.requests.first)
        #expect(backend.requests.count == 1)
        #expect(target.hasPrefix("/auth/publish?key=k&name=pub&ip=127.0.0.1&proto=rtmp&token=t%C3%A9%20k&session_id="))
        let asked = try query(target)
        #expect(asked["token"] == "té k")
        #expect(asked["request_type"] == "new_session" && asked["request_number"] == "1")
        #expect(asked["referer"] == "" && asked["user_agent"] == "")
        #expect(asked["stream_clients"] == "0" && asked["total_clients"] == "0")
        #expect(asked["session_id"]?.count == 16)
        #expect(server.log.contains("on_publish allows pub (session \(asked["session_id"] ?? "?")): HTTP 200, for 30 s"))
        #expect(server.log.contains("RTMP publisher of pub accepted"))
        #expect(!server.log.contains("ignored: stream pub"), "an http:// on_publish is built: \(server.log)")
    }

    /// A 403 and a redirect refuse, every time, with the reason in ffmpeg's error; no frame reaches the ring, and
    /// the ingest worker keeps no socket of a refused publisher.
    @Test func aBackendAnswering403OrARedirectRefuses() throws {
        let backend = try LoopbackHTTPServer { path in path.hasPrefix("/deny") ? .status(403) : .redirect("rtmp://elsewhere/live") }
        let server = try server([("pub", "http://127.0.0.1:\(backend.port)/deny"),
                                 ("moved", "http://127.0.0.1:\(backend.port)/redirect")])
        let said = try Sluice.refusedPublish(to: rtmpURL("static/pub?token=secret"))
        #expect(said.contains("publish of pub refused: denied by the authorization backend (HTTP 403)"), "\(said)")
        let ingest = try #require(try server.pid(role: "ingest", stream: "pub"))
        let sockets = try openSockets(of: ingest)
        for _ in 0..<3 {
            #expect(try Sluice.refusedPublish(to: rtmpURL("static/pub")).contains("denied by the authorization backend"))
        }
        try waitUntil(seconds: 5, "the refused publishers' sockets are closed") { try openSockets(of: ingest) <= sockets }
        #expect(backend.requests.count == 4)
        #expect(try query(try #require(backend.requests.first))["token"] == "secret")
        #expect(try query(try #require(backend.requests.last))["token"] == "")

        let moved = try Sluice.refusedPublish(to: rtmpURL("static/moved"))
        #expect(moved.contains("publish of moved refused: redirected by the authorization backend (HTTP 302); "
                               + "a publisher cannot be redirected"), "\(moved)")
        for name in ["pub", "moved"] {
            let state = try stream(name, in: server)
            #expect(state["status"] as? String == "waiting")
            #expect(state["frames"] as? Int == 0)
            #expect(try server.get("/\(name)/mono.m3u8", timeout: 2).status != 200)
        }
        #expect(server.log.contains("RTMP publish of pub refused: on_publish http://127.0.0.1:\(backend.port)/deny (session "))
        #expect(server.log.contains("): HTTP 403"))
        #expect(server.log.contains("): HTTP 302 to rtmp://elsewhere/live"))
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Fail closed: a backend that refuses connections, one that never answers (5 s), a script (not built) and a URL
    /// that is not http:// or https:// refuse the publish; the client is told no more than that the backend did not
    /// answer. (https:// backends: TLSInputTests.)
    @Test func aBackendThatDoesNotAnswerRefuses() throws {
        let silent = try LoopbackHTTPServer.silent()
        let down = Sluice.freePort()
        let server = try server([("down", "http://127.0.0.1:\(down)/auth"), ("silent", "http://127.0.0.1:\(silent.port)/auth"),
                                 ("script", "/etc/sluice/publish.lua"), ("ftp", "ftp://auth.example/publish")])
        let said = try Sluice.refusedPublish(to: rtmpURL("static/down"))
        #expect(said.contains("publish of down refused: the authorization backend did not answer"), "\(said)")
        #expect(!said.contains("127.0.0.1:\(down)"))
        #expect(server.log.contains("RTMP publish of down refused: on_publish http://127.0.0.1:\(down)/auth (session "))
        #expect(server.log.contains("): no answer: connect(127.0.0.1:\(down)): "))

        let started = Date()
        #expect(try Sluice.refusedPublish(to: rtmpURL("static/silent")).contains("the authorization backend did not answer"))
        #expect(Date().timeIntervalSince(started) >= 4.5)
        #expect(server.log.contains("no answer: no answer within 5000 ms"))

        #expect(try Sluice.refusedPublish(to: rtmpURL("static/script")).contains("publish of script refused: its on_publish script is not supported"))
        #expect(server.log.contains("not built yet, ignored: stream script: on_publish scripts (/etc/sluice/publish.lua: every publish is refused)"))
        #expect(try Sluice.refusedPublish(to: rtmpURL("static/ftp?token=t")).contains("publish of ftp refused: the authorization backend is misconfigured"))
        #expect(server.log.contains("RTMP publish of ftp refused: on_publish: 'ftp://auth.example/publish': expected an http:// or https:// URL"))
        #expect(server.log.contains("ignored: stream ftp: on_publish ftp://auth.example/publish (only http:// and https:// backends are built"))
        for name in ["down", "silent", "script", "ftp"] {
            #expect(try stream(name, in: server)["frames"] as? Int == 0)
        }
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// A publisher killed while the backend is being asked frees the stream's place: the next one is asked in turn.
    @Test func aPublisherLeavingWhileTheBackendIsAskedIsForgotten() throws {
        let silent = try LoopbackHTTPServer.silent()
        let server = try server([("pub", "http://127.0.0.1:\(silent.port)/auth")])
        let first = try Sluice.publish(to: rtmpURL("static/pub"))
        try waitUntil(seconds: 10, "the backend is asked") { server.log.contains("asking on_publish") }
        Sluice.stop(first)
        try waitUntil(seconds: 10, "the ingest worker forgets the publisher") {
            server.log.contains("RTMP publisher of pub left while on_publish was asked: publisher disconnected")
        }
        let said = try Sluice.refusedPublish(to: rtmpURL("static/pub"))
        #expect(said.contains("the authorization backend did not answer"), "\(said)")
        #expect(!said.contains("already being published"))
        #expect(try server.workers().allSatisfy { ($0["restarts"] as? Int) == 0 })
    }

    /// Sockets a process holds open (its descriptors that are sockets).
    private func openSockets(of pid: Int32) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)"))?.hasPrefix("socket:") == true
        }.count
    }
}
