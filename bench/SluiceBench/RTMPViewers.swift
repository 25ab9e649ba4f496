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
// Connecting, measuring and the output are `ViewerFleet`'s (shared with rtsp-viewers):
//   rtmp_viewers N playing P failed F bytes B seconds S mbps_per_viewer X acks A cpu_s C least_mbps L

/// One viewer.
final class RTMPViewer: RTMPBenchClient, FleetViewer {
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
    private let lowWater: Int
    private(set) var playing = false
    var onPlaying: (() -> Void)?

    init(loop: EventLoop, url: RTMPURL, counters: RTMPViewerCounters, lowWater: Int) throws {
        self.counters = counters
        self.lowWater = lowWater
        try super.init(loop: loop, url: url, mode: .play)
    }

    override func received(_ bytes: UnsafeRawBufferPointer) {
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
        // nginx-rtmp writes each message on its own: wake up for `lowWater` bytes at a time instead.
        wakeForLowWater(lowWater)
        playing = true
        onPlaying?()
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

/// The acknowledgements all viewers sent, counted in one place.
final class RTMPViewerCounters {
    var acks = 0
}

func benchRTMPViewers(url text: String, count: Int, seconds: Int, lowWater: Int) {
    raiseDescriptorLimit()
    let url = parseRTMPURL(text)
    let loop = try! EventLoop()
    let counters = RTMPViewerCounters()
    let fleet = try! ViewerFleet(name: "rtmp_viewers", count: count, seconds: seconds, loop: loop,
                                 counter: .init(name: "acks") { counters.acks }) {
        try RTMPViewer(loop: loop, url: url, counters: counters, lowWater: lowWater)
    }
    fleet.run(connectingTo: RTMPBenchClient.resolve(host: url.host, port: url.port, on: loop))
}
