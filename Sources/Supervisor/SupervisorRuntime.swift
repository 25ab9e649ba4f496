#if canImport(Glibc)
import Glibc
#endif
import Config
import Control
import EventLoop
import Ingest
import Log
import Ring
import SystemCalls

/// The supervisor role (`sluice run`): the I/O around `Supervision`. It owns the listening sockets, the rings, the
/// control socket and the workers' processes and channels; it performs what `Supervision` decides and feeds it what
/// happens (spawns, exits, timers, signals, reloads). It never touches media (DESIGN.md section 1).
public final class SupervisorRuntime {
    let loop: EventLoop
    let configPath: String
    let runtime: RuntimeDirectory
    var log: Logger
    var supervision: Supervision
    var listeners: [ListeningSocket] = []
    var workers: [Int32: WorkerProcess] = [:]
    var ingestStates: [String: WorkerMessage.IngestState] = [:]
    /// What each stream's pusher last reported of its targets.
    var pushStates: [String: [PushStatus]] = [:]
    /// Publishers handed over for a stream whose ingest worker is starting, with when they came (ms).
    var waitingPublishers: [String: [(handoff: WorkerMessage.Handoff, connection: TCPConnection, since: Int64)]] = [:]
    /// Since when (ms) each stream made for publishers has had no publisher.
    var publisherlessSince: [String: Int64] = [:]
    /// When (ms) an edge last said it has viewers of each running on-demand stream.
    var lastDemand: [String: Int64] = [:]
    var statistics: StreamStatistics
    var lastReload: (result: ReloadResult, at: MonotonicInstant)?
    let startedAt: MonotonicInstant
    let executable: String
    private var timer: Timer?
    private var handles: [Handle] = []
    var controlServer: Pipe?
    let notifier = SystemdNotifier()
    private var exitCode: Int32 = 0

    /// Parses the config (throwing its diagnostics), prepares the runtime directory and binds the listeners; nothing
    /// runs until `run()`.
    public init(configPath: String, config: ServerConfig, runtimeDirectory: String?, log: Logger) throws {
        self.loop = try EventLoop()
        self.configPath = configPath
        self.log = log
        self.runtime = try RuntimeDirectory.prepare(runtimeDirectory ?? config.runtimeDir ?? "/run/sluice", controlSocket: config.control)
        self.statistics = StreamStatistics(instance: runtime.instance)
        self.executable = Self.ownExecutable()
        let policy = SupervisionPolicy(runtimeDirectory: runtime.path, instance: runtime.instance,
                                       defaultEdgeCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                                       ringCapacity: Self.ringCapacity)
        self.supervision = Supervision(policy: policy)
        self.startedAt = Self.now()
        do {
            listeners = try Self.bind(config)
        } catch {
            runtime.clean()
            throw error
        }
        for warning in UnbuiltFeatures.warnings(config) { log.notice(warning) }
        pending = config
    }

    private var pending: ServerConfig?

    /// Runs until SIGTERM/SIGINT (or a fatal error); returns the exit status.
    public func run() throws -> Int32 {
        timer = try Timer(loop: loop)
        for (number, handler) in [(SIGHUP, { [unowned self] in reload(reason: "SIGHUP") }),
                                  (SIGTERM, { [unowned self] in shutdown() }), (SIGINT, { [unowned self] in shutdown() })] {
            let signal = try Signal(loop: loop)
            try signal.start(number) { _ in handler() }
            handles.append(signal)
        }
        let sampler = try Timer(loop: loop)
        try sampler.start(after: 2000, repeating: 2000) { [unowned self] in
            for name in supervision.streamNames { _ = statistics.read(name) }
            checkPublishedStreams()
            checkOnDemandStreams()
        }
        handles.append(sampler)
        try startControlServer()
        if let config = pending {
            pending = nil
            perform(supervision.apply(config, now: Self.now()))
        }
        log.notice("started: \(supervision.streamNames.count) streams, listening on "
                   + listeners.map { "\($0.proto) \($0.host.isEmpty ? "*" : $0.host):\($0.port)" }.joined(separator: ", ")
                   + ", control \(runtime.controlSocket)")
        logPlayURLs()
        notifier.send(SystemdNotification.ready(status: "\(supervision.streamNames.count) streams"))
        _ = loop.run()
        return exitCode
    }

