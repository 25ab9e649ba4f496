import Config
import EventLoop
import HTTP
import Log
import Media
import RTMP

/// `input publish://`: a stream its publishers push to. Edge workers accept publishers and hand them over
/// (`WorkerMessage.handoff`); the ingest worker gives each to this input, which checks it (one publisher at a time,
/// the stream's `password`, then the `on_publish` backend) and then delivers its frames. The input is "open" while a
/// publisher publishes; when the publisher leaves it fails, and the stream waits for the next one (the selector's
/// source timeout and backoff apply as to any input; a publisher that arrives meanwhile reopens it at once, see
/// `InputSelector.retryNow`).
///
/// `on_publish http://...` (or `https://`): the backend is asked (`AuthBackendRequest`, `AuthBackendCall`) while the publisher waits,
/// its input held by the session; it takes the stream's one publisher place meanwhile. Only a 200 allows; anything
/// else (403, a redirect, another status, no answer within 5 s, a connection error) refuses the publish with
/// NetStream.Publish.Denied and a log line saying why (fail closed). `on_publish` scripts (`.lua`) are not built:
/// they refuse every publish.
final class PublishInput: IngestInput {
    private let stream: StreamConfig
    private let events: IngestInputEvents
    private let log: Logger
    /// The publisher: publishing, or waiting for the backend's verdict.
    private var publisher: RTMPPublisher?
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
        if let backend = stream.settings.onPublish {
            return authorize(candidate, name: name, backend: backend)
        }
        admit(candidate, name: name)
    }

    /// Asks the `on_publish` backend; the publisher holds the stream's place until the verdict.
    private func authorize(_ candidate: RTMPPublisher, name: String, backend: String) {
        func refuse(_ logged: String, _ told: String) {
            log.notice("\(candidate.peer): RTMP publish of \(name) refused: \(logged)")
            candidate.reject(code: RTMPStatus.Code.publishDenied, description: "publish of \(name) refused: \(told)")
        }
        if backend.hasSuffix(".lua") {
            return refuse("on_publish scripts are not built yet (\(backend))", "its on_publish script is not supported")
        }
        let sessionID = AuthBackendRequest.newSessionID()
        let request = AuthBackendRequest.publish(name: name, ip: candidate.peerIP, proto: .rtmp,
                                                 token: candidate.request.queryValue("token"), sessionID: sessionID)
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
            log.notice("\(candidate.peer): RTMP publisher of \(name) left while on_publish was asked: \(reason)")
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

    private func admit(_ candidate: RTMPPublisher, name: String) {
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
