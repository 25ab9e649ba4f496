/// An outgoing RTMP connection as a pure state machine, for pulling (play) and pushing (publish) a URL:
/// handshake, connect, (releaseStream, FCPublish,) createStream, then publish or play. The mirror of
/// `RTMPServerSession`: the caller connects the socket to `url.host`/`url.port`, sends what `start()` returns, feeds
/// what it reads to `receive`, and performs the actions.
///
/// - `.ready` once the server said NetStream.Publish.Start or NetStream.Play.Start; from then on a publisher calls
///   `sendMedia`/`sendMetadata`, a player gets `.media` (audio, video, data; aggregates split) from whatever
///   message stream the server uses (ffmpeg's server sends on stream 0, not the one createStream gave).
/// - `.failed(reason)` on an `_error`, an onStatus of level error (a refused password reads as
///   "NetStream.Publish.Denied: ..."), a protocol error or a closed session; the session is spent.
/// - Later non-error statuses (NetStream.Play.UnpublishNotify, Play.Stop...) come as `.status`.
/// It answers pings, replies to Set Peer Bandwidth with its window, and acknowledges the server's bytes.
public struct RTMPClientSession: Sendable, RTMPMediaSender {
    public enum Mode: Sendable, Equatable {
        case play
        case publish
    }

    public enum Action: Equatable, Sendable, RTMPSendingAction {
        case send([UInt8])
        /// Publishing or playing may start, on this message stream.
        case ready(streamID: UInt32)
        case media(RTMPMessage)
        case status(RTMPStatus)
        case failed(String)
    }

    public enum State: Equatable, Sendable {
        case idle
        case handshake
        case connecting
        case creatingStream
        /// publish or play sent, waiting for its onStatus.
        case starting
        case ready
        case failed
        /// `finish` was called.
        case closed
    }

    public struct Configuration: Sendable {
        /// The chunk size announced and used for what this side sends.
        public var chunkSize = 4096
        public var windowAcknowledgementSize: UInt32 = 2_500_000
        public var flashVer = "FMLE/3.0 (compatible; Sluice)"
        /// Send a digest C1 (Flash Player 9 style) rather than a plain one.
        public var digestHandshake = false
        /// The buffer a player announces (SetBufferLength), in milliseconds.
        public var bufferMilliseconds: UInt32 = 3000
        public var maxMessageSize = 8 << 20
        public var handshakeSeed: UInt64?

        public init() {}
    }

    public let url: RTMPURL
    public let mode: Mode
    public let configuration: Configuration
    public private(set) var state = State.idle
    /// The message stream createStream gave.
    public private(set) var streamID: UInt32 = 0
    private var handshake: RTMPClientHandshake
    private var decoder: RTMPChunkDecoder
    private var encoder = RTMPChunkEncoder()
    private var nextTransactionID: Double = 1
    private var connectTransaction: Double = 0
    private var createStreamTransaction: Double = 0
    private var answeredPeerBandwidth = false
    private var queue = RTMPActionQueue<Action>()

    public init(url: RTMPURL, mode: Mode, configuration: Configuration = Configuration()) {
        self.url = url
        self.mode = mode
        self.configuration = configuration
        handshake = RTMPClientHandshake(digest: configuration.digestHandshake, seed: configuration.handshakeSeed)
        decoder = RTMPChunkDecoder(maxMessageSize: configuration.maxMessageSize)
    }

