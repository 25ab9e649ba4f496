import Testing
import TestSupport
@testable import RTMP

/// A publishing session handed from one process to another (simulated: packed, serialised, resumed).
@Suite struct HandoverTests {
    @Test(arguments: Feed.all) func publishResumesElsewhere(feed: Feed) throws {
        var (pair, request) = try SessionPair.upToRequest(url: "rtmp://h/static/cam?password=x", mode: .publish, feed: feed)
        let handedOver = pair.server.handOver()
        let handover = try #require(handedOver)
        #expect(pair.server.state == .closed && pair.server.receive([1]).isEmpty)
        let blob = handover.serialized()
        let received = try RTMPServerSessionHandover(serialized: blob)
        #expect(received == handover && received.request == request && received.request.password == "x")
        #expect(received.outgoingChunkSize == 4096 && received.consumedBytes == handover.consumedBytes)

        pair.server = RTMPServerSession(resuming: received)
        #expect(pair.server.state == .awaitingDecision(request))
        pair.take(pair.server.accept())
        pair.pump()
        #expect(pair.clientEvents == [.ready(streamID: 1)])
        let media = sampleMedia()
        pair.publish(media)
        #expect(pair.serverMedia == media)
    }

    /// Bytes that arrived after publish, before the decision, travel in `leftover` and are the resumed session's
    /// first input, whole messages and a cut one alike (the chunk streams' state across a handover is checked
    /// by `decoderSnapshotRoundTrip`).
    @Test func leftoverAndChunkStreamStateTravel() throws {
        var client = HandClient()
        var server = RTMPServerSession()
        var input = client.upToPublish()
        let firstMedia = input.count
        client.encoder.append(RTMPMessage(typeID: 8, streamID: 1, timestamp: 10, payload: pattern(50)), csid: 6, to: &input)
        client.encoder.append(RTMPMessage(typeID: 8, streamID: 1, timestamp: 30, payload: pattern(50, offset: 1)), csid: 6, to: &input)
        client.encoder.append(RTMPMessage(typeID: 8, streamID: 1, timestamp: 50, payload: pattern(50, offset: 2)), csid: 6, to: &input)
        let partialVideo = input.count
        client.encoder.append(RTMPMessage(typeID: 9, streamID: 1, timestamp: 0, payload: pattern(300)), csid: 7, to: &input)
        // Everything after the publish command is held, unread, until the decision.
        let actions = server.receive(Array(input[..<firstMedia]))
        #expect(actions.last.map { if case .publish = $0 { true } else { false } } == true)
        _ = server.receive(Array(input[firstMedia..<(partialVideo + 100)]))
        let handedOver = server.handOver()
        let packed = try #require(handedOver)
        let handover = try RTMPServerSessionHandover(serialized: packed.serialized())
        #expect(handover.leftover == Array(input[firstMedia..<(partialVideo + 100)]))
        var resumed = RTMPServerSession(resuming: handover)
        var media = resumed.accept().compactMap { if case .media(let m) = $0 { m } else { nil } }
        media += resumed.receive(Array(input[(partialVideo + 100)...])).compactMap { if case .media(let m) = $0 { m } else { nil } }
        #expect(media.map(\.timestamp) == [10, 30, 50, 0])
        #expect(media.last?.payload == pattern(300))
        #expect(resumed.consumedBytes == UInt64(input.count))
    }

    /// The decoder's snapshot in the middle of a random stream: the rest decodes the same after a round trip
    /// through the handover's binary form.
    @Test(arguments: [UInt64(31), 32]) func decoderSnapshotRoundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var encoder = RTMPChunkEncoder()
        encoder.setChunkSize(100)
        var wire = hex("02 000000 000004 01 00000000 00000064")
        var sent: [RTMPMessage] = [RTMPControlMessage.setChunkSize(100).message]
        var time: UInt32 = 0
        for _ in 0..<200 {
            time &+= UInt32.random(in: 0...50, using: &random)
            let message = RTMPMessage(typeID: [8, 9].randomElement(using: &random)!, streamID: 1,
                                      timestamp: Bool.random(using: &random) ? time : time &+ 0x0100_0000,
                                      payload: pattern(Int.random(in: 0...400, using: &random)))
            encoder.append(message, csid: [4, 6, 7, 400].randomElement(using: &random)!, to: &wire)
            sent.append(message)
        }
        var decoder = RTMPChunkDecoder()
        var first: [RTMPMessage] = []
        let used = try decoder.feed(wire) { first.append($0); return first.count == 120 ? .pause : .proceed }
        let request = RTMPStreamRequest(kind: .publish(type: "live"), app: "a", name: "b", tcUrl: "t")
        let handover = RTMPServerSessionHandover(decoder: try #require(decoder.snapshot), outgoingChunkSize: 128,
                                                 request: request, nextStreamID: 2, consumedBytes: 0, leftover: [])
        let restored = try RTMPServerSessionHandover(serialized: handover.serialized())
        var resumed = RTMPChunkDecoder(resuming: restored.decoder)
        var rest: [RTMPMessage] = []
        try resumed.feed(Array(wire[used...])) { rest.append($0); return .proceed }
        #expect(first + rest == sent)
    }

    @Test func refusesBrokenBlobs() throws {
        var pair = try SessionPair(url: "rtmp://h/static/cam", mode: .publish, feed: .whole)
        pair.pump()
        let handedOver = pair.server.handOver()
        let handover = try #require(handedOver)
        let blob = handover.serialized()
        for length in 0..<blob.count {
            let error = #expect(throws: RTMPError.self) { try RTMPServerSessionHandover(serialized: Array(blob[..<length])) }
            #expect(error?.kind == .badHandover)
        }
        #expect(throws: RTMPError.self) { try RTMPServerSessionHandover(serialized: blob + [0]) }
        var wrongVersion = blob
        wrongVersion[4] = 2
        #expect(throws: RTMPError.self) { try RTMPServerSessionHandover(serialized: wrongVersion) }
    }

    @Test func onlyAPendingPublishIsHandedOver() throws {
        var pair = try SessionPair(url: "rtmp://h/static/cam", mode: .play, feed: .whole)
        pair.pump()
        #expect(pair.server.handOver() == nil)
    }
}
