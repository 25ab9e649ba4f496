/// Reading the top level of a config file: listeners, auth, paths, named storages, event sinks, and stream blocks.
extension ConfigReader {
    static let globalDirectives = [
        "http", "rtmp", "rtsp", "srt", "edit_auth", "view_auth", "url_prefix", "loglevel", "workers", "control",
        "runtime_dir", "vod", "file", "dvr", "event_sink", "stream", "ondemand", "template", "live",
    ]

    private static let listeners: [String: WritableKeyPath<ServerConfig, [ListenAddress]> & Sendable] = [
        "http": \.http, "rtmp": \.rtmp, "rtsp": \.rtsp, "srt": \.srt,
    ]

    private static let globalTexts: [String: WritableKeyPath<ServerConfig, String?> & Sendable] = [
        "url_prefix": \.urlPrefix, "control": \.control, "runtime_dir": \.runtimeDir,
    ]

    mutating func read(_ document: ConfigBlock) -> ServerConfig {
        var config = ServerConfig()
        var notes = DirectiveNotesBuilder(directive: nil, block: document)
        for directive in document.directives {
            let name = directive.name == "file" ? "vod" : directive.name
            switch name {
            case "stream", "ondemand", "template", "live":
                if let stream = readStream(directive) { config.streams.append(stream) }
            case "vod":
                if let vod = readVOD(directive) { config.vods.append(vod) }
            case "dvr":
                guard directive.block != nil else {
                    log.error(
                        directive.location,
                        "a global 'dvr' defines a named storage (dvr NAME { root DIR; }); a stream's archive is "
                            + "'dvr PATH ...;' inside the stream")
                    continue
                }
                if let storage = readDVRStorage(directive) { config.dvrStorages.append(storage) }
            case "event_sink":
                if let sink = readEventSink(directive) { config.eventSinks.append(sink) }
            default:
                readGlobalDirective(directive, into: &config, notes: &notes)
            }
        }
        config.notes = notes.notes
        return config
    }

    private mutating func readGlobalDirective(
        _ directive: ConfigDirective, into config: inout ServerConfig, notes: inout DirectiveNotesBuilder
    ) {
        let name = directive.name
        guard Self.globalDirectives.contains(name) else {
            let isStreamOption = ConfigReader.streamDirectives.contains(name)
            unknownDirective(
                directive, in: "the global section", known: Self.globalDirectives,
                hint: isStreamOption ? "'\(name)' is a stream option: put it inside a stream block" : nil)
            return
        }
        let key = notes.record(directive, as: name)
        guard expectNoBlock(directive) else { return }
        if let listener = Self.listeners[name] {
            guard expectArguments(directive, 1...1, usage: "\(name) [ADDR:]PORT") else { return }
            let argument = directive.arguments[0]
            guard let address = ListenAddress(parsing: argument.text) else {
                log.error(argument.location, "'\(name)': expected [ADDR:]PORT with a port in 1...65535, got '\(argument.text)'")
                return
            }
            config[keyPath: listener].append(address)
            return
        }
        if key.occurrence > 0 {
            duplicate(directive, firstAt: notes.firstLocation(of: name))
            return
        }
        if let text = Self.globalTexts[name] {
            guard expectArguments(directive, 1...1, usage: "\(name) VALUE") else { return }
            config[keyPath: text] = directive.arguments[0].text
            return
        }
        switch name {
        case "edit_auth", "view_auth":
            guard expectArguments(directive, 2...2, usage: "\(name) USER PASSWORD") else { return }
            let credentials = Credentials(user: directive.arguments[0].text, password: directive.arguments[1].text)
            if name == "edit_auth" { config.editAuth = credentials } else { config.viewAuth = credentials }
        case "loglevel":
            guard expectArguments(directive, 1...1, usage: "loglevel debug|info|notice|error") else { return }
            let argument = directive.arguments[0]
            guard let level = LogLevel(rawValue: argument.text) else {
                log.error(argument.location, "'loglevel': expected debug, info, notice or error, got '\(argument.text)'")
                return
            }
            config.logLevel = level
        default:
            guard expectArguments(directive, 1...1, usage: "workers N") else { return }
            let argument = directive.arguments[0]
            config.workers = integer(argument.text, at: argument.location, "'workers'", in: 1...1024)
        }
    }

