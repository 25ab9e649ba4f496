import Config
import Control
import EventLoop
import Log
import Media
import Outbound
import RTMP
import Ring

/// One `push rtmp://HOST/APP/KEY` or `push rtmps://` target (over TLS, port 443 by default, the server's certificate
/// checked: see `OutboundConnection`): connects, publishes the stream from its newest keyframe, and keeps
/// sending what the ring gets; on any failure it waits (`retry_timeout=S`, else 1, 2, 4... up to 30 s) and starts
/// over, for ever. Its own ring reader and its own pace: a target slower than the stream skips to the next keyframe,
/// and a dead one holds up nothing but itself. While connected, its reader is watched (`RingWakeups`): the worker
/// pumps it when the ring is written; a target that waits to retry reads nothing and wakes nobody.
final class RTMPPushTarget {
    private let config: PushConfig
    private let loop: EventLoop
    private let ringName: RingName
    private let stream: String
    private let log: Logger
    private let wakeups: RingWakeups
    /// Called when `status.state` changed, for the worker to report it at once.
    private let onStateChange: () -> Void
    private let retryTimer: Timer
    private var connection: OutboundConnection?
    private var session: RTMPClientSession?
    private var feed: LiveRingFeed?
    private var muxer = FLVTagMuxer(tracks: [])
    private var pacing = LiveViewerPacing(waitingForGroup: false)
    private var nextFrameStartsGroup = false
    private var failuresInARow = 0
    private var out: [UInt8] = []
    private var tag: [UInt8] = []
    private var stopped = false
    private(set) var status: PushStatus

    init(config: PushConfig, stream: String, ringName: RingName, loop: EventLoop, wakeups: RingWakeups, log: Logger,
         onStateChange: @escaping () -> Void) throws {
        self.config = config
        self.stream = stream
        self.ringName = ringName
        self.loop = loop
        self.wakeups = wakeups
        self.log = log
        self.onStateChange = onStateChange
        self.retryTimer = try Timer(loop: loop)
        self.status = PushStatus(url: config.url.text, state: .connecting)
        out.reserveCapacity(256 * 1024)
    }

    func start() { connect() }

    /// Ends the publish politely (FCUnpublish, deleteStream) and closes.
    func stop() {
        stopped = true
        retryTimer.close()
        if let connection, var session {
            out.removeAll(keepingCapacity: true)
            session.finish(into: &out)
            if !out.isEmpty { try? connection.write(out) }
            connection.close()
        }
        connection = nil
    }

    private func connect() {
        guard !stopped else { return }
        setState(.connecting)
        do {
            let url = try RTMPURL(config.url.text)
            let connection = try OutboundConnection(loop: loop, host: url.host, port: url.port, secure: url.isSecure)
            self.connection = connection
            var session = RTMPClientSession(url: url, mode: .publish)
            let first = session.start()
            self.session = session
            try connection.connect { [weak self] error in
                guard let self, self.connection === connection else { return }
                if let error { return fail("connect: \(error)") }
                do {
                    try connection.setNoDelay(true)
                    try connection.startReading(onData: { [unowned self] bytes in
                        guard var session = self.session else { return }
                        let actions = session.receive(bytes)
                        self.session = session
                        perform(actions)
                    }, onEnd: { [unowned self] error in fail("connection closed" + (error.map { ": \($0)" } ?? "")) })
                    perform(first)
                } catch {
                    fail("\(error)")
                }
            }
        } catch {
            fail("\(error)")
        }
    }

    private func perform(_ actions: [RTMPClientSession.Action]) {
        for action in actions {
            guard let connection, !connection.isClosing else { return }
            switch action {
            case .send(let bytes):
                write(bytes)
            case .ready:
                do {
                    feed = try LiveRingFeed(reader: try RingReader(open: ringName), wakeups: wakeups)
                } catch {
                    return fail("the stream's ring: \(error)")
                }
                muxer = FLVTagMuxer(tracks: [])
                pacing = LiveViewerPacing(waitingForGroup: true)
                failuresInARow = 0
                setState(.connected)
                log.notice("push \(config.url.text): publishing")
            case .status(let status):
                log.info("push \(config.url.text): \(status)")
            case .media:
                break
            case .failed(let reason):
                return fail(reason)
            }
        }
    }

    private func write(_ bytes: [UInt8]) {
        guard let connection else { return }
        do {
            try connection.write(bytes)
            status.bytes += bytes.count
        } catch {
            fail("write: \(error)")
        }
    }

    /// Sends what the ring has now.
    func pump() {
        guard let feed, var session, let connection else { return }
        out.removeAll(keepingCapacity: true)
        feed.drain(lapped: { lost in
            log.notice("push \(config.url.text): reader lapped, \(lost) frames lost, resuming at a keyframe")
        }) { event in
            switch event {
            case .tracks(let tracks):
                let changed = muxer.setTracks(tracks)
                if changed.isEmpty { return }
                session.sendMetadata(RTMPMetadata.properties(muxer.tracks), into: &out)
                for id in changed {
                    tag.removeAll(keepingCapacity: true)
                    guard let type = muxer.sequenceHeader(for: id, into: &tag) else { continue }
                    let timestamp = muxer.timestampBase.map { _ in muxer.timestamp(for: feed.lastFrameDts) } ?? 0
                    tag.withUnsafeBytes { _ = session.sendMedia(typeID: type.rawValue, timestamp: timestamp, payload: $0, into: &out) }
                }
            case .groupStart:
                nextFrameStartsGroup = true
            case .frame(let info, let payload):
                let startsGroup = nextFrameStartsGroup
                nextFrameStartsGroup = false
                switch pacing.decide(startsGroup: startsGroup, queued: connection.writeQueueSize + out.count,
                                     limit: LiveViewerPacing.queueLimit(bitsPerSecond: feed.bitsPerSecond)) {
                case .hold: return
                case .skip:
                    log.info("push \(config.url.text): too slow, skipping to the next keyframe")
                    return
                case .send: break
                }
                tag.removeAll(keepingCapacity: true)
                guard let header = muxer.write(info, payload: payload, into: &tag) else { return }
                tag.withUnsafeBytes { _ = session.sendMedia(typeID: header.type.rawValue, timestamp: header.timestamp, payload: $0, into: &out) }
            }
        }
        self.session = session
        if !out.isEmpty { write(out) }
    }

    private func setState(_ state: PushStatus.State) {
        guard status.state != state else { return }
        status.state = state
        onStateChange()
    }

    private func fail(_ reason: String) {
        guard !stopped else { return }
        connection?.close()
        connection = nil
        session = nil
        feed = nil
        failuresInARow += 1
        status.errors += 1
        status.lastError = reason
        setState(.retrying)
        let delay = config.retryTimeout.map { UInt64(max($0, 1)) * 1000 } ?? min(1000 << min(failuresInARow - 1, 5), 30_000)
        log.notice("push \(config.url.text): \(reason); retrying in \(delay / 1000) s")
        do { try retryTimer.start(after: delay) { [weak self] in self?.connect() } } catch { log.error("push timer: \(error)") }
    }
}
