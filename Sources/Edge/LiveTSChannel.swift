import EventLoop
import Log
import Media
import Ring

/// One stream's live HTTP MPEG-TS (`/NAME/mpegts`) on this edge worker: the ring is read once and muxed once, and
/// the same bytes go to every viewer (no per-viewer copy). A viewer starts at a keyframe with fresh tables; one
/// whose socket queue grows past 5 seconds of the stream (`LiveViewerPacing.queueLimit`: a link slower than the
/// stream) skips to the next keyframe, with
/// a log line. Nobody ever waits for a slow viewer. The chunks go out as the ring gets frames, or with more than
/// `LiveBatching.viewerThreshold` viewers at most every `LiveBatching.intervalMs` (`LiveOutput`).
final class LiveTSChannel: LiveChannel {
    final class Viewer: LiveViewer {
        let connection: HTTPServerConnection
        /// Starts at the next keyframe chunk.
        var pacing = LiveViewerPacing(waitingForGroup: true)
        var bytesSent = 0

        init(connection: HTTPServerConnection) { self.connection = connection }

        var peer: String { connection.peer }
        var queuedBytes: Int { connection.connection.writeQueueSize }

        func send(_ bytes: SharedBytes) {
            do {
                try connection.connection.write(bytes)
                bytesSent += bytes.count
            } catch {
                connection.close()  // which removes it from its channel
            }
        }
    }

    let stream: String
    private let feed: LiveRingFeed
    private var muxer: TSMuxer
    private let log: Logger
    private let loop: EventLoop
    private var viewers: [ObjectIdentifier: Viewer] = [:]
    /// The chunk built since the last hand-out.
    private var output = LiveOutput(keepsGroup: false)

    init(stream: String, reader: RingReader, wakeups: RingWakeups, loop: EventLoop, muxerOptions: TSMuxer.Options,
         log: Logger) throws {
        self.stream = stream
        self.feed = try LiveRingFeed(reader: reader, wakeups: wakeups)
        self.muxer = try TSMuxer(tracks: [], options: muxerOptions)
        self.log = log
        self.loop = loop
    }

    /// The stream's ring was removed or created again (the stream stopped, or restarted with another ring): the
    /// channel's viewers are of a stream that is gone.
    var isReplaced: Bool { feed.isReplaced }

    var isIdle: Bool { viewers.isEmpty }

    func add(_ viewer: Viewer) { viewers[ObjectIdentifier(viewer)] = viewer }

    func remove(_ viewer: Viewer) { viewers[ObjectIdentifier(viewer)] = nil }

    /// Ends every viewer's response (the stream was removed or changed, or the worker stops).
    func closeAll() {
        for viewer in viewers.values { viewer.connection.close() }
    }

    /// Reads what the ring has, muxes it, and hands it out (or holds it, `LiveOutput`): call it when the ring has news
    /// (`RingWakeups`) and at the time it returns, that of its next hand-out; nil when it wants to hear of every
    /// frame.
    func pump() -> UInt64? {
        feed.pump(log: log, reader: "\(stream): live TS reader", flush: flush, tracks: { tracks in
            do { try muxer.setTracks(tracks) } catch { log.error("live TS: tracks cannot be muxed: \(error)") }
        }, groupStart: {
            output.beginGroup()
            muxer.writeTables(into: &output.bytes)
        }) { info, payload in
            muxer.write(info, payload: payload, into: &output.bytes)
        }
        return output.nextFlush(viewers: viewers.count, nowMs: loop.now)
    }

    /// Sends the chunk built so far to every viewer that can take it (unless `LiveBatching` holds it).
    private func flush() {
        let limit = LiveViewerPacing.queueLimit(bitsPerSecond: feed.bitsPerSecond)
        output.flush(viewers: viewers.count, nowMs: loop.now) { piece, startsGroup in
            viewers.values.deliver(piece, startsGroup: startsGroup, limit: limit, log: log, what: "live TS of \(stream)")
        }
    }
}
