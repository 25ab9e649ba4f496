import Media
import RTP
import RTSP
import Testing

@testable import Ingest

/// The `rtsp://` input's pure core against the RTSP server session, in memory: the fake clip's frames packetized
/// into RTP (interleaved, or as UDP datagrams), and back out as frames; keep-alives, receiver reports, TEARDOWN;
/// ignored tracks; every way a pull ends.
@Suite struct RTSPPullTests {
    /// An output of the pull, payload copied (`.send` goes to the camera instead).
    private enum Event: Equatable {
        case opened([Int])
        case frame(track: Int, codec: Codec, dts: Int64, isKeyframe: Bool, payload: [UInt8])
        case datagram(track: Int, rtcp: Bool, port: Int, bytes: [UInt8])
        case note(String)
        case reconnect(String)
        case failed(String)
    }

    private struct TestFailure: Error { var description: String; init(_ d: String) { description = d } }

    /// The fake clip's first `milliseconds`, with its tracks (H.264 Constrained Baseline, AAC LC stereo 48 kHz).
    private static func clip(milliseconds: Int64) throws -> (tracks: [Track], frames: [Frame]) {
        var source = try FakeSource()
        var frames: [Frame] = []
        source.frames(upTo: milliseconds * MediaTime.hz / 1000) { frames.append(Frame(info: $1, payload: Array($2))) }
        return (source.tracks, frames)
    }

    /// The SDP a camera would send for `tracks`, with `extra` media sections after them.
    private static func sdp(_ tracks: [Track], extra: [MediaDescription] = []) throws -> SessionDescription {
        var media: [MediaDescription] = []
        for track in tracks {
            switch track.codec {
            case .h264:
                media.append(.h264(sps: track.parameterSets.sps[0], pps: track.parameterSets.pps[0], control: "trackID=\(media.count + 1)"))
            case .aac:
                let config = try #require(track.audioConfig)
                media.append(.aac(sampleRate: config.sampleRate, channels: config.channels, audioSpecificConfig: config.bytes,
                                  control: "trackID=\(media.count + 1)"))
            default:
                throw TestFailure("no SDP for \(track.codec)")
            }
        }
        for var section in extra {
            section.attributes.append(SDPAttribute("control", "trackID=\(media.count + 1)"))
            media.append(section)
        }
        return .live(name: "cam", media: media)
    }

    /// A pull and a camera (an `RTSPServerSession` that accepts everything) joined in memory; bytes to the pull
    /// are cut into reads of `readSize`. `openUDP` is answered as `RTSPInput` answers it, after the pull's call.
    private struct Pair {
        var pull: RTSPPull
        var camera = RTSPServerSession(configuration: .init(sessionID: "5E55105", nonce: "0123456789abcdef"))
        let description: SessionDescription
        let readSize: Int
        var now: Int64 = 0
        var events: [Event] = []
        /// What the camera was asked, and the RTCP it got on the connection (channel, packet).
        var requests: [String] = []
        /// The method of every request the pull sent.
        var sentMethods: [String] = []
        var cameraRTCP: [(channel: UInt8, packet: [UInt8])] = []
        var toCamera: [UInt8] = []
        var toPull: [UInt8] = []
        private var udpTrack: Int?

        init(description: SessionDescription, url: String = "rtsp://admin:pw@cam.local/live", transport: RTSPClientSession.Transport = .tcp,
             tracks: [Int]? = nil, readSize: Int = .max) throws {
            var configuration = RTSPClientSession.Configuration()
            configuration.transport = transport
            configuration.tracks = tracks
            pull = RTSPPull(url: try RTSPURL(url), configuration: configuration, ssrc: 0x5100_0001)
            self.description = description
            self.readSize = readSize
            call { $0.start($1) }
        }

        /// One call of the pull; its outputs recorded, its bytes queued for the camera, a port pair given after.
        mutating func call(_ body: (inout RTSPPull, (RTSPPull.Output) -> Void) -> Void) {
            var sent: [UInt8] = []
            var events: [Event] = []
            var udp: Int?
            body(&pull) { output in
                switch output {
                case .send(let bytes): sent += bytes
                case .reconnect(let url): events.append(.reconnect(url.requestURL))
                case .openUDP(let track): udp = track
                case .opened(let tracks): events.append(.opened(tracks.map(\.index)))
                case .datagram(let track, let rtcp, let port, let bytes): events.append(.datagram(track: track, rtcp: rtcp, port: port, bytes: bytes))
                case .frame(let track, let info, let payload):
                    events.append(.frame(track: track.id, codec: track.codec, dts: info.dts, isKeyframe: info.isKeyframe, payload: Array(payload)))
                case .note(let text): events.append(.note(text))
                case .failed(let reason): events.append(.failed(reason))
                }
            }
            if sent.first != UInt8(ascii: "$"), !sent.isEmpty {
                sentMethods.append(String(decoding: sent.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self))
            }
            toCamera += sent
            self.events += events
            if let track = udp { call { $0.udpOpened(track: track, rtpPort: 50_000 + 2 * track, rtcpPort: 50_001 + 2 * track, $1) } }
        }

