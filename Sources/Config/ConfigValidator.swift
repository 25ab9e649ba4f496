/// The rules that need the whole config, run after reading: names (valid, unique), UDP source addresses used by one
/// stream only, listeners bound once, `dvr @NAME` storages defined, inputs present, timeouts consistent. Every check
/// is linear (dictionaries keyed by name or address), so a 10,000-stream file validates in milliseconds.
struct ConfigValidator {
    let file: String

    /// The default `source_timeout`, and the one of HLS and timeshift sources.
    static let defaultSourceTimeout = 60
    static let slowSourceTimeout = 180

    func validate(_ config: ServerConfig, log: inout DiagnosticLog) {
        checkListeners(config, log: &log)
        checkNamedBlocks(config.vods.map { ($0.name, $0.notes) }, what: "vod location", log: &log)
        checkNamedBlocks(config.dvrStorages.map { ($0.name, $0.notes) }, what: "dvr storage", log: &log)
        checkNamedBlocks(config.eventSinks.map { ($0.name, $0.notes) }, what: "event_sink", log: &log)
        let storages = Set(config.dvrStorages.map(\.name))
        let vods = Set(config.vods.map(\.name))
        var names: [String: SourceLocation] = [:]
        var prefixes: [String: String] = [:]
        var udpSources: [String: String] = [:]
        for stream in config.streams {
            let here = stream.notes.blockLocation(file: file)
            if !ConfigReader.isValidName(stream.name, slashes: stream.kind == .template) {
                log.error(
                    here,
                    "invalid \(stream.kind.rawValue) name '\(stream.name)': use Latin letters, digits, '.', '-' and '_'"
                        + (stream.kind == .template ? " ('/' between parts)" : ""))
            }
            if let first = names[stream.name] {
                log.error(here, "duplicate stream name '\(stream.name)' (first defined at \(first))")
            } else {
                names[stream.name] = here
            }
            if let prefix = stream.settings.prefix {
                if let other = prefixes[prefix] {
                    log.error(here, "template prefix '\(prefix)' is already used by template '\(other)'")
                } else {
                    prefixes[prefix] = stream.name
                }
            }
            checkStream(stream, storages: storages, vods: vods, udpSources: &udpSources, log: &log)
        }
    }

    private func checkStream(
        _ stream: StreamConfig, storages: Set<String>, vods: Set<String>, udpSources: inout [String: String],
        log: inout DiagnosticLog
    ) {
        let settings = stream.settings
        let notes = stream.notes
        if settings.inputs.isEmpty && stream.kind != .template {
            log.error(
                notes.blockLocation(file: file),
                "\(stream.kind.rawValue) '\(stream.name)' has no input (add 'input URL;', or 'input publish://;' to accept publishing)")
        }
        for (index, input) in settings.inputs.enumerated() {
            let location = notes.location(of: DirectiveKey("input", index), file: file)
            let url = input.url
            if url.scheme == "udp" {
                let key = "\(url.interface ?? "")@\(url.host.isEmpty ? "0.0.0.0" : url.host):\(url.port ?? 0)/\(url.sourceInterfaceIP ?? "")"
                if let other = udpSources[key], other != stream.name {
                    log.error(location, "UDP source \(url) is already the input of stream '\(other)'; a UDP address may feed one stream only")
                } else {
                    udpSources[key] = stream.name
                }
            }
            let templated = url.text.contains("%s")
            if templated && stream.kind != .template {
                log.warning(location, "'%s' in \(url) is replaced only in templates; here it is taken literally")
            }
            if url.scheme == "file", !vods.contains(url.host) {
                log.warning(location, "no vod location named '\(url.host)' for \(url)")
            }
        }
        if let backup = settings.backup, let vod = backup.split(separator: "/").first, !vods.contains(String(vod)) {
            log.warning(notes.location(of: DirectiveKey("backup"), file: file), "no vod location named '\(vod)' for backup \(backup)")
        }
        if let dvr = settings.dvr, case .named(let name) = dvr.storage, !storages.contains(name) {
            log.error(
                notes.location(of: DirectiveKey("dvr"), file: file),
                "'dvr @\(name)': no storage named '\(name)' (define it with dvr \(name) { root DIR; })")
        }
        if let frames = settings.framesTimeout {
            let slow = settings.inputs.contains { ["hls", "hlss", "timeshift"].contains($0.url.scheme) }
            let source = settings.sourceTimeout ?? (slow ? Self.slowSourceTimeout : Self.defaultSourceTimeout)
            if frames >= source {
                log.error(
                    notes.location(of: DirectiveKey("frames_timeout"), file: file),
                    "frames_timeout \(frames) must be less than source_timeout \(source)"
                        + (settings.sourceTimeout == nil ? " (the default)" : ""))
            }
        }
    }

    private func checkListeners(_ config: ServerConfig, log: inout DiagnosticLog) {
        var seen: [String: String] = [:]
        for (name, addresses) in [("http", config.http), ("rtmp", config.rtmp), ("rtsp", config.rtsp), ("srt", config.srt)] {
            for (index, address) in addresses.enumerated() {
                let location = config.notes.location(of: DirectiveKey(name, index), file: file)
                let socket = "\(name == "srt" ? "udp" : "tcp") \(address)"
                if let other = seen[socket] {
                    log.error(location, "\(name) \(address): this address is already used by '\(other)'")
                } else {
                    seen[socket] = name
                }
            }
        }
    }

    private func checkNamedBlocks(_ blocks: [(String, SourceNotes)], what: String, log: inout DiagnosticLog) {
        var seen: Set<String> = []
        for (name, notes) in blocks where !seen.insert(name).inserted {
            log.error(notes.blockLocation(file: file), "duplicate \(what) name '\(name)'")
        }
    }
}
