import Media
import RTMP
import Testing

@testable import Ingest

/// The `rtmp://` input's pure core against the server session, in memory: the play handshake, the fake clip's
/// frames through FLV and back, and every way a play ends.
@Suite struct RTMPPullTests {
    /// An output of the pull, payload copied (`.send` is delivered to the server instead).
    private enum Event: Equatable {
        case opened
        case frame(track: Int, dts: Int64, isKeyframe: Bool, payload: [UInt8])
        case failed(String)
    }

    /// A pull and a server session joined in memory; bytes to the pull are cut into reads of `readSize`.
    private struct Pair {
        var pull: RTMPPull
        var server = RTMPServerSession()
        let readSize: Int
        var events: [Event] = []
        var serverEvents: [RTMPServerSession.Action] = []
        var toServer: [UInt8] = []
        var toPull: [UInt8] = []

        init(url: String = "rtmp://origin/static/cam", readSize: Int = .max) throws {
            var configuration = RTMPClientSession.Configuration()
            configuration.handshakeSeed = 1
            pull = RTMPPull(url: try RTMPURL(url), configuration: configuration)
            self.readSize = readSize
            var sent: [UInt8] = []
            var events: [Event] = []
            pull.start { Self.record($0, &sent, &events) }
            toServer = sent
            self.events = events
        }

        private static func record(_ output: RTMPPull.Output, _ sent: inout [UInt8], _ events: inout [Event]) {
            switch output {
            case .send(let bytes): sent += bytes
            case .opened: events.append(.opened)
            case .frame(let track, let info, let payload):
                events.append(.frame(track: track.id, dts: info.dts, isKeyframe: info.isKeyframe, payload: Array(payload)))
            case .failed(let reason): events.append(.failed(reason))
            }
        }

        /// Delivers bytes both ways until neither side has anything to say.
        mutating func pump() {
            while !toServer.isEmpty || !toPull.isEmpty {
                for action in server.receive(toServer) {
                    if case .send(let bytes) = action { toPull += bytes } else { serverEvents.append(action) }
                }
                toServer = []
                let bytes = toPull
                toPull = []
                var start = 0
                while start < bytes.count {
                    let end = bytes.count - start > readSize ? start + readSize : bytes.count
                    var sent: [UInt8] = []
                    bytes[start..<end].withUnsafeBytes { read in pull.receive(read) { Self.record($0, &sent, &events) } }
                    toServer += sent
                    start = end
                }
            }
        }

        mutating func end(error: String?) {
            var sent: [UInt8] = []
            pull.ended(error: error) { Self.record($0, &sent, &events) }
        }

        /// The server's media for the pull: `body` as one message of `type`.
        mutating func serverSends(_ type: FLVTagType, timestamp: UInt32 = 0, _ body: [UInt8]) {
            body.withUnsafeBytes { _ = server.sendMedia(typeID: type.rawValue, timestamp: timestamp, payload: $0, into: &toPull) }
        }

        /// Up to the server's accepted play.
        static func playing(readSize: Int = .max) throws -> Pair {
            var pair = try Pair(readSize: readSize)
            pair.pump()
            guard case .play(let request) = pair.serverEvents.last else { throw TestFailure("no play request") }
            #expect(request.streamName == "cam")
            for action in pair.server.accept() { if case .send(let bytes) = action { pair.toPull += bytes } }
            pair.pump()
            #expect(pair.events == [.opened])
            return pair
        }
    }

    private struct TestFailure: Error { var description: String; init(_ d: String) { description = d } }

    /// The fake clip's first `milliseconds`, with its tracks.
    private func clip(milliseconds: Int64) throws -> (tracks: [Track], frames: [Frame]) {
        var source = try FakeSource()
        var frames: [Frame] = []
        source.frames(upTo: milliseconds * MediaTime.hz / 1000) { frames.append(Frame(info: $1, payload: Array($2))) }
        return (source.tracks, frames)
    }

