/// One worker slot the supervisor keeps filled: the ingest worker of a stream, or edge worker number `index`. A slot
/// has at most one process at a time; a restart replaces its process and keeps the slot.
public enum WorkerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    case edge(index: Int)
    case ingest(stream: String)

    public var role: String {
        switch self {
        case .edge: "edge"
        case .ingest: "ingest"
        }
    }

    /// The stream of a per-stream role.
    public var stream: String? {
        guard case .ingest(let stream) = self else { return nil }
        return stream
    }

    /// Edges by index, then ingests by stream name: the order of the `workers` reply.
    public static func < (a: WorkerID, b: WorkerID) -> Bool {
        switch (a, b) {
        case let (.edge(x), .edge(y)): x < y
        case (.edge, .ingest): true
        case (.ingest, .edge): false
        case let (.ingest(x), .ingest(y)): x < y
        }
    }

    public var description: String {
        switch self {
        case .edge(let index): "edge \(index)"
        case .ingest(let stream): "ingest \(stream)"
        }
    }
}
