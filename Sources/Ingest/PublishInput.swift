import Config
import EventLoop
import Log
import Media
import RTMP

/// `input publish://`: a stream its publishers push to. Edge workers accept publishers and hand them over
/// (`WorkerMessage.handoff`); the ingest worker gives each to this input, which checks it (one publisher at a time,
/// the stream's `password`) and then delivers its frames. The input is "open" while a publisher publishes; when the
/// publisher leaves it fails, and the stream waits for the next one (the selector's source timeout and backoff apply
/// as to any input; a publisher that arrives meanwhile reopens it at once, see `InputSelector.retryNow`).
final class PublishInput: IngestInput {
    private let stream: StreamConfig
    private let events: IngestInputEvents
    private let log: Logger
    private var publisher: RTMPPublisher?
    private var stopped = false

    init(stream: StreamConfig, events: IngestInputEvents, log: Logger) {
        self.stream = stream
        self.events = events
        self.log = log
    }

    /// Nothing to open: publishers come to the worker.
    func start() throws {}

    func stop() {
        stopped = true
        publisher?.close()
        publisher = nil
    }

    /// An RTMP publisher handed over by an edge worker, with the session state it carries.
    func attach(rtmp connection: TCPConnection, state: [UInt8]) {
        let handover: RTMPServerSessionHandover
        do {
            handover = try RTMPServerSessionHandover(serialized: state)
        } catch {
            log.error("an RTMP publisher came with a broken session state: \(error)")
            return connection.close()
        }
        let candidate = RTMPPublisher(connection: connection, handover: handover,
                                      maxKilobitsPerSecond: stream.settings.maxBitrate,
                                      frame: { [unowned self] track, info, payload in events.frame(track, info, payload) })
        let name = handover.request.streamName
        if stopped || publisher != nil {
            log.notice("\(candidate.peer): RTMP publish refused: \(name) already has a publisher")
            return candidate.reject(code: RTMPStatus.Code.publishBadName, description: "\(name) is already being published")
        }
        if let password = stream.settings.password, handover.request.password != password {
            log.notice("\(candidate.peer): RTMP publish refused: wrong password for \(name)")
            return candidate.reject(code: RTMPStatus.Code.publishDenied, description: "wrong password for \(name)")
        }
        candidate.onEnd = { [unowned self] reason in
            log.notice("\(candidate.peer): RTMP publisher of \(name) ended: \(reason)")
            publisher = nil
            events.failed(reason)
        }
        publisher = candidate
        do {
            try candidate.accept()
        } catch {
            publisher = nil
            candidate.close()
            return events.failed("RTMP publisher: \(error)")
        }
        log.notice("\(candidate.peer): RTMP publisher of \(name) accepted")
        events.opened()
    }
}
