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
