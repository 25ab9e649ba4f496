import Testing
@testable import RTMP

/// The client session against the server session, in memory, for publish and for play.
@Suite struct SessionPairTests {
    @Test(arguments: Feed.all) func publish(feed: Feed) throws {
        var (pair, request) = try SessionPair.upToRequest(url: "rtmp://example.com/static/cam?password=s3cret",
                                                          mode: .publish, feed: feed)
        #expect(request.isPublish && request.streamName == "cam" && request.password == "s3cret")
        #expect(request.app == "static" && request.name == "cam" && request.tcUrl == "rtmp://example.com/static")
        #expect(pair.server.state == .awaitingDecision(request) && pair.server.connectParameters?.app == "static")
        #expect(pair.clientEvents.isEmpty)
        pair.take(pair.server.accept())
        pair.pump()
        #expect(pair.clientEvents == [.ready(streamID: 1)])
        #expect(pair.server.state == .publishing(request))

        let metadata = [AMF0Property("width", .number(1280)), AMF0Property("height", .number(720))]
        var out: [UInt8] = []
        #expect(pair.client.sendMetadata(metadata, into: &out))
        pair.toServer += out
        let media = sampleMedia()
        pair.publish(media)
        let received = pair.serverMedia
        try #require(received.count == media.count + 1)
        #expect(try RTMPDataMessage.metadata(received[0]) == metadata)
        #expect(Array(received.dropFirst()) == media)

        out = []
        pair.client.finish(into: &out)
        pair.toServer += out
        pair.pump()
        #expect(pair.serverEvents.last == .deleteStream && pair.server.state == .connected)
    }

    @Test(arguments: Feed.all) func play(feed: Feed) throws {
        var (pair, request) = try SessionPair.upToRequest(url: "rtmp://example.com:1935/chats/room-15", mode: .play, feed: feed)
        #expect(!request.isPublish && request.streamName == "chats/room-15")
        pair.take(pair.server.accept())
        pair.pump()
        // |RtmpSampleAccess comes as a data message after the ready.
        #expect(pair.clientEvents.first == .ready(streamID: 1) && pair.clientEvents.count == 2)
        var out: [UInt8] = []
        #expect(pair.server.sendMetadata([AMF0Property("duration", .number(0))], into: &out))
        let media = sampleMedia()
        for message in media { pair.server.sendMedia(message, into: &out) }
        #expect(pair.server.notifyPublisher(present: false, into: &out))
        pair.toClient += out
        pair.pump()
        let received = pair.clientMedia
        try #require(received.count == media.count + 2)  // onMetaData, plus the data notice at accept
        #expect(received[0].payload == RTMPDataMessage.sampleAccess)
        #expect(try RTMPDataMessage.metadata(received[1]) == [AMF0Property("duration", .number(0))])
        #expect(Array(received.dropFirst(2)) == media)
        #expect(pair.clientEvents.last == .status(.status(RTMPStatus.Code.playUnpublishNotify, "room-15 is now unpublished.")))
    }

    @Test func digestHandshake() throws {
        var pair = try SessionPair(url: "rtmp://h/static/cam", mode: .publish, feed: .seeded(3), digest: true)
        pair.pump()
        #expect(pair.pendingRequest?.streamName == "cam")
    }

    @Test(arguments: [
        (RTMPStatus.Code.publishDenied, "Wrong password."), (RTMPStatus.Code.publishBadName, "cam is already published."),
    ]) func rejectedPublish(code: String, description: String) throws {
        var pair = try SessionPair(url: "rtmp://h/static/cam?password=wrong", mode: .publish, feed: .whole)
        pair.pump()
        pair.take(pair.server.reject(code: code, description: description))
        pair.pump()
        guard case .close(let reason) = pair.serverEvents.last else { Issue.record("not closed"); return }
        #expect(reason.contains(code) && reason.contains("\"cam\""))
        guard case .failed(let failure) = pair.clientEvents.last else { Issue.record("client not failed"); return }
        #expect(failure.contains("\(code): \(description)"))
        #expect(pair.server.state == .closed && pair.server.receive([1, 2, 3]).isEmpty)
    }

    @Test func rejectedPlay() throws {
        var pair = try SessionPair(url: "rtmp://h/static/missing", mode: .play, feed: .bytes)
        pair.pump()
        pair.take(pair.server.reject(code: RTMPStatus.Code.playStreamNotFound, description: "No such stream."))
        pair.pump()
        #expect(pair.clientEvents == [.failed("rtmp://h/static/missing: NetStream.Play.StreamNotFound: No such stream.")])
    }

    @Test func emptyStreamNameIsRefused() throws {
        var pair = try SessionPair(url: "rtmp://h/static/x", mode: .publish, feed: .whole)
        pair.client = RTMPClientSession(url: RTMPURL(host: "h", app: "", playPath: ""), mode: .publish)
        pair.toServer = []
        pair.take(pair.client.start())
        pair.pump()
        #expect(pair.serverEvents.count == 1)
        guard case .close(let reason) = pair.serverEvents.first else { Issue.record("not closed"); return }
        #expect(reason.contains("BadName"))
        guard case .failed(let failure) = pair.clientEvents.last else { Issue.record("client not failed"); return }
        #expect(failure.contains(RTMPStatus.Code.publishBadName))
    }
}

extension RTMPURL {
    /// A URL no text parses to, for refusal tests.
    init(host: String, app: String, playPath: String) {
        self = try! RTMPURL("rtmp://\(host)/a/b")
        self.app = app
        self.playPath = playPath
        tcUrl = "rtmp://\(host)/\(app)"
    }
}

/// A publisher's media handed to a sink as the session decodes it (`receive(_:media:)`, as an ingest worker reads a
/// publisher): the same messages, in the same order, as the `.media` actions of `receive(_:)`, in every split.
@Suite struct MediaSinkTests {
    @Test(arguments: Feed.all) func aSinkGetsWhatActionsWouldCarry(feed: Feed) throws {
        var (pair, _) = try SessionPair.upToRequest(url: "rtmp://example.com/static/cam", mode: .publish, feed: feed)
        pair.take(pair.server.accept())
        pair.pump()
        var withSink = pair.server
        var out: [UInt8] = []
        let media = sampleMedia()
        for message in media { #expect(pair.client.sendMedia(message, into: &out)) }
        var sunk: [RTMPMessage] = []
        for piece in feed.pieces(out) {
            let actions = piece.withUnsafeBytes { withSink.receive($0) { sunk.append(RTMPMessage($0)) } }
            #expect(!actions.contains { if case .media = $0 { true } else { false } })
            pair.take(pair.server.receive(piece))
        }
        #expect(sunk == media)
        #expect(pair.serverMedia == media)
    }
}
