#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import Media
import RTP
import RTSP

// A stamped RTSP camera (issue 5): `rtsp-camera PORT SECONDS [KBPS [FIXTURE.flv]]` serves `LatencyFixture`'s
// H.264 + AAC at rtsp://127.0.0.1:PORT/ANY_PATH for SECONDS (0: until killed), TCP interleaved only, to any
// number of players, as a camera does: one RTP stream per track, its packets sent to every player that plays,
// from the next video keyframe on.
// rtsp-latency runs it in its own process to measure a path from the camera.
//
// The fixture's frames (Sluice's canonical form, through the Media module's FLV demuxer) are looped with
// continuous timestamps and sent in decode order at real time (`FixturePacer`). Each video frame gets the stamp
// (`LatencyStamp`: an SEI in front, the CLOCK_MONOTONIC time just before its packets are written) and filler up to
// KBPS (default 2000), then goes through the RTP module's packetizer (single NAL units and FU-A, SPS and PPS before
// each keyframe). RTCP sender reports go to a player when it plays and every 5 s after, with the same wall clock
// for both tracks (real cameras send them, and Sluice's ingest aligns the tracks by them).
//
// The session is the RTSP module's `RTSPServerSession`: OPTIONS, DESCRIBE (H.264 with sprop-parameter-sets,
// mpeg4-generic AAC), SETUP (TCP interleaved; UDP is refused with 461), PLAY, GET_PARAMETER, TEARDOWN. A player
// that lets more than 8 MB queue up is dropped. One line on stderr per player that plays or leaves.

final class RTSPCamera {
    /// The fixture's tracks, H.264 first, and their packetizers (the same SSRC and sequence for every player).
    private let tracks: [Track]
    private var packetizers: [RTPPacketizer]
    private let frames: [Frame]
    private let description: SessionDescription
    private let frameBytes: Int
    private let loop: EventLoop
    private let listener: TCPListener
    private let timer: Timer
    private let reports: Timer
    private var pacer: FixturePacer
    private var startMs: UInt64 = 0
    private var players: [CameraPlayer] = []
    private var frameNumber: UInt32 = 0
    private var stamped: [UInt8] = []
    private var sent: [(packets: UInt32, octets: UInt32)]

    init(loop: EventLoop, port: Int, fixture: LatencyFixture, kbps: Int) throws {
        let (tracks, frames) = fixture.canonical()
        guard let video = tracks.first, video.codec == .h264, let sps = video.parameterSets.sps.first,
              let pps = video.parameterSets.pps.first else { die("rtsp-camera: the fixture has no H.264 track first") }
        var media = [MediaDescription.h264(payloadType: 96, sps: sps, pps: pps, control: "trackID=1")]
        packetizers = [RTPPacketizer(codec: .h264, payloadType: 96, clockRate: 90_000)]
        if tracks.count > 1, tracks[1].codec == .aac, let config = tracks[1].audioConfig {
            media.append(.aac(payloadType: 97, sampleRate: tracks[1].sampleRate, channels: tracks[1].channels,
                              audioSpecificConfig: config.bytes, control: "trackID=2"))
            packetizers.append(RTPPacketizer(codec: .aac, payloadType: 97, clockRate: tracks[1].sampleRate))
        }
        let count = packetizers.count
        self.tracks = Array(tracks.prefix(count))
        self.frames = frames.filter { $0.info.track <= count }
        description = .live(name: "SluiceBench camera", serverAddress: "127.0.0.1", media: media)
        frameBytes = fixture.videoFrameBytes(kbps: kbps)
        pacer = FixturePacer(times: self.frames.map { UInt32($0.info.dts / 90) }, loopMs: fixture.loopMs)
        sent = Array(repeating: (0, 0), count: count)
        self.loop = loop
        listener = try TCPListener(loop: loop)
        timer = try Timer(loop: loop)
        reports = try Timer(loop: loop)
        try listener.bind(try SocketAddress(ip: "127.0.0.1", port: UInt16(port)))
        try listener.listen { [unowned self] result in
            switch result {
            case .success(let connection): accepted(connection)
            case .failure(let error): writeLine("rtsp-camera: accept: \(error)", to: 2)
            }
        }
    }

    /// Starts sending (to nobody until a player plays) and the sender reports.
    func start() throws {
        startMs = loop.now
        pacer.start(at: startMs)
        sendDue()
        try reports.start(after: 5000, repeating: 5000) { [unowned self] in
            for player in players where player.playing { sendReports(to: player) }
        }
    }

