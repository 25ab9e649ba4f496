import Config

/// Directives a config may use that this build parses but does not serve yet: each gets a startup (and reload)
/// warning naming it, so nothing is silently ignored (reference.md section 1).
enum UnbuiltFeatures {
    /// Input schemes the ingest worker pulls today.
    static let builtSchemes: Set<String> = ["udp", "tshttp", "tshttps", "fake", "publish", "rtmp", "rtmps", "rtsp", "rtsp2"]

    static func warnings(_ config: ServerConfig) -> [String] {
        var warnings: [String] = []
        func note(_ what: String) { warnings.append("not built yet, ignored: \(what)") }
        if !config.srt.isEmpty { note("srt listeners") }
        if config.editAuth != nil || config.viewAuth != nil { note("edit_auth/view_auth (the HTTP API)") }
        if !config.vods.isEmpty { note("vod locations") }
        if !config.eventSinks.isEmpty { note("event_sink") }
        for stream in config.streams {
            let s = stream.settings
            let name = "\(stream.kind == .template ? "template" : "stream") \(stream.name)"
            if stream.kind == .template {
                guard s.inputs.contains(where: { $0.url.scheme == "publish" }) else {
                    note("\(name): templates without publish:// (streams made on demand from pulled sources)")
                    continue
                }
                if !s.pushes.isEmpty { note("\(name): push from streams made by a template") }
            }
            for input in s.inputs where !builtSchemes.contains(input.url.scheme) {
                note("\(name): input \(input.url.scheme)://")
            }
            for push in s.pushes where !Supervision.builtPushSchemes.contains(push.url.scheme) && stream.kind != .template {
                note("\(name): push \(push.url.scheme)://")
            }
            if s.dvr != nil { note("\(name): dvr") }
            if s.thumbnails != nil { note("\(name): thumbnails") }
            if s.backup != nil { note("\(name): backup") }
            if s.onPlay != nil { note("\(name): on_play") }
            if let onPublish = s.onPublish, let what = unbuiltOnPublish(onPublish, settings: s) {
                note("\(name): \(what)")
            }
            if s.password != nil && !s.inputs.contains(where: { $0.url.scheme == "publish" }) {
                note("\(name): password for viewers (it is checked of publishers only)")
            }
            if s.domains != nil || s.allowedCountries != nil || s.maxSessions != nil {
                note("\(name): domains/allowed_countries/max_sessions")
            }
            if s.logo != nil { note("\(name): logo") }
            if stream.kind == .ondemand && !(config.rtmp.isEmpty && config.rtsp.isEmpty) {
                note("\(name): on-demand start by RTMP and RTSP players (HTTP viewers start it; players are refused while it is stopped)")
            }
        }
        return warnings
    }

    /// What is not served of `on_publish VALUE;` (nil: an http:// or https:// backend on a stream that takes
    /// publishers, which the ingest worker asks). Scripts and other URLs refuse every publish rather than let it through.
    private static func unbuiltOnPublish(_ value: String, settings: StreamSettings) -> String? {
        if value.hasSuffix(".lua") { return "on_publish scripts (\(value): every publish is refused)" }
        guard settings.inputs.contains(where: { $0.url.scheme == "publish" }) else {
            return "on_publish (the stream has no publish:// input)"
        }
        if !["http://", "https://"].contains(where: value.lowercased().hasPrefix) {
            return "on_publish \(value) (only http:// and https:// backends are built: every publish is refused)"
        }
        return nil
    }
}
