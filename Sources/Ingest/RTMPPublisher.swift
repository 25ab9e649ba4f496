import EventLoop
import Log
import Media
import RTMP

/// An RTMP publisher handed over by an edge worker, carried on in the ingest worker: the session resumed from its
/// handover, the publish allowed or refused (at once, or after `startReading()` while a backend is asked), then
/// every audio and video message turned into frames (`FLVTagDemuxer`) for the worker to write, borrowed from the
/// session's decoder as it reads them (no copy or allocation per message). Metadata messages are read past.
/// `max_bitrate` is enforced over 5-second windows: a publisher over it is cut.
final class RTMPPublisher {
    /// Why the publisher stopped, for the input's `failed`.
    var onEnd: ((String) -> Void)?
    /// `ip:port`, for the log.
    let peer: String
    /// The address alone (empty if the socket could not say).
    let peerIP: String
    let request: RTMPStreamRequest
    private let connection: TCPConnection
    private var session: RTMPServerSession
    private var demuxer = FLVTagDemuxer()
    private let frame: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void
    private let maxBitsPerSecond: Int?
    private var windowStart: UInt64
    private var windowBytes = 0
    private var ended = false
    private var reading = false

    static let bitrateWindowMs: UInt64 = 5_000

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
        self.maxBitsPerSecond = maxKilobitsPerSecond.map { $0 * 1000 }
        self.windowStart = connection.loop.now
    }

    /// Refuses the publish with an onStatus error, then closes. Nothing is read any more (the owner may let go of
    /// this publisher at once).
    func reject(code: String, description: String) {
        ended = true
        connection.stopReading()
        perform(session.reject(code: code, description: description))
    }

    /// The loop the connection is on.
    var loop: EventLoop { connection.loop }

    /// Starts reading before the decision, so that a publisher that leaves while it waits ends (`onEnd`) instead of
    /// lingering: the session holds what arrives meanwhile (at most `maxHeldBytes`, 1 MiB; more ends the publisher)
    /// and processes it at `accept()`. `accept()` starts reading if this was not called.
    func startReading() throws {
        guard !reading else { return }
        reading = true
        try connection.startReading(onData: { [unowned self] bytes in
            count(bytes.count)
            let actions = session.receive(bytes) { demux($0) }
            if !actions.isEmpty { perform(actions) }
        }, onEnd: { [unowned self] error in end("publisher disconnected" + (error.map { ": \($0)" } ?? "")) })
    }

    /// Allows the publish: NetStream.Publish.Start, then the media.
    func accept() throws {
        try startReading()
        perform(session.accept())
    }

    /// Disconnects the publisher (the input stops); no callback follows.
    func close() {
        ended = true
        onEnd = nil
        connection.close()
    }

    private func count(_ bytes: Int) {
        guard let maxBitsPerSecond else { return }
        windowBytes += bytes
        let now = connection.loop.now
        guard now - windowStart >= Self.bitrateWindowMs else { return }
        let bitsPerSecond = windowBytes * 8 * 1000 / Int(now - windowStart)
        windowStart = now
        windowBytes = 0
        if bitsPerSecond > maxBitsPerSecond {
            end("publisher over max_bitrate: \(bitsPerSecond / 1000) kbit/s > \(maxBitsPerSecond / 1000) kbit/s")
        }
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
