/// A stream with everything it inherits from the rest of the config folded in: the value a stream's workers run
/// with, and the value the reload diff compares. A change to the global `url_prefix`, to the `dvr NAME { }` storage a
/// stream records to, or to a vod location it reads (`backup`, `file://`) changes this value, so the stream restarts.
public struct ResolvedStream: Hashable, Sendable {
    /// `settings.urlPrefix` is the stream's own or else the global one.
    public var stream: StreamConfig
    /// The storage named by `dvr @NAME`, if any.
    public var dvrStorage: DVRStorage?
    /// The vod locations named by `backup` and `file://` inputs, in name order.
    public var vods: [VODLocation]

    public init(stream: StreamConfig, dvrStorage: DVRStorage? = nil, vods: [VODLocation] = []) {
        self.stream = stream
        self.dvrStorage = dvrStorage
        self.vods = vods
    }
}

extension ServerConfig {
    /// Every stream, ondemand stream and template, resolved, in the order written.
    public func resolvedStreams() -> [ResolvedStream] {
        let storages = Dictionary(dvrStorages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let vodsByName = Dictionary(vods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return streams.map { stream in
            var resolved = stream
            if resolved.settings.urlPrefix == nil { resolved.settings.urlPrefix = urlPrefix }
            var storage: DVRStorage?
            if case .named(let name) = stream.settings.dvr?.storage { storage = storages[name] }
            var vodNames = Set(stream.settings.inputs.filter { $0.url.scheme == "file" }.map(\.url.host))
            if let backup = stream.settings.backup, let vod = backup.split(separator: "/").first { vodNames.insert(String(vod)) }
            return ResolvedStream(stream: resolved, dvrStorage: storage, vods: vodNames.sorted().compactMap { vodsByName[$0] })
        }
    }
}

extension ServerConfig {
    /// The templates that take publishers (`input publish://`), resolved: what published stream names are matched
    /// against. Callers that look names up often keep this list (it changes only with the config).
    public func publishingTemplates() -> [ResolvedStream] {
        resolvedStreams().filter {
            $0.stream.kind == .template && $0.stream.settings.prefix != nil
                && $0.stream.settings.inputs.contains(where: { $0.url.scheme == "publish" })
        }
    }

    /// The stream a template makes for `name` when someone publishes to it (reference.md section 3: publishing
    /// `rtmp://HOST/chats/room-15` to `template chats { prefix chats; input publish://; }` creates `chats/room-15`;
    /// `live NAME { }` blocks are such templates). The template whose prefix is the longest one `name` starts with
    /// (followed by `/` and at least one more character) wins. The stream keeps the template's kind, so
    /// `retry_limit` applies to it as to any non-static stream.
    public static func publishedStream(named name: String, templates: [ResolvedStream]) -> ResolvedStream? {
        var best: ResolvedStream?
        var bestLength = -1
        for template in templates {
            guard let prefix = template.stream.settings.prefix, prefix.count > bestLength,
                  name.count > prefix.count + 1, name.hasPrefix(prefix + "/") else { continue }
            var made = template
            made.stream.name = name
            best = made
            bestLength = prefix.count
        }
        return best
    }

    /// `publishedStream(named:templates:)` with this config's templates.
    public func publishedStream(named name: String) -> ResolvedStream? {
        Self.publishedStream(named: name, templates: publishingTemplates())
    }
}

extension ServerConfig {
    /// A stream of this config by name: one written in it, or one a template makes for publishers
    /// (`publishedStream(named:)`), whose name (`chats/room-15`) no config text could hold.
    public func stream(named name: String) -> StreamConfig? {
        streams.first { $0.name == name && $0.kind != .template } ?? publishedStream(named: name)?.stream
    }
}
