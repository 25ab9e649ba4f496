import EventLoop
import Log
import RTSP

/// One connection on an RTSP port of an edge worker, driving an `RTSPServerSession`: a viewer (DESCRIBE, SETUP of
/// some or all of a stream's tracks over TCP or UDP, PLAY, keep-alives, TEARDOWN), served by its stream's
/// `RTSPLiveChannel`; or a publisher, handed over to its stream's ingest worker at its ANNOUNCE (the socket and the
/// session's state). Connections that neither play nor were handed over are closed by `sweep(now:idleMs:)` when idle
/// (`EdgeConnection`).
final class RTSPEdgeConnection: EdgeConnection {
    /// What the edge decides when the session asks.
    struct Router {
        /// A publisher's ANNOUNCE: nil once its handover started, else a refusal.
        var publish: (RTSPServerSession.Request, RTSPEdgeConnection) -> Refusal?
        /// The channel of the stream at a path, or a refusal.
        var channel: (String) -> Result<RTSPLiveChannel, Refusal>
        /// The edge's UDP ports for viewers (nil: UDP is refused, 461).
        var udp: UDPSocketPair?
    }

    struct Refusal: Error {
        var status: Int
        var reason: String
    }

    private var session: RTSPServerSession
    private let router: Router
    /// The stream this connection described or set up.
    private var stream: (path: String, channel: RTSPLiveChannel)?
    /// The outputs set up, by index: the SETUP URL and the transport agreed.
    private var setups: [Int: (url: String, transport: RTSPTransport)] = [:]
    private var viewer: RTSPLiveChannel.Viewer?

    init(connection: TCPConnection, now: UInt64, router: Router, log: Logger, onClose: @escaping (EdgeConnection) -> Void) {
        self.session = RTSPServerSession(configuration: .init(sessionID: Self.randomHex(8), nonce: Self.randomHex(16)))
        self.router = router
        super.init(connection: connection, label: "RTSP", now: now, log: log, onClose: onClose)
    }

    override func received(_ bytes: UnsafeRawBufferPointer) { perform(session.receive(bytes)) }

    override var isPlaying: Bool { viewer != nil }

    override func close() {
        stopPlaying()
        stream?.channel.release(self)
        stream = nil
        super.close()
    }

    /// The channel starts this viewer: the PLAY is answered, media follows.
    func startPlaying(rtpInfo: [RTPInfo]) {
        log.info("\(peer): RTSP play of \(stream?.path ?? "?") over \(viewer?.overUDP == true ? "UDP" : "TCP")")
        perform(session.acceptPlay(rtpInfo: rtpInfo))
    }

    /// Hands the publisher over: `send` gets the session's state once every byte this side wrote has left, and must
    /// pass the connection on; this side's handle is closed when `send` calls back.
    func handOver(_ send: @escaping (RTSPServerSessionHandover, @escaping () -> Void) -> Void) -> Bool {
        guard let handover = session.handOver() else { return false }
        passOn { done in send(handover, done) }
        return true
    }

    private func stopPlaying() {
        if let viewer { stream?.channel.remove(viewer) }
        viewer = nil
    }

    private func perform(_ actions: [RTSPServerSession.Action]) {
        for action in actions {
            guard !connection.isClosing, !handedOver else { return }
            switch action {
            case .send(let bytes):
                do { try connection.write(bytes) } catch { return close() }
            case .describe(let request):
                switch channel(request.path) {
                case .failure(let refusal): refuse(request, refusal)
                case .success(let channel):
                    guard let description = channel.describe() else {
                        refuse(request, Refusal(status: 503, reason: "\(request.path) has no track to send yet"))
                        continue
                    }
                    perform(session.acceptDescribe(description))
                }
            case .setup(let request, let transport):
                setUp(request, transport)
            case .play(let request):
                play(request)
            case .announce(let request, _):
                if let refusal = router.publish(request, self) { refuse(request, refusal) }
            case .record(let request):
                refuse(request, Refusal(status: 455, reason: "RECORD without an accepted ANNOUNCE"))
            case .interleaved:
                break  // a viewer's receiver reports
            case .teardown:
                stopPlaying()
                setups.removeAll()
            case .close(let reason):
                return closeAfterWrites(reason)
            }
        }
    }

