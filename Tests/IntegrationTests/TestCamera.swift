import Foundation

/// scripts/test-camera.py (GStreamer's RTSP server, through Debian's python3-gi) as an IP camera on loopback:
/// `rtsp://[user:password@]127.0.0.1:PORT/cam`, a 320x240 test picture at 25 fps with a tone, in the variants the
/// script names (`h264-aac`, `h265-aac`, `h265`, `h264-pcma`). Killed (SIGKILL) by `kill()` or when released.
final class TestCamera {
    static let python = "/usr/bin/python3"
    static let script = Sluice.root.appendingPathComponent("scripts/test-camera.py").path

    /// Whether /usr/bin/python3 has gi with GStreamer's RTSP server (scripts/install-deps.sh installs it).
    static let isAvailable: Bool = {
        let probe = "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
        return (try? Sluice.run(python, ["-c", probe], timeout: 30).status) == 0
    }()

    let port: Int
    let process: Process
    private let outputPath: String

    /// Starts the camera and waits for its "ready".
    init(variant: String = "h264-aac", port: Int = Sluice.freePort(), user: String? = nil, password: String? = nil) throws {
        self.port = port
        outputPath = try Sluice.temporaryFile("camera-\(port)-\(UUID().uuidString.prefix(8)).log", "")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        var arguments = [Self.script, "--port", String(port), "--path", "/cam", "--variant", variant]
        if let user { arguments += ["--user", user, "--password", password ?? ""] }
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = process.standardOutput
        try process.run()
        try waitUntil(seconds: 20, "the camera on port \(port) is ready (\(variant))") {
            guard process.isRunning else { throw TimedOut(description: "the camera exited: \(output)") }
            return output.contains("ready\n")
        }
    }

    deinit { kill() }

    /// Its URL, with credentials as given (already percent-encoded).
    func url(user: String? = nil, password: String? = nil) -> String {
        let credentials = user.map { "\($0)" + (password.map { ":\($0)" } ?? "") + "@" } ?? ""
        return "rtsp://\(credentials)127.0.0.1:\(port)/cam"
    }

    /// What the camera printed: "ready", then "setup TRANSPORT" per SETUP and "teardown" per TEARDOWN.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    var setups: [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("setup ") }.map { String($0.dropFirst(6)) }
    }

    /// SIGKILL, like a camera losing power.
    func kill() {
        guard process.isRunning else { return }
        Sluice.stop(process)
    }
}
