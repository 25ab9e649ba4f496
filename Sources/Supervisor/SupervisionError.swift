/// A control request the supervision core refuses, with the stream it named.
public enum SupervisionError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownStream(String)
    /// An on-demand stream nobody requested, a disabled stream, or a template.
    case notRunning(String)
    case shuttingDown

    public var description: String {
        switch self {
        case .unknownStream(let name): "unknown stream \"\(name)\""
        case .notRunning(let name): "stream \"\(name)\" is not running (on demand, disabled or a template)"
        case .shuttingDown: "the server is shutting down"
        }
    }
}
