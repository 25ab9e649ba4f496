import Foundation
import Testing

/// What a viewer sees, through ffprobe and ffmpeg: the tests' judge of every output.
extension Sluice {
    /// ffprobe's streams of a URL as "codec W H" / "codec" strings (each once: ffprobe lists a program's streams
    /// again after the streams themselves).
    /// `input`: options for the input (`-rtsp_transport udp`).
    static func probe(_ url: String, input: [String] = []) throws -> [String] {
        let result = try run("/usr/bin/ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height",
                                            "-of", "csv=p=0"] + input + [url], timeout: 30)
        #expect(result.stderr.isEmpty, "ffprobe: \(result.stderr)")
        var streams: [String] = []
        for line in result.stdout.split(separator: "\n") {
            let text = line.split(separator: ",").joined(separator: " ")
            if !text.isEmpty && !streams.contains(text) { streams.append(text) }
        }
        return streams
    }

    /// Decodes `seconds` of a URL with ffmpeg; returns what ffmpeg said at -v error (nothing when all is well).
    static func decodeErrors(_ url: String, input: [String] = [], seconds: Int = 4) throws -> String {
        let result = try run("/usr/bin/ffmpeg", ["-v", "error"] + input + ["-i", url, "-t", String(seconds), "-f", "null", "-"], timeout: 60)
        return result.stderr + (result.status == 0 ? "" : " (exit \(result.status))")
    }
}
