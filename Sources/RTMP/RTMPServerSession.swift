/// One accepted RTMP connection, server side, as a pure state machine: bytes in, actions out; no sockets, no clock.
/// handshake -> connect -> createStream -> publish or play, then media. The caller (the edge worker, or the ingest
/// worker a publisher is handed to) performs the actions in order and answers `.publish`/`.play` with `accept()`
/// or `reject(code:description:)`.
///
/// - After connect it sends Window Acknowledgement Size, Set Peer Bandwidth (dynamic), Set Chunk Size (4096 by
///   default), the `_result` with NetConnection.Connect.Success, and onBWDone; it answers createStream,
///   releaseStream, FCPublish, FCUnpublish, getStreamLength and _checkbw, answers pings, and acknowledges the
///   peer's bytes each time its window passes.
/// - On publish or play it reports the request and then holds all further input (up to `maxHeldBytes`) until the
///   caller decides: nothing of the stream is read before it is allowed. While it holds, `handOver()` packs the
///   session into an `RTMPServerSessionHandover` that another process resumes with `init(resuming:)`.
/// - While publishing, audio (8), video (9) and data (18, 15: @setDataFrame/onMetaData) on the published stream come
///   out as `.media` with their payload as sent. Aggregates (22) are split.
/// - While playing, `sendMedia` and `sendMetadata` write the outgoing chunks into the caller's buffer.
///
/// Any protocol error ends in `.close(reason)` (the reason quotes what was wrong) and the session is spent.
public struct RTMPServerSession: Sendable, RTMPMediaSender {
    public enum Action: Equatable, Sendable, RTMPSendingAction {
        /// Write these bytes to the peer (one `.send` per call at most between other actions, writes coalesced).
        case send([UInt8])
        /// A client asks to publish: answer with `accept()` or `reject(code:description:)` (or `handOver()`).
        case publish(RTMPStreamRequest)
        /// A client asks to play: answer with `accept()` or `reject(code:description:)`.
        case play(RTMPStreamRequest)
        /// An audio, video or data message of the published stream.
        case media(RTMPMessage)
        /// The client ended its publish or play (FCUnpublish, deleteStream or closeStream); the connection stays.
        case deleteStream
        /// Close the connection after sending what came before. The session is spent.
        case close(String)
    }

    public enum State: Equatable, Sendable {
        case handshake
        /// Waiting for connect.
        case connecting
        case connected
        /// `.publish` or `.play` reported; input is held until `accept`, `reject` or `handOver`.
        case awaitingDecision(RTMPStreamRequest)
        case publishing(RTMPStreamRequest)
        case playing(RTMPStreamRequest)
        case closed
    }

    public struct Configuration: Sendable {
        /// Sent to the client after connect: it acknowledges after this many bytes.
        public var windowAcknowledgementSize: UInt32 = 2_500_000
        public var peerBandwidth: UInt32 = 2_500_000
        /// The chunk size of what this side sends, announced after connect.
        public var chunkSize = 4096
        public var maxMessageSize = 8 << 20
        public var maxChunkStreams = 64
        /// Input held while a publish or play waits for the caller's decision; more closes the connection.
        public var maxHeldBytes = 1 << 20
        /// S1's time field.
        public var epoch: UInt32 = 0
        /// Seeds the handshake's random bytes (tests); nil takes one from the system.
        public var handshakeSeed: UInt64?

        public init() {}
    }