        /// Delivers bytes both ways until neither side has anything to say.
        mutating func pump() {
            while !toCamera.isEmpty || !toPull.isEmpty {
                let bytes = toCamera
                toCamera = []
                answer(camera.receive(bytes))
                let reads = toPull
                toPull = []
                var start = 0
                while start < reads.count {
                    let end = reads.count - start > readSize ? start + readSize : reads.count
                    let now = self.now
                    call { pull, output in reads[start..<end].withUnsafeBytes { pull.receive($0, now: now, output) } }
                    start = end
                }
            }
        }

        private mutating func answer(_ actions: [RTSPServerSession.Action]) {
            for action in actions {
                switch action {
                case .send(let bytes): toPull += bytes
                case .describe(let request):
                    requests.append(request.method)
                    answer(camera.acceptDescribe(description))
                case .setup(let request, let transport):
                    requests.append(request.method)
                    let k = camera.transports.count
                    answer(camera.acceptSetup(serverPorts: transport.lowerTransport == .udp ? (6_000 + 2 * k, 6_001 + 2 * k) : nil))
                case .play(let request):
                    requests.append(request.method)
                    answer(camera.acceptPlay())
                case .interleaved(let channel, let payload): cameraRTCP.append((channel, payload))
                case .teardown: requests.append("TEARDOWN")
                default: break
                }
            }
        }

        /// RTP of the clip's frames from the camera: interleaved on the channels the session chose, or as datagrams.
        mutating func cameraSends(_ frames: [Frame], tracks: [Track], udp: Bool = false) throws {
            var packetizers = tracks.map { track in
                RTPPacketizer(codec: track.codec, payloadType: track.kind == .video ? 96 : 97,
                              clockRate: track.kind == .video ? 90_000 : track.sampleRate, ssrc: 0xCA00 + UInt32(track.id))
            }
            var packets: [(Int, [UInt8])] = []
            for frame in frames {
                let k = try #require(tracks.firstIndex { $0.id == frame.info.track })
                try frame.payload.withUnsafeBytes { payload in
                    try packetizers[k].packetize(frame.info, payload: payload, track: tracks[k]) { packets.append((k, Array($0))) }
                }
            }
            for (k, packet) in packets {
                if udp {
                    let now = self.now
                    call { pull, output in packet.withUnsafeBytes { pull.datagram(track: k, rtcp: false, $0, now: now, output) } }
                } else {
                    let channel = try #require(camera.transports[k + 1]?.interleaved?.rtp)
                    RTSPInterleavedFrame.append(channel: UInt8(channel), payload: packet, to: &toPull)
                }
            }
            pump()
        }

        mutating func tick(_ now: Int64) {
            self.now = now
            call { $0.tick(now: now, $1) }
            pump()
        }

        /// Lets the camera answer the first `count` requests only, leaving later ones unanswered.
        mutating func answerOnly(count: Int) {
            var answered = 0
            while answered < count {
                let bytes = toCamera
                toCamera = []
                var sent: [UInt8] = []
                for action in camera.receive(bytes) {
                    switch action {
                    case .send(let b): sent += b
                    case .describe: for case .send(let b) in camera.acceptDescribe(description) { sent += b }
                    default: break
                    }
                }
                answered += 1
                call { pull, output in sent.withUnsafeBytes { pull.receive($0, now: 0, output) } }
            }
        }

        var frames: [Event] { events.filter { if case .frame = $0 { return true } else { return false } } }
    }

