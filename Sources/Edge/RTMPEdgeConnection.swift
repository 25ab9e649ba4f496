import EventLoop
import Log
import RTMP

/// One connection on an RTMP port of an edge worker, driving an `RTMPServerSession`: a player, served by its
/// stream's `RTMPLiveChannel` until it leaves; or a publisher, handed over to its stream's ingest worker (the
/// socket and the session's state) as soon as it asks to publish. Connections that never get that far are closed by
/// `sweep(now:idleMs:)` (`EdgeConnection`).
final class RTMPEdgeConnection: EdgeConnection {
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

    private var session = RTMPServerSession()
    private let router: Router
    private var output: [UInt8] = []
    /// The channel and player while playing.
    private var playing: (channel: RTMPLiveChannel, player: RTMPLiveChannel.Player)?

    init(connection: TCPConnection, now: UInt64, router: Router, log: Logger, onClose: @escaping (EdgeConnection) -> Void) {
        self.router = router
        super.init(connection: connection, label: "RTMP", now: now, log: log, onClose: onClose)
    }

    override func received(_ bytes: UnsafeRawBufferPointer) { perform(session.receive(bytes)) }

    override var isPlaying: Bool { playing != nil }

    override func close() {
        if let playing { playing.channel.remove(playing.player) }
        playing = nil
        super.close()
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
        passOn { done in send(handover, done) }
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
                return closeAfterWrites(reason)
            }
        }
    }
}