    @Test(arguments: [Int.max, 1000, 7, 1]) func playsTheClipThroughFLV(readSize: Int) throws {
        var pair = try Pair.playing(readSize: readSize)
        let (tracks, frames) = try clip(milliseconds: readSize == 1 ? 300 : 2000)
        try #require(frames.count > (readSize == 1 ? 20 : 140))
        var muxer = FLVTagMuxer(tracks: tracks, timestampBase: 0)
        for track in tracks {
            var body: [UInt8] = []
            let type = try #require(muxer.sequenceHeader(for: track.id, into: &body))
            pair.serverSends(type, body)
        }
        for frame in frames {
            var body: [UInt8] = []
            let header = try #require(frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &body) })
            pair.serverSends(header.type, timestamp: header.timestamp, body)
        }
        pair.pump()
        let received = pair.events.dropFirst().compactMap { event -> (Int, Int64, Bool, [UInt8])? in
            guard case .frame(let track, let dts, let isKeyframe, let payload) = event else { return nil }
            return (track, dts, isKeyframe, payload)
        }
        try #require(received.count == frames.count && pair.events.count == frames.count + 1)
        for (frame, got) in zip(frames, received) {
            #expect(got.0 == frame.info.track && got.2 == frame.info.isKeyframe && got.3 == frame.payload)
            // FLV timestamps are whole milliseconds: AAC's 21.33 ms steps lose their fraction.
            #expect(abs(got.1 - frame.info.dts) < 90)
        }
        #expect(pair.pull.stats.sequenceHeaders == 2 && pair.pull.stats.malformedTags == 0)
    }

    @Test func thePublisherLeaving() throws {
        var pair = try Pair.playing()
        _ = pair.server.notifyPublisher(present: false, into: &pair.toPull)
        pair.serverSends(.audio, [0xAF, 0x00, 0x11, 0x90])  // nothing after the failure
        pair.pump()
        #expect(pair.events == [.opened, .failed("the publisher left (NetStream.Play.UnpublishNotify: cam is now unpublished.)")])
        pair.end(error: nil)
        #expect(pair.events.count == 2)
    }

    @Test func aStreamNotFound() throws {
        var pair = try Pair()
        pair.pump()
        for action in pair.server.reject(code: RTMPStatus.Code.playStreamNotFound, description: "no stream cam") {
            if case .send(let bytes) = action { pair.toPull += bytes }
        }
        pair.pump()
        #expect(pair.events == [.failed("rtmp://origin/static/cam: NetStream.Play.StreamNotFound: no stream cam")])
    }

    @Test func unsupportedMediaEndsThePlayAndMalformedMediaIsCounted() throws {
        var pair = try Pair.playing()
        pair.serverSends(.video, [0x17, 0x01])  // an AVC NALU tag cut short
        pair.serverSends(.video, [0x14, 0x00, 0x00])  // CodecID 4, On2 VP6
        pair.pump()
        guard case .failed(let reason) = pair.events.last else { throw TestFailure("not failed") }
        #expect(reason.hasPrefix("unsupported media: FLV video tag: unsupported video CodecID 4"), "\(reason)")
        #expect(pair.pull.stats.malformedTags == 1 && pair.events.count == 2)
    }

    @Test func theConnectionEnding() throws {
        var handshake = try Pair()
        handshake.end(error: nil)
        #expect(handshake.events == [.failed("the server closed the connection during the RTMP handshake")])
        var connecting = try Pair()
        connecting.pump()
        connecting.end(error: "ECONNRESET")
        #expect(connecting.events == [.failed("connection lost: ECONNRESET before the play started")])
        var playing = try Pair.playing()
        playing.end(error: nil)
        #expect(playing.events == [.opened, .failed("the server closed the connection")])
    }

    @Test func garbageFromTheServer() throws {
        var pair = try Pair()
        pair.toPull = Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8) + [UInt8](repeating: 0, count: 3100)
        pair.toServer = []
        pair.pump()
        guard case .failed(let reason) = pair.events.first else { throw TestFailure("not failed") }
        #expect(reason.contains("handshake with origin"), "\(reason)")
        #expect(pair.events.count == 1)
    }
}
