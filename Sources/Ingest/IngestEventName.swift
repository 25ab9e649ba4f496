/// The events an ingest worker reports about its inputs, to its log and to the configured event sinks. The raw
/// values are the names written in logs and sent to sinks.
public enum IngestEventName: String, Hashable, Sendable, CaseIterable {
    /// An input became the stream's source (at start, after a failover, or switching back to a better one).
    case sourceReady = "source_ready"
    /// The active input disconnected, failed or sent no frame for its `source_timeout`.
    case sourceLost = "source_lost"
    /// An input that was being tried (a failover attempt or a background retry) failed before it took over.
    case sourceFailed = "source_failed"
    /// The active input sent no frame for `frames_timeout`.
    case framesTimedOut = "frames_timed_out"
    /// Frames came back after `frames_timed_out`, before the source was declared lost.
    case framesRestored = "frames_restored"
}
