import Testing
import TestSupport
@testable import RTMP

/// A client written by hand, byte by byte: a plain handshake, then chunks from a test encoder.
struct HandClient {
    var encoder = RTMPChunkEncoder()

    static var handshake: [UInt8] { [3] + pattern(1536) + pattern(1536, offset: 1) }

    mutating func bytes(_ command: RTMPCommand, streamID: UInt32 = 0) -> [UInt8] {
        var out: [UInt8] = []
        encoder.append(command.message(streamID: streamID), csid: 3, to: &out)
        return out
    }

    mutating func bytes(_ control: RTMPControlMessage) -> [UInt8] {
        var out: [UInt8] = []
        control.append(with: &encoder, to: &out)
        return out
    }

    static let connect = RTMPCommand.connect(transactionID: 1, RTMPConnectParameters(
        app: "static", tcUrl: "rtmp://h/static", forPlay: false))

    /// Handshake, connect, createStream and publish of `name`: up to the server's `.publish`.
    mutating func upToPublish(_ name: String = "cam") -> [UInt8] {
        Self.handshake + bytes(Self.connect) + bytes(.createStream(transactionID: 2))
            + bytes(.publish(transactionID: 3, name: name, type: "live"), streamID: 1)
    }
}

/// Everything the server sent after its handshake answer, decoded.
func serverMessages(_ actions: [RTMPServerSession.Action]) throws -> [RTMPMessage] {
    var sent: [UInt8] = []
    for case .send(let bytes) in actions { sent += bytes }
    return try decodeChunks(Array(sent.dropFirst(1 + 2 * 1536)))
}

func closeReason(_ actions: [RTMPServerSession.Action]) -> String? {
    for case .close(let reason) in actions { return reason }
    return nil
}

@Suite struct ServerSessionTests {
    /// What the server answers connect with, in order (RTMP 1.0 section 7.2.1.1 and what nginx-rtmp sends).
    @Test(arguments: Feed.all) func connectReply(feed: Feed) throws {
        var client = HandClient()
        var server = RTMPServerSession()
        var actions: [RTMPServerSession.Action] = []
        for piece in feed.pieces(HandClient.handshake + client.bytes(HandClient.connect)) { actions += server.receive(piece) }
        #expect(server.state == .connected && closeReason(actions) == nil)
        let messages = try serverMessages(actions)
        try #require(messages.count == 5)
        #expect(try messages[0..<3].map { try RTMPControlMessage($0) } == [
            .windowAcknowledgementSize(2_500_000), .setPeerBandwidth(2_500_000, limitType: 2), .setChunkSize(4096),
        ])
        let result = try RTMPCommand(messages[3])
        guard case .result(1, let values) = result, values.count == 2 else { Issue.record("\(result)"); return }
        #expect(values[0]["fmsVer"] == .string("FMS/3,0,1,123"))
        #expect(RTMPStatus(values[1]) == .status("NetConnection.Connect.Success", "Connection succeeded.",
                                                  extra: [AMF0Property("objectEncoding", .number(0))]))
        #expect(try RTMPCommand(messages[4]) == .onBWDone)
    }

    @Test func repliesToStreamCommands() throws {
        var client = HandClient()
        var server = RTMPServerSession()
        let input = HandClient.handshake + client.bytes(HandClient.connect)
            + client.bytes(.releaseStream(transactionID: 2, name: "cam")) + client.bytes(.fcPublish(transactionID: 3, name: "cam"))
            + client.bytes(.createStream(transactionID: 4)) + client.bytes(.checkBandwidth(transactionID: 5))
            + client.bytes(.getStreamLength(transactionID: 6, name: "cam"))
            + client.bytes(.userControl(.pingRequest(timestamp: 1234)))
        let commands = try serverMessages(server.receive(input)).dropFirst(5)
        #expect(try commands.map { try RTMPControlMessage($0) ?? RTMPControlMessage.abort(chunkStreamID: 0) }.last
            == .userControl(.pingResponse(timestamp: 1234)))
        #expect(try commands.dropLast().map { try RTMPCommand($0) } == [
            .result(transactionID: 2, [.null, .undefined]), .result(transactionID: 3, [.null, .undefined]),
            .result(transactionID: 4, [.null, .number(1)]), .result(transactionID: 5, [.null, .undefined]),
            .result(transactionID: 6, [.null, .number(0)]),
        ])
    }

    @Test func acknowledgesEachWindow() throws {
        var client = HandClient()
        var server = RTMPServerSession()
        var input = client.upToPublish() + client.bytes(.windowAcknowledgementSize(5000))
        _ = server.receive(input)
        _ = server.accept()
        input = []
        for i in 0..<10 {
            client.encoder.append(RTMPMessage(typeID: 9, streamID: 1, timestamp: UInt32(i), payload: pattern(1000)), csid: 7, to: &input)
        }
        let actions = server.receive(input)
        #expect(actions.filter { if case .media = $0 { true } else { false } }.count == 10)
        var sent: [UInt8] = []
        for case .send(let bytes) in actions { sent += bytes }
        var decoder = RTMPChunkDecoder()
        try decoder.feed(hex("02 000000 000004 01 00000000 00001000")) { _ in .proceed }  // the server's chunk size
        var acks: [UInt32] = []
        try decoder.feed(sent) {
            if case .acknowledgement(let n)? = try RTMPControlMessage($0) { acks.append(n) }
            return .proceed
        }
        #expect(acks.count == 1 && acks[0] > 5000)
    }

    @Test func mediaOnlyFromThePublishedStream() throws {
        var client = HandClient()
        var server = RTMPServerSession()
        _ = server.receive(client.upToPublish())
        _ = server.accept()
        var input: [UInt8] = []
        client.encoder.append(RTMPMessage(typeID: 9, streamID: 2, timestamp: 0, payload: [1]), csid: 7, to: &input)
        client.encoder.append(RTMPMessage(typeID: 8, streamID: 1, timestamp: 0, payload: [2]), csid: 6, to: &input)
        #expect(server.receive(input) == [.media(RTMPMessage(typeID: 8, streamID: 1, timestamp: 0, payload: [2]))])
    }

    @Test func playingSessionRefusesToSendBeforeAccept() {
        var server = RTMPServerSession()
        var out: [UInt8] = []
        #expect(!server.sendMedia(typeID: 9, timestamp: 0, payload: UnsafeRawBufferPointer(start: nil, count: 0), into: &out))
        #expect(out.isEmpty && server.accept().isEmpty && server.handOver() == nil)
    }
}

