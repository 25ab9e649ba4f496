import Foundation
import Testing

/// ffmpeg publishing the H.264/AAC FLV fixture over RTMP (copied, not re-encoded), for the RTMP tests.
extension Sluice {
    static let flvFixture = fixtures.appendingPathComponent("h264_aac.flv").path

    /// Publishes the fixture in a loop, at its own pace, until `stop(_:)`.
    static func publish(to url: String) throws -> Process {
        try start("/usr/bin/ffmpeg", ["-v", "error", "-re", "-stream_loop", "-1", "-i", flvFixture, "-c", "copy",
                                      "-f", "flv", url])
    }

    /// A publish the server refuses: ffmpeg gives up (expected), and what it said.
    static func refusedPublish(to url: String) throws -> String {
        let result = try run("/usr/bin/ffmpeg", ["-v", "error", "-re", "-i", flvFixture, "-c", "copy", "-f", "flv", url],
                             timeout: 30)
        #expect(result.status != 0, "ffmpeg should fail to publish to \(url)")
        return result.stderr
    }
}
