/// How a worker process ended, for logs and the `workers` reply.
public enum WorkerExit: Hashable, Sendable, CustomStringConvertible {
    case exited(status: Int)
    case signaled(signal: Int32)
    /// The process could not be started at all (e.g. the binary is gone).
    case spawnFailed(reason: String)

    /// libuv's exit callback gives both: a signal number other than 0 wins.
    public init(status: Int, signal: Int32) {
        self = signal != 0 ? .signaled(signal: signal) : .exited(status: status)
    }

    public var description: String {
        switch self {
        case .exited(let status): "exit \(status)"
        case .signaled(let signal): "signal \(signal)"
        case .spawnFailed(let reason): "spawn failed: \(reason)"
        }
    }
}