    /// Where to watch each stream, for the operator who just started the server.
    private func logPlayURLs() {
        func host(_ listener: ListeningSocket) -> String {
            listener.host.isEmpty || listener.host == "0.0.0.0" ? "localhost" : listener.host
        }
        let http = listeners.first { $0.proto == "http" }
        let rtmp = listeners.first { $0.proto == "rtmp" }
        let rtsp = listeners.first { $0.proto == "rtsp" }
        for name in supervision.streamNames {
            var urls: [String] = []
            if let http {
                urls.append("http://\(host(http)):\(http.port)/\(name)/index.m3u8 (HLS)")
                urls.append("http://\(host(http)):\(http.port)/\(name)/mpegts (MPEG-TS)")
            }
            if let rtmp { urls.append("rtmp://\(host(rtmp)):\(rtmp.port)/static/\(name) (RTMP)") }
            if let rtsp { urls.append("rtsp://\(host(rtsp)):\(rtsp.port)/\(name) (RTSP)") }
            if !urls.isEmpty { log.notice("\(name): " + urls.joined(separator: ", ")) }
        }
    }

    // MARK: actions

    func perform(_ actions: [SupervisorAction]) {
        for action in actions {
            switch action {
            case .createRing(let stream, let capacity):
                do {
                    try Ring.create(RingName(instance: runtime.instance, stream: stream), capacity: capacity)
                    statistics.forget(stream)
                } catch {
                    log.error("\(stream): cannot create its ring: \(error)")
                }
            case .removeRing(let stream):
                do { try Ring.remove(RingName(instance: runtime.instance, stream: stream)) } catch {
                    log.error("\(stream): cannot remove its ring: \(error)")
                }
                statistics.forget(stream)
                ingestStates[stream] = nil
                pushStates[stream] = nil
            case .spawn(let spec):
                spawn(spec)
            case .signal(let pid, let number):
                if kill(pid, number) != 0 && errno != ESRCH { log.error("kill(\(pid), \(number)): \(SystemError("kill"))") }
            case .configure(let pid, let config):
                workers[pid]?.send(.config(config))
            case .setTimer(let at):
                loop.updateTime()  // libuv schedules from its cached clock, which may lag after a long poll
                let delay = max(0, at.milliseconds - Self.now().milliseconds)
                log.debug("next supervision tick in \(delay) ms")
                do {
                    try timer?.start(after: UInt64(delay)) { [unowned self] in perform(supervision.tick(now: Self.now())) }
                } catch {
                    log.error("supervision timer: \(error)")
                }
            case .exit(let code):
                finish(code)
            }
        }
    }

    private func spawn(_ spec: WorkerSpec) {
        do {
            let channel = try Pipe(loop: loop, ipc: true)
            var stdio: [Process.Stdio] = [.pipe(channel), .inherit, .inherit]
            var arguments = spec.arguments
            if case .edge = spec.id {
                stdio += listeners.map { .fileDescriptor($0.fd) }
                arguments += ["--listeners", listeners.map(\.proto).joined(separator: ",")]
            }
            var worker: WorkerProcess?
            let process = try Process(loop: loop, executable: executable, arguments: arguments, stdio: stdio) {
                [unowned self] status, signal in
                guard let exited = worker else { return }
                workers[exited.pid] = nil
                exited.close()
                if signal != 0 || status != 0 || !supervision.isShuttingDown {
                    log.notice("\(spec.id) (pid \(exited.pid)) exited" + (signal != 0 ? " on signal \(signal)" : " with status \(status)"))
                }
                perform(supervision.exited(pid: exited.pid, status: Int(status), signal: signal, now: Self.now()))
            }
            let started = WorkerProcess(id: spec.id, process: process, channel: channel)
            worker = started
            workers[process.pid] = started
            try started.listen { [unowned self] message in received(message, from: started) }
            started.send(.config(spec.config))
            log.info("started \(spec.id) (pid \(process.pid))")
            perform(supervision.spawned(spec.id, pid: process.pid, now: Self.now()))
        } catch {
            log.error("cannot start \(spec.id): \(error)")
            perform(supervision.spawnFailed(spec.id, reason: "\(error)", now: Self.now()))
        }
    }

