/// One `stream`, `ondemand` or `template` block (legacy `live`), with its comments.
public struct StreamConfig: Hashable, Sendable {
    public var name: String
    public var kind: StreamKind
    public var settings: StreamSettings
    /// Comments and places; never part of equality.
    public var notes: SourceNotes

    public init(name: String, kind: StreamKind, settings: StreamSettings = StreamSettings(), notes: SourceNotes = SourceNotes()) {
        self.name = name
        self.kind = kind
        self.settings = settings
        self.notes = notes
    }
}
