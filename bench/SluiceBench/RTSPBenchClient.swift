import EventLoop
import RTSP

/// One RTSP player of the benchmarks (`rtsp-viewers`, `rtsp-latency`): a `BenchConnection` driving the RTSP
/// module's `RTSPClientSession` (OPTIONS, DESCRIBE, SETUP of every audio and video track over TCP interleaved,
/// PLAY). Subclasses take `.ready` and `.interleaved` (`handle`) and may stop feeding the session once it plays
/// (`feeding = false`); `keepAlive(now:)` still sends its GET_PARAMETER or OPTIONS within the session timeout the
/// server gave (half of it; 60 s when it gave none), whose answers are then read as bytes and not parsed.
///
/// A redirect or a server that only offers UDP fails the player: the benchmarks play TCP interleaved.
class RTSPBenchClient: BenchConnection {
    private(set) var session: RTSPClientSession
    /// False once a subclass has stopped feeding the session what arrives.
    var feeding = true

    init(loop: EventLoop, url: RTSPURL) throws {
        var configuration = RTSPClientSession.Configuration()
        configuration.userAgent = "SluiceBench"
        session = RTSPClientSession(url: url, configuration: configuration)
        try super.init(loop: loop)
    }

    override func connected() {
        perform(session.start())
    }

    override func received(_ bytes: UnsafeRawBufferPointer) {
        guard feeding else { return }
        perform(session.receive(bytes))
    }

    /// Sends the session's keep-alive when it is due; `now` in milliseconds (monotonic). Call about once a second.
    func keepAlive(now: UInt64) {
        guard failure == nil else { return }
        perform(session.tick(now: Int64(now)))
    }

    private func perform(_ actions: [RTSPClientSession.Action]) {
        for action in actions {
            guard failure == nil else { return }
            switch action {
            case .send(let bytes): write(bytes)
            case .failed(let reason): fail(reason)
            case .reconnect(let url): fail("redirected to \(url.requestURL): not followed")
            case .openUDP: fail("asked for UDP ports: the benchmark plays TCP interleaved")
            case .ready, .interleaved: handle(action)
            }
        }
    }

    /// `.ready` and `.interleaved`, for subclasses.
    func handle(_ action: RTSPClientSession.Action) {}
}

func parseRTSPURL(_ text: String) -> RTSPURL {
    do { return try RTSPURL(text) } catch { die("\(text): \(error)") }
}