    private func received(_ message: Result<WorkerMessage, ControlProtocolError>, from worker: WorkerProcess) {
        switch message {
        case .success(.ready):
            perform(supervision.ready(pid: worker.pid, now: Self.now()))
            if case .ingest(let stream) = worker.id { handWaitingPublishers(of: stream, to: worker) }
        case .success(.ingest(let state)):
            if let stream = worker.id.stream {
                ingestStates[stream] = state
                if state.status == StreamStatus.State.error.rawValue { onDemandGaveUp(stream) }
            }
        case .success(.demand(let stream)):
            demanded(stream, by: worker)
        case .success(.pushes(let pushes)):
            if case .pusher(let stream) = worker.id { pushStates[stream] = pushes }
        case .success(.handoff(let handoff)):
            relay(handoff, from: worker)
        case .success(.config):
            log.error("\(worker.id) sent a config message; ignored")
        case .failure(let error):
            log.error("\(worker.id): \(error)")
        }
    }

    // MARK: reload and shutdown

    /// Re-reads the config file and applies it as a per-stream diff. A config that does not parse changes nothing.
    @discardableResult
    func reload(reason: String) -> ReloadResult {
        log.notice("reloading (\(reason))")
        notifier.send(SystemdNotification.reloading(monotonicMicroseconds: UInt64(Self.now().milliseconds) * 1000))
        defer { notifier.send(SystemdNotification.ready(status: "\(supervision.streamNames.count) streams")) }
        let result: ReloadResult
        do {
            let text = try readTextFile(configPath)
            let parsed = ConfigParser.parse(text, file: configPath)
            if let config = parsed.config {
                try bindNewListeners(config)
                for warning in UnbuiltFeatures.warnings(config) { log.notice(warning) }
                perform(supervision.apply(config, now: Self.now()))
                result = ReloadResult(ok: true, message: "applied: \(config.summary)")
                log.notice("reload applied: \(config.summary)")
            } else {
                let first = parsed.errors.first
                for diagnostic in parsed.errors { log.error("reload refused: \(diagnostic)") }
                result = ReloadResult(ok: false, message: first?.description ?? "config has errors", file: first?.location.file,
                                      line: first?.location.line, column: first?.location.column)
            }
        } catch {
            log.error("reload refused: \(error)")
            result = ReloadResult(ok: false, message: "\(error)")
        }
        lastReload = (result, Self.now())
        return result
    }

    private func shutdown() {
        log.notice("stopping")
        notifier.send(SystemdNotification.stopping)
        controlServer?.close()
        controlServer = nil
        perform(supervision.shutdown(now: Self.now()))
    }

    private func finish(_ code: Int32) {
        exitCode = code
        for listener in listeners { listener.close() }
        listeners.removeAll()
        runtime.clean()
        timer?.close()
        for handle in handles { handle.close() }
        controlServer?.close()
        log.notice("stopped")
    }

    /// Binds the listeners a reloaded config adds; listeners it drops stay bound until the edges restart (they are
    /// matched by address and kept, never rebound).
    private func bindNewListeners(_ config: ServerConfig) throws {
        for wanted in Self.addresses(config) where !listeners.contains(where: { $0.proto == wanted.proto && $0.host == wanted.host && $0.port == wanted.port }) {
            listeners.append(try ListeningSocket.open(proto: wanted.proto, host: wanted.host, port: wanted.port))
        }
    }

    // MARK: helpers

    static func bind(_ config: ServerConfig) throws -> [ListeningSocket] {
        var sockets: [ListeningSocket] = []
        do {
            for address in addresses(config) {
                sockets.append(try ListeningSocket.open(proto: address.proto, host: address.host, port: address.port))
            }
        } catch {
            for socket in sockets { socket.close() }
            throw error
        }
        return sockets
    }

    /// The HTTP, RTMP and RTSP listeners (SRT is parsed but served by no edge yet: `UnbuiltFeatures` says so).
    static func addresses(_ config: ServerConfig) -> [(proto: String, host: String, port: Int)] {
        [("http", config.http), ("rtmp", config.rtmp), ("rtsp", config.rtsp)].flatMap { proto, addresses in
            addresses.map { (proto, $0.address ?? "", $0.port) }
        }
    }

    /// The data area of a stream's ring: `segment_count` + 2 segments of `segment_duration` at a generous 40 Mbit/s,
    /// with the sizing rule's headroom. The file is sparse: memory is spent only on the pages the writer uses, and
    /// its `RingWindowSizer` makes it use what the measured bitrate needs (DESIGN.md section 2: sized from what it
    /// must hold, not one large default).
    static func ringCapacity(_ stream: ResolvedStream) -> Int {
        Ring.capacity(seconds: Double(IngestWorker.ringWindowSeconds(stream.stream)), bitrate: 40_000_000)
    }

    static func now() -> MonotonicInstant {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return MonotonicInstant(milliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    /// This binary, to re-execute as every worker.
    static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
