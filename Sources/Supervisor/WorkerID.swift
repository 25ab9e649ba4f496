/// One worker slot the supervisor keeps filled: the ingest worker of a stream, its pusher (when it has `push`
/// targets), or edge worker number `index`. A slot has at most one process at a time; a restart replaces its process
/// and keeps the slot.
public enum WorkerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    case edge(index: Int)
    case ingest(stream: String)
    case pusher(stream: String)

    public var role: String {
        switch self {
        case .edge: "edge"
        case .ingest: "ingest"
        case .pusher: "pusher"
        }
    }

    /// The stream of a per-stream role.
    public var stream: String? {
        switch self {
        case .edge: nil
        case .ingest(let stream), .pusher(let stream): stream
        }
    }

    /// Edges by index, then per-stream roles by stream name, ingest before pusher: the order of the `workers` reply.
    public static func < (a: WorkerID, b: WorkerID) -> Bool {
        switch (a, b) {
        case let (.edge(x), .edge(y)): x < y
        case (.edge, _): true
        case (_, .edge): false
        default: (a.stream ?? "", a.role) < (b.stream ?? "", b.role)
        }
    }

    public var description: String {
        switch self {
        case .edge(let index): "edge \(index)"
        case .ingest(let stream): "ingest \(stream)"
        case .pusher(let stream): "pusher \(stream)"
        }
    }
}
