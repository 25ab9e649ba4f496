/// What the supervision core asks its caller (the I/O side) to do, in order, after each event.
public enum SupervisorAction: Hashable, Sendable {
    /// Create (or replace) the stream's ring with a data area of `capacity` bytes; always before its ingest spawns.
    /// A replaced ring file is a new file: readers still mapping the old one must reopen it.
    case createRing(stream: String, capacity: Int)
    /// Unlink the stream's ring; only once no writer runs.
    case removeRing(stream: String)
    /// Start a process; report its pid with `spawned`, or `spawnFailed`.
    case spawn(WorkerSpec)
    /// Send `signal` (SIGTERM, later SIGKILL) to a worker.
    case signal(pid: Int32, signal: Int32)
    /// Hand a running edge worker a new config over its channel (a reload that changed streams or settings but not
    /// the listeners, which need a restart).
    case configure(pid: Int32, config: String)
    /// Call `tick` at (or just after) this instant; replaces any earlier request.
    case setTimer(at: MonotonicInstant)
    /// Shutdown is complete: exit the process with this code.
    case exit(code: Int32)
}
