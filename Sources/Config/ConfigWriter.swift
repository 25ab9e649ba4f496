extension ServerConfig {
    /// The config as text, in Sluice's canonical layout (2-space indent, one directive per line, globals first, then
    /// storages, event sinks and streams in their order), with the comments of `notes` put back where they were.
    /// Parsing the text gives back an equal config. Legacy spellings come out modern (`input`, `template`, `vod`).
    public func written() -> String {
        var writer = ConfigWriter()
        writer.write(self)
        return writer.text
    }
}

/// Builds config text line by line; see `ServerConfig.written()`.
struct ConfigWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func write(_ config: ServerConfig) {
        let notes = config.notes
        for (name, addresses) in [("http", config.http), ("rtmp", config.rtmp), ("rtsp", config.rtsp), ("srt", config.srt)] {
            for (index, address) in addresses.enumerated() {
                line([name, address.description], notes, DirectiveKey(name, index))
            }
        }
        for (name, credentials) in [("edit_auth", config.editAuth), ("view_auth", config.viewAuth)] {
            if let credentials { line([name, quote(credentials.user), quote(credentials.password)], notes, DirectiveKey(name)) }
        }
        let texts = [("url_prefix", config.urlPrefix), ("loglevel", config.logLevel?.rawValue), ("workers", config.workers.map(String.init)),
            ("control", config.control), ("runtime_dir", config.runtimeDir)]
        for (name, value) in texts {
            if let value { line([name, quote(value)], notes, DirectiveKey(name)) }
        }
        for vod in config.vods {
            block(["vod", quote(vod.name)], vod.notes) { $0.line(["storage", $0.quote(vod.storage)], vod.notes, DirectiveKey("storage")) }
        }
        for storage in config.dvrStorages {
            block(["dvr", quote(storage.name)], storage.notes) { writer in
                writer.line(["root", writer.quote(storage.root)], storage.notes, DirectiveKey("root"))
                for (index, disk) in storage.disks.enumerated() {
                    writer.line(["disk", writer.quote(disk)], storage.notes, DirectiveKey("disk", index))
                }
            }
        }
        for sink in config.eventSinks {
            block(["event_sink", quote(sink.name)], sink.notes) { writer in
                writer.line(["url", writer.quote(sink.url)], sink.notes, DirectiveKey("url"))
                if !sink.only.isEmpty { writer.line(["only"] + sink.only.map(writer.option), sink.notes, DirectiveKey("only")) }
            }
        }
        for stream in config.streams {
            block([stream.kind.rawValue, quote(stream.name)], stream.notes) { $0.writeSettings(stream.settings, stream.notes) }
        }
        comments(notes.closingComments)
    }

    private mutating func writeSettings(_ settings: StreamSettings, _ notes: SourceNotes) {
        if let prefix = settings.prefix { line(["prefix", quote(prefix)], notes, DirectiveKey("prefix")) }
        for (index, input) in settings.inputs.enumerated() {
            var words = ["input", quote(input.url.text)]
            words += numbered(["priority": input.priority, "source_timeout": input.sourceTimeout],
                order: ["priority", "source_timeout"])
            if let tracks = input.tracks { words.append("tracks=" + tracks.map(String.init).joined(separator: ",")) }
            words += numbered(["program": input.program], order: ["program"])
            if let pids = input.pids { words.append("pids=" + pids.map(String.init).joined(separator: ",")) }
            line(words + input.options.map(option), notes, DirectiveKey("input", index))
        }
        for (index, push) in settings.pushes.enumerated() {
            var words = ["push", quote(push.url.text)]
            words += numbered(["ttl": push.ttl, "bitrate": push.bitrate], order: ["ttl", "bitrate"])
            if push.multicastLoop { words.append("multicast_loop") }
            words += numbered(["pnr": push.pnr, "retry_timeout": push.retryTimeout], order: ["pnr", "retry_timeout"])
            line(words + push.options.map(option), notes, DirectiveKey("push", index))
        }
        if let dvr = settings.dvr { line(dvrWords(dvr), notes, DirectiveKey("dvr")) }
        if let thumbnails = settings.thumbnails {
            let url = thumbnails.url.map { ["url=" + quote($0)] } ?? []
            line(["thumbnails"] + url + thumbnails.options.map(option), notes, DirectiveKey("thumbnails"))
        }
        for simple in SimpleStreamOption.all {
            if let words = simpleWords(simple, settings) { line([simple.name] + words, notes, DirectiveKey(simple.name)) }
        }
        if let prepush = settings.prepush { line(["prepush", prepush == 0 ? "off" : "\(prepush)"], notes, DirectiveKey("prepush")) }
        if let logo = settings.logo {
            let fields = numbered(["width": logo.width, "height": logo.height, "left": logo.left, "top": logo.top,
                "right": logo.right, "bottom": logo.bottom], order: ["width", "height", "left", "top", "right", "bottom"])
            line(["logo", "path=" + quote(logo.path)] + fields, notes, DirectiveKey("logo"))
        }
        if let pids = settings.mpegtsPids {
            var words = numbered(["pmt": pids.pmt, "sdt": pids.sdt], order: ["pmt", "sdt"])
            for (letter, table) in [("v", pids.video), ("a", pids.audio), ("t", pids.text)] {
                words += table.keys.sorted().map { "\(letter)\($0)=\(table[$0] ?? 0)" }
            }
            line(["mpegts_pids"] + words, notes, DirectiveKey("mpegts_pids"))
        }
        for (index, entry) in settings.meta.enumerated() {
            line(["meta", quote(entry.key), quote(entry.value)], notes, DirectiveKey("meta", index))
        }
        if let rtp = settings.rtp { line(["rtp", rtp.rawValue], notes, DirectiveKey("rtp")) }
    }

    private func dvrWords(_ dvr: DVRConfig) -> [String] {
        var words = [dvr.offline ? "dvr_offline" : "dvr"]
        switch dvr.storage {
        case .path(let path): words.append(quote(path))
        case .named(let name): words.append(quote("@" + name))
        }
        if let depth = dvr.depth { words.append(ConfigNumber.durationText(depth)) }
        if let percent = dvr.limitPercent { words.append("\(percent)%") }
        if let bytes = dvr.limitBytes { words.append(ConfigNumber.sizeText(bytes)) }
        if let schedule = dvr.schedule { words.append("schedule=" + schedule.map(\.description).joined(separator: ",")) }
        return words + dvr.options.map(option)
    }

    private func simpleWords(_ simple: SimpleStreamOption, _ settings: StreamSettings) -> [String]? {
        switch simple.value {
        case .text(let path):
            return settings[keyPath: path].map { [quote($0)] }
        case .seconds(let path, _), .count(let path, _):
            return settings[keyPath: path].map { ["\($0)"] }
        case .flag(let path):
            return settings[keyPath: path] ? [] : nil
        case .words(let path):
            return settings[keyPath: path].map { $0.map { quote($0) } }
        }
    }

    /// `key=N` for each key of `order` that has a value.
    private func numbered(_ values: [String: Int?], order: [String]) -> [String] {
        order.compactMap { key in (values[key] ?? nil).map { "\(key)=\($0)" } }
    }

    private func option(_ option: URLOption) -> String {
        guard let value = option.value else { return quote(option.key, protectEquals: true) }
        return quote(option.key, protectEquals: true) + "=" + quote(value)
    }

    /// `value` as one word: bare when the lexer would read it back unchanged, else quoted with `\"` and `\\`.
    func quote(_ value: String, protectEquals: Bool = false) -> String {
        let needsQuotes = value.isEmpty || value.utf8.first == UInt8(ascii: "#") || value.utf8.contains { byte in
            byte <= 0x20 || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (protectEquals && byte == UInt8(ascii: "="))
        }
        guard needsQuotes else { return value }
        var quoted = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "\""
    }

    private mutating func line(_ words: [String], _ notes: SourceNotes, _ key: DirectiveKey) {
        let comments = notes.directives[key]?.comments ?? Comments()
        self.comments(comments.leading)
        indent()
        text += words.joined(separator: " ") + ";"
        trailing(comments.trailing)
    }

    private mutating func block(_ words: [String], _ notes: SourceNotes, body: (inout ConfigWriter) -> Void) {
        if !text.isEmpty { text += "\n" }
        comments(notes.comments.leading)
        indent()
        text += words.joined(separator: " ") + " {"
        trailing(notes.comments.trailing)
        depth += 1
        body(&self)
        comments(notes.closingComments)
        depth -= 1
        indent()
        text += "}\n"
    }

    private mutating func comments(_ lines: [String]) {
        for comment in lines {
            indent()
            text += "#" + comment + "\n"
        }
    }

    private mutating func trailing(_ comment: String?) {
        if let comment { text += " #" + comment }
        text += "\n"
    }

    private mutating func indent() {
        text += String(repeating: "  ", count: depth)
    }
}