    /// `vod NAME { storage DIR; }`, or the legacy `file NAME { path DIR; }`.
    private mutating func readVOD(_ directive: ConfigDirective) -> VODLocation? {
        guard let (name, block) = namedBlock(directive, usage: "vod NAME { storage DIR; }") else { return nil }
        var notes = DirectiveNotesBuilder(directive: directive, block: block)
        var storage: String?
        for child in block.directives {
            guard child.name == "storage" || child.name == "path" else {
                unknownDirective(child, in: "a vod block", known: ["storage", "path"])
                continue
            }
            storage = singleText(child, notes: &notes, as: "storage") ?? storage
        }
        guard let storage else {
            log.error(directive.location, "'\(directive.name) \(name)' needs 'storage DIR;'")
            return nil
        }
        return VODLocation(name: name, storage: storage, notes: notes.notes)
    }

    /// `dvr NAME { root DIR; [disk DIR;]... }`.
    private mutating func readDVRStorage(_ directive: ConfigDirective) -> DVRStorage? {
        guard let (name, block) = namedBlock(directive, usage: "dvr NAME { root DIR; }") else { return nil }
        var notes = DirectiveNotesBuilder(directive: directive, block: block)
        var root: String?
        var disks: [String] = []
        for child in block.directives {
            switch child.name {
            case "root":
                root = singleText(child, notes: &notes, as: "root") ?? root
            case "disk":
                notes.record(child, as: "disk")
                if expectNoBlock(child), expectArguments(child, 1...1, usage: "disk DIR") {
                    disks.append(child.arguments[0].text)
                }
            default:
                unknownDirective(child, in: "a dvr storage block", known: ["root", "disk"])
            }
        }
        guard let root else {
            log.error(directive.location, "'dvr \(name)' needs 'root DIR;'")
            return nil
        }
        return DVRStorage(name: name, root: root, disks: disks, notes: notes.notes)
    }

    /// `event_sink NAME { url URL; [only key=value...;] }`.
    private mutating func readEventSink(_ directive: ConfigDirective) -> EventSink? {
        guard let (name, block) = namedBlock(directive, usage: "event_sink NAME { url URL; }") else { return nil }
        var notes = DirectiveNotesBuilder(directive: directive, block: block)
        var url: String?
        var only: [URLOption] = []
        for child in block.directives {
            switch child.name {
            case "url":
                url = singleText(child, notes: &notes, as: "url") ?? url
            case "only":
                notes.record(child, as: "only")
                guard expectNoBlock(child), expectArguments(child, 1...Int.max, usage: "only event=NAME,NAME") else {
                    continue
                }
                for argument in child.arguments {
                    guard let key = argument.optionKey, let value = argument.optionValue else {
                        log.error(argument.location, "'only': expected key=value (e.g. event=source_opened), got '\(argument.text)'")
                        continue
                    }
                    only.append(URLOption(key, value))
                }
            default:
                unknownDirective(child, in: "an event_sink block", known: ["url", "only"])
            }
        }
        guard let url else {
            log.error(directive.location, "'event_sink \(name)' needs 'url URL;'")
            return nil
        }
        return EventSink(name: name, url: url, only: only, notes: notes.notes)
    }

    /// The name and block of `KEYWORD NAME { ... }`, or nil after reporting what is missing.
    mutating func namedBlock(_ directive: ConfigDirective, usage: String) -> (String, ConfigBlock)? {
        guard let block = directive.block else {
            log.error(directive.location, "'\(directive.name)' needs a block: \(usage)")
            return nil
        }
        guard expectArguments(directive, 1...1, usage: usage) else { return nil }
        return (directive.arguments[0].text, block)
    }

    /// The one argument of a directive that may appear once in its block, recorded under `name`.
    mutating func singleText(_ directive: ConfigDirective, notes: inout DirectiveNotesBuilder, as name: String) -> String? {
        let key = notes.record(directive, as: name)
        guard expectNoBlock(directive), expectArguments(directive, 1...1, usage: "\(directive.name) VALUE") else {
            return nil
        }
        if key.occurrence > 0 {
            duplicate(directive, firstAt: notes.firstLocation(of: name))
            return nil
        }
        return directive.arguments[0].text
    }
}
