import Config
import Control
import EventLoop
import Log
import Ring

/// What the edge worker gives each of its protocol services (`RTMPService`, `RTSPService`): its loop, the instance
/// its rings are named by, its logger, how to find a stream, how to hand a publisher's connection to the
/// supervisor, and what wakes it when the rings of its channels are written.
struct EdgeServiceContext {
    let loop: EventLoop
    let instance: String
    let log: Logger
    /// A stream this edge serves, by name (`publishing`: for a publisher, who may make it from a template).
    let lookup: (String, _ publishing: Bool) -> ResolvedStream?
    /// Sends a handoff line with the connection's descriptor to the supervisor; calls back once written.
    let handOff: (WorkerMessage.Handoff, TCPConnection, @escaping () -> Void) -> Void
    /// Wakes the worker when a channel's ring is written (its channels' `LiveRingFeed`s watch their rings).
    let wakeups: RingWakeups

    /// Whether publishers of `name` go to an ingest worker: the stream (or the template that makes it) has an
    /// `input publish://`. Passwords and `on_publish` are the ingest worker's to check.
    func takesPublishers(_ name: String) -> Bool {
        lookup(name, true)?.stream.settings.inputs.contains { $0.url.scheme == "publish" } ?? false
    }

    /// The ring of a stream to play, read from its newest keyframe; throws when it has none (not running).
    func openRing(_ name: String) throws -> RingReader {
        try RingReader(open: RingName(instance: instance, stream: name))
    }
}
