import Foundation

/// Runs ffmpeg and ffprobe from tests, in a temporary directory of the test's own.
enum ExternalTool {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so that a chatty tool cannot fill one and block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `key=value` lines of ffprobe's default output, per top-level section (`[STREAM]`, `[PROGRAM]`...); the
    /// lines of sections nested in it (a program's streams) are left out.
    static func sections(_ output: String, _ name: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String]?
        var depth = 0
        for line in output.split(separator: "\n") {
            if line.hasPrefix("[/") {
                depth -= 1
                if depth == 0, line == "[/\(name)]", let c = current { result.append(c) }
                if depth == 0 { current = nil }
            } else if line.hasPrefix("[") {
                depth += 1
                if depth == 1, line == "[\(name)]" { current = [:] }
            } else if depth == 1, let eq = line.firstIndex(of: "=") {
                current?[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
        }
        return result
    }
}
