import Testing
@testable import RTMP

/// A client session and a server session joined in memory: what one sends, the other receives, cut into `feed`'s
/// reads. The tests take the server's decisions (`accept`, `reject`, `handOver`) between pumps.
struct SessionPair {
    var server: RTMPServerSession
    var client: RTMPClientSession
    let feed: Feed
    /// Everything but `.send`, in order.
    var serverEvents: [RTMPServerSession.Action] = []
    var clientEvents: [RTMPClientSession.Action] = []
    var toServer: [UInt8] = []
    var toClient: [UInt8] = []

    init(url: String, mode: RTMPClientSession.Mode, feed: Feed, digest: Bool = false) throws {
        var serverConfiguration = RTMPServerSession.Configuration()
        serverConfiguration.handshakeSeed = 5
        server = RTMPServerSession(configuration: serverConfiguration)
        var clientConfiguration = RTMPClientSession.Configuration()
        clientConfiguration.handshakeSeed = 6
        clientConfiguration.digestHandshake = digest
        client = RTMPClientSession(url: try RTMPURL(url), mode: mode, configuration: clientConfiguration)
        self.feed = feed
        take(client.start())
    }

    /// A pair pumped up to the server's `.publish` or `.play`, and that request.
    static func upToRequest(url: String, mode: RTMPClientSession.Mode, feed: Feed) throws -> (SessionPair, RTMPStreamRequest) {
        var pair = try SessionPair(url: url, mode: mode, feed: feed)
        pair.pump()
        return (pair, try #require(pair.pendingRequest))
    }

    mutating func take(_ actions: [RTMPClientSession.Action]) {
        for action in actions {
            if case .send(let bytes) = action { toServer += bytes } else { clientEvents.append(action) }
        }
    }

    mutating func take(_ actions: [RTMPServerSession.Action]) {
        for action in actions {
            if case .send(let bytes) = action { toClient += bytes } else { serverEvents.append(action) }
        }
    }

    /// Delivers bytes both ways until neither side has anything to say.
    mutating func pump(sourceLocation: SourceLocation = #_sourceLocation) {
        var rounds = 0
        while !toServer.isEmpty || !toClient.isEmpty {
            rounds += 1
            guard rounds < 100 else {
                Issue.record("the sessions keep talking", sourceLocation: sourceLocation)
                return
            }
            let forServer = toServer
            toServer = []
            for piece in feed.pieces(forServer) { take(server.receive(piece)) }
            let forClient = toClient
            toClient = []
            for piece in feed.pieces(forClient) { take(client.receive(piece)) }
        }
    }

    /// The client sends `media` (it must be publishing), and the pair is pumped.
    mutating func publish(_ media: [RTMPMessage]) {
        var out: [UInt8] = []
        for message in media { #expect(client.sendMedia(message, into: &out)) }
        toServer += out
        pump()
    }

    /// The request the server reported last, if it was a publish or play.
    var pendingRequest: RTMPStreamRequest? {
        switch serverEvents.last {
        case .publish(let request), .play(let request): request
        default: nil
        }
    }

    var serverMedia: [RTMPMessage] {
        serverEvents.compactMap { if case .media(let message) = $0 { message } else { nil } }
    }

    var clientMedia: [RTMPMessage] {
        clientEvents.compactMap { if case .media(let message) = $0 { message } else { nil } }
    }
}

/// A few audio, video and data messages as an encoder sends them: an AVC sequence header, keyframes and
/// inter frames of assorted sizes (some over the chunk size), AAC frames, one at a time past 0xFFFFFF.
func sampleMedia(count: Int = 40) -> [RTMPMessage] {
    var messages: [RTMPMessage] = []
    for i in 0..<count {
        let time = UInt32(i * 33) + (i > count - 3 ? 0x0100_0000 : 0)
        if i % 3 == 0 {
            messages.append(RTMPMessage(typeID: 8, streamID: 1, timestamp: time, payload: [0xAF, 0x01] + pattern(200 + i)))
        } else {
            let size = i % 10 == 1 ? 9000 : 300 + 37 * i
            messages.append(RTMPMessage(typeID: 9, streamID: 1, timestamp: time,
                                        payload: [i % 10 == 1 ? 0x17 : 0x27, 0x01, 0, 0, 0] + pattern(size, multiplier: i)))
        }
    }
    return messages
}
