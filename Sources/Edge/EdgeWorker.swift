#if canImport(Glibc)
import Glibc
#endif
import Config
import Control
import EventLoop
import HLS
import HTTP
import Log
import Media
import Ring

/// The edge worker role (`sluice worker edge`): accepts viewers on the listening sockets the supervisor passed in,
/// and serves every stream from its ring, identically to every other edge worker (DESIGN.md section 1). Its config
/// comes from the supervisor over its channel (descriptor 0), first at start and again on reloads; it never binds a
/// port and never reads the config file.
public final class EdgeWorker {
    private let loop: EventLoop
    private let channel: Pipe
    private var channelLines = ControlLineSplitter()
    private let instance: String
    private var streams: [String: ResolvedStream]
    /// The templates publishers may make streams from.
    private var templates: [ResolvedStream]
    private var log: Logger
    private var listeners: [TCPListener] = []
    private var connections: [ObjectIdentifier: HTTPServerConnection] = [:]
    private var liveChannels = LiveChannelTable<LiveTSChannel>()
    private var held: [HeldRequest] = []
    private var demand = ClientDemand()
    /// Wakes the loop when a ring with live viewers is written: no polling, and an idle edge sleeps.
    private let wakeups: RingWakeups
    /// Brings the loop back when a batching channel hands out next (`LiveBatching`).
    private let liveTimer: Timer
    /// Runs only while there are held requests.
    private let heldTimer: Timer
    private var date = HTTPDate.now()
    private var timers: [Timer] = []
    private var signals: [Signal] = []
    private let hls: HLSService
    private var rtmp: RTMPService!
    /// Only on edges given `rtsp` listeners (it binds the UDP ports its viewers are sent media from).
    private var rtsp: RTSPService?

    /// How long a keep-alive or half-sent request may sit idle.
    static let idleTimeoutMs: UInt64 = 30_000

