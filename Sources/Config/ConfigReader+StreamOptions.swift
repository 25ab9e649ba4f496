/// Reading the stream options that have a structure of their own: inputs, pushes, DVR, thumbnails, logo, PIDs.
extension ConfigReader {
    private static let pidRange = 16...8190

    /// `input URL [priority=N] [source_timeout=S] [tracks=1,2] [program=N] [pids=N,M] [key=value|flag]...`.
    mutating func readInput(_ directive: ConfigDirective) -> InputConfig? {
        guard expectArguments(directive, 1...Int.max, usage: "input URL [key=value]..."),
            let url = parseURL(directive.arguments[0])
        else { return nil }
        var input = InputConfig(url: url)
        forEachOption(of: directive) { reader, argument, key, value in
            let what = "'\(key)=' of input \(url)"
            switch key {
            case "priority": input.priority = reader.integer(value, at: argument.location, what, in: 1...100)
            case "source_timeout": input.sourceTimeout = reader.duration(value, at: argument.location, what, in: 1...86_400)
            case "tracks": input.tracks = reader.integerList(value, at: argument.location, what, in: 1...64)
            case "program": input.program = reader.integer(value, at: argument.location, what, in: 1...65535)
            case "pids": input.pids = reader.integerList(value, at: argument.location, what, in: Self.pidRange)
            default: input.options.append(URLOption(key, argument.keyLength == nil ? nil : value))
            }
        }
        return input
    }

