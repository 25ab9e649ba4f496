import EventLoop
import HTTP
import Media
import RTMP

/// An RTMP publisher handed over by an edge worker, carried on in the ingest worker: the session resumed from its
/// handover, the publish allowed or refused (at once, or after `startReading()` while a backend is asked), then
/// every audio and video message turned into frames (`FLVTagDemuxer`) for the worker to write, borrowed from the
/// session's decoder as it reads them (no copy or allocation per message). Metadata messages are read past.
/// `max_bitrate` is enforced over 5-second windows (`PublisherBitrateLimit`): a publisher over it is cut.
final class RTMPPublisher: Publisher {
    var onEnd: ((String) -> Void)?
    let peer: String
    let peerIP: String
    let request: RTMPStreamRequest
    private let connection: TCPConnection
    private var session: RTMPServerSession
    private var demuxer = FLVTagDemuxer()
    private let frame: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void
    private var limit: PublisherBitrateLimit
    private var ended = false
    private var reading = false

    /// Resumes the session; nothing happens until `accept()` or `reject(code:description:)`.
    init(connection: TCPConnection, handover: RTMPServerSessionHandover, maxKilobitsPerSecond: Int?,
         frame: @escaping (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) {
        self.connection = connection
        let address = try? connection.peerAddress()
        self.peer = address?.description ?? "?"
        self.peerIP = address?.ip ?? ""
        self.session = RTMPServerSession(resuming: handover)
        self.request = handover.request
        self.frame = frame
        self.limit = PublisherBitrateLimit(maxKilobitsPerSecond: maxKilobitsPerSecond, now: connection.loop.now)
    }

    var proto: AuthBackendRequest.Proto { .rtmp }
    var streamName: String { request.streamName }
    var password: String? { request.password }
    var token: String? { request.queryValue("token") }

    func refuse(_ refusal: PublishRefusal) {
        let name = request.streamName
        switch refusal {
        case .busy: reject(code: RTMPStatus.Code.publishBadName, description: "\(name) is already being published")
        case .wrongPassword: reject(code: RTMPStatus.Code.publishDenied, description: "wrong password for \(name)")
        case .denied(let told): reject(code: RTMPStatus.Code.publishDenied, description: "publish of \(name) refused: \(told)")
        }
    }

    /// Refuses the publish with an onStatus error, then closes.
    private func reject(code: String, description: String) {
        ended = true
        connection.stopReading()
        perform(session.reject(code: code, description: description))
    }

    var loop: EventLoop { connection.loop }

    /// The session holds what arrives before `accept()` (at most `maxHeldBytes`, 1 MiB; more ends the publisher).
    func startReading() throws {
        guard !reading else { return }
        reading = true
        try connection.startReading(onData: { [unowned self] bytes in
            if let reason = limit.count(bytes.count, now: connection.loop.now) { return end(reason) }
            let actions = session.receive(bytes) { demux($0) }
            if !actions.isEmpty { perform(actions) }
        }, onEnd: { [unowned self] error in end("publisher disconnected" + (error.map { ": \($0)" } ?? "")) })
    }

    /// NetStream.Publish.Start, then the media.
    func accept() throws {
        try startReading()
        perform(session.accept())
    }

    func close() {
        ended = true
        onEnd = nil
        connection.close()
    }

    private func perform(_ actions: [RTMPServerSession.Action]) {
        for action in actions {
            guard !connection.isClosing else { return }
            switch action {
            case .send(let bytes):
                do { try connection.write(bytes) } catch { return end("write: \(error)") }
            case .media(let message):  // what came with the handover, processed at `accept()`
                message.payload.withUnsafeBytes {
                    demux(RTMPMessageView(typeID: message.typeID, streamID: message.streamID,
                                          timestamp: message.timestamp, payload: $0))
                }
            case .publish, .play:
                end("a second publish or play on one connection")
                return
            case .deleteStream:
                return end("publisher unpublished")
            case .close(let reason):
                // What was queued (an error status) goes first.
                let wasEnded = ended
                // The completion holds the connection, not this publisher: a refused one is let go at once, and
                // its connection must still close.
                let connection = self.connection
                do { try connection.shutdown { _ in connection.close() } } catch { connection.close() }
                if !wasEnded { end(reason) }
                return
            }
        }
    }

    /// One audio or video message into frames; unsupported media ends the publisher.
    private func demux(_ message: RTMPMessageView) {
        guard !ended, let type = FLVTagType(rawValue: message.typeID) else { return }
        let outcome = demuxer.feed(type, timestamp: message.timestamp, body: message.payload, withTrack: frame)
        if case .failed(let error) = outcome, error.kind == .unsupported { end("unsupported media: \(error)") }
    }

    private func end(_ reason: String) {
        guard !ended else { return }
        ended = true
        if !connection.isClosing { connection.close() }
        let onEnd = self.onEnd
        self.onEnd = nil
        onEnd?(reason)
    }
}
