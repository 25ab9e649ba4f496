import Config

/// The fixed parameters of supervision: where workers find the runtime directory and rings, how many edges by
/// default, how rings are sized, and the timings of restarts and stops.
public struct SupervisionPolicy: Sendable {
    /// Passed to every worker (`--runtime-dir`).
    public var runtimeDirectory: String
    /// The server instance that names rings (`--instance`), so two servers on one machine never share one.
    public var instance: String
    /// Edge workers when the config has no `workers N;`: the machine's core count.
    public var defaultEdgeCount: Int
    /// The data area size of a stream's ring, e.g. from `Ring.capacity(seconds:bitrate:)` with the stream's
    /// `segment_count` and `segment_duration`. A closure so that this module stays pure and free of `Ring`.
    public var ringCapacity: @Sendable (ResolvedStream) -> Int
    /// The first restart delay after a failure; doubles with each failure in a row, up to `maximumBackoff`.
    public var initialBackoff: Duration = .milliseconds(100)
    public var maximumBackoff: Duration = .seconds(5)
    /// A worker that ran this long before it failed restarts after `initialBackoff` again.
    public var backoffResetAfter: Duration = .seconds(10)
    /// Between SIGTERM and SIGKILL.
    public var stopGrace: Duration = .seconds(5)
    /// During a rolling restart of edges, how long to wait for a new edge's `ready` before the next edge is restarted.
    public var readyTimeout: Duration = .seconds(5)

    public init(
        runtimeDirectory: String, instance: String, defaultEdgeCount: Int, ringCapacity: @escaping @Sendable (ResolvedStream) -> Int
    ) {
        self.runtimeDirectory = runtimeDirectory
        self.instance = instance
        self.defaultEdgeCount = max(defaultEdgeCount, 1)
        self.ringCapacity = ringCapacity
    }

    /// The delay before restart number `failures` (1 for the first failure in a row).
    func backoff(failures: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(failures, 1) where delay < maximumBackoff { delay *= 2 }
        return min(delay, maximumBackoff)
    }
}