    /// `push udp://GROUP:PORT [ttl=N] [bitrate=KBPS] [multicast_loop] [pnr=N]` or `push rtmp://... [retry_timeout=S]`.
    mutating func readPush(_ directive: ConfigDirective) -> PushConfig? {
        guard expectArguments(directive, 1...Int.max, usage: "push URL [key=value]..."),
            let url = parseURL(directive.arguments[0])
        else { return nil }
        guard PushConfig.schemes.contains(url.scheme) else {
            log.error(
                directive.arguments[0].location,
                "'push' sends to \(PushConfig.schemes.sorted().map { "\($0)://" }.joined(separator: ", ")), not \(url.scheme)://")
            return nil
        }
        var push = PushConfig(url: url)
        let udp = url.scheme == "udp"
        forEachOption(of: directive, aliases: ["multicast_ttl": "ttl", "cbr": "bitrate"]) { reader, argument, key, value in
            let what = "'\(key)=' of push \(url)"
            let udpOnly = ["ttl", "multicast_ttl", "bitrate", "cbr", "multicast_loop", "pnr"].contains(key)
            if udpOnly != udp && (udpOnly || key == "retry_timeout") {
                reader.log.error(argument.location, "'\(key)' applies to \(udp ? "rtmp:// and srt://" : "udp://") pushes only")
                return
            }
            switch key {
            case "ttl", "multicast_ttl": push.ttl = reader.integer(value, at: argument.location, what, in: 1...255)
            case "bitrate", "cbr": push.bitrate = reader.integer(value, at: argument.location, what, in: 1...10_000_000)
            case "pnr": push.pnr = reader.integer(value, at: argument.location, what, in: 1...65535)
            case "retry_timeout": push.retryTimeout = reader.duration(value, at: argument.location, what, in: 1...86_400)
            case "multicast_loop":
                if argument.keyLength != nil {
                    reader.log.error(argument.location, "'multicast_loop' is a flag and takes no value")
                }
                push.multicastLoop = true
            default: push.options.append(URLOption(key, argument.keyLength == nil ? nil : value))
            }
        }
        return push
    }

    /// `dvr PATH|@NAME [DEPTH] [PERCENT|SIZE] [schedule=...] [key=value]...` (or `dvr_offline` with the same).
    mutating func readDVR(_ directive: ConfigDirective) -> DVRConfig? {
        guard expectArguments(directive, 1...Int.max, usage: "\(directive.name) PATH|@NAME [DEPTH] [PERCENT|SIZE]") else {
            return nil
        }
        let first = directive.arguments[0].text
        let storage: DVRConfig.Storage = first.hasPrefix("@") ? .named(String(first.dropFirst())) : .path(first)
        if case .named("") = storage {
            log.error(directive.arguments[0].location, "'\(directive.name)': expected a storage name after '@'")
            return nil
        }
        var dvr = DVRConfig(storage: storage, offline: directive.name == "dvr_offline")
        var seen: Set<String> = []
        for argument in directive.arguments.dropFirst() {
            if let key = argument.optionKey, let value = argument.optionValue {
                guard seen.insert(key).inserted else {
                    log.error(argument.location, "'\(directive.name)': option '\(key)' given twice")
                    continue
                }
                if key == "schedule" {
                    dvr.schedule = DVRScheduleInterval.parseList(value)
                    if dvr.schedule == nil {
                        log.error(argument.location, "'schedule=': expected intervals like 8:00-16:00,22-1:30, got '\(value)'")
                    }
                } else {
                    dvr.options.append(URLOption(key, value))
                }
                continue
            }
            readDVRLimit(argument, directive: directive, into: &dvr, seen: &seen)
        }
        return dvr
    }

    private mutating func readDVRLimit(_ argument: ConfigArgument, directive: ConfigDirective, into dvr: inout DVRConfig, seen: inout Set<String>) {
        let text = argument.text
        let kind = text.hasSuffix("%") ? "percent" : ConfigNumber.hasSizeUnit(text) ? "size" : "depth"
        guard seen.insert(kind).inserted else {
            log.error(argument.location, "'\(directive.name)': a second \(kind == "depth" ? "depth" : "disk limit") '\(text)'")
            return
        }
        let what = "'\(directive.name)'"
        switch kind {
        case "percent":
            guard let percent = ConfigNumber.percent(text), (1...100).contains(percent) else {
                log.error(argument.location, "\(what): expected a percentage 1%...100%, got '\(text)'")
                return
            }
            dvr.limitPercent = percent
        case "size":
            guard let bytes = ConfigNumber.size(text), bytes > 0 else {
                log.error(argument.location, "\(what): expected a size such as 500M or 10G, got '\(text)'")
                return
            }
            dvr.limitBytes = bytes
        default:
            dvr.depth = duration(text, at: argument.location, what, in: 60...(100 * 366 * 86_400))
        }
    }

    /// `thumbnails [url=URL] [key=value]...`.
    mutating func readThumbnails(_ directive: ConfigDirective) -> ThumbnailsConfig {
        var thumbnails = ThumbnailsConfig()
        forEachOption(of: directive, from: 0) { _, argument, key, value in
            if key == "url" && argument.keyLength != nil {
                thumbnails.url = value
            } else {
                thumbnails.options.append(URLOption(key, argument.keyLength == nil ? nil : value))
            }
        }
        return thumbnails
    }

    /// `logo path=P [width=] [height=] [left=|right=] [top=|bottom=]`.
    mutating func readLogo(_ directive: ConfigDirective) -> LogoConfig? {
        var logo = LogoConfig(path: "")
        var path: String?
        let fields: [String: WritableKeyPath<LogoConfig, Int?>] = [
            "width": \.width, "height": \.height, "left": \.left, "top": \.top, "right": \.right, "bottom": \.bottom,
        ]
        forEachOption(of: directive, from: 0) { reader, argument, key, value in
            if key == "path", argument.keyLength != nil {
                path = value
            } else if let field = fields[key], argument.keyLength != nil {
                logo[keyPath: field] = reader.integer(value, at: argument.location, "'logo \(key)='", in: 0...100_000)
            } else {
                reader.log.error(
                    argument.location,
                    "'logo': unknown option '\(argument.text)' (expected path=, width=, height=, left=, top=, right=, bottom=)")
            }
        }
        if logo.left != nil && logo.right != nil || logo.top != nil && logo.bottom != nil {
            log.error(directive.location, "'logo': give one of left= and right=, and one of top= and bottom=")
        }
        guard let path, !path.isEmpty else {
            log.error(directive.location, "'logo' needs path=FILE")
            return nil
        }
        logo.path = path
        return logo
    }

    /// `mpegts_pids [pmt=N] [sdt=N] [vN=PID] [aN=PID] [tN=PID]...`; numbers decimal, `0x` or `16#` hexadecimal.
    mutating func readMPEGTSPids(_ directive: ConfigDirective) -> MPEGTSPids? {
        guard expectArguments(directive, 1...Int.max, usage: "mpegts_pids pmt=N v1=N a1=N ...") else { return nil }
        var pids = MPEGTSPids()
        let tracks: [UInt8: WritableKeyPath<MPEGTSPids, [Int: Int]>] = [
            UInt8(ascii: "v"): \.video, UInt8(ascii: "a"): \.audio, UInt8(ascii: "t"): \.text,
        ]
        forEachOption(of: directive, from: 0) { reader, argument, key, value in
            let what = "'mpegts_pids \(key)='"
            if argument.keyLength != nil, key == "pmt" || key == "sdt" {
                let pid = reader.integer(value, at: argument.location, what, in: Self.pidRange)
                if key == "pmt" { pids.pmt = pid } else { pids.sdt = pid }
                return
            }
            guard argument.keyLength != nil, let type = key.utf8.first, let table = tracks[type],
                key.utf8.count <= 3, let index = ConfigNumber.integer(String(key.dropFirst())), key.utf8.count > 1,
                key.utf8.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 })
            else {
                reader.log.error(argument.location, "'mpegts_pids': expected pmt=, sdt=, vN=, aN= or tN=, got '\(argument.text)'")
                return
            }
            let range = index == 0 ? (Self.pidRange.lowerBound - 1)...(Self.pidRange.upperBound - 1) : Self.pidRange
            if let pid = reader.integer(value, at: argument.location, what, in: range) { pids[keyPath: table][index] = pid }
        }
        return pids
    }

    /// Parses a URL argument, reporting the parser's message at the argument.
    private mutating func parseURL(_ argument: ConfigArgument) -> InputURL? {
        do {
            return try InputURL(parsing: argument.text)
        } catch {
            log.error(argument.location, error.message)
            return nil
        }
    }

    /// Calls `body` with each `key=value` option (or bare flag: value "", `keyLength` nil) from argument `from` on,
    /// reporting options given twice (an alias and its canonical name count as one).
    private mutating func forEachOption(
        of directive: ConfigDirective, from start: Int = 1, aliases: [String: String] = [:],
        _ body: (inout ConfigReader, ConfigArgument, String, String) -> Void
    ) {
        var seen: Set<String> = []
        for argument in directive.arguments.dropFirst(start) {
            let key = argument.optionKey ?? argument.text
            guard seen.insert(aliases[key] ?? key).inserted else {
                log.error(argument.location, "'\(directive.name)': option '\(key)' given twice")
                continue
            }
            body(&self, argument, key, argument.optionValue ?? "")
        }
    }
}
