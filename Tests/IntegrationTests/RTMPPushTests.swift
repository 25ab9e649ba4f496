import Foundation
import Testing

/// `push rtmp://` between two Sluice instances (issue 4): the sender's pusher worker publishes to the receiver's
/// `input publish://` stream, whose HLS ffmpeg decodes; a dead target is retried and reported; H.265 travels over
/// enhanced RTMP (Debian's ffmpeg 5.1 cannot publish it, so Sluice is on both ends).
@Suite(.serialized) struct RTMPPushTests {
    private let receiverRTMPPort = Sluice.freePort()

    private func receiver() throws -> SluiceServer {
        try SluiceServer("rtmp 127.0.0.1:\(receiverRTMPPort);\nstream recv {\n  input publish://;\n  segment_duration 1;\n}\n",
                         workers: 1)
    }

    private var target: String { "rtmp://127.0.0.1:\(receiverRTMPPort)/static/recv" }

    @Test func pushesToAnotherInstanceAndRetriesADeadTarget() throws {
        let receiver = try receiver()
        let deadPort = Sluice.freePort()
        let sender = try SluiceServer("""
            stream demo {
              input fake://fake;
              push \(target);
              push rtmp://127.0.0.1:\(deadPort)/static/nowhere retry_timeout=1;
            }
            """, workers: 1)
        try receiver.waitForPlaylist("recv")
        #expect(try Sluice.probe(receiver.url("/recv/index.m3u8")) == ["h264 640 360", "aac"])
        #expect(try Sluice.decodeErrors(receiver.url("/recv/index.m3u8"), seconds: 2) == "")
        try waitUntil(seconds: 10, "both targets are reported") {
            let pushes = try sender.streams().first?["pushes"] as? [[String: Any]] ?? []
            return pushes.count == 2 && pushes[0]["state"] as? String == "connected" && (pushes[0]["bytes"] as? Int ?? 0) > 0
                && (pushes[1]["errors"] as? Int ?? 0) >= 2
        }
        let pushes = try #require(try sender.streams().first?["pushes"] as? [[String: Any]])
        #expect(pushes[1]["state"] as? String == "retrying")
        #expect((pushes[1]["last_error"] as? String ?? "").contains("ECONNREFUSED"))
        let pusher = try #require(try sender.workers().first { $0["role"] as? String == "pusher" })
        #expect(pusher["stream"] as? String == "demo")
    }

    @Test func h265TravelsOverEnhancedRTMP() throws {
        let receiver = try receiver()
        let udpPort = Sluice.freePort()
        let sender = try SluiceServer("stream hevc {\n  input udp://127.0.0.1:\(udpPort);\n  push \(target);\n}\n", workers: 1)
        // A closed-GOP H.265 source, so that decoding may start at any segment.
        let source = try Sluice.start("/usr/bin/ffmpeg", [
            "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-c:v", "libx265", "-preset", "ultrafast",
            "-x265-params", "keyint=25:min-keyint=25:open-gop=0:log-level=error", "-f", "mpegts",
            "udp://127.0.0.1:\(udpPort)?pkt_size=1316",
        ])
        defer { Sluice.stop(source) }
        try receiver.waitForPlaylist("recv", seconds: 40)
        #expect(try Sluice.probe(receiver.url("/recv/index.m3u8")) == ["hevc 320 240"])
        #expect(try Sluice.decodeErrors(receiver.url("/recv/index.m3u8"), seconds: 2) == "")
        #expect(sender.log.contains("publishing"))
    }
}
