#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import RTMP

// RTMP fan-out load (issue 4): `rtmp-viewers URL COUNT SECONDS` plays one stream COUNT times from this one process,
// on one libuv loop, and counts what arrives. It must cost little next to the server it loads (they share the
// machine), so a viewer runs the RTMP module's client session only until the server says NetStream.Play.Start;
// from then on it counts the bytes of each read and decodes nothing, and asks the kernel (SO_RCVLOWAT) to wake it
// for LOW_WATER bytes at a time (`rtmp-viewers URL COUNT SECONDS [LOW_WATER]`, default 32768; 0 wakes it for
// every arrival, as a player showing the picture would be).
//
// On loopback the sender's system calls also run the receiver's TCP input and wake the receiver, so how often the
// viewers wake up is charged to the server measured: a viewer woken for each of nginx-rtmp's per-message writes
// costs nginx more than a viewer on another machine would. The low-water mark takes most of that out, for both
// servers alike; docs/benchmarks.md gives the figures both ways.
//
// Acknowledgements: the server announced a Window Acknowledgement Size after connect (Sluice 2,500,000 bytes,
// nginx-rtmp its `ack_window`, 5,000,000), and a client is to send an Acknowledgement each time that many bytes
// have arrived. Neither server stops sending without them (nginx-rtmp logs an acknowledgement and nothing more,
// Sluice ignores it; neither sends pings to a client that keeps sending something), but a viewer that stopped
// acknowledging would not be a fair client of either. So each viewer runs a copy of the session's chunk decoder
// over the bytes after the handshake until Play.Start, which gives it the window and the count the session
// acknowledged at, and then goes on counting and acknowledging by itself, as the session would have.
//
// Viewers connect at most `connectWindow` at a time (a new one starts when one is playing or has failed), so that
// the server's accept backlog copes. Output on stdout:
//   rtmp_viewers_started playing P failed F seconds S       once every viewer plays or failed (S: how long it took)
//   rtmp_viewers N playing P failed F bytes B seconds S mbps_per_viewer X acks A cpu_s C least_mbps L
// the second after SECONDS more, where B counts the bytes of those SECONDS only, C is this process's own CPU over
// them, and L the bitrate of the viewer that received least (a server that skipped frames for some would show).

/// One viewer.
final class RTMPViewer: RTMPBenchClient {
    /// The size of S0 + S1 + S2: the bytes before the chunk stream.
    private static let handshakeBytes = 1 + 1536 + 1536
    private let counters: RTMPViewerCounters
    private var handshakeLeft = RTMPViewer.handshakeBytes
    /// A copy of the session's decoder, fed the same chunk-stream bytes until Play.Start.
    private var decoder = RTMPChunkDecoder()
    /// Chunk-stream bytes received, and the count at the last acknowledgement.
    private var chunkBytes: UInt64 = 0
    private var acknowledged: UInt64 = 0
    private var window: UInt64 = 0
    private let lowWater: Int32
    /// All bytes this viewer received, and their count when the measurement started.
    private(set) var bytes: UInt64 = 0
    var bytesBeforeMeasuring: UInt64 = 0
    private(set) var playing = false
    var onPlaying: ((RTMPViewer) -> Void)?

    init(loop: EventLoop, url: RTMPURL, counters: RTMPViewerCounters, lowWater: Int) throws {
        self.counters = counters
        self.lowWater = Int32(lowWater)
        try super.init(loop: loop, url: url, mode: .play)
    }

    override func received(_ bytes: UnsafeRawBufferPointer) {
        counters.bytes &+= UInt64(bytes.count)
        self.bytes &+= UInt64(bytes.count)
        guard session != nil else {
            chunkBytes &+= UInt64(bytes.count)
            if window > 0, chunkBytes - acknowledged >= window { acknowledge() }
            return
        }
        // Before Play.Start: the session does the work; the decoder copy follows the chunk stream.
        let skip = min(handshakeLeft, bytes.count)
        handshakeLeft -= skip
        if skip < bytes.count {
            _ = try? decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[skip...])) { _ in .proceed }
            if decoder.acknowledgementDue() != nil { acknowledged = decoder.bytesReceived }
        }
        super.received(bytes)
    }

    override func handle(_ action: RTMPClientSession.Action) {
        guard case .ready = action else { return }
        // The rest of this read was processed by the session; from the next one on, bytes are only counted.
        session = nil
        chunkBytes = decoder.bytesReceived
        window = UInt64(decoder.windowAcknowledgementSize)
        decoder = RTMPChunkDecoder()
        // Wake up for `lowWater` bytes at a time rather than for every message the server writes (nginx-rtmp
        // writes each message on its own): the kernel holds the bytes meanwhile.
        if lowWater > 1, let descriptor = try? connection.fileDescriptor() {
            var value = lowWater
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVLOWAT, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        playing = true
        onPlaying?(self)
    }

    /// An Acknowledgement (type 3) with the chunk-stream bytes received so far, self-contained (a type-0 header):
    /// the session, which wrote the earlier control messages on chunk stream 2, writes nothing any more.
    private func acknowledge() {
        acknowledged = chunkBytes
        counters.acks += 1
        var message: [UInt8] = []
        RTMPControlMessage.acknowledgement(sequenceNumber: UInt32(truncatingIfNeeded: chunkBytes)).payload.withUnsafeBytes {
            RTMPChunkEncoder.appendStandalone($0, typeID: RTMPMessageType.acknowledgement, streamID: 0, timestamp: 0,
                                              csid: RTMPChunkStreamID.control,
                                              chunkSize: RTMPChunkDecoder.defaultChunkSize, to: &message)
        }
        write(message)
    }
}

