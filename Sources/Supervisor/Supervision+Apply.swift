import Config

extension Supervision {
    /// Applies a config: the first one starts everything; a later one (a reload that parsed and validated) is a
    /// per-stream diff (`ConfigDiff`): unchanged streams get no action at all, changed ones restart with their new
    /// spec, removed ones stop and their ring goes once their worker has exited, added ones start. Edge workers are
    /// added or stopped to match `workers N`; a change of listeners restarts them one by one (the caller binds the new
    /// listening sockets before, so no port closes); any other change reaches running edges as `configure`.
    public mutating func apply(_ new: ServerConfig, now: MonotonicInstant) -> [SupervisorAction] {
        guard !isShuttingDown else { return [] }
        let old = config
        let oldResolved = resolvedStreams
        config = new
        let resolvedList = new.resolvedStreams()
        resolvedStreams = Dictionary(resolvedList.map { ($0.stream.name, $0) }, uniquingKeysWith: { first, _ in first })
        var actions = applyEdges(old: old, new: new, now: now)
        // Streams made for publishers follow their template: restarted when it changed, stopped when it is gone.
        for name in published.sorted() {
            guard let resolved = new.publishedStream(named: name) else {
                published.remove(name)
                actions += stop(.ingest(stream: name), then: .remove, now: now)
                continue
            }
            resolvedStreams[name] = resolved
            if oldResolved[name] != resolved { actions += want(.ingest(stream: name), spec: ingestSpec(resolved), now: now) }
        }
        var removed: [String] = []
        var touched = resolvedList.map(\.stream.name)
        if let old {
            let diff = ConfigDiff(old: old, new: new)
            removed = diff.removed
            touched = diff.changed + diff.added
        }
        for name in removed {
            demanded.remove(name)
            actions += stop(.ingest(stream: name), then: .remove, now: now)
            actions += stop(.pusher(stream: name), then: .remove, now: now)
        }
        for name in touched {
            guard let resolved = resolvedStreams[name] else { continue }
            actions += reconcile(resolved, now: now)
        }
        return actions + timerActions()
    }

    /// Brings one stream's ingest and pusher slots in line with its config and demand. A stream has a pusher while
    /// it runs and has `push rtmp://` or `rtmps://` targets (DESIGN.md section 1: a dead target never stalls ingest or viewers).
    mutating func reconcile(_ resolved: ResolvedStream, now: MonotonicInstant) -> [SupervisorAction] {
        let stream = resolved.stream
        let id = WorkerID.ingest(stream: stream.name)
        let pusher = WorkerID.pusher(stream: stream.name)
        let wanted = !stream.settings.disabled && (stream.kind == .static || (stream.kind == .ondemand && demanded.contains(stream.name)))
        guard wanted else { return stop(id, then: .remove, now: now) + stop(pusher, then: .remove, now: now) }
        let actions = want(id, spec: ingestSpec(resolved), now: now)
        guard Self.pushesBuilt(stream).isEmpty == false else { return actions + stop(pusher, then: .remove, now: now) }
        return actions + want(pusher, spec: pusherSpec(resolved), now: now)
    }

    /// The `push` targets a pusher serves (RTMP and RTMPS; UDP and SRT pushes are not built yet).
    public static func pushesBuilt(_ stream: StreamConfig) -> [PushConfig] {
        stream.settings.pushes.filter { builtPushSchemes.contains($0.url.scheme) }
    }

    static let builtPushSchemes: Set<String> = ["rtmp", "rtmps"]

    /// Makes a slot run `spec`: starts it, restarts it, or (when it is waiting out a backoff) starts it at once.
    mutating func want(_ id: WorkerID, spec: WorkerSpec, now: MonotonicInstant) -> [SupervisorAction] {
        guard let worker = slots[id] else { return start(id, spec, now: now) }
        switch worker.state {
        case .backoff, .failed:
            slots[id]?.failures = 0
            slots[id]?.restarts += 1
            return start(id, spec, now: now)
        case .starting, .running, .stopping:
            return stop(id, then: .respawn(spec), now: now)
        }
    }

    private mutating func applyEdges(old: ServerConfig?, new: ServerConfig, now: MonotonicInstant) -> [SupervisorAction] {
        let oldCount = old.map(edgeCount) ?? 0
        let newCount = edgeCount(new)
        let listenersChanged = old.map { Self.listeners($0) != Self.listeners(new) } ?? false
        var actions: [SupervisorAction] = []
        for index in (newCount..<max(oldCount, newCount)).reversed() {
            actions += stop(.edge(index: index), then: .remove, now: now)
        }
        for index in 0..<min(oldCount, newCount) {
            let id = WorkerID.edge(index: index)
            let spec = edgeSpec(index: index, config: new)
            guard let worker = slots[id] else {
                actions += start(id, spec, now: now)
                continue
            }
            if worker.state == .stopping {
                actions += stop(id, then: .respawn(spec), now: now)
                continue
            }
            slots[id]?.spec = spec
            if listenersChanged {
                if !rollQueue.contains(index) { rollQueue.append(index) }
            } else if old != new, let pid = worker.pid {
                actions.append(.configure(pid: pid, config: spec.config))
            }
        }
        for index in oldCount..<max(oldCount, newCount) {
            actions += want(.edge(index: index), spec: edgeSpec(index: index, config: new), now: now)
        }
        if rolling == nil { actions += nextRoll(now: now) }
        return actions
    }

    /// Restarts the next edge of a rolling restart, skipping those that are not running (they start with the new
    /// spec anyway).
    mutating func nextRoll(now: MonotonicInstant) -> [SupervisorAction] {
        rolling = nil
        rollDeadline = nil
        while !rollQueue.isEmpty {
            let index = rollQueue.removeFirst()
            let id = WorkerID.edge(index: index)
            guard let worker = slots[id], worker.pid != nil, worker.state == .starting || worker.state == .running else { continue }
            rolling = index
            return stop(id, then: .respawn(worker.spec), now: now)
        }
        return []
    }

    func edgeCount(_ config: ServerConfig) -> Int { config.workers ?? policy.defaultEdgeCount }

    private static func listeners(_ config: ServerConfig) -> [[ListenAddress]] {
        [config.http, config.rtmp, config.rtsp, config.srt]
    }

    /// `worker ingest --stream NAME ...` with a config of the globals and storages and this one stream (for a stream
    /// made for publishers, the templates: the worker finds it with `ServerConfig.stream(named:)`).
    func ingestSpec(_ resolved: ResolvedStream) -> WorkerSpec {
        var own = config ?? ServerConfig()
        own.streams = published.contains(resolved.stream.name) ? own.streams.filter { $0.kind == .template } : [resolved.stream]
        let id = WorkerID.ingest(stream: resolved.stream.name)
        return WorkerSpec(id: id, arguments: ["worker", "ingest", "--stream", resolved.stream.name] + commonArguments, config: own.written())
    }

    /// `worker pusher --stream NAME ...` with the same config as the stream's ingest worker.
    func pusherSpec(_ resolved: ResolvedStream) -> WorkerSpec {
        var spec = ingestSpec(resolved)
        spec.id = .pusher(stream: resolved.stream.name)
        spec.arguments[1] = "pusher"
        return spec
    }

    /// `worker edge --index N ...` with the whole config.
    func edgeSpec(index: Int, config: ServerConfig) -> WorkerSpec {
        WorkerSpec(id: .edge(index: index), arguments: ["worker", "edge", "--index", String(index)] + commonArguments, config: config.written())
    }

    private var commonArguments: [String] {
        ["--runtime-dir", policy.runtimeDirectory, "--instance", policy.instance]
    }
}