    /// Frames out match frames in: payloads, keyframes, and the DTS steps of each track.
    private func expectSame(_ received: [Event], _ sent: [Frame], tracks: [Track]) {
        for track in tracks {
            let out = received.compactMap { event -> (Int64, Bool, [UInt8])? in
                guard case .frame(let id, let codec, let dts, let key, let payload) = event, codec == track.codec else { return nil }
                #expect(id >= 1)
                return (dts, key, payload)
            }
            let into = sent.filter { $0.info.track == track.id }
            // The last access unit of video waits for the next one's first packet; nothing else is held back.
            #expect(out.count >= into.count - 1 && out.count <= into.count, "\(track.codec): \(out.count) of \(into.count)")
            for (k, (frame, got)) in zip(into, out).enumerated() {
                #expect(got.2 == frame.payload && got.1 == frame.info.isKeyframe)
                if k > 0 { #expect(got.0 - out[k - 1].0 == frame.info.dts - into[k - 1].info.dts) }
            }
        }
    }

    @Test(arguments: [Int.max, 1000, 7, 1]) func pullsTheClipInterleaved(readSize: Int) throws {
        let (tracks, frames) = try Self.clip(milliseconds: readSize == 1 ? 400 : 2000)
        var pair = try Pair(description: Self.sdp(tracks), readSize: readSize)
        pair.pump()
        #expect(pair.requests == ["DESCRIBE", "SETUP", "SETUP", "PLAY"])
        #expect(pair.events == [.opened([1, 2])])
        try pair.cameraSends(frames, tracks: tracks)
        pair.tick(1_000)  // the reorder window gives up the packets it held
        expectSame(pair.frames, frames, tracks: tracks)
        #expect(pair.pull.lostPackets == 0 && pair.pull.ignoredPackets == 0)
        #expect(pair.events.allSatisfy { if case .frame = $0 { true } else { $0 == .opened([1, 2]) } })
    }

    @Test func keepAliveReceiverReportsAndTeardownOverTCP() throws {
        let (tracks, frames) = try Self.clip(milliseconds: 500)
        var pair = try Pair(description: Self.sdp(tracks))
        pair.pump()
        try pair.cameraSends(frames, tracks: tracks)
        pair.tick(1_000)
        #expect(pair.cameraRTCP.isEmpty)
        pair.tick(5_999)
        #expect(pair.cameraRTCP.isEmpty)
        pair.tick(6_000)  // 5 s after the first tick: one report per track, on its RTCP channel
        #expect(pair.cameraRTCP.map(\.channel) == [1, 3])
        let report = try pair.cameraRTCP[0].packet.withUnsafeBytes { try RTCPPacket.parseCompound($0) }
        guard case .receiverReport(let ssrc, let blocks) = report.first else { throw TestFailure("not an RR: \(report)") }
        #expect(ssrc == 0x5100_0001 && blocks.first?.ssrc == 0xCA01 && blocks.first?.fractionLost == 0)
        #expect(report.last == .sourceDescription([.init(ssrc: 0x5100_0001, cname: "sluice")]))
        // The session timeout is 60 s: a keep-alive every 30 s from the first tick, GET_PARAMETER as the camera's
        // Public lists it.
        pair.tick(30_999)
        #expect(pair.sentMethods.last == "PLAY")
        pair.tick(31_000)
        #expect(pair.sentMethods.last == "GET_PARAMETER")
        pair.call { $0.stop($1) }
        pair.pump()
        #expect(pair.requests.last == "TEARDOWN")
        pair.call { $0.tick(now: 60_000, $1) }
        #expect(pair.toCamera.isEmpty, "nothing after stop")
    }

    @Test func pullsOverUDP() throws {
        let (tracks, frames) = try Self.clip(milliseconds: 1000)
        var pair = try Pair(description: Self.sdp(tracks), transport: .udp)
        pair.pump()
        #expect(pair.requests == ["DESCRIBE", "SETUP", "SETUP", "PLAY"])
        #expect(pair.camera.transports[1]?.clientPort.map { [$0.rtp, $0.rtcp] } == [50_002, 50_003])
        #expect(pair.camera.transports[2]?.clientPort.map { [$0.rtp, $0.rtcp] } == [50_004, 50_005])
        // Opened, then from each port of each track a first packet to the camera's matching port.
        #expect(pair.events.count == 5 && pair.events.first == .opened([1, 2]))
        let openers = pair.events.dropFirst().compactMap { event -> (Int, Bool, Int)? in
            guard case .datagram(let track, let rtcp, let port, _) = event else { return nil }
            return (track, rtcp, port)
        }
        #expect(openers.map { "\($0.0) \($0.1) \($0.2)" } == ["0 false 6000", "0 true 6001", "1 false 6002", "1 true 6003"])
        pair.events = []
        try pair.cameraSends(frames, tracks: tracks, udp: true)
        pair.tick(1_000)
        expectSame(pair.frames, frames, tracks: tracks)
        pair.events = []
        pair.tick(6_000)
        #expect(pair.events.compactMap { if case .datagram(let t, true, let port, _) = $0 { "\(t) \(port)" } else { nil } } == ["0 6001", "1 6003"])
    }

    /// A camera starts sending as it answers PLAY: datagrams that overtake the answer are demuxed, not dropped.
    @Test func datagramsBeforePlaysAnswer() throws {
        let (tracks, frames) = try Self.clip(milliseconds: 400)
        var pair = try Pair(description: Self.sdp(tracks), transport: .udp)
        // Deliver everything but the PLAY answer.
        var rounds = 0
        while !pair.requests.contains("PLAY") && rounds < 20 {
            rounds += 1
            let bytes = pair.toCamera
            pair.toCamera = []
            var held: [UInt8] = []
            for action in pair.camera.receive(bytes) {
                switch action {
                case .send(let b): held += b
                case .describe: for case .send(let b) in pair.camera.acceptDescribe(pair.description) { held += b }
                case .setup:
                    let k = pair.camera.transports.count
                    for case .send(let b) in pair.camera.acceptSetup(serverPorts: (6_000 + 2 * k, 6_001 + 2 * k)) { held += b }
                case .play: pair.requests.append("PLAY")
                default: break
                }
            }
            pair.call { pull, output in held.withUnsafeBytes { pull.receive($0, now: 0, output) } }
        }
        #expect(pair.events.isEmpty)
        try pair.cameraSends(frames, tracks: tracks, udp: true)
        for case .send(let b) in pair.camera.acceptPlay() { pair.toPull += b }
        pair.pump()
        pair.tick(1_000)
        expectSame(pair.frames, frames, tracks: tracks)
        #expect(pair.events.contains(.opened([1, 2])))
    }

    @Test func tracksTheSluiceCannotTakeAreIgnored() throws {
        let (tracks, frames) = try Self.clip(milliseconds: 400)
        let mjpeg = MediaDescription(type: "video", formats: ["26"])
        var pair = try Pair(description: Self.sdp(tracks, extra: [mjpeg]))
        pair.pump()
        #expect(pair.requests == ["DESCRIBE", "SETUP", "SETUP", "SETUP", "PLAY"])
        #expect(pair.events == [.note("ignored: track 3 (video JPEG): encoding not supported"), .opened([1, 2, 3])])
        RTSPInterleavedFrame.append(channel: 4, payload: [0x80, 26, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], to: &pair.toPull)
        try pair.cameraSends(frames, tracks: tracks)
        pair.tick(1_000)
        expectSame(pair.frames, frames, tracks: tracks)
        #expect(pair.pull.ignoredPackets == 1)

        // tracks=3: nothing left.
        var only = try Pair(description: Self.sdp(tracks, extra: [mjpeg]), tracks: [3])
        only.pump()
        #expect(only.events == [.failed("no track Sluice can take: track 3 (video JPEG) (H.264, H.265, AAC and G.711 are)")])
    }

    @Test func tracksSelectsSDPSections() throws {
        let (tracks, frames) = try Self.clip(milliseconds: 400)
        var pair = try Pair(description: Self.sdp(tracks), url: "rtsp://cam.local/live?tracks=1")
        pair.pump()
        #expect(pair.requests == ["DESCRIBE", "SETUP", "PLAY"])
        try pair.cameraSends(frames.filter { $0.info.track == tracks[0].id }, tracks: [tracks[0]])
        pair.tick(1_000)
        #expect(pair.events.first == .opened([1]) && pair.frames.count > 5)
        #expect(pair.frames.allSatisfy { if case .frame(_, .h264, _, _, _) = $0 { true } else { false } })
    }

    @Test func theConnectionEnding() throws {
        let description = try Self.sdp(Self.clip(milliseconds: 40).tracks)
        var options = try Pair(description: description)
        options.call { $0.ended(error: nil, $1) }
        #expect(options.events == [.failed("the camera closed the connection before answering OPTIONS")])
        var setup = try Pair(description: description)
        setup.answerOnly(count: 2)  // OPTIONS, DESCRIBE
        setup.call { $0.ended(error: "ECONNRESET", $1) }
        #expect(setup.events == [.failed("connection lost: ECONNRESET during SETUP")])
        var playing = try Pair(description: description)
        playing.pump()
        playing.call { $0.ended(error: nil, $1) }
        playing.call { $0.ended(error: nil, $1) }
        #expect(playing.events == [.opened([1, 2]), .failed("the camera closed the connection")])
        playing.call { $0.stop($1) }
        #expect(playing.toCamera.isEmpty, "no TEARDOWN after a failure")
    }

    @Test func redirectsAndRefusals() throws {
        let description = try Self.sdp(Self.clip(milliseconds: 40).tracks)
        var pair = try Pair(description: description)
        pair.toCamera = []
        let moved = "RTSP/1.0 302 Found\r\nCSeq: 1\r\nLocation: rtsp://other:8554/live\r\n\r\n"
        pair.call { pull, output in Array(moved.utf8).withUnsafeBytes { pull.receive($0, now: 0, output) } }
        #expect(pair.events == [.reconnect("rtsp://other:8554/live")])
        pair.call { $0.start($1) }
        let refused = "RTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\nRTSP/1.0 404 Not Found\r\nCSeq: 3\r\n\r\n"
        pair.call { pull, output in Array(refused.utf8).withUnsafeBytes { pull.receive($0, now: 0, output) } }
        #expect(pair.events.last == .failed("DESCRIBE rtsp://other:8554/live: 404 Not Found (redirected to rtsp://other:8554/live)"))
    }
}
