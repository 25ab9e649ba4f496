/// Reading `stream`, `ondemand`, `template` and legacy `live` blocks.
extension ConfigReader {
    /// The stream directives read by their own code rather than by `SimpleStreamOption`, by canonical name.
    private static let structuredDirectives: Set<String> =
        ["input", "push", "dvr", "thumbnails", "logo", "mpegts_pids", "meta", "rtp", "prefix", "prepush"]

    /// Every directive a stream block accepts, legacy spellings included (for "did you mean").
    static let streamDirectives: [String] =
        structuredDirectives.sorted() + ["url", "dvr_offline"] + SimpleStreamOption.all.map(\.name)

    mutating func readStream(_ directive: ConfigDirective) -> StreamConfig? {
        let legacyLive = directive.name == "live"
        let kind: StreamKind = legacyLive ? .template : StreamKind(rawValue: directive.name) ?? .static
        guard let (name, block) = namedBlock(directive, usage: "\(directive.name) NAME { ... }") else { return nil }
        var notes = DirectiveNotesBuilder(directive: directive, block: block)
        var settings = StreamSettings()
        for child in block.directives {
            guard expectNoBlock(child) else { continue }
            readStreamOption(child, kind: kind, into: &settings, notes: &notes)
        }
        if legacyLive {
            if settings.prefix == nil { settings.prefix = name }
            if settings.inputs.isEmpty, let publish = try? InputURL(parsing: "publish://") {
                settings.inputs.append(InputConfig(url: publish))
            }
        }
        if kind == .template && settings.prefix == nil {
            log.error(directive.location, "template '\(name)' needs 'prefix P;' (the names of the streams it makes)")
        }
        return StreamConfig(name: name, kind: kind, settings: settings, notes: notes.notes)
    }

    private mutating func readStreamOption(
        _ directive: ConfigDirective, kind: StreamKind, into settings: inout StreamSettings,
        notes: inout DirectiveNotesBuilder
    ) {
        let name: String
        switch directive.name {
        case "url": name = "input"
        case "dvr_offline": name = "dvr"
        default: name = directive.name
        }
        if let option = SimpleStreamOption.byName[name] {
            let key = notes.record(directive, as: name)
            if key.occurrence > 0 {
                duplicate(directive, firstAt: notes.firstLocation(of: name))
            } else {
                readSimple(directive, option, into: &settings)
            }
            return
        }
        let repeatable = name == "input" || name == "push" || name == "meta"
        guard Self.structuredDirectives.contains(name) else {
            unknownDirective(directive, in: "a stream block", known: Self.streamDirectives)
            return
        }
        let key = notes.record(directive, as: name)
        if key.occurrence > 0 && !repeatable {
            duplicate(directive, firstAt: notes.firstLocation(of: name))
            return
        }
        switch name {
        case "input":
            if let input = readInput(directive) { settings.inputs.append(input) }
        case "push":
            if let push = readPush(directive) { settings.pushes.append(push) }
        case "dvr":
            settings.dvr = readDVR(directive)
        case "thumbnails":
            settings.thumbnails = readThumbnails(directive)
        case "logo":
            settings.logo = readLogo(directive)
        case "mpegts_pids":
            settings.mpegtsPids = readMPEGTSPids(directive)
        case "meta":
            guard expectArguments(directive, 2...2, usage: "meta KEY VALUE") else { return }
            settings.meta.append(MetaEntry(directive.arguments[0].text, directive.arguments[1].text))
        case "rtp":
            guard expectArguments(directive, 1...1, usage: "rtp udp") else { return }
            let argument = directive.arguments[0]
            guard let transport = RTPTransport(rawValue: argument.text) else {
                log.error(argument.location, "'rtp': expected udp or tcp, got '\(argument.text)'")
                return
            }
            settings.rtp = transport
        case "prepush":
            guard expectArguments(directive, 1...1, usage: "prepush off|SECONDS") else { return }
            let argument = directive.arguments[0]
            settings.prepush =
                argument.text == "off" ? 0 : duration(argument.text, at: argument.location, "'prepush'", in: 0...3600)
        default:
            guard kind == .template else {
                log.error(directive.location, "'prefix' is for templates only (template NAME { prefix P; ... })")
                return
            }
            guard expectArguments(directive, 1...1, usage: "prefix P") else { return }
            let argument = directive.arguments[0]
            guard Self.isValidName(argument.text, slashes: true) else {
                log.error(
                    argument.location,
                    "invalid prefix '\(argument.text)': use Latin letters, digits, '.', '-', '_' and '/' between them")
                return
            }
            settings.prefix = argument.text
        }
    }

    private mutating func readSimple(_ directive: ConfigDirective, _ option: SimpleStreamOption, into settings: inout StreamSettings) {
        let what = "'\(option.name)'"
        switch option.value {
        case .flag(let path):
            guard expectArguments(directive, 0...0, usage: option.name) else { return }
            settings[keyPath: path] = true
        case .words(let path):
            guard expectArguments(directive, 1...Int.max, usage: "\(option.name) VALUE...") else { return }
            let words = directive.arguments.map(\.text)
            if option.name == "allowed_countries" {
                for argument in directive.arguments
                where argument.text.utf8.count != 2 || !argument.text.utf8.allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }) {
                    log.error(argument.location, "'allowed_countries': expected two-letter country codes, got '\(argument.text)'")
                    return
                }
            }
            settings[keyPath: path] = words
        case .text(let path):
            guard expectArguments(directive, 1...1, usage: "\(option.name) VALUE") else { return }
            settings[keyPath: path] = directive.arguments[0].text
        case .count(let path, let range):
            guard expectArguments(directive, 1...1, usage: "\(option.name) N") else { return }
            let argument = directive.arguments[0]
            settings[keyPath: path] = integer(argument.text, at: argument.location, what, in: range)
        case .seconds(let path, let range):
            guard expectArguments(directive, 1...1, usage: "\(option.name) SECONDS") else { return }
            let argument = directive.arguments[0]
            settings[keyPath: path] = duration(argument.text, at: argument.location, what, in: range)
        }
    }
}
