import JSON
import Media

/// What `sluice inspect` found: the programs, each track with its codec parameters and measured rates, and every
/// error counter by name. Rendered as a table for people or as JSON for machines.
public struct InspectReport {
    public struct TrackReport {
        public var track: Track
        public var pid: Int?
        public var frames: Int
        /// bits per second over the track's timestamp span.
        public var bitrate: Int?
        public var frameRate: Double?
        /// Mean seconds between keyframes.
        public var keyframeInterval: Double?
        public var gopFrames: Double?
    }

    public var source: String
    /// Seconds of input analysed: wall time for a live source, timestamp span for a file.
    public var seconds: Double
    public var bytes: Int
    /// Input bits per second, including TS overhead.
    public var bitrate: Int?
    public var pcrCount: Int
    public var programs: [TSProgram]
    public var tracks: [TrackReport]
    /// Each counter by name, zero included, in a fixed order.
    public var errors: [(String, Int)]

    public var json: JSONValue {
        .object([
            ("source", .string(source)),
            ("seconds", .double(rounded(seconds, 3))),
            ("bytes", .int(bytes)),
            ("bitrate", bitrate.map(JSONValue.int) ?? .null),
            ("pcr_count", .int(pcrCount)),
            ("programs", .array(programs.map { p in
                .object([
                    ("number", .int(p.number)),
                    ("pmt_pid", .int(p.pmtPID)),
                    ("pcr_pid", p.pcrPID.map(JSONValue.int) ?? .null),
                    ("name", p.name.map(JSONValue.string) ?? .null),
                    ("provider", p.provider.map(JSONValue.string) ?? .null),
                    ("streams", .array(p.streams.map { s in
                        .object([("pid", .int(s.pid)), ("stream_type", .int(s.streamType)),
                                 ("codec", s.codec.map { .string($0.rawValue) } ?? .null),
                                 ("track", s.trackID.map(JSONValue.int) ?? .null)])
                    })),
                ])
            })),
            ("tracks", .array(tracks.map(\.json))),
            ("errors", .object(errors.map { ($0.0, .int($0.1)) })),
        ])
    }

    /// A table for a terminal.
    public var text: String {
        var lines: [String] = []
        let rate = bitrate.map { "\($0 / 1000) kbit/s" } ?? "bitrate unknown"
        lines.append("\(source): \(format(seconds, 1)) s, \(bytes) bytes, \(rate), \(pcrCount) PCRs")
        for p in programs {
            var line = "program \(p.number)"
            if let name = p.name { line += " \"\(name)\"" }
            if let provider = p.provider { line += " provider \"\(provider)\"" }
            line += " (PMT PID \(p.pmtPID)" + (p.pcrPID.map { ", PCR PID \($0)" } ?? "") + ")"
            lines.append(line)
        }
        let header = ["track", "pid", "codec", "parameters", "frames", "kbit/s"]
        var rows = [header]
        for t in tracks {
            rows.append([
                (t.track.kind == .video ? "v" : "a") + String(t.track.id),
                t.pid.map(String.init) ?? "-",
                t.track.codec.rawValue,
                t.parameters,
                String(t.frames),
                t.bitrate.map { String($0 / 1000) } ?? "-",
            ])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            lines.append(zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                .joined(separator: "  ").trimmingTrailingSpaces)
        }
        lines.append("errors: " + errors.map { "\($0.0.replacingUnderscores) \($0.1)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}

extension InspectReport.TrackReport {
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .int(track.id)),
            ("pid", pid.map(JSONValue.int) ?? .null),
            ("codec", .string(track.codec.rawValue)),
            ("kind", .string(track.kind.rawValue)),
        ]
        if let name = ProfileName.of(track) { members.append(("profile", .string(name))) }
        if track.level > 0 { members.append(("level", .int(track.level))) }
        if track.kind == .video {
            members.append(("width", .int(track.width)))
            members.append(("height", .int(track.height)))
            members.append(("frame_rate", frameRate.map { .double(rounded($0, 3)) } ?? .null))
            members.append(("keyframe_interval", keyframeInterval.map { .double(rounded($0, 3)) } ?? .null))
            members.append(("gop_frames", gopFrames.map { .double(rounded($0, 1)) } ?? .null))
        } else {
            members.append(("sample_rate", .int(track.sampleRate)))
            members.append(("channels", .int(track.channels)))
        }
        if let language = track.language { members.append(("language", .string(language))) }
        members.append(("frames", .int(frames)))
        members.append(("bitrate", bitrate.map(JSONValue.int) ?? .null))
        return .object(members)
    }

    /// "High 3.0, 320x240, 25 fps, keyframe every 1.00 s (25 frames)" / "LC, 44100 Hz, 2 ch".
    var parameters: String {
        var parts: [String] = []
        var profile = ProfileName.of(track) ?? ""
        if track.level > 0 {
            let level = track.codec == .h265 ? Double(track.level) / 30 : Double(track.level) / 10
            profile += (profile.isEmpty ? "" : " ") + "level " + format(level, 1)
        }
        if !profile.isEmpty { parts.append(profile) }
        if track.kind == .video {
            parts.append("\(track.width)x\(track.height)")
            if let fps = frameRate { parts.append(format(fps, 2) + " fps") }
            if let interval = keyframeInterval {
                parts.append("keyframe every " + format(interval, 2) + " s" + (gopFrames.map { " (\(Int($0.rounded())) frames)" } ?? ""))
            }
        } else {
            parts.append("\(track.sampleRate) Hz")
            parts.append("\(track.channels) ch")
        }
        if let language = track.language { parts.append(language) }
        return parts.joined(separator: ", ")
    }
}

private func rounded(_ value: Double, _ places: Int) -> Double {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (value * scale).rounded() / scale
}

/// `value` with exactly `places` decimals, without Foundation's String(format:).
func format(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1
    for _ in 0..<places { scale *= 10 }
    let scaled = Int((abs(value) * Double(scale)).rounded())
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard places > 0 else { return sign + String(scaled) }
    let fraction = String(scaled % scale)
    return sign + String(scaled / scale) + "." + String(repeating: "0", count: places - fraction.count) + fraction
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