    private func accepted(_ connection: TCPConnection) {
        let player = CameraPlayer(connection: connection)
        players.append(player)
        do {
            try connection.setNoDelay(true)
            try connection.startReading(onData: { [unowned self, unowned player] in received($0, from: player) },
                                        onEnd: { [unowned self, unowned player] in drop(player, "left" + ($0.map { ": \($0)" } ?? "")) })
        } catch {
            drop(player, "\(error)")
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer, from player: CameraPlayer) {
        perform(player.session.receive(bytes), for: player)
    }

    private func perform(_ actions: [RTSPServerSession.Action], for player: CameraPlayer) {
        for action in actions where !player.connection.isClosing {
            switch action {
            case .send(let bytes):
                player.write(bytes)
            case .describe:
                perform(player.session.acceptDescribe(description), for: player)
            case .setup(let request, let transport):
                guard let track = request.track, packetizers.indices.contains(track - 1) else {
                    perform(player.session.reject(status: 404), for: player)
                    continue
                }
                guard transport.lowerTransport == .tcp else {
                    perform(player.session.reject(status: 461), for: player)
                    continue
                }
                perform(player.session.acceptSetup(ssrc: packetizers[track - 1].ssrc), for: player)
            case .play:
                perform(player.session.acceptPlay(), for: player)
                player.channels = packetizers.indices.map { index in
                    player.session.transports[index + 1]?.interleaved.map { UInt8($0.rtp) }
                }
                player.playing = true
                writeLine("rtsp-camera: \(player.name) plays", to: 2)
                sendReports(to: player)
            case .announce, .record:
                perform(player.session.reject(status: 405), for: player)
            case .teardown:
                player.playing = false
            case .interleaved:
                break  // receiver reports
            case .close(let reason):
                drop(player, reason)
            }
        }
    }

    private func drop(_ player: CameraPlayer, _ reason: String) {
        writeLine("rtsp-camera: \(player.name) \(reason)", to: 2)
        player.playing = false
        player.connection.close()
        players.removeAll { $0 === player }
    }

    /// Sends every frame whose time has come, each in one write per player, then sleeps until the next one.
    private func sendDue() {
        let wait = pacer.sendDue(now: loop.now) { index, timestamp in
            var info = frames[index].info
            let shift = Int64(timestamp) * 90 - info.dts
            info.dts += shift
            info.pts += shift
            let trackIndex = info.track - 1
            if trackIndex == 0 {
                stamped.removeAll(keepingCapacity: true)
                LatencyStamp.appendSEI(number: frameNumber, lengthSize: 4, to: &stamped)
                frameNumber &+= 1
                stamped += frames[index].payload
                LatencyStamp.appendFiller(upTo: frameBytes, lengthSize: 4, to: &stamped)
                stamped.withUnsafeBytes { send(info, $0, trackIndex) }
            } else {
                frames[index].payload.withUnsafeBytes { send(info, $0, trackIndex) }
            }
        }
        try? timer.start(after: wait) { [unowned self] in sendDue() }
    }

    /// One frame, packetized once, to every player that plays (from a video keyframe on).
    private func send(_ info: FrameInfo, _ payload: UnsafeRawBufferPointer, _ trackIndex: Int) {
        if trackIndex == 0, info.isKeyframe {
            for player in players where player.playing { player.started = true }
        }
        do {
            try packetizers[trackIndex].packetize(info, payload: payload, track: tracks[trackIndex]) { packet in
                sent[trackIndex].packets &+= 1
                sent[trackIndex].octets &+= UInt32(truncatingIfNeeded: packet.count - 12)
                for player in players where player.started {
                    if let channel = player.channels[trackIndex] { RTSPInterleavedFrame.append(channel: channel, payload: packet, to: &player.out) }
                }
            }
        } catch {
            die("rtsp-camera: \(error)")
        }
        for player in players where player.started { player.flush(limit: 8 << 20) { drop(player, "fell behind by more than 8 MB: dropped") } }
    }

    /// A sender report per track: the wall clock now and the same instant on the track's RTP clock.
    private func sendReports(to player: CameraPlayer) {
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let ntp = (UInt64(wall.tv_sec) + 2_208_988_800) << 32 | (UInt64(wall.tv_nsec) << 32) / 1_000_000_000
        let media = Int64(loop.now - startMs) * 90
        for (index, packetizer) in packetizers.enumerated() {
            guard let channel = player.channels[index] else { continue }
            var report: [UInt8] = []
            RTCPPacket.appendSenderReport(.init(ssrc: packetizer.ssrc, ntpTimestamp: ntp, rtpTimestamp: packetizer.rtpTimestamp(pts: media),
                                                packetCount: sent[index].packets, octetCount: sent[index].octets), to: &report)
            RTSPInterleavedFrame.append(channel: channel + 1, payload: report, to: &player.out)
        }
        player.flush(limit: 8 << 20) { drop(player, "fell behind by more than 8 MB: dropped") }
    }
}

/// One connection to the camera: its RTSP session, the interleaved RTP channel of each track once it plays, and
/// the bytes to write next.
private final class CameraPlayer {
    let connection: TCPConnection
    let name: String
    var session: RTSPServerSession
    var playing = false {
        didSet { if !playing { started = false } }
    }
    /// Playing, and a video keyframe went out to it: media goes to it.
    var started = false
    var channels: [UInt8?] = []
    var out: [UInt8] = []

    init(connection: TCPConnection) {
        self.connection = connection
        name = (try? connection.peerAddress().description) ?? "a player"
        let hex = { String(UInt64.random(in: 0...UInt64.max), radix: 16) }
        session = RTSPServerSession(configuration: .init(sessionID: hex(), nonce: hex()))
    }

    func write(_ bytes: [UInt8]) {
        out += bytes
        flush(limit: .max) {}
    }

    /// Writes `out`; calls `tooSlow` instead when more than `limit` bytes are already queued.
    func flush(limit: Int, tooSlow: () -> Void) {
        guard !out.isEmpty, !connection.isClosing else { return }
        defer { out.removeAll(keepingCapacity: true) }
        guard connection.writeQueueSize <= limit else { return tooSlow() }
        try? connection.write(out)
    }
}

func benchRTSPCamera(port: Int, seconds: Int, kbps: Int, fixturePath: String) {
    signal(SIGPIPE, SIG_IGN)
    let loop = try! EventLoop()
    let camera: RTSPCamera
    do {
        camera = try RTSPCamera(loop: loop, port: port, fixture: LatencyFixture(path: fixturePath), kbps: kbps)
        try camera.start()
    } catch {
        die("rtsp-camera: port \(port): \(error)")
    }
    let end = try! Timer(loop: loop)
    if seconds > 0 { try! end.start(after: UInt64(seconds) * 1000) { exit(0) } }
    writeLine("rtsp_camera port \(port)")
    _ = loop.run()
    _ = camera
}
