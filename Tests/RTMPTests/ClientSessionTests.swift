import Testing
@testable import RTMP

/// The client session against a server written by hand: the refusals and oddities a real server may answer with.
@Suite struct ClientSessionTests {
    /// A client past its handshake (a plain S0+S1+S2 answered), and what it sent after the handshake.
    static func connectedClient(mode: RTMPClientSession.Mode = .publish) throws -> (RTMPClientSession, sent: [UInt8]) {
        var client = RTMPClientSession(url: try RTMPURL("rtmp://h/static/cam?password=x"), mode: mode)
        guard case .send(let c0c1) = client.start().first else { throw RTMPError(.protocolViolation, "no C0+C1") }
        let c1 = Array(c0c1.dropFirst())
        var sent: [UInt8] = []
        for case .send(let bytes) in client.receive([3] + pattern(1536) + c1) { sent += bytes }
        return (client, Array(sent.dropFirst(1536)))
    }

    static func serverBytes(_ commands: [RTMPCommand], streamID: UInt32 = 0) -> [UInt8] {
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        for command in commands { encoder.append(command.message(streamID: streamID), csid: 3, to: &out) }
        return out
    }

    static let connected = RTMPCommand.result(transactionID: 1, [
        .object([AMF0Property("fmsVer", .string("FMS/3,0,1,123"))]),
        RTMPStatus.status(RTMPStatus.Code.connectSuccess, "Connection succeeded.").value,
    ])

    /// What ffmpeg's publisher sends after the handshake, in the same order (libavformat/rtmpproto.c).
    @Test func publishSequence() throws {
        var (client, sent) = try Self.connectedClient()
        for case .send(let bytes) in client.receive(Self.serverBytes([Self.connected])) { sent += bytes }
        let messages = try decodeChunks(sent)
        #expect(try RTMPControlMessage(messages[0]) == .setChunkSize(4096))
        guard case .connect(1, let parameters) = try RTMPCommand(messages[1]) else { Issue.record("no connect"); return }
        #expect(parameters.app == "static" && parameters.tcUrl == "rtmp://h/static")
        #expect(try messages.dropFirst(2).map { try RTMPCommand($0) } == [.releaseStream(transactionID: 2, name: "cam?password=x"),
                             .fcPublish(transactionID: 3, name: "cam?password=x"), .createStream(transactionID: 4)])
        #expect(client.state == .creatingStream)
    }

    @Test func connectRefused() throws {
        var (client, _) = try Self.connectedClient()
        let refusal = RTMPCommand.error(transactionID: 1, [.null, RTMPStatus.error(RTMPStatus.Code.connectRejected,
                                                                                    "Application not found.").value])
        #expect(client.receive(Self.serverBytes([refusal]))
            == [.failed("rtmp://h/static: connect refused: NetConnection.Connect.Rejected: Application not found.")])
        #expect(client.state == .failed && client.receive([1, 2, 3]).isEmpty)
    }

    @Test func errorsToReleaseStreamAreHarmless() throws {
        var (client, _) = try Self.connectedClient()
        _ = client.receive(Self.serverBytes([Self.connected]))
        let actions = client.receive(Self.serverBytes([.error(transactionID: 2, [.null, .null]),
                                                       .result(transactionID: 4, [.null, .number(7)])]))
        #expect(client.state == .starting && client.streamID == 7)
        #expect(actions.allSatisfy { if case .send = $0 { true } else { false } })
    }

    @Test func createStreamWithoutAnID() throws {
        var (client, _) = try Self.connectedClient(mode: .play)
        _ = client.receive(Self.serverBytes([Self.connected]))
        #expect(client.receive(Self.serverBytes([.result(transactionID: 2, [.null, .string("one")])]))
            == [.failed("createStream on rtmp://h/static answered without a stream id")])
    }

    @Test(arguments: [
        ([UInt8(6)] + pattern(100), "RTMPE not supported"), (Array("HTTP/1.1 400 Bad Request\r\n".utf8), "not an RTMP handshake"),
    ]) func badServerHandshake(bytes: [UInt8], reason: String) {
        var client = RTMPClientSession(url: try! RTMPURL("rtmp://h/static/cam"), mode: .play)
        _ = client.start()
        guard case .failed(let failure) = client.receive(bytes).last else { Issue.record("accepted"); return }
        #expect(failure.contains(reason))
    }

    @Test func garbageAfterTheHandshakeFails() throws {
        var (client, _) = try Self.connectedClient()
        guard case .failed(let failure) = client.receive(hex("C5 00 01 02")).last else { Issue.record("accepted"); return }
        #expect(failure.contains("unknown chunk stream"))
    }

    @Test func answersPingsAndPeerBandwidth() throws {
        var (client, _) = try Self.connectedClient()
        var encoder = RTMPChunkEncoder()
        var input: [UInt8] = []
        RTMPControlMessage.setPeerBandwidth(1_000_000, limitType: 2).append(with: &encoder, to: &input)
        RTMPControlMessage.userControl(.pingRequest(timestamp: 99)).append(with: &encoder, to: &input)
        var sent: [UInt8] = []
        for case .send(let bytes) in client.receive(input) { sent += bytes }
        var decoder = RTMPChunkDecoder()
        try decoder.feed(hex("02 000000 000004 01 00000000 00001000")) { _ in .proceed }
        var controls: [RTMPControlMessage] = []
        try decoder.feed(sent) { controls += [try RTMPControlMessage($0)].compactMap { $0 }; return .proceed }
        #expect(controls == [.windowAcknowledgementSize(2_500_000), .userControl(.pingResponse(timestamp: 99))])
    }
}
