import EventLoop
import Log
import RTMP

/// One connection on an RTMP port of an edge worker, driving an `RTMPServerSession`: a player, served by its
/// stream's `RTMPLiveChannel` until it leaves; or a publisher, handed over to its stream's ingest worker (the
/// socket and the session's state) as soon as it asks to publish. Connections that never get that far are closed by
/// `sweep(now:idleMs:)`.
final class RTMPEdgeConnection {
    /// What the edge decides when the session asks.
    struct Router {
        /// A publish request: hand it over (return nil after starting the handover) or refuse it (code, description).
        var publish: (RTMPStreamRequest, RTMPEdgeConnection) -> (code: String, description: String)?
        /// A play request: the channel to join, or a refusal (code, description).
        var play: (RTMPStreamRequest) -> Result<RTMPLiveChannel, PlayRefusal>
    }

    struct PlayRefusal: Error {
        var code: String
        var description: String
    }

    let connection: TCPConnection
    let peer: String
    private var session = RTMPServerSession()
    private let router: Router
    private let log: Logger
    private let onClose: (RTMPEdgeConnection) -> Void
    private var lastActivity: UInt64
    private var output: [UInt8] = []
    /// The channel and player while playing.
    private var playing: (channel: RTMPLiveChannel, player: RTMPLiveChannel.Player)?
    private var handedOver = false

    init(connection: TCPConnection, now: UInt64, router: Router, log: Logger, onClose: @escaping (RTMPEdgeConnection) -> Void) {
        self.connection = connection
        self.peer = (try? connection.peerAddress().description) ?? "?"
        self.lastActivity = now
        self.router = router
        self.log = log
        self.onClose = onClose
    }

    func start() throws {
        // A player's acknowledgement is answered with more media at once: with Nagle's algorithm on, the server's
        // next segment would wait for the player's delayed ACK (measured: a 24 ms stall once per window).
        try connection.setNoDelay(true)
        try connection.startReading(onData: { [unowned self] bytes in
            lastActivity = connection.loop.now
            perform(session.receive(bytes))
        }, onEnd: { [unowned self] _ in close() })
    }

    /// Closes a connection that has been neither playing nor handed over for `idleMs`.
    func sweep(now: UInt64, idleMs: UInt64) {
        if playing == nil && !handedOver && now - lastActivity > idleMs {
            log.info("\(peer): RTMP connection idle for \(idleMs / 1000) s, closed")
            close()
        }
    }

    func close() {
        guard !connection.isClosing else { return }
        if let playing { playing.channel.remove(playing.player) }
        playing = nil
        connection.close()
        onClose(self)
    }

    var writeQueueSize: Int { connection.writeQueueSize }

    /// Queues bytes shared with other players (a channel's messages).
    func write(_ bytes: SharedBytes) {
        do { try connection.write(bytes) } catch { close() }
    }

    /// onMetaData for this player (its session's own encoder: metadata goes on the status chunk stream).
    func sendMetadata(_ properties: [AMF0Property]) {
        output.removeAll(keepingCapacity: true)
        guard session.sendMetadata(properties, into: &output) else { return }
        do { try connection.write(output) } catch { close() }
    }

    /// Hands the publisher over: `send` gets the session's state once every byte this side wrote has left, and must
    /// pass the connection on; this side's handle is closed when `send` calls back.
    func handOver(_ send: @escaping (RTMPServerSessionHandover, @escaping () -> Void) -> Void) -> Bool {
        guard let handover = session.handOver() else { return false }
        handedOver = true
        connection.stopReading()
        do {
            // Completes after every earlier write: the ingest worker's first bytes come after the edge's last.
            try connection.write([]) { [weak self] error in
                guard let self else { return }
                if let error {
                    log.info("\(peer): RTMP publisher left before its handover: \(error)")
                    return close()
                }
                send(handover) { [weak self] in
                    guard let self, !connection.isClosing else { return }
                    connection.close()
                    onClose(self)
                }
            }
        } catch {
            close()
        }
        return true
    }

    private func perform(_ actions: [RTMPServerSession.Action]) {
        for action in actions {
            guard !connection.isClosing, !handedOver else { return }
            switch action {
            case .send(let bytes):
                do { try connection.write(bytes) } catch { return close() }
            case .publish(let request):
                if let refusal = router.publish(request, self) {
                    log.info("\(peer): RTMP publish of \(request.streamName) refused: \(refusal.description)")
                    perform(session.reject(code: refusal.code, description: refusal.description))
                }
            case .play(let request):
                switch router.play(request) {
                case .failure(let refusal):
                    log.info("\(peer): RTMP play of \(request.streamName) refused: \(refusal.description)")
                    perform(session.reject(code: refusal.code, description: refusal.description))
                case .success(let channel):
                    perform(session.accept())
                    let player = RTMPLiveChannel.Player(connection: self)
                    playing = (channel, player)
                    channel.add(player)
                    log.info("\(peer): RTMP play of \(request.streamName)")
                }
            case .media:
                break  // a player sends no media; a publisher is handed over before its first
            case .deleteStream:
                if let playing { playing.channel.remove(playing.player) }
                playing = nil
            case .close(let reason):
                log.info("\(peer): RTMP connection closed: \(reason)")
                // What was queued (an error status) goes first; then the socket closes.
                do { try connection.shutdown { [weak self] _ in self?.close() } } catch { close() }
                return
            }
        }
    }
}
