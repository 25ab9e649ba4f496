import Foundation
import Testing
@testable import Config

/// Keeps etc/sluice.conf valid, and its commented examples too once uncommented.
@Suite struct ShippedConfigTests {
    private static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/sluice.conf").path

    @Test func parsesWithoutDiagnostics() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let result = ConfigParser.parse(text, file: Self.path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let config = try #require(result.config)
        #expect(config.summary == "1 stream (1 static, 0 ondemand), 0 templates, http 8080, rtmp 1935, rtsp 5554")
        #expect(config.streams.first?.settings.inputs.first?.url.text == "fake://fake")
    }

    @Test func commentedExamplesAreValidToo() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("# ") && (line.hasSuffix(";") || line.hasSuffix("{") || line.hasSuffix("}"))
                ? String(line.dropFirst(2)) : String(line)
        }.joined(separator: "\n")
        let result = ConfigParser.parse(uncommented, file: Self.path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.config?.summary == "4 streams (3 static, 1 ondemand), 1 template, http 8080, rtmp 1935, rtsp 5554")
    }
}
