import EventLoop
import Log
import Ring

/// A viewer of a shared live output (HTTP MPEG-TS, RTMP, RTSP over TCP): its pacing, the bytes its socket holds
/// unsent, and how it is sent a piece that every viewer shares.
protocol LiveViewer: AnyObject {
    var pacing: LiveViewerPacing { get set }
    /// `ip:port`, for the log.
    var peer: String { get }
    var queuedBytes: Int { get }
    /// Queues the shared bytes; a viewer whose socket fails closes itself (and leaves its channel).
    func send(_ bytes: SharedBytes)
}

extension Sequence where Element: LiveViewer {
    /// Hands one piece of a shared output to every viewer whose pacing lets it take it; one too slow for the stream
    /// (more than `limit` bytes queued) skips to the next group of pictures, with a log line naming `what` it
    /// watched. Nobody waits for anybody.
    func deliver(_ bytes: SharedBytes, startsGroup: Bool, limit: Int, log: Logger, what: @autoclosure () -> String) {
        for viewer in self {
            let queued = viewer.queuedBytes
            switch viewer.pacing.decide(startsGroup: startsGroup, queued: queued, limit: limit) {
            case .hold: continue
            case .skip: log.info("\(viewer.peer): \(what()) too slow (\(queued) bytes queued), skipping to the next keyframe")
            case .send: viewer.send(bytes)
            }
        }
    }
}
