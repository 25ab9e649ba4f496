/// A stream's `dvr PATH|@NAME [DEPTH] [PERCENT|SIZE] [schedule=...];` (or `dvr_offline ...;`): its archive.
public struct DVRConfig: Hashable, Sendable {
    public enum Storage: Hashable, Sendable {
        /// A directory; the archive goes to `PATH/STREAM`.
        case path(String)
        /// `@NAME`: a global `dvr NAME { root DIR; }` storage.
        case named(String)
    }

    public var storage: Storage
    /// How long to keep, in seconds (`5d`, `20h`).
    public var depth: Int?
    /// Clean up when the disk is this full, in percent.
    public var limitPercent: Int?
    /// Clean up when the archive reaches this many bytes.
    public var limitBytes: Int?
    /// `schedule=8:00-16:00,22-1:30` (UTC): record only within these intervals.
    public var schedule: [DVRScheduleInterval]?
    /// `dvr_offline`: record only after an API call turns recording on.
    public var offline: Bool
    /// Every other `key=value` option, in the order written.
    public var options: [URLOption]

    public init(
        storage: Storage, depth: Int? = nil, limitPercent: Int? = nil, limitBytes: Int? = nil,
        schedule: [DVRScheduleInterval]? = nil, offline: Bool = false, options: [URLOption] = []
    ) {
        self.storage = storage
        self.depth = depth
        self.limitPercent = limitPercent
        self.limitBytes = limitBytes
        self.schedule = schedule
        self.offline = offline
        self.options = options
    }
}

/// One interval of a DVR schedule, in minutes since midnight UTC; `end < start` crosses midnight (`22-1:30`).
public struct DVRScheduleInterval: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `22-1:30` style: hours, and minutes when not zero.
    public var description: String { "\(Self.text(start))-\(Self.text(end))" }

    private static func text(_ minutes: Int) -> String {
        let m = minutes % 60
        return m == 0 ? "\(minutes / 60)" : "\(minutes / 60):\(m < 10 ? "0" : "")\(m)"
    }

    /// Parses `8:00-16:00,22-1:30`; nil when any part is malformed (hours 0...24, minutes 0...59).
    static func parseList(_ text: String) -> [DVRScheduleInterval]? {
        var intervals: [DVRScheduleInterval] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]) else { return nil }
            intervals.append(DVRScheduleInterval(start: start, end: end))
        }
        return intervals
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].utf8.count <= 2, let hours = ConfigNumber.integer(String(parts[0])),
            hours <= 24
        else { return nil }
        guard parts.count == 2 else { return hours * 60 }
        guard parts[1].utf8.count == 2, let minutes = ConfigNumber.integer(String(parts[1])), minutes <= 59,
            hours < 24 || minutes == 0
        else { return nil }
        return hours * 60 + minutes
    }
}
