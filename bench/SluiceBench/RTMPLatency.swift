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
// The stream is real enough for any server to relay and package: the H.264 and AAC sequence headers and frames of
// Tests/MediaTests/Fixtures/h264_aac.flv (read with Media's FLVFileReader), looped with timestamps that keep
// growing, paced in real time. Each video frame gets one more NAL unit in front: an SEI of type
// user_data_unregistered (H.264 D.1.6) holding a UUID, the send time (CLOCK_MONOTONIC nanoseconds) and a frame
// number, as hexadecimal text (so no emulation-prevention bytes are needed); decoders ignore it, and servers pass
// SEI on (Sluice drops only delimiters and parameter sets). Frames are padded with filler data (NAL type 12) up to
// KBPS (default 2000), so that the probe carries the 2 Mbit/s of the fan-out benchmark.
//
// The player starts 1 s after the publisher is on air and the other players play (retrying while the server does
// not have the stream yet);
// frames sent before it played and during its first second (the server's burst of the current group of pictures)
// are not counted. Prints `rtmp_latency frames N lost L p50_us X p99_us Y max_us Z` (lost: frame numbers missing
// between the first and last counted).

/// The fixture as a loop: sequence headers, then frames with their times within one pass.
struct LatencyFixture {
    var videoHeader: [UInt8] = []
    var audioHeader: [UInt8]?
    var frames: [FLVTag] = []
    /// One pass of the loop, in ms: the end of its last frame.
    var loopMs: UInt32 = 0
    var nalLengthSize = 4

    init(path: String) {
        let (tags, reader) = FLVFileReader.tags(of: readFile(path))
        if let failure = reader.failure { die("\(path): \(failure)") }
        var lastByType: [FLVTagType: (UInt32, UInt32)] = [:]  // last timestamp, last step
        for tag in tags where tag.body.count >= 2 {
            switch tag.type {
            case .video where tag.body[1] == 0:
                videoHeader = tag.body
                if tag.body.count > 9 { nalLengthSize = Int(tag.body[9] & 3) + 1 }  // avcC lengthSizeMinusOne
            case .audio where tag.body[0] >> 4 == 10 && tag.body[1] == 0:
                audioHeader = tag.body
            case .video where tag.body[1] != 1:
                break  // end of sequence (ffmpeg writes one at the end of the file)
            case .video, .audio:
                let last = lastByType[tag.type]
                lastByType[tag.type] = (tag.timestamp, last.map { tag.timestamp &- $0.0 } ?? 0)
                frames.append(tag)
            case .scriptData:
                break
            }
        }
        guard !videoHeader.isEmpty, frames.contains(where: { $0.type == .video }) else {
            die("\(path): no H.264 sequence header or frames")
        }
        frames.sort { $0.timestamp < $1.timestamp }
        loopMs = lastByType.values.map { $0.0 + max($0.1, 1) }.max() ?? 1000
    }
}

private let seiUUID: [UInt8] = Array("SluiceBenchRTMP!".utf8)  // 16 bytes, none zero

/// Publishes the fixture in real time from `start()`.
final class LatencyPublisher: RTMPBenchClient {
    private let fixture: LatencyFixture
    private let frameBytes: Int
    private let loop: EventLoop
    private let timer: Timer
    private var index = 0
    private var pass: UInt32 = 0
    private var startMs: UInt64 = 0
    private var frameNumber: UInt32 = 0
    private var out: [UInt8] = []
    private var body: [UInt8] = []
    var onAir: (() -> Void)?

    init(loop: EventLoop, url: RTMPURL, fixture: LatencyFixture, kbps: Int) throws {
        self.loop = loop
        self.fixture = fixture
        let videoFrames = fixture.frames.filter { $0.type == .video }.count
        frameBytes = kbps * 1000 / 8 * Int(fixture.loopMs) / 1000 / max(videoFrames, 1)
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
        startMs = loop.now
        sendDue()
        onAir?()
    }

    /// Sends every frame whose time has come, then sleeps until the next one.
    private func sendDue() {
        guard failure == nil, var session else { return }
        out.removeAll(keepingCapacity: true)
        var due: UInt64 = 0
        while true {
            let frame = fixture.frames[index]
            let timestamp = pass &* fixture.loopMs &+ frame.timestamp
            due = startMs + UInt64(timestamp)
            guard due <= loop.now else { break }
            if frame.type == .video {
                stamp(frame.body)
                body.withUnsafeBytes { _ = session.sendMedia(typeID: 9, timestamp: timestamp, payload: $0, into: &out) }
            } else {
                frame.body.withUnsafeBytes { _ = session.sendMedia(typeID: 8, timestamp: timestamp, payload: $0, into: &out) }
            }
            index += 1
            if index == fixture.frames.count {
                index = 0
                pass += 1
            }
        }
        self.session = session
        if !out.isEmpty { write(out) }
        try? timer.start(after: due - loop.now) { [unowned self] in sendDue() }
    }

    /// `body` = the frame's tag header, the SEI with the time and number, its NAL units, filler up to `frameBytes`.
    private func stamp(_ frame: [UInt8]) {
        let lengthSize = fixture.nalLengthSize
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: frame[0..<5])
        var sei: [UInt8] = [6, 5, 40] + seiUUID
        sei += hex(monotonicNanos(), digits: 16) + hex(UInt64(frameNumber), digits: 8)
        sei.append(0x80)
        frameNumber &+= 1
        appendNAL(sei, lengthSize: lengthSize)
        body.append(contentsOf: frame[5...])
        let filler = frameBytes - body.count - lengthSize - 2
        if filler > 0 { appendNAL([12] + [UInt8](repeating: 0xFF, count: filler) + [0x80], lengthSize: lengthSize) }
    }

    private func appendNAL(_ nal: [UInt8], lengthSize: Int) {
        for shift in stride(from: (lengthSize - 1) * 8, through: 0, by: -8) { body.append(UInt8(truncatingIfNeeded: nal.count >> shift)) }
        body.append(contentsOf: nal)
    }
}