    /// C0 + C1: the first bytes to send once the socket is connected. Call once.
    public mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        state = .handshake
        return [.send(handshake.start())]
    }

    public mutating func receive(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        switch state {
        case .idle:
            fail("server bytes before the handshake started")
        case .failed, .closed:
            return []
        case .handshake:
            for action in handshake.receive(bytes) {
                switch action {
                case .send(let c2): queue.bytes += c2
                case .fail(let error): fail("handshake with \(url.host): \(error)")
                case .done(let leftover):
                    sendConnect()
                    leftover.withUnsafeBytes { process($0) }
                }
            }
        default:
            process(bytes)
        }
        return queue.take()
    }

    private mutating func sendConnect() {
        if mode == .publish {
            RTMPControlMessage.setChunkSize(UInt32(configuration.chunkSize)).append(with: &encoder, to: &queue.bytes)
        }
        connectTransaction = takeTransactionID()
        let parameters = RTMPConnectParameters(app: url.app, tcUrl: url.tcUrl, flashVer: configuration.flashVer,
                                               forPlay: mode == .play)
        send(.connect(transactionID: connectTransaction, parameters), streamID: 0)
        state = .connecting
    }

    private mutating func process(_ bytes: UnsafeRawBufferPointer) {
        var batch: [RTMPMessage] = []
        do {
            try decoder.feed(bytes) { batch.append($0); return .proceed }
            for message in batch where state != .failed { try handle(message) }  // nothing after a failure
        } catch {
            fail("\(url.tcUrl): \(error)")
            return
        }
        if let sequence = decoder.acknowledgementDue() {
            RTMPControlMessage.acknowledgement(sequenceNumber: sequence).append(with: &encoder, to: &queue.bytes)
        }
    }

    private mutating func handle(_ message: RTMPMessage) throws {
        switch message.typeID {
        case RTMPMessageType.commandAMF0, RTMPMessageType.commandAMF3:
            try handle(RTMPCommand(message))
        case RTMPMessageType.userControl:
            if case .pingRequest(let time) = try RTMPUserControlEvent(payload: message.payload) {
                RTMPControlMessage.userControl(.pingResponse(timestamp: time)).append(with: &encoder, to: &queue.bytes)
            }
        case RTMPMessageType.setPeerBandwidth:
            if !answeredPeerBandwidth {
                answeredPeerBandwidth = true
                RTMPControlMessage.windowAcknowledgementSize(configuration.windowAcknowledgementSize)
                    .append(with: &encoder, to: &queue.bytes)
            }
        case RTMPMessageType.audio, RTMPMessageType.video, RTMPMessageType.dataAMF0, RTMPMessageType.dataAMF3:
            if mode == .play, streamID != 0 { queue.append(.media(message)) }
        case RTMPMessageType.aggregate:
            if mode == .play, streamID != 0 {
                for part in try RTMPAggregate.split(message) { queue.append(.media(part)) }
            }
        default:
            break
        }
    }

    private mutating func handle(_ command: RTMPCommand) throws {
        switch command {
        case .result(let tx, let values) where tx == connectTransaction && state == .connecting:
            let status = RTMPStatus(values.last)
            if status.isError { return fail("connect to \(url.tcUrl) refused: \(status.code): \(status.description)") }
            if mode == .publish {
                send(.releaseStream(transactionID: takeTransactionID(), name: url.playPath), streamID: 0)
                send(.fcPublish(transactionID: takeTransactionID(), name: url.playPath), streamID: 0)
            }
            createStreamTransaction = takeTransactionID()
            send(.createStream(transactionID: createStreamTransaction), streamID: 0)
            state = .creatingStream
        case .result(let tx, let values) where tx == createStreamTransaction && state == .creatingStream:
            guard let id = values.last?.numberValue, id >= 1, id < 0x1_0000_0000 else {
                return fail("createStream on \(url.tcUrl) answered without a stream id")
            }
            streamID = UInt32(id)
            switch mode {
            case .publish:
                send(.publish(transactionID: takeTransactionID(), name: url.playPath, type: "live"), streamID: streamID)
            case .play:
                send(.play(transactionID: takeTransactionID(), name: url.playPath, start: -2000, duration: -1, reset: true),
                     streamID: streamID)
                RTMPControlMessage.userControl(.setBufferLength(streamID: streamID, milliseconds: configuration.bufferMilliseconds))
                    .append(with: &encoder, to: &queue.bytes)
            }
            state = .starting
        case .error(let tx, let values):
            // An _error to releaseStream or FCPublish is common (servers without them) and harmless.
            guard tx == connectTransaction || tx == createStreamTransaction || state == .starting else { return }
            let status = RTMPStatus(values.last)
            fail("\(url.tcUrl): \(tx == connectTransaction ? "connect" : tx == createStreamTransaction ? "createStream" : "request") "
                + "refused: \(status.code.isEmpty ? "_error" : status.code): \(status.description)")
        case .onStatus(let status):
            if status.isError {
                return fail("\(url.tcUrl)/\(url.playPath): \(status.code): \(status.description)")
            }
            let started = mode == .publish ? RTMPStatus.Code.publishStart : RTMPStatus.Code.playStart
            if state == .starting, status.code == started {
                state = .ready
                queue.append(.ready(streamID: streamID))
            } else if state == .ready {
                queue.append(.status(status))
            }
        default:
            break
        }
    }

    // MARK: Output for publishers

    /// Appends one audio (8), video (9) or data (18) message to `out`. False, writing nothing, unless publishing
    /// and ready.
    @discardableResult
    public mutating func sendMedia(typeID: UInt8, timestamp: UInt32, payload: UnsafeRawBufferPointer,
                                   into out: inout [UInt8]) -> Bool {
        guard state == .ready, mode == .publish else { return false }
        encoder.appendMedia(payload, typeID: typeID, streamID: streamID, timestamp: timestamp, to: &out)
        return true
    }

    /// Appends `@setDataFrame`, `onMetaData`, {properties}: the metadata servers keep and give to players.
    @discardableResult
    public mutating func sendMetadata(_ properties: [AMF0Property], into out: inout [UInt8]) -> Bool {
        let payload = AMF0Encoder.encode([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray(properties)])
        return payload.withUnsafeBytes { sendMedia(typeID: RTMPMessageType.dataAMF0, timestamp: 0, payload: $0, into: &out) }
    }

    /// The polite end: FCUnpublish and deleteStream for a publisher, deleteStream for a player. Then close.
    public mutating func finish(into out: inout [UInt8]) {
        guard streamID != 0, state != .failed, state != .closed else { return }
        if mode == .publish {
            encoder.append(RTMPCommand.fcUnpublish(transactionID: takeTransactionID(), name: url.playPath).message(streamID: 0),
                           csid: RTMPChunkStreamID.command, to: &out)
        }
        encoder.append(RTMPCommand.deleteStream(transactionID: takeTransactionID(), streamID: Double(streamID)).message(streamID: 0),
                       csid: RTMPChunkStreamID.command, to: &out)
        state = .closed
    }

    // MARK: Plumbing

    private mutating func takeTransactionID() -> Double {
        defer { nextTransactionID += 1 }
        return nextTransactionID
    }

    private mutating func send(_ command: RTMPCommand, streamID: UInt32) {
        let csid = streamID == 0 ? RTMPChunkStreamID.command : RTMPChunkStreamID.status
        encoder.append(command.message(streamID: streamID), csid: csid, to: &queue.bytes)
    }

    private mutating func fail(_ reason: String) {
        guard state != .failed else { return }
        state = .failed
        queue.append(.failed(reason))
    }
}
