/// How a stream is started. Legacy `live NAME { }` blocks are read as templates with `prefix NAME` and
/// `input publish://`.
public enum StreamKind: String, Hashable, Sendable, CaseIterable {
    /// `stream NAME { }`: started with the server, reconnected forever.
    case `static` = "stream"
    /// `ondemand NAME { }`: started by the first client, stopped `clients_timeout` after the last.
    case ondemand
    /// `template NAME { prefix P; }`: every stream named `P/...` is made from it when requested or published.
    case template
}
