import Foundation

/// A `sluice run` started by a test, with its own runtime directory, config and ports; stopped (SIGTERM, then
/// SIGKILL) by `stop()`. Workers die with it (PR_SET_PDEATHSIG), so a failed test leaves nothing running.
final class SluiceServer {
    let directory: URL
    let configPath: String
    let runtimeDir: String
    let httpPort: Int
    let process: Process
    let logPath: String

    /// `config` is the config text after the `http PORT;` line, which this adds. `environment`: the server's (and
    /// so its workers'), instead of the test runner's.
    init(_ config: String, workers: Int = 2, environment: [String: String]? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-server-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        httpPort = Sluice.freePort()
        configPath = directory.appendingPathComponent("sluice.conf").path
        runtimeDir = directory.appendingPathComponent("run").path
        logPath = directory.appendingPathComponent("sluice.log").path
        try "http \(httpPort);\nworkers \(workers);\n\(config)".write(toFile: configPath, atomically: true, encoding: .utf8)
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Sluice.binary)
        process.arguments = ["run", "--config", configPath, "--runtime-dir", runtimeDir]
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = process.standardOutput
        try process.run()
        try waitUntil(seconds: 15, "the control socket answers") { (try? self.ctl("status").status) == 0 }
    }

    deinit { stop() }

    /// SIGTERM, and SIGKILL after 10 s. Returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func ctl(_ words: String...) throws -> Sluice.Result {
        try Sluice.run(Sluice.binary, ["ctl", "--runtime-dir", runtimeDir] + words, timeout: 30)
    }

    func ctlJSON(_ words: String...) throws -> Any {
        let result = try Sluice.run(Sluice.binary, ["ctl", "--runtime-dir", runtimeDir, "--json"] + words, timeout: 30)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func workers() throws -> [[String: Any]] { try ctlJSON("workers") as? [[String: Any]] ?? [] }
    func streams() throws -> [[String: Any]] { try ctlJSON("streams") as? [[String: Any]] ?? [] }

    func pid(role: String, stream: String? = nil) throws -> Int32? {
        try workers().first { $0["role"] as? String == role && (stream == nil || $0["stream"] as? String == stream) }
            .flatMap { ($0["pid"] as? Int).map(Int32.init) }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(httpPort)\(path)" }

    /// GET with curl: the status code and the body.
    func get(_ path: String, timeout: Double = 10) throws -> (status: Int, body: String) {
        let result = try Sluice.run("/usr/bin/curl", ["-s", "-m", String(Int(timeout)), "-w", "\n%{http_code}", url(path)],
                                    timeout: timeout + 5)
        let status = Int(result.stdout.split(separator: "\n").last ?? "") ?? 0
        return (status, String(result.stdout.dropLast(String(status).count + 1)))
    }

    /// Waits for a stream's media playlist to list segments (the stream is playable).
    func waitForPlaylist(_ stream: String, seconds: Double = 30) throws {
        try waitUntil(seconds: seconds, "\(stream)/mono.m3u8 is served") { (try? self.get("/\(stream)/mono.m3u8").status) == 200 }
    }

    func rewriteConfig(_ config: String, workers: Int = 2) throws {
        try "http \(httpPort);\nworkers \(workers);\n\(config)".write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The ring files of this server instance (in /dev/shm).
    var ringFiles: [String] {
        let instance = Self.instance(of: runtimeDir)
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { $0.hasPrefix("sluice-\(instance)-") }
    }

    /// The instance name the supervisor derives from its runtime directory (FNV-1a of the path, 8 hex digits).
    static func instance(of path: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in path.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 100 ms until it holds; throws naming `what` after `seconds`.
func waitUntil(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.1)
    }
    throw TimedOut(description: "timed out after \(seconds) s waiting until \(what)")
}
