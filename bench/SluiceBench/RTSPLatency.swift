#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import Media
import RTP
import RTSP

// Camera-to-viewer latency (issue 5): `rtsp-latency URL SECONDS [CAMERA_PORT [KBPS [FIXTURE.flv]]]` plays URL over
// TCP interleaved and measures, for each video frame, the time from its stamp (`LatencyStamp`: taken by the camera
// just before the frame's packets are written) until the RTP module's demuxer (`RTPDemuxer`: reorder window,
// H.264 depacketizer, access unit framing) has the whole access unit.
//
// With CAMERA_PORT, this process also runs the stamped camera (`RTSPCamera`, KBPS default 2000) on that port, on
// the same loop: URL is then the camera's own (rtsp://127.0.0.1:CAMERA_PORT/cam, the camera read directly) or a
// server's whose stream pulls from the camera (`input rtsp://127.0.0.1:CAMERA_PORT/cam`). Without it, URL must
// lead to a stamped camera running on this machine (`rtsp-camera`: CLOCK_MONOTONIC is the machine's clock).
//
// The player starts at once and again every second for up to 60 s while the server does not have the stream (a
// pulled camera's stream starts once its ingest has connected); `LatencyRecorder` counts the frames sent from 1 s
// after the first stamped one arrived and prints `rtsp_latency frames N lost L p50_us X p99_us Y max_us Z`.

/// Plays the stream; hands each stamped video frame's number and send time to the recorder as its access unit
/// comes out of the demuxer.
final class RTSPLatencyPlayer: RTSPBenchClient {
    private let recorder: LatencyRecorder
    private var demuxer: RTPDemuxer?
    private var videoChannels: (rtp: Int, rtcp: Int)?
    private var arrived: UInt64 = 0
    private let keepAlives: Timer

    init(loop: EventLoop, url: RTSPURL, recorder: LatencyRecorder) throws {
        self.recorder = recorder
        keepAlives = try Timer(loop: loop)
        try super.init(loop: loop, url: url)
    }

    override func received(_ bytes: UnsafeRawBufferPointer) {
        arrived = monotonicNanos()
        super.received(bytes)
    }

    override func handle(_ action: RTSPClientSession.Action) {
        switch action {
        case .ready(let tracks):
            guard let video = tracks.first(where: { $0.media.type == "video" }), let channels = video.interleavedChannels else {
                return fail("no video track played over TCP")
            }
            do {
                demuxer = try RTPDemuxer([RTPTrackDescription(media: video.media)])
            } catch {
                return fail("video track: \(error)")
            }
            videoChannels = channels
            try? keepAlives.start(after: 1000, repeating: 1000) { [unowned self] in keepAlive(now: connection.loop.now) }
        case .interleaved(let channel, let payload):
            guard let demuxer, let channels = videoChannels else { return }
            payload.withUnsafeBytes { packet in
                if Int(channel) == channels.rtp {
                    demuxer.feedRTP(track: 0, packet, arrival: Int64(arrived / 100_000 * 9)) { [recorder, arrived] _, _, frame in
                        if let stamp = LatencyStamp.find(in: frame, lengthSize: 4) {
                            recorder.record(number: stamp.number, sent: stamp.sent, arrived: arrived)
                        }
                    }
                } else if Int(channel) == channels.rtcp {
                    demuxer.feedRTCP(packet)
                }
            }
        default:
            break
        }
    }

    override func fail(_ reason: String) {
        keepAlives.close()
        super.fail(reason)
    }
}

func benchRTSPLatency(url text: String, seconds: Int, cameraPort: Int?, kbps: Int, fixturePath: String) {
    signal(SIGPIPE, SIG_IGN)
    let url = parseRTSPURL(text)
    let loop = try! EventLoop()
    var camera: RTSPCamera?
    if let cameraPort {
        do {
            camera = try RTSPCamera(loop: loop, port: cameraPort, fixture: LatencyFixture(path: fixturePath), kbps: kbps)
            try camera?.start()
        } catch {
            die("rtsp-latency: camera on port \(cameraPort): \(error)")
        }
    }
    let recorder = try! LatencyRecorder(name: "rtsp_latency", seconds: seconds, loop: loop)
    recorder.play(BenchConnection.resolve(host: url.host, port: url.port, on: loop), attempts: 60) {
        try RTSPLatencyPlayer(loop: loop, url: url, recorder: recorder)
    }
    _ = loop.run()
    _ = camera
}
