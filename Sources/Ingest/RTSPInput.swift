import Config
import EventLoop
import Log
import Media
import RTSP

/// `input rtsp://[user:password@]host[:port]/path[?query]` (port 554), and `rtsp2://` the same way (the worker
/// transcodes its G.711 audio): an IP camera pulled over RTSP, RTP interleaved on the RTSP connection by default, on
/// one UDP port pair per track with the stream's `rtp udp;`. `tracks=N[,M]` (an option of the input line, or in the
/// URL's query) picks SDP media sections, 1-based. The protocol and every decision are `RTSPPull`'s; this owns the
/// TCP connection (the host resolved like `rtmp://`'s, at each connect and redirect), the UDP ports, and a
/// one-second timer (keep-alives, receiver reports). Open at PLAY's answer; failed at a refusal, the end of the
/// connection or a socket error. No timeout of its own: the stream's `source_timeout` covers a camera that never
/// answers, or answers PLAY and never sends.
///
/// `stop` sends TEARDOWN (best effort: written at once if the socket takes it, then the connection is closed), except
/// when the input is being closed from its own failure: the session is gone then.
final class RTSPInput: IngestInput {
    private let config: InputConfig
    private let forcedTransport: RTPTransport?
    private let loop: EventLoop
    private let events: IngestInputEvents
    private let log: Logger
    /// Nil while one of its calls runs (`withPull`), and after `stop`.
    private var pull: RTSPPull?
    private var connection: TCPConnection?
    /// The camera's address (the RTSP connection's peer): UDP goes to it, and only datagrams from it are taken.
    private var camera: SocketAddress?
    private var cameraIP = ""
    /// Per set-up track, with `rtp udp`.
    private var pairs: [UDPSocketPair] = []
    private var timer: Timer?
    /// A port pair bound while the pull ran, to hand it once its call has returned.
    private var boundPorts: (track: Int, rtp: Int, rtcp: Int)?
    private var stopped = false

    init(config: InputConfig, transport: RTPTransport?, loop: EventLoop, events: IngestInputEvents, log: Logger) {
        self.config = config
        self.forcedTransport = transport
        self.loop = loop
        self.events = events
        self.log = log
    }

    func start() throws {
        let url: RTSPURL
        do { url = try RTSPURL(config.url.text) } catch {
            throw InputError(config.url.password.map { "\(error)".replacing($0, with: "***") } ?? "\(error)")
        }
        guard url.scheme != .rtsps else { throw InputError("rtsps:// needs TLS, which is not built yet") }
        var configuration = RTSPClientSession.Configuration()
        configuration.transport = forcedTransport == .udp ? .udp : .tcp
        configuration.tracks = config.tracks
        configuration.authenticationSeed = .random(in: 0 ... .max)
        pull = RTSPPull(url: url, configuration: configuration, ssrc: .random(in: 1 ... .max))
        let timer = try Timer(loop: loop)
        self.timer = timer
        try timer.start(after: 1_000, repeating: 1_000) { [unowned self] in withPull { $0.tick(now: now, $1) } }
        try connect(url)
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        if var pull = pull.take() { end(&pull) }  // else a pull call is running: `withPull` ends it
        timer?.close()
        timer = nil
        for pair in pairs { pair.close() }
        pairs = []
    }

    private var now: Int64 { Int64(loop.now) }

    /// TEARDOWN if the pull is still on, the RTP layer's summary in the log, the connection closed.
    private func end(_ pull: inout RTSPPull) {
        pull.stop { if case .send(let bytes) = $0 { try? connection?.write(bytes) } }
        if let summary = pull.summary { log.info("\(config.url.redacted): ended: \(summary)") }
        connection?.close()
        connection = nil
    }

