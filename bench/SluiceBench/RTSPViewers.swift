import EventLoop
import RTSP

// RTSP fan-out load (issue 5): `rtsp-viewers URL COUNT SECONDS [LOW_WATER]` plays one stream COUNT times over TCP
// interleaved from this one process, on one libuv loop, and counts what arrives, as rtmp-viewers does for RTMP. A
// viewer runs the RTSP module's client session (OPTIONS, DESCRIBE, SETUP per track, PLAY) until PLAY is answered;
// from then on it counts the bytes of each read (RTP, RTCP and the answers to its keep-alives alike) and parses
// nothing, and asks the kernel (SO_RCVLOWAT) to wake it for LOW_WATER bytes at a time (default 32768, for the
// reasons given in RTMPViewers.swift; 0 wakes it for every arrival).
//
// Keep-alive: every viewer sends the session's GET_PARAMETER (OPTIONS when the server does not list it) every half
// session timeout (the SETUP answer's `Session: ...;timeout=N`, 60 s by default), from one timer for all. It sends
// no RTCP receiver reports: neither Sluice nor the usual servers need them over TCP.
//
// Connecting, measuring and the output are `ViewerFleet`'s (shared with rtmp-viewers):
//   rtsp_viewers N playing P failed F bytes B seconds S mbps_per_viewer X cpu_s C least_mbps L

/// One viewer.
final class RTSPViewer: RTSPBenchClient, FleetViewer {
    private let lowWater: Int
    private(set) var playing = false
    var onPlaying: (() -> Void)?

    init(loop: EventLoop, url: RTSPURL, lowWater: Int) throws {
        self.lowWater = lowWater
        try super.init(loop: loop, url: url)
    }

    override func handle(_ action: RTSPClientSession.Action) {
        guard case .ready = action else { return }
        // The rest of this read went through the session; from the next one on, bytes are only counted.
        feeding = false
        wakeForLowWater(lowWater)
        playing = true
        onPlaying?()
    }
}

func benchRTSPViewers(url text: String, count: Int, seconds: Int, lowWater: Int) {
    raiseDescriptorLimit()
    let url = parseRTSPURL(text)
    let loop = try! EventLoop()
    let fleet = try! ViewerFleet(name: "rtsp_viewers", count: count, seconds: seconds, loop: loop) {
        try RTSPViewer(loop: loop, url: url, lowWater: lowWater)
    }
    try! fleet.everySecond { viewers in
        for case let viewer as RTSPViewer in viewers { viewer.keepAlive(now: loop.now) }
    }
    fleet.run(connectingTo: BenchConnection.resolve(host: url.host, port: url.port, on: loop))
}