/// What all viewers received, counted in one place (no per-viewer work to add it up).
final class RTMPViewerCounters {
    var bytes: UInt64 = 0
    var acks = 0
}

func benchRTMPViewers(url text: String, count: Int, seconds: Int, lowWater: Int, connectWindow: Int = 50) {
    signal(SIGPIPE, SIG_IGN)
    raiseDescriptorLimit()
    let url = parseRTMPURL(text)
    let loop = try! EventLoop()
    let address = resolve(url, on: loop)
    let counters = RTMPViewerCounters()
    var viewers: [RTMPViewer] = []
    viewers.reserveCapacity(count)
    var connecting = 0
    var playingCount = 0
    var failedCount = 0
    var reasons: [String: Int] = [:]
    let started = now()
    let ticker = try! Timer(loop: loop)
    var measuring = false
    var measureStart = (bytes: UInt64(0), acks: 0, cpu: 0.0)

    func startMeasuring() {
        measuring = true
        writeLine("rtmp_viewers_started playing \(playingCount) failed \(failedCount) "
            + "seconds \(String(format1: now() - started))")
        measureStart = (counters.bytes, counters.acks, processCPUSeconds())
        for viewer in viewers { viewer.bytesBeforeMeasuring = viewer.bytes }
        try! ticker.start(after: UInt64(seconds) * 1000) {
            let bytes = counters.bytes - measureStart.bytes
            let cpu = processCPUSeconds() - measureStart.cpu
            let players = viewers.filter { $0.playing && $0.failure == nil }
            let playing = players.count
            func mbit(_ bytes: UInt64, per viewers: Int) -> Double {
                viewers > 0 ? Double(bytes) * 8 / Double(seconds) / 1e6 / Double(viewers) : 0
            }
            let mbps = mbit(bytes, per: playing)
            let leastMbps = mbit(players.map { $0.bytes - $0.bytesBeforeMeasuring }.min() ?? 0, per: 1)
            for (reason, times) in reasons.sorted(by: { $0.value > $1.value }).prefix(5) {
                writeLine("rtmp-viewers: \(times) x \(reason)", to: 2)
            }
            writeLine("rtmp_viewers \(count) playing \(playing) failed \(failedCount) bytes \(bytes) seconds \(seconds) "
                + "mbps_per_viewer \(String(format2: mbps)) acks \(counters.acks - measureStart.acks) "
                + "cpu_s \(String(format2: cpu)) least_mbps \(String(format2: leastMbps))")
            exit(0)
        }
    }

    /// Starts viewers until `connectWindow` are on their way; once all have played or failed, the measurement starts.
    func startMore() {
        while connecting < connectWindow, viewers.count < count {
            let viewer = try! RTMPViewer(loop: loop, url: url, counters: counters, lowWater: lowWater)
            connecting += 1
            viewer.onPlaying = { _ in
                connecting -= 1
                playingCount += 1
                startMore()
            }
            viewer.onFailure = { client, reason in
                failedCount += 1
                reasons[reason, default: 0] += 1
                if !(client as! RTMPViewer).playing {
                    connecting -= 1
                    startMore()
                }
            }
            viewers.append(viewer)
            viewer.connect(to: address)
        }
        if !measuring, connecting == 0, viewers.count == count { startMeasuring() }
    }

    startMore()
    // Viewers that never answer must not hold the measurement back for ever.
    let deadline = try! Timer(loop: loop)
    try! deadline.start(after: 120_000) {
        if !measuring {
            writeLine("rtmp-viewers: \(connecting) viewers still starting after 120 s, measuring without them", to: 2)
            startMeasuring()
        }
    }
    loop.run()
}

extension String {
    init(format1 value: Double) { self = String(Double(Int((value * 10).rounded())) / 10) }
    init(format2 value: Double) { self = String(Double(Int((value * 100).rounded())) / 100) }
}