    private func connect(_ url: RTSPURL) throws {
        let address = try loop.resolve(host: url.host, port: url.port)
        camera = address
        cameraIP = address.ip
        let connection = try TCPConnection(loop: loop)
        self.connection = connection
        try connection.connect(to: address) { [unowned self] error in
            guard !stopped, connection === self.connection else { return }
            if let error { return fail("\(error)") }  // names the call and the address
            do {
                try connection.setNoDelay(true)
                try connection.startReading(onData: { [unowned self] bytes in
                    withPull { $0.receive(bytes, now: now, $1) }
                }, onEnd: { [unowned self] error in
                    withPull { $0.ended(error: error.map { "\($0)" }, $1) }
                })
            } catch {
                return fail("\(error)")
            }
            withPull { $0.start($1) }
        }
    }

    /// Runs one call of the pull with `perform` as its output. The pull is taken out meanwhile, so that what the
    /// outputs cause (the worker stopping this input from its failure) never reaches into it; a port pair bound
    /// meanwhile is handed to it afterwards.
    private func withPull(_ body: (inout RTSPPull, (RTSPPull.Output) -> Void) -> Void) {
        guard var current = pull.take() else { return }
        body(&current, perform)
        if stopped {
            end(&current)
            return
        }
        pull = current
        if let ports = boundPorts.take() {
            withPull { $0.udpOpened(track: ports.track, rtpPort: ports.rtp, rtcpPort: ports.rtcp, $1) }
        }
    }

    private func perform(_ output: RTSPPull.Output) {
        guard !stopped else { return }  // the worker may stop this input from inside `events`
        switch output {
        case .send(let bytes):
            do { try connection?.write(bytes) } catch { fail("write: \(error)") }
        case .reconnect(let url):
            log.notice("\(config.url.redacted): redirected to \(url.requestURL)")
            connection?.close()
            connection = nil
            do { try connect(url) } catch { fail("redirected to \(url.requestURL): \(error)") }
        case .openUDP(let track):
            do {
                let pair = try UDPSocketPair(loop: loop, ip: camera?.isIPv6 == true ? "::" : "0.0.0.0")
                pairs.append(pair)
                // A keyframe arrives as a burst of datagrams (the kernel caps this at net.core.rmem_max).
                _ = try? pair.rtp.setReceiveBufferSize(4 << 20)
                try receive(on: pair, track: pairs.count - 1)
                boundPorts = (track, pair.port, pair.port + 1)
            } catch {
                fail("UDP ports for track \(track): \(error)")
            }
        case .opened(let tracks):
            let list = tracks.map { "\($0.index) \($0.media.type) \($0.encodingName ?? "?")" }.joined(separator: ", ")
            log.info("\(config.url.redacted): playing over \(forcedTransport == .udp ? "UDP" : "TCP"), tracks \(list)")
            events.opened()
        case .datagram(let track, let rtcp, let port, let bytes):
            guard pairs.indices.contains(track), let address = try? SocketAddress(ip: cameraIP, port: UInt16(port)) else { return }
            // Best effort, like UDP itself: a full socket buffer or an ICMP error drops a report or a NAT opener.
            _ = bytes.withUnsafeBytes { try? (rtcp ? pairs[track].rtcp : pairs[track].rtp).trySend($0, to: address) }
        case .frame(let track, let info, let payload):
            events.frame(track, info, payload)
        case .note(let text):
            log.notice("\(config.url.redacted): \(text)")
        case .failed(let reason):
            fail(reason)
        }
    }

    /// Datagrams of the `track`-th set-up track, from the camera's address only.
    private func receive(on pair: UDPSocketPair, track: Int) throws {
        for (socket, rtcp) in [(pair.rtp, false), (pair.rtcp, true)] {
            try socket.startReceiving(onDatagram: { [unowned self] datagram, sender in
                guard sender?.ip == cameraIP else { return }
                withPull { $0.datagram(track: track, rtcp: rtcp, datagram, now: now, $1) }
            }, onError: { [unowned self] error in
                fail("UDP receive: \(error)")
            })
        }
    }

    private func fail(_ reason: String) {
        guard !stopped else { return }
        stop()
        events.failed(reason)
    }
}