    public let configuration: Configuration
    public private(set) var state = State.handshake
    /// Bytes given to `receive` and processed (handshake included); held bytes are not counted until processed.
    public private(set) var consumedBytes: UInt64 = 0
    /// The client's C1 carried a valid digest and got the digest answer (Flash Player 9+, ffmpeg, OBS).
    public var usedDigestHandshake: Bool { handshake.usedDigest }
    /// The connect command's parameters, once it came (not carried over a handover).
    public private(set) var connectParameters: RTMPConnectParameters?
    private var handshake: RTMPServerHandshake
    private var decoder: RTMPChunkDecoder
    private var encoder = RTMPChunkEncoder()
    private var app = ""
    private var tcUrl = ""
    private var nextStreamID: UInt32 = 1
    private var held: [UInt8] = []
    private var queue = RTMPActionQueue<Action>()

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        handshake = RTMPServerHandshake(epoch: configuration.epoch, seed: configuration.handshakeSeed)
        decoder = RTMPChunkDecoder(maxMessageSize: configuration.maxMessageSize, maxChunkStreams: configuration.maxChunkStreams)
    }

    /// Resumes a session another process handed over right after `.publish`: the state is `awaitingDecision`
    /// again, so the caller answers with `accept()` (which also processes the bytes that came with the handover)
    /// or `reject(code:description:)`.
    public init(resuming handover: RTMPServerSessionHandover, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        handshake = RTMPServerHandshake()
        decoder = RTMPChunkDecoder(resuming: handover.decoder, maxMessageSize: configuration.maxMessageSize,
                                   maxChunkStreams: configuration.maxChunkStreams)
        encoder.setChunkSize(handover.outgoingChunkSize)
        state = .awaitingDecision(handover.request)
        app = handover.request.rawApp
        tcUrl = handover.request.tcUrl
        nextStreamID = handover.nextStreamID
        consumedBytes = handover.consumedBytes
        held = handover.leftover
    }

    // MARK: Input

    public mutating func receive(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        receive(bytes, mediaSink: nil)
    }

    /// Receives bytes like `receive(_:)`, but hands the published stream's audio, video and data messages to `media`
    /// as they are decoded, borrowed for the call, rather than as `.media` actions: a publisher's steady stream then
    /// costs no copy and no allocation per message. Media comes before the actions returned for the same bytes.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, media: (RTMPMessageView) -> Void) -> [Action] {
        withoutActuallyEscaping(media) { receive(bytes, mediaSink: $0) }
    }

    private mutating func receive(_ bytes: UnsafeRawBufferPointer, mediaSink: ((RTMPMessageView) -> Void)?) -> [Action] {
        switch state {
        case .closed:
            return []
        case .awaitingDecision:
            hold(bytes)
        case .handshake:
            for action in handshake.receive(bytes) {
                switch action {
                case .send(let answer):
                    queue.bytes += answer
                case .fail(let error):
                    fail("handshake: \(error)")
                case .done(let leftover):
                    consumedBytes += UInt64(bytes.count - leftover.count)
                    state = .connecting
                    leftover.withUnsafeBytes { process($0, mediaSink: mediaSink) }
                }
            }
            if state == .handshake { consumedBytes += UInt64(bytes.count) }
        default:
            process(bytes, mediaSink: mediaSink)
        }
        return queue.take()
    }

    private mutating func hold(_ bytes: UnsafeRawBufferPointer) {
        held.append(contentsOf: bytes)
        if held.count > configuration.maxHeldBytes {
            fail(RTMPError(.bufferOverflow, "\(held.count) bytes arrived before the publish or play was answered").description)
        }
    }

    /// Decodes chunks and handles their messages (media to `mediaSink`, or queued as actions without one), pausing
    /// after every command so that a publish or play can stop the rest from being read.
    private mutating func process(_ bytes: UnsafeRawBufferPointer, mediaSink: ((RTMPMessageView) -> Void)?) {
        // Out of `self` while it decodes, so that each message is handled during its (borrowed) delivery.
        var decoder = RTMPChunkDecoder()
        swap(&decoder, &self.decoder)
        defer { swap(&decoder, &self.decoder) }
        var offset = 0
        do {
            while offset < bytes.count {
                let used = try decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) { message in
                    if let mediaSink, isPublishedMedia(message) {
                        // The steady case, first and without a copy.
                        if message.typeID == RTMPMessageType.aggregate {
                            for part in try RTMPAggregate.split(RTMPMessage(message)) {
                                part.payload.withUnsafeBytes {
                                    mediaSink(RTMPMessageView(typeID: part.typeID, streamID: part.streamID,
                                                              timestamp: part.timestamp, payload: $0))
                                }
                            }
                        } else {
                            mediaSink(message)
                        }
                        return .proceed
                    }
                    try handle(message)
                    return Self.isCommand(message.typeID) ? .pause : .proceed
                }
                offset += used
                consumedBytes += UInt64(used)
                if case .awaitingDecision = state {
                    hold(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                    break
                }
                if state == .closed { return }
            }
        } catch let error as RTMPError {
            fail(error.description)
            return
        } catch {
            fail("\(error)")
            return
        }
        if let sequence = decoder.acknowledgementDue() {
            RTMPControlMessage.acknowledgement(sequenceNumber: sequence).append(with: &encoder, to: &queue.bytes)
        }
    }

    private static func isCommand(_ typeID: UInt8) -> Bool {
        typeID == RTMPMessageType.commandAMF0 || typeID == RTMPMessageType.commandAMF3
    }

    /// Audio, video, data or an aggregate of them on the published stream.
    private func isPublishedMedia(_ message: RTMPMessageView) -> Bool {
        switch message.typeID {
        case RTMPMessageType.audio, RTMPMessageType.video, RTMPMessageType.dataAMF0, RTMPMessageType.dataAMF3,
             RTMPMessageType.aggregate:
            if case .publishing(let request) = state { return message.streamID == request.messageStreamID }
            return false
        default:
            return false
        }
    }

    /// Handles a message (media too, queued as `.media` actions: `process` hands it to a sink first when there is one).
    private mutating func handle(_ message: RTMPMessageView) throws {
        switch message.typeID {
        case RTMPMessageType.commandAMF0, RTMPMessageType.commandAMF3:
            try handle(RTMPCommand(RTMPMessage(message)), streamID: message.streamID)
        case RTMPMessageType.userControl:
            if case .pingRequest(let time) = try RTMPUserControlEvent(payload: Array(message.payload)) {
                RTMPControlMessage.userControl(.pingResponse(timestamp: time)).append(with: &encoder, to: &queue.bytes)
            }
        case RTMPMessageType.audio, RTMPMessageType.video, RTMPMessageType.dataAMF0, RTMPMessageType.dataAMF3:
            if isPublishedMedia(message) { queue.append(.media(RTMPMessage(message))) }
        case RTMPMessageType.aggregate:
            if isPublishedMedia(message) {
                for part in try RTMPAggregate.split(RTMPMessage(message)) { queue.append(.media(part)) }
            }
        default:
            break  // acknowledgements, peer bandwidth, shared objects: nothing to do
        }
    }

    private mutating func handle(_ command: RTMPCommand, streamID: UInt32) throws {
        switch command {
        case .connect(let tx, let parameters):
            guard state == .connecting else {
                throw RTMPError(.protocolViolation, "a second connect")
            }
            connectParameters = parameters
            app = parameters.app
            tcUrl = parameters.tcUrl ?? ""
            RTMPControlMessage.windowAcknowledgementSize(configuration.windowAcknowledgementSize).append(with: &encoder, to: &queue.bytes)
            RTMPControlMessage.setPeerBandwidth(configuration.peerBandwidth, limitType: 2).append(with: &encoder, to: &queue.bytes)
            RTMPControlMessage.setChunkSize(UInt32(configuration.chunkSize)).append(with: &encoder, to: &queue.bytes)
            let server: AMF0Value = .object([AMF0Property("fmsVer", .string("FMS/3,0,1,123")),
                                             AMF0Property("capabilities", .number(31))])
            let status = RTMPStatus.status(RTMPStatus.Code.connectSuccess, "Connection succeeded.",
                                           extra: [AMF0Property("objectEncoding", .number(parameters.objectEncoding))])
            send(.result(transactionID: tx, [server, status.value]))
            send(.onBWDone)
            state = .connected
        case .createStream(let tx):
            try requireConnected(command)
            send(.result(transactionID: tx, [.null, .number(Double(nextStreamID))]))
            nextStreamID += 1
        case .releaseStream(let tx, _), .fcPublish(let tx, _), .checkBandwidth(let tx):
            try requireConnected(command)
            send(.result(transactionID: tx, [.null, .undefined]))
        case .getStreamLength(let tx, _):
            send(.result(transactionID: tx, [.null, .number(0)]))
        case .publish(let tx, let name, let type):
            try requireConnected(command)
            try startRequest(RTMPStreamRequest(kind: .publish(type: type), app: app, name: name, tcUrl: tcUrl,
                                               messageStreamID: streamID, transactionID: tx))
        case .play(let tx, let name, let start, let duration, let reset):
            try requireConnected(command)
            try startRequest(RTMPStreamRequest(kind: .play(start: start, duration: duration, reset: reset), app: app,
                                               name: name, tcUrl: tcUrl, messageStreamID: streamID, transactionID: tx))
        case .fcUnpublish(let tx, _):
            send(.result(transactionID: tx, [.null, .undefined]))
            endStream()
        case .deleteStream, .closeStream:
            endStream()
        case .receiveAudio, .receiveVideo, .result, .error, .onStatus, .onBWDone, .other:
            break
        }
    }

    private func requireConnected(_ command: RTMPCommand) throws {
        switch state {
        case .connected, .publishing, .playing: return
        default: throw RTMPError(.protocolViolation, "\(command.name) before connect")
        }
    }

    private mutating func startRequest(_ request: RTMPStreamRequest) throws {
        guard state == .connected else {
            throw RTMPError(.protocolViolation, "\(request.isPublish ? "publish" : "play") while already "
                + (state.isPublishing ? "publishing" : "playing"))
        }
        guard !request.streamName.isEmpty else {
            let code = request.isPublish ? RTMPStatus.Code.publishBadName : RTMPStatus.Code.playStreamNotFound
            sendStatus(.error(code, "No stream name in app \"\(request.app)\" and name \"\(request.name)\"."),
                       streamID: request.messageStreamID)
            fail("\(code): empty stream name")
            return
        }
        state = .awaitingDecision(request)
        queue.append(request.isPublish ? .publish(request) : .play(request))
    }

    private mutating func endStream() {
        switch state {
        case .publishing(let request):
            sendStatus(.status(RTMPStatus.Code.unpublishSuccess, "\(request.name) is now unpublished."),
                       streamID: request.messageStreamID)
        case .playing:
            break
        default:
            return
        }
        state = .connected
        queue.append(.deleteStream)
    }

    // MARK: Decisions

    /// Allows the pending publish or play: sends its onStatus (and for play StreamBegin, Play.Reset, Play.Start,
    /// |RtmpSampleAccess; not NetStream.Data.Start, which ffmpeg would show as a data stream), then processes the
    /// input held meanwhile.
    public mutating func accept() -> [Action] {
        guard case .awaitingDecision(let request) = state else { return [] }
        let id = request.messageStreamID
        if request.isPublish {
            sendStatus(.status(RTMPStatus.Code.publishStart, "\(request.name) is now published.",
                               extra: [AMF0Property("details", .string(request.name))]), streamID: id)
            state = .publishing(request)
        } else {
            RTMPControlMessage.userControl(.streamBegin(streamID: id)).append(with: &encoder, to: &queue.bytes)
            if case .play(_, _, true) = request.kind {
                sendStatus(.status(RTMPStatus.Code.playReset, "Playing and resetting \(request.name).",
                                   extra: [AMF0Property("details", .string(request.name))]), streamID: id)
            }
            sendStatus(.status(RTMPStatus.Code.playStart, "Started playing \(request.name).",
                               extra: [AMF0Property("details", .string(request.name))]), streamID: id)
            sendData(RTMPDataMessage.sampleAccess, streamID: id)
            state = .playing(request)
        }
        let pending = held
        held = []
        pending.withUnsafeBytes { process($0, mediaSink: nil) }
        return queue.take()
    }

    /// Refuses the pending publish or play with an error onStatus (`code` as in `RTMPStatus.Code`: BadName,
    /// Denied, StreamNotFound...), then closes.
    public mutating func reject(code: String, description: String) -> [Action] {
        guard case .awaitingDecision(let request) = state else { return [] }
        sendStatus(.error(code, description), streamID: request.messageStreamID)
        held = []
        fail("\(request.isPublish ? "publish" : "play") of \"\(request.streamName)\" refused: \(code): \(description)")
        return queue.take()
    }

    /// Packs a session waiting on a publish decision for another process, which resumes it with
    /// `init(resuming:)`; this session is spent. Nil in any other state.
    public mutating func handOver() -> RTMPServerSessionHandover? {
        guard case .awaitingDecision(let request) = state, request.isPublish, let snapshot = decoder.snapshot else {
            return nil
        }
        state = .closed
        defer { held = [] }
        return RTMPServerSessionHandover(decoder: snapshot, outgoingChunkSize: encoder.chunkSize, request: request,
                                         nextStreamID: nextStreamID, consumedBytes: consumedBytes, leftover: held)
    }

    // MARK: Output for players

    /// Appends one audio (8), video (9) or data (18) message for the player to `out` (a buffer the caller reuses).
    /// Returns false, writing nothing, unless the session is playing.
    @discardableResult
    public mutating func sendMedia(typeID: UInt8, timestamp: UInt32, payload: UnsafeRawBufferPointer,
                                   into out: inout [UInt8]) -> Bool {
        guard case .playing(let request) = state else { return false }
        encoder.appendMedia(payload, typeID: typeID, streamID: request.messageStreamID, timestamp: timestamp, to: &out)
        return true
    }

    /// Appends onMetaData with `properties` (width, height, codecs...) for the player.
    @discardableResult
    public mutating func sendMetadata(_ properties: [AMF0Property], timestamp: UInt32 = 0, into out: inout [UInt8]) -> Bool {
        RTMPDataMessage.onMetaData(properties).withUnsafeBytes {
            sendMedia(typeID: RTMPMessageType.dataAMF0, timestamp: timestamp, payload: $0, into: &out)
        }
    }

    /// Tells the player its stream's publisher left (StreamEOF, NetStream.Play.UnpublishNotify) or came back
    /// (StreamBegin, NetStream.Play.PublishNotify); the session keeps playing.
    @discardableResult
    public mutating func notifyPublisher(present: Bool, into out: inout [UInt8]) -> Bool {
        guard case .playing(let request) = state else { return false }
        let id = request.messageStreamID
        let event: RTMPUserControlEvent = present ? .streamBegin(streamID: id) : .streamEOF(streamID: id)
        RTMPControlMessage.userControl(event).append(with: &encoder, to: &out)
        let status = present
            ? RTMPStatus.status(RTMPStatus.Code.playPublishNotify, "\(request.name) is now published.")
            : RTMPStatus.status(RTMPStatus.Code.playUnpublishNotify, "\(request.name) is now unpublished.")
        encoder.append(RTMPCommand.onStatus(status).message(streamID: id), csid: RTMPChunkStreamID.status, to: &out)
        return true
    }

    // MARK: Plumbing

    private mutating func send(_ command: RTMPCommand) {
        encoder.append(command.message(streamID: 0), csid: RTMPChunkStreamID.command, to: &queue.bytes)
    }

    private mutating func sendStatus(_ status: RTMPStatus, streamID: UInt32) {
        encoder.append(RTMPCommand.onStatus(status).message(streamID: streamID), csid: RTMPChunkStreamID.status, to: &queue.bytes)
    }

    private mutating func sendData(_ payload: [UInt8], streamID: UInt32) {
        encoder.append(RTMPMessage(typeID: RTMPMessageType.dataAMF0, streamID: streamID, timestamp: 0, payload: payload),
                       csid: RTMPChunkStreamID.status, to: &queue.bytes)
    }

    private mutating func fail(_ reason: String) {
        guard state != .closed else { return }
        state = .closed
        held = []
        queue.append(.close(reason))
    }
}

extension RTMPServerSession.State {
    var isPublishing: Bool { if case .publishing = self { true } else { false } }
}
