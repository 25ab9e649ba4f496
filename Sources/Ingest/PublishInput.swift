import Config
import EventLoop
import HTTP
import Log
import Media
import RTMP
import RTSP

/// `input publish://`: a stream its publishers push to. Edge workers accept publishers and hand them over
/// (`WorkerMessage.handoff`); the ingest worker gives each to this input, which checks it (one publisher at a time,
/// the stream's `password`, then the `on_publish` backend) and then delivers its frames. The input is "open" while a
/// publisher publishes; when the publisher leaves it fails, and the stream waits for the next one (the selector's
/// source timeout and backoff apply as to any input; a publisher that arrives meanwhile reopens it at once, see
/// `InputSelector.retryNow`).
///
/// `on_publish http://...` (or `https://`): the backend is asked (`AuthBackendRequest`, `AuthBackendCall`) while the publisher waits,
/// its input held by the session; it takes the stream's one publisher place meanwhile. Only a 200 allows; anything
/// else (403, a redirect, another status, no answer within 5 s, a connection error) refuses the publish (RTMP:
/// NetStream.Publish.Denied; RTSP: 403 to the ANNOUNCE) with a log line saying why (fail closed). `on_publish`
/// scripts (`.lua`) are not built: they refuse every publish.
///
/// RTMP publishers come right after their publish command, RTSP ones right after their ANNOUNCE (`RTSPPublisher`):
/// both are checked here the same way, through `Publisher`.
final class PublishInput: IngestInput {
    private let stream: StreamConfig
    private let events: IngestInputEvents
    private let log: Logger
    /// The publisher: publishing, or waiting for the backend's verdict.
    private var publisher: Publisher?
    /// The question to the backend while `publisher` waits for it.
    private var authorization: AuthBackendCall?
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
        authorization?.cancel()
        authorization = nil
        publisher?.close()
        publisher = nil
    }

    /// A publisher handed over by an edge worker (`proto` `rtmp` or `rtsp`), with the session state it carries.
    func attach(proto: String, connection: TCPConnection, state: [UInt8]) {
        let frame: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void = { [unowned self] track, info, payload in
            events.frame(track, info, payload)
        }
        do {
            switch proto {
            case "rtmp":
                consider(RTMPPublisher(connection: connection, handover: try RTMPServerSessionHandover(serialized: state),
                                       maxKilobitsPerSecond: stream.settings.maxBitrate, frame: frame))
            default:
                let candidate = try RTSPPublisher(connection: connection, handover: try RTSPServerSessionHandover(serialized: state),
                                                  maxKilobitsPerSecond: stream.settings.maxBitrate, log: log, frame: frame)
                for reason in candidate.leftOut { log.info("\(candidate.peer): RTSP publisher of \(candidate.streamName): \(reason)") }
                if let problem = candidate.mediaProblem {
                    log.notice("\(candidate.peer): RTSP publish of \(candidate.streamName) refused: \(problem)")
                    return candidate.refuseMedia()
                }
                consider(candidate)
            }
        } catch {
            log.error("a \(proto) publisher came with a broken session state: \(error)")
            connection.close()
        }
    }

    /// One publisher at a time, the stream's password, then `on_publish`.
    private func consider(_ candidate: Publisher) {
        let name = candidate.streamName, label = candidate.proto.label
        if stopped || publisher != nil {
            log.notice("\(candidate.peer): \(label) publish refused: \(name) already has a publisher")
            return candidate.refuse(.busy)
        }
        if let password = stream.settings.password, candidate.password != password {
            log.notice("\(candidate.peer): \(label) publish refused: wrong password for \(name)")
            return candidate.refuse(.wrongPassword)
        }
        if let backend = stream.settings.onPublish {
            return authorize(candidate, name: name, backend: backend)
        }
        admit(candidate, name: name)
    }

    /// Asks the `on_publish` backend; the publisher holds the stream's place until the verdict.
    private func authorize(_ candidate: Publisher, name: String, backend: String) {
        let label = candidate.proto.label
        func refuse(_ logged: String, _ told: String) {
            log.notice("\(candidate.peer): \(label) publish of \(name) refused: \(logged)")
            candidate.refuse(.denied(told))
        }
        if backend.hasSuffix(".lua") {
            return refuse("on_publish scripts are not built yet (\(backend))", "its on_publish script is not supported")
        }
        let sessionID = AuthBackendRequest.newSessionID()
        let request = AuthBackendRequest.publish(name: name, ip: candidate.peerIP, proto: candidate.proto,
                                                 token: candidate.token, sessionID: sessionID)
        let url: HTTPURL
        do {
            _ = try HTTPURL(parsing: backend)  // an error quotes the config's value, not the publisher's token
            url = try HTTPURL(parsing: request.url(appendedTo: backend))
        } catch {
            return refuse("on_publish: \(error)", "the authorization backend is misconfigured")
        }
        do {
            try candidate.startReading()  // its callbacks come later, on the loop
        } catch {
            return refuse("\(error)", "the server could not read it")
        }
        publisher = candidate
        candidate.onEnd = { [unowned self] reason in
            log.notice("\(candidate.peer): \(label) publisher of \(name) left while on_publish was asked: \(reason)")
            authorization?.cancel()
            authorization = nil
            publisher = nil
        }
        let call = AuthBackendCall(loop: candidate.loop, url: url) { [unowned self] verdict in
            authorization = nil
            publisher = nil
            candidate.onEnd = nil
            guard verdict.allows else {
                let why = "on_publish \(backend) (session \(sessionID)): \(verdict.detail)"
                var told = verdict.summary
                if case .redirected = verdict { told += "; a publisher cannot be redirected" }
                return refuse(why, told)
            }
            log.info("\(candidate.peer): on_publish allows \(name) (session \(sessionID)): \(verdict.detail)")
            admit(candidate, name: name)
        }
        authorization = call
        log.info("\(candidate.peer): asking on_publish \(backend) about \(name) (session \(sessionID))")
        call.start()
    }

    private func admit(_ candidate: Publisher, name: String) {
        let label = candidate.proto.label
        candidate.onEnd = { [unowned self] reason in
            log.notice("\(candidate.peer): \(label) publisher of \(name) ended: \(reason)")
            publisher = nil
            events.failed(reason)
        }
        publisher = candidate
        do {
            try candidate.accept()
        } catch {
            publisher = nil
            candidate.close()
            return events.failed("\(label) publisher: \(error)")
        }
        log.notice("\(candidate.peer): \(label) publisher of \(name) accepted")
        events.opened()
    }
}
