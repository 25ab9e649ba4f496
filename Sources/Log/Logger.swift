#if canImport(Glibc)
import Glibc
#endif

/// One line per event on stderr, as journald and `docker logs` want them:
/// `2026-11-24T20:31:07.123Z notice ingest[4242] news: source opened url=udp://239.0.0.1:1234`.
/// Each line goes out in a single write(2), so lines of processes sharing stderr never interleave.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case debug, info, notice, error

        public var name: String { ["debug", "info", "notice", "error"][rawValue] }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name }) else { return nil }
            self = level
        }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// "supervisor", "ingest", "edge", ...
    public var role: String
    /// The stream a per-stream role works for.
    public var stream: String?
    public var minimum: Level
    private let pid = getpid()

    public init(role: String, stream: String? = nil, minimum: Level = .info) {
        self.role = role
        self.stream = stream
        self.minimum = minimum
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func notice(_ message: @autoclosure () -> String) { log(.notice, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        guard level >= minimum else { return }
        var line = Self.timestamp() + " " + level.name + " " + role + "[\(pid)]"
        if let stream { line += " " + stream }
        line += ": " + Self.oneLine(message()) + "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// A message is one line: embedded line breaks (from a peer's error text, say) become spaces.
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }

    /// UTC, milliseconds: `2026-11-24T20:31:07.123Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "."
            + pad(Int32(now.tv_nsec / 1_000_000), 3) + "Z"
    }
}