    /// `listeners`: the listening sockets the supervisor passed, with their protocol (`http`, `rtmp`, `rtsp`).
    public init(config: ServerConfig, instance: String, listeners: [(fd: Int32, proto: String)], channelFD: Int32,
                log: Logger) throws {
        self.loop = try EventLoop()
        self.channel = try Pipe(loop: loop, ipc: true, fileDescriptor: channelFD)
        self.streams = Self.streams(of: config)
        self.templates = config.publishingTemplates()
        self.instance = instance
        self.log = log
        self.hls = HLSService(instance: instance, log: log)
        self.heldTimer = try Timer(loop: loop)
        self.liveTimer = try Timer(loop: loop)
        self.wakeups = try RingWakeups(loop: loop)
        let context = EdgeServiceContext(
            loop: loop, instance: instance, log: log,
            lookup: { [unowned self] name, publishing in stream(named: name, publishing: publishing) },
            handOff: { [unowned self] handoff, connection, done in hand(handoff, connection, done) },
            wakeups: wakeups)
        self.rtmp = RTMPService(context: context)
        if listeners.contains(where: { $0.proto == "rtsp" }) { rtsp = RTSPService(context: context) }
        wakeups.onNews { [unowned self] in pumpLive() }
        for (fd, proto) in listeners {
            let listener = try TCPListener(loop: loop, fileDescriptor: fd)
            switch proto {
            case "http": try listener.listen { [unowned self] result in accepted(result) }
            case "rtmp": try listener.listen { [unowned self] result in rtmp.accepted(result) }
            case "rtsp": try listener.listen { [unowned self] result in rtsp?.accepted(result) }
            default: throw EdgeError("descriptor \(fd): unknown listener protocol \(proto)")
            }
            self.listeners.append(listener)
        }
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() throws -> Int32 {
        let sweep = try Timer(loop: loop)
        try sweep.start(after: 1000, repeating: 1000) { [unowned self] in sweepConnections() }
        timers = [sweep, liveTimer, heldTimer]
        for number in [SIGTERM, SIGINT] {
            let signal = try Signal(loop: loop)
            try signal.start(number) { [unowned self] _ in stop() }
            signals.append(signal)
        }
        try channel.startReading(onData: { [unowned self] bytes in fromSupervisor(bytes) },
                                 onEnd: { [unowned self] _ in
                                     log.notice("supervisor channel closed")
                                     stop()
                                 })
        try channel.write(Array(WorkerMessage.ready.line.utf8))
        log.info("serving on \(listeners.count) listening socket(s)")
        _ = loop.run()
        return 0
    }

    private func stop() {
        log.info("stopping")
        for listener in listeners { listener.close() }
        for connection in connections.values { connection.close() }
        for timer in timers { timer.close() }
        for signal in signals { signal.close() }
        channel.close()
        liveChannels.removeAll()
        rtmp.closeAll()
        rtsp?.closeAll()
        wakeups.stop()
        held.removeAll()
        hls.closeAll()
    }

    /// Messages from the supervisor: a new config on reload.
    private func fromSupervisor(_ bytes: UnsafeRawBufferPointer) {
        channelLines.append(bytes)
        while let line = channelLines.next() {
            guard case .line(let text) = line, case .config(let configText)? = try? WorkerMessage(line: text) else {
                log.error("unexpected message from the supervisor")
                continue
            }
            let result = ConfigParser.parse(configText, file: "(from the supervisor)")
            guard let config = result.config else {
                log.error("config from the supervisor does not parse: \(result.errors.first?.description ?? "")")
                continue
            }
            reload(config)
        }
    }

    private func reload(_ config: ServerConfig) {
        let fresh = Self.streams(of: config)
        for (name, stream) in streams where fresh[name] != stream {
            hls.forget(name)
            liveChannels.forget(name)
            rtmp.forget(name)
            rtsp?.forget(name)
        }
        streams = fresh
        templates = config.publishingTemplates()
        log.info("config applied, \(streams.count) streams")
    }

    private func accepted(_ result: Result<TCPConnection, LibUVError>) {
        switch result {
        case .failure(let error):
            log.error("accept: \(error)")
        case .success(let tcp):
            let connection = HTTPServerConnection(
                connection: tcp, now: loop.now, log: log, date: { [unowned self] in currentDate() },
                route: { [unowned self] request, connection in route(request, connection) },
                onClose: { [unowned self] connection in connections[ObjectIdentifier(connection)] = nil })
            connections[ObjectIdentifier(connection)] = connection
            do { try connection.start() } catch { connection.close() }
        }
    }

    private func currentDate() -> HTTPDate {
        date.update(seconds: Int(time(nil)))
        return date
    }

    /// A stream this edge serves: one of the config, or one a template made for a publisher, while its ring exists
    /// (for a publisher: whether or not it exists yet, the supervisor makes it).
    private func stream(named name: String, publishing: Bool = false) -> ResolvedStream? {
        if let stream = streams[name] { return stream }
        guard let made = ServerConfig.publishedStream(named: name, templates: templates) else { return nil }
        if publishing { return made }
        return ringExists(name) ? made : nil
    }

    /// Static and on-demand streams by name, with inherited settings resolved (published streams come later).
    private static func streams(of config: ServerConfig) -> [String: ResolvedStream] {
        var streams: [String: ResolvedStream] = [:]
        for resolved in config.resolvedStreams() where resolved.stream.kind != .template {
            streams[resolved.stream.name] = resolved
        }
        return streams
    }

    private func route(_ request: HTTPRequest, _ connection: HTTPServerConnection) -> HTTPServerConnection.Reply {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .complete(HTTPResponse(status: 405, headers: HTTPHeaders([("Allow", "GET, HEAD")])), body: nil, range: nil)
        }
        guard let route = HLSRoute(path: request.path), let stream = stream(named: route.stream) else {
            return HLSService.text(404, "not found\n")
        }
        if stream.stream.kind == .ondemand { viewed(stream.stream.name) }
        if let reply = answer(route, stream, request, connection) { return reply }
        held.append(HeldRequest(connection: connection, route: route, stream: stream.stream.name,
                                deadline: loop.now + Self.holdMs))
        if held.count == 1 { try? heldTimer.start(after: 100, repeating: 100) { [unowned self] in answerHeld() } }
        return .later
    }

    /// The answer to a request for a stream, or nil while it must wait: a playlist before the stream's first
    /// segments, a live MPEG-TS request for an on-demand stream whose source is starting.
    private func answer(_ route: HLSRoute, _ stream: ResolvedStream, _ request: HTTPRequest,
                        _ connection: HTTPServerConnection) -> HTTPServerConnection.Reply? {
        guard case .mpegts = route.request else { return hls.reply(to: route, stream: stream, request: request) }
        if stream.stream.kind == .ondemand && liveChannels[stream.stream.name] == nil && !ringExists(stream.stream.name) {
            return nil
        }
        return startLiveTS(stream.stream, request: request, connection: connection)
    }

    private func ringExists(_ stream: String) -> Bool {
        guard let ring = try? RingName(instance: instance, stream: stream) else { return false }
        return access(ring.path, F_OK) == 0
    }

    /// A viewer of an on-demand stream: the supervisor hears of it (`ClientDemand`), and starts or keeps its source.
    private func viewed(_ stream: String) {
        guard demand.viewed(stream, now: loop.now) else { return }
        do { try channel.write(Array(WorkerMessage.demand(stream).line.utf8)) } catch {
            log.error("\(stream): cannot tell the supervisor of its viewers: \(error)")
        }
    }