/// Plays the stream; hands each stamped video frame's number and send time to `onFrame` as it arrives.
final class LatencyPlayer: RTMPBenchClient {
    private var lengthSize = 4
    var onFrame: ((UInt32, UInt64, UInt64) -> Void)?
    var onPlaying: (() -> Void)?

    override func handle(_ action: RTMPClientSession.Action) {
        switch action {
        case .ready:
            onPlaying?()
        case .media(let message) where message.typeID == 9:
            let arrived = monotonicNanos()
            let body = message.payload
            guard body.count > 5 else { return }
            if body[1] == 0 {
                if body.count > 9 { lengthSize = Int(body[9] & 3) + 1 }
                return
            }
            var offset = 5
            while offset + lengthSize <= body.count {
                var length = 0
                for byte in body[offset..<(offset + lengthSize)] { length = length << 8 | Int(byte) }
                offset += lengthSize
                guard length > 0, offset + length <= body.count else { return }
                if length == 44, body[offset] & 0x1F == 6, body[offset + 1] == 5, body[offset + 2] == 40,
                   body[(offset + 3)..<(offset + 19)].elementsEqual(seiUUID),
                   let sent = parseHex(body[(offset + 19)..<(offset + 35)]),
                   let number = parseHex(body[(offset + 35)..<(offset + 43)]) {
                    onFrame?(UInt32(number), sent, arrived)
                    return
                }
                offset += length
            }
        default:
            break
        }
    }
}

private func hex(_ value: UInt64, digits: Int) -> [UInt8] {
    let symbols = Array("0123456789abcdef".utf8)
    return (0..<digits).reversed().map { symbols[Int((value >> (UInt64($0) * 4)) & 0xF)] }
}

private func parseHex(_ text: ArraySlice<UInt8>) -> UInt64? {
    var value: UInt64 = 0
    for c in text {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(c - UInt8(ascii: "a") + 10)
        default: return nil
        }
    }
    return value
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
    let retry = try! Timer(loop: loop)
    let end = try! Timer(loop: loop)
    var player: LatencyPlayer?
    var attempts = 0
    var measureFrom: UInt64 = .max
    var latencies: [UInt64] = []
    var numbers: (first: UInt32, last: UInt32)?
    var slowest: [(latency: UInt64, number: UInt32, sent: UInt64)] = []

    func finish() {
        guard !latencies.isEmpty, let numbers else { die("rtmp-latency: no stamped frame arrived") }
        latencies.sort()
        let described = slowest.sorted { $0.latency > $1.latency }.prefix(5).map {
            "frame \($0.number) sent \(($0.sent - (measureFrom - 1_000_000_000)) / 1_000_000) ms after play: \($0.latency / 1000) µs"
        }
        writeLine("rtmp-latency: slowest: \(described.joined(separator: "; "))", to: 2)
        func percentile(_ p: Double) -> UInt64 { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let expected = Int(numbers.last &- numbers.first) + 1
        writeLine("rtmp_latency frames \(latencies.count) lost \(max(0, expected - latencies.count)) "
              + "p50_us \(percentile(0.50) / 1000) p99_us \(percentile(0.99) / 1000) max_us \(latencies.last! / 1000)")
        exit(0)
    }

    func play() {
        attempts += 1
        let candidate = try! LatencyPlayer(loop: loop, url: playURL, mode: .play)
        candidate.onFailure = { _, reason in
            guard measureFrom == .max, attempts < 10 else { die("rtmp-latency: player: \(reason)") }
            writeLine("rtmp-latency: player: \(reason); again in 1 s", to: 2)
            try! retry.start(after: 1000) { play() }
        }
        candidate.onPlaying = {
            measureFrom = monotonicNanos() + 1_000_000_000
            try! end.start(after: 1000 + UInt64(seconds) * 1000) { finish() }
        }
        candidate.onFrame = { number, sent, arrived in
            guard sent >= measureFrom else { return }
            let latency = arrived >= sent ? arrived - sent : 0
            latencies.append(latency)
            if slowest.count < 5 || latency > slowest.min(by: { $0.latency < $1.latency })!.latency {
                slowest.append((latency, number, sent))
                slowest.sort { $0.latency > $1.latency }
                if slowest.count > 5 { slowest.removeLast() }
            }
            numbers = (numbers?.first ?? number, number)
        }
        player = candidate
        candidate.connect(to: resolve(playURL, on: loop))
    }

    var viewers: [RTMPViewer] = []
    var othersPlaying = 0
    publisher.onAir = {
        guard others > 0 else { return try! retry.start(after: 1000) { play() } }
        let counters = RTMPViewerCounters()
        for _ in 0..<others {
            let viewer = try! RTMPViewer(loop: loop, url: playURL, counters: counters, lowWater: 32768)
            viewer.onFailure = { _, reason in die("rtmp-latency: another player: \(reason)") }
            viewer.onPlaying = { _ in
                othersPlaying += 1
                if othersPlaying == others { try! retry.start(after: 1000) { play() } }
            }
            viewers.append(viewer)
            viewer.connect(to: resolve(playURL, on: loop))
        }
    }
    publisher.connect(to: resolve(publishURL, on: loop))
    loop.run()
    _ = (player, viewers)
}
