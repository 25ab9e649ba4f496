/// What a reload changes, per stream: names added, removed, changed, and unchanged (left running, not a frame lost).
///
/// Two streams of the same name are compared as whole `ResolvedStream` values (their synthesized equality: every
/// setting, the kind, and what they inherit; never comments or line numbers). There is no field-by-field code, so a
/// setting added to the model is compared with no change here. Templates are listed by name like streams.
public struct ConfigDiff: Hashable, Sendable {
    /// In the new config's order.
    public var added: [String] = []
    /// In the old config's order.
    public var removed: [String] = []
    /// In the new config's order.
    public var changed: [String] = []
    /// In the new config's order.
    public var unchanged: [String] = []

    public init(old: ServerConfig, new: ServerConfig) {
        let oldStreams = Dictionary(
            old.resolvedStreams().map { ($0.stream.name, $0) }, uniquingKeysWith: { first, _ in first })
        var newNames: Set<String> = []
        for stream in new.resolvedStreams() where newNames.insert(stream.stream.name).inserted {
            switch oldStreams[stream.stream.name] {
            case nil: added.append(stream.stream.name)
            case stream?: unchanged.append(stream.stream.name)
            default: changed.append(stream.stream.name)
            }
        }
        var removedNames: Set<String> = []
        for stream in old.streams where !newNames.contains(stream.name) && removedNames.insert(stream.name).inserted {
            removed.append(stream.name)
        }
    }

    /// Whether the reload touches no stream.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
}