    /// A request held until its stream has segments or its on-demand source is up (LESSONS.md 6), answered 503
    /// after `holdMs`.
    private struct HeldRequest {
        let connection: HTTPServerConnection
        let route: HLSRoute
        let stream: String
        let deadline: UInt64
    }

    /// How long a first playlist request may wait for the stream's first segments.
    static let holdMs: UInt64 = 15_000

    /// Answers the held requests whose playlists are ready or whose time is up.
    private func answerHeld() {
        guard !held.isEmpty else { return heldTimer.stop() }
        let now = loop.now
        held.removeAll { waiting in
            guard !waiting.connection.connection.isClosing, let request = waiting.connection.request else { return true }
            guard let stream = streams[waiting.stream] else {
                waiting.connection.finish(HLSService.text(404, "not found\n"))
                return true
            }
            if stream.stream.kind == .ondemand { viewed(stream.stream.name) }
            if let reply = answer(waiting.route, stream, request, waiting.connection) {
                waiting.connection.finish(reply)
                return true
            }
            guard now >= waiting.deadline else { return false }
            waiting.connection.finish(HLSService.notReady())
            return true
        }
        if held.isEmpty { heldTimer.stop() }
    }

    /// `/NAME/mpegts`: the response head, then the stream from its newest keyframe until the viewer leaves.
    private func startLiveTS(_ stream: StreamConfig, request: HTTPRequest, connection: HTTPServerConnection) -> HTTPServerConnection.Reply {
        let channel: LiveTSChannel
        if let existing = liveChannels[stream.name] {
            channel = existing
        } else {
            do {
                let reader = try RingReader(open: RingName(instance: instance, stream: stream.name))
                channel = try LiveTSChannel(stream: stream.name, reader: reader, wakeups: wakeups, loop: loop,
                                            muxerOptions: MuxerOptions.of(stream), log: log)
                liveChannels.insert(channel, key: stream.name)
            } catch {
                log.info("\(stream.name): no ring to play yet: \(error)")
                return HLSService.text(404, "stream \(stream.name) is not running\n")
            }
        }
        let response = HTTPResponse(status: 200, body: .untilClose, contentType: "video/mp2t", cacheControl: "no-cache",
                                    allowOrigin: "*", keepAlive: false)
        if request.isHead { return .complete(response, body: nil, range: nil) }
        connection.send(response, body: nil)
        let viewer = LiveTSChannel.Viewer(connection: connection)
        channel.add(viewer)
        connection.whenClosed = { [weak channel] in channel?.remove(viewer) }
        return .streaming
    }

    /// A watched ring was written, or a batching channel's time came: every live channel (HTTP MPEG-TS, RTMP and
    /// RTSP) takes what its ring has. The wake-up threads watch again if a channel wants every frame; channels that
    /// batch all (`LiveBatching`) are brought back by the timer alone, so that their rings' writes wake nobody.
    private func pumpLive() {
        var everyFrame = false
        var earliest: UInt64?
        func next(_ time: UInt64?) {
            if let time { earliest = min(earliest ?? time, time) } else { everyFrame = true }
        }
        liveChannels.pump(next)
        rtmp.pump(next)
        rtsp?.pump(next)
        if everyFrame || earliest == nil { wakeups.rearm() }
        if let earliest {
            try? liveTimer.start(after: earliest - min(earliest, loop.now)) { [unowned self] in pumpLive() }
        } else {
            liveTimer.stop()
        }
    }

    /// A publisher's connection to the supervisor, for its stream's ingest worker; `done` once it is on its way.
    private func hand(_ handoff: WorkerMessage.Handoff, _ connection: TCPConnection, _ done: @escaping () -> Void) {
        do {
            try channel.write(SharedBytes(Array(WorkerMessage.handoff(handoff).line.utf8)), passing: connection) { [unowned self] error in
                if let error { log.error("handing a publisher of \(handoff.stream) over: \(error)") }
                done()
            }
        } catch {
            log.error("handing a publisher of \(handoff.stream) over: \(error)")
            done()
        }
    }

    private func sweepConnections() {
        let now = loop.now
        // Live viewers of on-demand streams keep their sources running.
        let played = liveChannels.streams.union(rtmp.playedStreams).union(rtsp?.playedStreams ?? [])
        for name in played where streams[name]?.stream.kind == .ondemand {
            viewed(name)
        }
        demand.sweep(now: now)
        for connection in connections.values { connection.sweep(now: now, idleMs: Self.idleTimeoutMs) }
        rtmp.sweep(now: now, idleMs: Self.idleTimeoutMs)
        rtsp?.sweep(now: now, idleMs: Self.idleTimeoutMs)
        // Viewers of a ring that is gone (a published stream that ended, a stream restarted with another ring) are
        // let go: they reconnect to what serves the stream now.
        liveChannels.dropReplaced(log: log, what: "live MPEG-TS viewers")
    }
}