    private func refuse(_ request: RTSPServerSession.Request, _ refusal: Refusal) {
        log.info("\(peer): RTSP \(request.method) of \(request.path) refused (\(refusal.status)): \(refusal.reason)")
        perform(session.reject(status: refusal.status))
    }

    /// The channel of `path`: the one this connection already uses, or the stream's (which it then holds).
    private func channel(_ path: String) -> Result<RTSPLiveChannel, Refusal> {
        if let stream {
            guard stream.path == path else { return .failure(Refusal(status: 459, reason: "this connection is for \(stream.path)")) }
            return .success(stream.channel)
        }
        let found = router.channel(path)
        if case .success(let channel) = found {
            channel.hold(self)
            stream = (path, channel)
        }
        return found
    }

    private func setUp(_ request: RTSPServerSession.Request, _ transport: RTSPTransport) {
        guard transport.mode != "RECORD" else {
            return refuse(request, Refusal(status: 455, reason: "SETUP to record without an accepted ANNOUNCE"))
        }
        guard viewer == nil else { return refuse(request, Refusal(status: 455, reason: "SETUP while playing")) }
        guard setups.values.allSatisfy({ $0.transport.lowerTransport == transport.lowerTransport }) else {
            return refuse(request, Refusal(status: 461, reason: "TCP and UDP tracks mixed"))
        }
        let channel: RTSPLiveChannel
        switch self.channel(request.path) {
        case .failure(let refusal): return refuse(request, refusal)
        case .success(let found): channel = found
        }
        guard let packager = channel.packager, !packager.outputs.isEmpty else {
            return refuse(request, Refusal(status: 503, reason: "\(request.path) has no track to send yet"))
        }
        // The aggregate URL sets up a stream of one track.
        guard let k = request.track.map({ packager.output(track: $0) }) ?? (packager.outputs.count == 1 ? 0 : nil) else {
            return refuse(request, Refusal(status: 404, reason: "no track \(request.track.map(String.init) ?? "(none given)")"))
        }
        let ssrc = packager.outputs[k].packetizer.ssrc
        setups[k] = (request.uri, transport)
        if transport.lowerTransport == .udp {
            guard let udp = router.udp, !peerIP.contains(":") else {
                setups[k] = nil
                return refuse(request, Refusal(status: 461, reason: "no UDP ports for this client (IPv6, or none bound)"))
            }
            perform(session.acceptSetup(serverPorts: (udp.port, udp.port + 1), ssrc: ssrc))
        } else {
            perform(session.acceptSetup(ssrc: ssrc, interleaved: RTSPStreamPackager.interleavedChannels(k)))
        }
    }

    private func play(_ request: RTSPServerSession.Request) {
        guard let stream, !setups.isEmpty else { return refuse(request, Refusal(status: 455, reason: "PLAY before SETUP")) }
        guard viewer == nil else { return perform(session.acceptPlay()) }  // already playing: nothing changes
        var targets: [(rtp: SocketAddress, rtcp: SocketAddress)?] = []
        if setups.values.first?.transport.lowerTransport == .udp {
            let outputs = stream.channel.packager?.outputs.count ?? 0
            targets = Array(repeating: nil, count: max(outputs, (setups.keys.max() ?? 0) + 1))
            for (k, setup) in setups {
                guard let ports = setup.transport.clientPort,
                      let rtp = try? SocketAddress(ip: peerIP, port: UInt16(clamping: ports.rtp)),
                      let rtcp = try? SocketAddress(ip: peerIP, port: UInt16(clamping: ports.rtcp)) else {
                    return refuse(request, Refusal(status: 461, reason: "no client ports for track \(k)"))
                }
                targets[k] = (rtp, rtcp)
            }
        }
        let viewer = RTSPLiveChannel.Viewer(connection: self, urls: setups.mapValues(\.url), udpTargets: targets)
        self.viewer = viewer
        stream.channel.play(viewer)
    }

    private static func randomHex(_ digits: Int) -> String {
        let alphabet = Array("0123456789abcdef")
        return String((0..<digits).map { _ in alphabet[Int.random(in: 0..<16)] })
    }
}