/// Hostile and broken peers against the server session: each ends in `.close` with a reason, or in waiting for
/// more bytes; never a crash or a hang.
@Suite struct ServerSessionHostileTests {
    static func closed(_ input: [UInt8], configuration: RTMPServerSession.Configuration = .init()) -> String? {
        var reasons: [String?] = []
        for feed in Feed.all {
            var server = RTMPServerSession(configuration: configuration)
            var actions: [RTMPServerSession.Action] = []
            for piece in feed.pieces(input) { actions += server.receive(piece) }
            #expect(server.state == .closed || closeReason(actions) == nil)
            reasons.append(closeReason(actions))
        }
        #expect(Set(reasons).count == 1, "refused differently across feeds: \(reasons)")
        return reasons[0]
    }

    @Test func garbageHandshake() {
        #expect(Self.closed(Array("GET /cam/index.m3u8 HTTP/1.1\r\nHost: h\r\n\r\n".utf8))?.contains("not an RTMP handshake") == true)
        #expect(Self.closed([0x16, 0x03, 0x01, 0x02, 0x00])?.contains("unsupported RTMP version") == true)  // TLS
    }

    @Test func encryptedHandshake() {
        #expect(Self.closed([6] + pattern(1536))?.contains("RTMPE not supported") == true)
    }

    @Test func truncatedHandshakeWaits() {
        var server = RTMPServerSession()
        #expect(server.receive([3] + pattern(1000)).isEmpty && server.state == .handshake)
        #expect(server.consumedBytes == 1001)
    }

    @Test(arguments: [
        (hex("02 000000 000004 01 00000000 00000000"), "bad chunk size"),
        (hex("02 000000 000004 01 00000000 FFFFFFFF"), "bad chunk size"),
        (hex("04 000000 FFFFFF 09 01000000") + pattern(300), "message too large"),
        (hex("C3 00 00 00"), "chunk for an unknown chunk stream"),
        (hex("43 000000 000010 14"), "chunk for an unknown chunk stream"),
    ] as [([UInt8], String)])
    func brokenChunkStream(bytes: [UInt8], reason: String) {
        #expect(Self.closed(HandClient.handshake + bytes)?.contains(reason) == true)
    }

    @Test func hostileAMFNesting() {
        var client = HandClient()
        let nested = AMF0Encoder.encode([.string("connect"), .number(1)]) + (0..<5000).flatMap { _ in hex("03 0001 61") }
        var input = HandClient.handshake
        client.encoder.append(RTMPMessage(typeID: 20, streamID: 0, timestamp: 0, payload: nested), csid: 3, to: &input)
        #expect(Self.closed(input)?.contains("AMF0 nesting too deep") == true)
    }

    @Test func commandsOutOfOrder() {
        var client = HandClient()
        #expect(Self.closed(HandClient.handshake + client.bytes(.publish(transactionID: 1, name: "cam", type: "live"), streamID: 1))?
            .contains("publish before connect") == true)
        client = HandClient()
        #expect(Self.closed(HandClient.handshake + client.bytes(HandClient.connect) + client.bytes(HandClient.connect))?
            .contains("a second connect") == true)
    }

    @Test func tooMuchWhileWaitingForTheDecision() {
        var client = HandClient()
        var configuration = RTMPServerSession.Configuration()
        configuration.maxHeldBytes = 10_000
        var server = RTMPServerSession(configuration: configuration)
        _ = server.receive(client.upToPublish())
        #expect(server.receive(pattern(5000)).isEmpty)
        #expect(closeReason(server.receive(pattern(5001)))?.contains("too much input while waiting") == true)
    }

    /// Random bytes after a valid handshake and connect, many times over: closed or waiting, never a crash.
    @Test(arguments: [UInt64(21), 22, 23]) func garbageAfterConnect(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var client = HandClient()
        let start = HandClient.handshake + client.bytes(HandClient.connect)
        for _ in 0..<100 {
            var server = RTMPServerSession()
            _ = server.receive(start)
            let garbage = (0..<Int.random(in: 1...2000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = server.receive(garbage)
        }
    }
}
