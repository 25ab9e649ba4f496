import Foundation

/// Runs external programs from tests (ffmpeg, ffprobe, curl, the built `sluice`): output through files, so a chatty
/// tool can never block on a full pipe, and SIGKILL past a deadline, because children inherit the test runner's
/// blocked signals and SIGTERM would stay pending.
public enum ExternalTool {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// `arguments[0]` is looked up on the PATH (through /usr/bin/env) unless it is a path.
    public static func run(_ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 60) throws -> Result {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        for url in [outURL, errURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// A new empty directory under the system's temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `key=value` lines of ffprobe's default output, per top-level section (`[STREAM]`, `[PROGRAM]`...); the
    /// lines of sections nested in it (a program's streams) are left out.
    public static func sections(_ output: String, _ name: String) -> [[String: String]] {
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
