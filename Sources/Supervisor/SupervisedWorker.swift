/// One worker slot as the supervision core sees it; read by the caller for logs and the `workers` reply.
public struct SupervisedWorker: Hashable, Sendable {
    public enum State: String, Hashable, Sendable {
        /// Spawned (or about to be), not yet reported `ready`.
        case starting
        case running
        /// Failed; waits for its restart delay.
        case backoff
        /// Sent SIGTERM (and SIGKILL after the grace period); waits for its exit.
        case stopping
        /// Failed more than its stream's `retry_limit` times in a row; restarted only by `restart` or a new demand.
        case failed
    }

    /// What to do once a stopping worker has exited.
    enum AfterStop: Hashable, Sendable {
        /// Forget the slot (and remove an ingest worker's ring).
        case remove
        /// Start the slot again at once with this spec.
        case respawn(WorkerSpec)
    }

    public let id: WorkerID
    /// The spec of the current process, or of the next one while in backoff.
    public internal(set) var spec: WorkerSpec
    /// nil while no process runs, and between `spawn` and `spawned`.
    public internal(set) var pid: Int32?
    public internal(set) var state: State
    /// Processes started in this slot after the first.
    public internal(set) var restarts = 0
    public internal(set) var lastExit: WorkerExit?
    /// When the current process was spawned.
    public internal(set) var startedAt: MonotonicInstant?
    /// Failures in a row, each after less than `backoffResetAfter` of running: sets the backoff and `retry_limit`.
    public internal(set) var failures = 0
    /// In backoff: when to restart. Stopping: when to send SIGKILL (nil once sent).
    var deadline: MonotonicInstant?
    var afterStop: AfterStop = .remove

    init(spec: WorkerSpec) {
        self.id = spec.id
        self.spec = spec
        self.state = .starting
    }
}
