#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import RTMP

/// One RTMP client connection of the benchmarks (`rtmp-viewers`, `rtmp-latency`): a TCP connection driving the RTMP
/// module's `RTMPClientSession` (handshake, connect, createStream, play or publish). Subclasses take the actions
/// (`handle`) and may stop feeding the session once it is ready (`received`).
class RTMPBenchClient {
    let connection: TCPConnection
    /// Nil once a subclass has stopped feeding it.
    var session: RTMPClientSession?
    private(set) var failure: String?
    /// Called once, on the first failure (connect, protocol, end of stream).
    var onFailure: ((RTMPBenchClient, String) -> Void)?

    init(loop: EventLoop, url: RTMPURL, mode: RTMPClientSession.Mode) throws {
        connection = try TCPConnection(loop: loop)
        session = RTMPClientSession(url: url, mode: mode)
    }

    func connect(to address: SocketAddress) {
        do {
            try connection.connect(to: address) { [unowned self] error in
                if let error { return fail("connect: \(error)") }
                do {
                    try connection.setNoDelay(true)
                    try connection.startReading(onData: { [unowned self] in received($0) },
                                                onEnd: { [unowned self] in fail("closed by the server" + ($0.map { ": \($0)" } ?? "")) })
                } catch {
                    return fail("\(error)")
                }
                if var session {
                    let actions = session.start()
                    self.session = session
                    perform(actions)
                }
            }
        } catch {
            fail("connect: \(error)")
        }
    }

    /// What the server sent: fed to the session, whose actions are performed.
    func received(_ bytes: UnsafeRawBufferPointer) {
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

    func write(_ bytes: [UInt8]) {
        do { try connection.write(bytes) } catch { fail("write: \(error)") }
    }

    func fail(_ reason: String) {
        guard failure == nil else { return }
        failure = reason
        connection.close()
        onFailure?(self, reason)
    }
}

/// The loopback address of an rtmp:// URL (resolved once: `EventLoop.resolve` blocks).
func resolve(_ url: RTMPURL, on loop: EventLoop) -> SocketAddress {
    do { return try loop.resolve(host: url.host, port: url.port) } catch { die("\(url.host): \(error)") }
}

func parseRTMPURL(_ text: String) -> RTMPURL {
    do { return try RTMPURL(text) } catch { die("\(text): \(error)") }
}

/// A process serving many sockets needs more than the usual 1024 descriptors: the soft limit goes to the hard one.
func raiseDescriptorLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// One line to a descriptor in a single write(2) (1: stdout, unbuffered, so a script reading the file sees it at
/// once; 2: stderr).
func writeLine(_ line: String, to descriptor: Int32 = 1) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
}

/// Ends the benchmark with a message on stderr (a failed run, not a crash to debug).
func die(_ message: String) -> Never {
    writeLine("SluiceBench: \(message)", to: 2)
    exit(1)
}
