import EventLoop
import RTMP

/// One RTMP client connection of the benchmarks (`rtmp-viewers`, `rtmp-latency`): a `BenchConnection` driving the
/// RTMP module's `RTMPClientSession` (handshake, connect, createStream, play or publish). Subclasses take the
/// actions (`handle`) and may stop feeding the session once it is ready (`session = nil`).
class RTMPBenchClient: BenchConnection {
    /// Nil once a subclass has stopped feeding it.
    var session: RTMPClientSession?

    init(loop: EventLoop, url: RTMPURL, mode: RTMPClientSession.Mode) throws {
        session = RTMPClientSession(url: url, mode: mode)
        try super.init(loop: loop)
    }

    override func connected() {
        guard var session else { return }
        let actions = session.start()
        self.session = session
        perform(actions)
    }

    /// What the server sent: fed to the session, whose actions are performed.
    override func received(_ bytes: UnsafeRawBufferPointer) {
        guard var session else { return }
        let actions = session.receive(bytes)
        self.session = session
        perform(actions)
    }

    private func perform(_ actions: [RTMPClientSession.Action]) {
        for action in actions {
            guard failure == nil else { return }
            switch action {
            case .send(let bytes): write(bytes)
            case .failed(let reason): fail(reason)
            default: handle(action)
            }
        }
    }

    /// `.ready`, `.media` and `.status`, for subclasses.
    func handle(_ action: RTMPClientSession.Action) {}
}

func parseRTMPURL(_ text: String) -> RTMPURL {
    do { return try RTMPURL(text) } catch { die("\(text): \(error)") }
}
