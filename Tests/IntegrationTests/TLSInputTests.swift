import Foundation
import Testing
import TestSupport

/// TLS for the connections Sluice makes: instance A's RTMP and HTTP ports behind socat's TLS (`TLSFront`, with a
/// certificate for localhost from a test authority), instance B trusting that authority through `SSL_CERT_FILE`
/// pulls `rtmps://` and `tshttps://` (also after an http-to-https redirect), pushes `rtmps://` to A, and asks an
/// `https://` `on_publish` backend; without the authority, every one of them is refused with the reason.
@Suite(.serialized) struct TLSInputTests {
    private let rtmpPort = Sluice.freePort()
    private let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    /// Instance A: the fake picture at rtmp://127.0.0.1:RTMP/static/origin and http://127.0.0.1:HTTP/origin/mpegts,
    /// and `recv`, a stream to publish to.
    private func origin() throws -> SluiceServer {
        try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\n"
                         + "stream origin {\n  input fake://fake;\n  segment_duration 1;\n}\n"
                         + "stream recv {\n  input publish://;\n  segment_duration 1;\n}\n", workers: 1)
    }

    private func front(_ port: Int, stranger: Bool = false) throws -> TLSFront {
        try TLSFront(forwardingTo: port, certificate: stranger ? certificates.strangerCertificate : certificates.certificate,
                     key: stranger ? certificates.strangerKey : certificates.key)
    }

    /// The test runner's environment with `SSL_CERT_FILE` naming the test authority (trusted), or without it (the
    /// system's authorities only).
    private func environment(trusting: Bool) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SSL_CERT_DIR"] = nil
        environment["SSL_CERT_FILE"] = trusting ? certificates.authority : nil
        return environment
    }

    private func stream(_ name: String, in server: SluiceServer) throws -> [String: Any] {
        try #require(try server.streams().first { $0["name"] as? String == name })
    }

    @Test func pullsAndPushesOverTLS() throws {
        let a = try origin()
        let rtmps = try front(rtmpPort)
        let https = try front(a.httpPort)
        let location = "https://localhost:\(https.port)/origin/mpegts"
        let redirector = try LoopbackHTTPServer { _ in .redirect(location) }
        let b = try SluiceServer("""
            stream overrtmps {
              input rtmps://localhost:\(rtmps.port)/static/origin;
              segment_duration 1;
            }
            stream overhttps {
              input tshttps://localhost:\(https.port)/origin/mpegts;
              segment_duration 1;
            }
            stream redirected {
              input tshttp://127.0.0.1:\(redirector.port)/live;
              segment_duration 1;
            }
            stream pushed {
              input fake://fake;
              push rtmps://localhost:\(rtmps.port)/static/recv;
            }

            """, workers: 1, environment: environment(trusting: true))
        defer { b.stop() }
        for name in ["overrtmps", "overhttps", "redirected"] {
            try b.waitForPlaylist(name)
            #expect(try Sluice.probe(b.url("/\(name)/index.m3u8")) == ["h264 640 360", "aac"], "\(name)")
            #expect(try Sluice.decodeErrors(b.url("/\(name)/index.m3u8"), seconds: 2) == "", "\(name)")
            #expect(try stream(name, in: b)["status"] as? String == "running")
        }
        #expect(try stream("redirected", in: b)["input"] as? String == "tshttp://127.0.0.1:\(redirector.port)/live")
        #expect(redirector.requests == ["/live"])

        try a.waitForPlaylist("recv")
        #expect(try Sluice.probe(a.url("/recv/index.m3u8")) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(a.url("/recv/index.m3u8"), seconds: 2) == "")
        let push = try #require((try stream("pushed", in: b)["pushes"] as? [[String: Any]])?.first)
        #expect(push["state"] as? String == "connected" && (push["bytes"] as? Int ?? 0) > 0)
        #expect(!b.log.contains("not built yet"), "\(b.log)")
    }

    @Test func anUntrustedCertificateIsRefused() throws {
        let a = try origin()
        let rtmps = try front(rtmpPort)
        let https = try front(a.httpPort)
        let b = try SluiceServer("""
            stream overrtmps {
              input rtmps://localhost:\(rtmps.port)/static/origin;
            }
            stream overhttps {
              input tshttps://localhost:\(https.port)/origin/mpegts;
            }
            stream pushed {
              input fake://fake;
              push rtmps://localhost:\(rtmps.port)/static/recv retry_timeout=1;
            }

            """, workers: 1, environment: environment(trusting: false))
        defer { b.stop() }
        let refused = "certificate verify failed (unable to get local issuer certificate)"
        try waitUntil(seconds: 20, "every connection is refused") {
            let pushes = try stream("pushed", in: b)["pushes"] as? [[String: Any]] ?? []
            return try ["overrtmps", "overhttps"].allSatisfy { ((try stream($0, in: b)["last_error"] as? String) ?? "").contains(refused) }
                && (pushes.first?["last_error"] as? String ?? "").contains(refused)
        }
        let pulled = try stream("overrtmps", in: b)
        #expect(pulled["status"] as? String == "waiting")
        #expect((pulled["last_error"] as? String ?? "").hasPrefix("rtmps://localhost:\(rtmps.port)/static/origin: TLS handshake with localhost: error:"),
                "\(pulled)")
        #expect((try stream("overhttps", in: b)["last_error"] as? String ?? "")
            .hasPrefix("tshttps://localhost:\(https.port)/origin/mpegts: connect(localhost:\(https.port)): TLS handshake with localhost: error:"))
        let push = try #require((try stream("pushed", in: b)["pushes"] as? [[String: Any]])?.first)
        #expect(push["state"] as? String != "connected")
        #expect((push["last_error"] as? String ?? "").hasPrefix("connect: TLS handshake with localhost: error:"))
        #expect(try stream("recv", in: a)["frames"] as? Int == 0)
    }

    /// `on_publish https://...`: asked over TLS; a backend whose certificate is not trusted refuses (fail closed).
    @Test func anHTTPSBackendIsAsked() throws {
        let backend = try LoopbackHTTPServer { _ in .status(200) }
        let trusted = try front(backend.port)
        let stranger = try front(backend.port, stranger: true)
        let server = try SluiceServer("rtmp 127.0.0.1:\(rtmpPort);\n"
                                      + "stream pub {\n  input publish://;\n  on_publish https://localhost:\(trusted.port)/auth;\n  segment_duration 1;\n}\n"
                                      + "stream strange {\n  input publish://;\n  on_publish https://localhost:\(stranger.port)/auth;\n}\n",
                                      workers: 1, environment: environment(trusting: true))
        let publisher = try Sluice.publish(to: "rtmp://127.0.0.1:\(rtmpPort)/static/pub")
        defer { Sluice.stop(publisher) }
        try server.waitForPlaylist("pub")
        #expect(try Sluice.probe(server.url("/pub/index.m3u8")) == ["h264 320 240", "aac"])
        #expect(backend.requests.first?.hasPrefix("/auth?name=pub&ip=127.0.0.1&proto=rtmp&") == true, "\(backend.requests)")
        #expect(!server.log.contains("ignored: stream pub"), "an https:// on_publish is built: \(server.log)")

        let said = try Sluice.refusedPublish(to: "rtmp://127.0.0.1:\(rtmpPort)/static/strange")
        #expect(said.contains("publish of strange refused: the authorization backend did not answer"), "\(said)")
        #expect(server.log.contains("no answer: connect(localhost:\(stranger.port)): TLS handshake with localhost: error:"), "\(server.log)")
        #expect(server.log.contains("certificate verify failed (unable to get local issuer certificate)"))
        #expect(backend.requests.count == 1)
    }
}
