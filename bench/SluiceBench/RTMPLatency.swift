#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import Media
import RTMP

// Publish-to-play latency (issue 4): `rtmp-latency PUBLISH_URL PLAY_URL SECONDS [KBPS [FIXTURE.flv [OTHERS]]]`
// publishes a stream itself and plays it back in the same process, on one loop, and measures for each video frame the
// time from just before its message was written to the publishing socket until the player's session has the whole
// message. With OTHERS, as many more players (`RTMPViewer`s, as in rtmp-viewers: they count bytes and acknowledge)
// play the stream from the moment it is on air, so that the latency is that of a player among many.
//
// The stream is real enough for any server to relay and package: `LatencyFixture`'s tags, looped with timestamps
// that keep growing, paced in real time. Each video frame carries its send time (`LatencyStamp`: an SEI in front
// of its NAL units) and is padded with filler data up to KBPS (default 2000), so that the probe carries the
// 2 Mbit/s of the fan-out benchmark.
//
// The player starts 1 s after the publisher is on air and the other players play (retrying while the server does not have the stream yet);
// `LatencyRecorder` counts the frames sent from 1 s after the first stamped one arrived and prints
// `rtmp_latency frames N lost L p50_us X p99_us Y max_us Z`.

/// Publishes the fixture in real time from `start()`.
final class LatencyPublisher: RTMPBenchClient {
    private let fixture: LatencyFixture
    private let frameBytes: Int
    private let loop: EventLoop
    private let timer: Timer
    private var pacer: FixturePacer
    private var frameNumber: UInt32 = 0
    private var out: [UInt8] = []
    private var body: [UInt8] = []
    var onAir: (() -> Void)?

    init(loop: EventLoop, url: RTMPURL, fixture: LatencyFixture, kbps: Int) throws {
        self.loop = loop
        self.fixture = fixture
        frameBytes = fixture.videoFrameBytes(kbps: kbps)
        pacer = FixturePacer(times: fixture.frames.map(\.timestamp), loopMs: fixture.loopMs)
        timer = try Timer(loop: loop)
        try super.init(loop: loop, url: url, mode: .publish)
    }

    override func handle(_ action: RTMPClientSession.Action) {
        guard case .ready = action, var session else { return }
        out.removeAll(keepingCapacity: true)
        fixture.videoHeader.withUnsafeBytes { _ = session.sendMedia(typeID: 9, timestamp: 0, payload: $0, into: &out) }
        fixture.audioHeader?.withUnsafeBytes { _ = session.sendMedia(typeID: 8, timestamp: 0, payload: $0, into: &out) }
        self.session = session
        write(out)
        pacer.start(at: loop.now)
        sendDue()
        onAir?()
    }

    /// Sends every frame whose time has come, then sleeps until the next one.
    private func sendDue() {
        guard failure == nil, var session else { return }
        out.removeAll(keepingCapacity: true)
        let wait = pacer.sendDue(now: loop.now) { index, timestamp in
            let frame = fixture.frames[index]
            if frame.type == .video {
                stamp(frame.body)
                body.withUnsafeBytes { _ = session.sendMedia(typeID: 9, timestamp: timestamp, payload: $0, into: &out) }
            } else {
                frame.body.withUnsafeBytes { _ = session.sendMedia(typeID: 8, timestamp: timestamp, payload: $0, into: &out) }
            }
        }
        self.session = session
        if !out.isEmpty { write(out) }
        try? timer.start(after: wait) { [unowned self] in sendDue() }
    }

    /// `body` = the frame's tag header, the stamp, its NAL units, filler up to `frameBytes`.
    private func stamp(_ frame: [UInt8]) {
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: frame[0..<5])
        LatencyStamp.appendSEI(number: frameNumber, lengthSize: fixture.nalLengthSize, to: &body)
        frameNumber &+= 1
        body.append(contentsOf: frame[5...])
        LatencyStamp.appendFiller(upTo: frameBytes, lengthSize: fixture.nalLengthSize, to: &body)
    }
}

/// Plays the stream; hands each stamped video frame's number and send time to the recorder as it arrives.
final class LatencyPlayer: RTMPBenchClient {
    private let recorder: LatencyRecorder
    private var lengthSize = 4

    init(loop: EventLoop, url: RTMPURL, recorder: LatencyRecorder) throws {
        self.recorder = recorder
        try super.init(loop: loop, url: url, mode: .play)
    }

    override func handle(_ action: RTMPClientSession.Action) {
        switch action {
        case .media(let message) where message.typeID == 9:
            let arrived = monotonicNanos()
            let body = message.payload
            guard body.count > 5 else { return }
            if body[1] == 0 {
                if body.count > 9 { lengthSize = Int(body[9] & 3) + 1 }
                return
            }
            body.withUnsafeBytes {
                if let stamp = LatencyStamp.find(in: UnsafeRawBufferPointer(rebasing: $0[5...]), lengthSize: lengthSize) {
                    recorder.record(number: stamp.number, sent: stamp.sent, arrived: arrived)
                }
            }
        default:
            break
        }
    }
}

func benchRTMPLatency(publish publishText: String, play playText: String, seconds: Int, kbps: Int, fixturePath: String,
                      others: Int) {
    signal(SIGPIPE, SIG_IGN)
    let publishURL = parseRTMPURL(publishText)
    let playURL = parseRTMPURL(playText)
    let loop = try! EventLoop()
    let fixture = LatencyFixture(path: fixturePath)
    let publisher = try! LatencyPublisher(loop: loop, url: publishURL, fixture: fixture, kbps: kbps)
    publisher.onFailure = { _, reason in die("rtmp-latency: publisher: \(reason)") }
    let recorder = try! LatencyRecorder(name: "rtmp_latency", seconds: seconds, loop: loop)
    let start = try! Timer(loop: loop)
    let playAddress = BenchConnection.resolve(host: playURL.host, port: playURL.port, on: loop)
    func play() {
        try! start.start(after: 1000) {
            recorder.play(playAddress, attempts: 10) { try LatencyPlayer(loop: loop, url: playURL, recorder: recorder) }
        }
    }
    var viewers: [RTMPViewer] = []
    var othersPlaying = 0
    publisher.onAir = {
        guard others > 0 else { return play() }
        let counters = RTMPViewerCounters()
        for _ in 0..<others {
            let viewer = try! RTMPViewer(loop: loop, url: playURL, counters: counters, lowWater: 32768)
            viewer.onFailure = { _, reason in die("rtmp-latency: another player: \(reason)") }
            viewer.onPlaying = {
                othersPlaying += 1
                if othersPlaying == others { play() }
            }
            viewers.append(viewer)
            viewer.connect(to: playAddress)
        }
    }
    publisher.connect(to: BenchConnection.resolve(host: publishURL.host, port: publishURL.port, on: loop))
    _ = loop.run()
    _ = viewers
}
