import Config
#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's decisions, as a pure state machine: which workers should run, and what to do when a config is
/// applied, a process starts, reports ready or exits, time passes, a restart is requested, or the server stops.
/// Each event returns the actions to perform in order; nothing here touches a process, a socket or a clock.
///
/// - One ingest worker per enabled `stream` (static), one per `ondemand` stream while it is demanded; templates
///   have none. Each ingest worker's ring is created before its first spawn and removed after its last exit.
/// - `workers N` edge workers (default `policy.defaultEdgeCount`).
/// - A failed worker restarts after a backoff (100 ms doubling to 5 s, back to 100 ms after 10 s of running); an
///   on-demand stream gives up (`failed`) after more than `retry_limit` failures in a row. Ingest and edge slots
///   never affect each other.
/// - Stopping is SIGTERM, then SIGKILL after `stopGrace`.
///
/// Caveat: the caller reports every spawn result (`spawned` or `spawnFailed`) before the next event, and `ready`
/// when a worker says so on its channel (rolling edge restarts wait for it, at most `readyTimeout`).
public struct Supervision: Sendable {
    public let policy: SupervisionPolicy
    /// The config applied last; nil before the first `apply`.
    public internal(set) var config: ServerConfig?
    /// The applied config's streams by name.
    var resolvedStreams: [String: ResolvedStream] = [:]
    var slots: [WorkerID: SupervisedWorker] = [:]
    /// Rings created and not yet removed, with their capacity.
    public internal(set) var rings: [String: Int] = [:]
    /// On-demand streams currently requested.
    var demanded: Set<String> = []
    /// Streams templates made for their publishers (`startPublished`), until `stopPublished`.
    var published: Set<String> = []
    /// Edge indices still to restart for a listener change, and the one being restarted.
    var rollQueue: [Int] = []
    var rolling: Int?
    var rollDeadline: MonotonicInstant?
    public internal(set) var isShuttingDown = false
    var hasExited = false
    var timer: MonotonicInstant?

    public init(policy: SupervisionPolicy) {
        self.policy = policy
    }

    /// Every worker slot, edges by index then ingests by stream name.
    public var workers: [SupervisedWorker] { slots.values.sorted { $0.id < $1.id } }

    public func worker(_ id: WorkerID) -> SupervisedWorker? { slots[id] }

    // MARK: Process events

    /// The process started for `id` has this pid.
    public mutating func spawned(_ id: WorkerID, pid: Int32, now: MonotonicInstant) -> [SupervisorAction] {
        guard var worker = slots[id], worker.pid == nil else { return [.signal(pid: pid, signal: SIGTERM)] }
        worker.pid = pid
        slots[id] = worker
        var actions: [SupervisorAction] = []
        // Stopped while the spawn was in flight.
        if worker.state == .stopping { actions.append(.signal(pid: pid, signal: SIGTERM)) }
        return actions + timerActions()
    }

    /// The process for `id` could not be started: handled as a failure, with backoff.
    public mutating func spawnFailed(_ id: WorkerID, reason: String, now: MonotonicInstant) -> [SupervisorAction] {
        guard slots[id]?.pid == nil else { return [] }
        return ended(id, .spawnFailed(reason: reason), now: now)
    }

    /// The worker with this pid said it is ready (on its channel).
    public mutating func ready(pid: Int32, now: MonotonicInstant) -> [SupervisorAction] {
        guard let id = slots.first(where: { $0.value.pid == pid })?.key, slots[id]?.state == .starting else { return [] }
        slots[id]?.state = .running
        var actions: [SupervisorAction] = []
        if case .edge(let index) = id, index == rolling { actions += nextRoll(now: now) }
        return actions + timerActions()
    }

    /// A worker process ended (libuv's exit callback: `status`, and `signal` or 0). Unknown pids are ignored.
    public mutating func exited(pid: Int32, status: Int, signal: Int32, now: MonotonicInstant) -> [SupervisorAction] {
        guard let id = slots.first(where: { $0.value.pid == pid })?.key else { return [] }
        slots[id]?.pid = nil
        return ended(id, WorkerExit(status: status, signal: signal), now: now)
    }

    /// Time passed: restarts whose backoff is over, SIGKILL for workers past their grace, the next rolling restart.
    public mutating func tick(now: MonotonicInstant) -> [SupervisorAction] {
        // The caller's one-shot timer fired: none is pending any more, even if it fired a little early (a loop
        // clock behind the monotonic one), so the next deadline is always asked for again.
        timer = nil
        var actions: [SupervisorAction] = []
        for id in slots.keys.sorted() {
            guard let worker = slots[id], let deadline = worker.deadline, deadline <= now else { continue }
            switch worker.state {
            case .backoff:
                slots[id]?.restarts += 1
                actions += start(id, worker.spec, now: now)
            case .stopping:
                slots[id]?.deadline = nil
                if let pid = worker.pid { actions.append(.signal(pid: pid, signal: SIGKILL)) }
            case .starting, .running, .failed:
                slots[id]?.deadline = nil
            }
        }
        if rolling != nil, let rollDeadline, rollDeadline <= now { actions += nextRoll(now: now) }
        return actions + timerActions()
    }

    // MARK: Requests

    /// `ctl restart NAME`: stop the stream's ingest worker and start it again (at once if it is not running).
    public mutating func restart(stream: String, now: MonotonicInstant) throws(SupervisionError) -> [SupervisorAction] {
        guard !isShuttingDown else { throw .shuttingDown }
        let id = WorkerID.ingest(stream: stream)
        guard let worker = slots[id] else {
            guard resolvedStreams[stream] != nil else { throw .unknownStream(stream) }
            throw .notRunning(stream)
        }
        if worker.state == .stopping {
            // Already restarting (with a reload's new spec, perhaps): nothing to add.
            guard worker.afterStop != .remove else { throw .notRunning(stream) }
            return []
        }
        slots[id]?.failures = 0
        return stop(id, then: .respawn(worker.spec), now: now) + timerActions()
    }

    /// The first viewer of an on-demand stream arrived: start its ingest worker (again, if it had given up).
    public mutating func startOnDemand(_ stream: String, now: MonotonicInstant) throws(SupervisionError) -> [SupervisorAction] {
        guard !isShuttingDown else { throw .shuttingDown }
        guard let resolved = resolved(stream) else { throw .unknownStream(stream) }
        guard resolved.stream.kind == .ondemand, !resolved.stream.settings.disabled else { throw .notRunning(stream) }
        demanded.insert(stream)
        let id = WorkerID.ingest(stream: stream)
        // Running, starting or in backoff already; one that is stopping for lack of viewers starts again after its exit.
        if let worker = slots[id], worker.state != .failed, worker.state != .stopping { return [] }
        slots[id]?.failures = 0
        return reconcile(resolved, now: now) + timerActions()
    }

    /// A publisher came for `name`, a stream a template makes (`ServerConfig.publishedStream(named:)`): start its
    /// ingest worker and ring, if they are not running already. The caller hands the publisher over once the worker
    /// says it is ready.
    public mutating func startPublished(_ name: String, now: MonotonicInstant) throws(SupervisionError) -> [SupervisorAction] {
        guard !isShuttingDown else { throw .shuttingDown }
        guard let resolved = config?.publishedStream(named: name) else { throw .unknownStream(name) }
        published.insert(name)
        resolvedStreams[name] = resolved
        let id = WorkerID.ingest(stream: name)
        let spec = ingestSpec(resolved)
        switch slots[id]?.state {
        case nil, .failed?, .backoff?:
            slots[id]?.failures = 0
            return start(id, spec, now: now) + timerActions()
        case .stopping?:
            return stop(id, then: .respawn(spec), now: now) + timerActions()
        case .starting?, .running?:
            return []
        }
    }

    /// A published stream whose publisher has been gone long enough: stop it and free its ring.
    public mutating func stopPublished(_ name: String, now: MonotonicInstant) -> [SupervisorAction] {
        guard published.remove(name) != nil else { return [] }
        return stop(.ingest(stream: name), then: .remove, now: now) + timerActions()
    }

    /// Streams made for publishers and running now.
    public var publishedStreams: [String] { published.sorted() }

    /// `clients_timeout` passed after an on-demand stream's last viewer: stop it and free its ring.
    public mutating func stopOnDemand(_ stream: String, now: MonotonicInstant) -> [SupervisorAction] {
        guard demanded.remove(stream) != nil, slots[.ingest(stream: stream)] != nil else { return [] }
        return stop(.ingest(stream: stream), then: .remove, now: now) + timerActions()
    }

    // MARK: Internals shared by the event handlers

    /// Creates the ring if needed and spawns.
    mutating func start(_ id: WorkerID, _ spec: WorkerSpec, now: MonotonicInstant) -> [SupervisorAction] {
        var actions: [SupervisorAction] = []
        if case .ingest(let stream) = id, let resolved = resolved(stream) {
            let capacity = policy.ringCapacity(resolved)
            if rings[stream] != capacity {
                rings[stream] = capacity
                actions.append(.createRing(stream: stream, capacity: capacity))
            }
        }
        var worker = slots[id] ?? SupervisedWorker(spec: spec)
        worker.spec = spec
        worker.state = .starting
        worker.pid = nil
        worker.startedAt = now
        worker.deadline = nil
        worker.afterStop = .remove
        slots[id] = worker
        actions.append(.spawn(spec))
        return actions
    }

    /// Stops a slot's process and then does `then`; with no process, does `then` at once.
    mutating func stop(_ id: WorkerID, then: SupervisedWorker.AfterStop, now: MonotonicInstant) -> [SupervisorAction] {
        guard var worker = slots[id] else { return [] }
        let spawnInFlight = worker.state == .starting && worker.pid == nil
        guard worker.pid != nil || spawnInFlight || worker.state == .stopping else {
            return afterStop(id, then, now: now)
        }
        worker.afterStop = then
        var actions: [SupervisorAction] = []
        if worker.state != .stopping {
            worker.state = .stopping
            worker.deadline = now + policy.stopGrace
            if let pid = worker.pid { actions.append(.signal(pid: pid, signal: SIGTERM)) }
        }
        slots[id] = worker
        return actions
    }

    private mutating func afterStop(_ id: WorkerID, _ then: SupervisedWorker.AfterStop, now: MonotonicInstant) -> [SupervisorAction] {
        switch then {
        case .remove:
            slots[id] = nil
            rollQueue.removeAll { .edge(index: $0) == id }
            guard case .ingest(let stream) = id, rings.removeValue(forKey: stream) != nil else { return finishShutdown() }
            return [.removeRing(stream: stream)] + finishShutdown()
        case .respawn(let spec):
            slots[id]?.restarts += 1
            slots[id]?.failures = 0
            if case .edge(let index) = id, index == rolling { rollDeadline = now + policy.readyTimeout }
            return start(id, spec, now: now)
        }
    }

    /// A process is gone (or never started): finish a stop, or schedule a restart.
    private mutating func ended(_ id: WorkerID, _ exit: WorkerExit, now: MonotonicInstant) -> [SupervisorAction] {
        guard var worker = slots[id] else { return [] }
        worker.lastExit = exit
        if worker.state == .stopping {
            slots[id] = worker
            return afterStop(id, worker.afterStop, now: now) + timerActions()
        }
        let ranLong = worker.startedAt.map { now >= $0 + policy.backoffResetAfter } ?? false
        worker.failures = ranLong ? 1 : worker.failures + 1
        worker.deadline = nil
        var actions: [SupervisorAction] = []
        if let limit = retryLimit(id), worker.failures > limit {
            worker.state = .failed
        } else {
            worker.state = .backoff
            worker.deadline = now + policy.backoff(failures: worker.failures)
        }
        slots[id] = worker
        if case .edge(let index) = id, index == rolling { actions += nextRoll(now: now) }
        return actions + timerActions()
    }

    /// `retry_limit` applies to streams that are not static (DESIGN.md section 1); static streams and edges retry forever.
    private func retryLimit(_ id: WorkerID) -> Int? {
        guard case .ingest(let stream) = id, let resolved = resolved(stream), resolved.stream.kind != .static else { return nil }
        return resolved.stream.settings.retryLimit
    }

    func resolved(_ stream: String) -> ResolvedStream? { resolvedStreams[stream] }

    /// Asks for a tick at the earliest deadline, when that changed.
    mutating func timerActions() -> [SupervisorAction] {
        let deadlines = slots.values.compactMap(\.deadline) + (rolling != nil ? [rollDeadline].compactMap { $0 } : [])
        guard let earliest = deadlines.min(), earliest != timer else { return [] }
        timer = earliest
        return [.setTimer(at: earliest)]
    }

    /// During shutdown, once every worker is gone: remove the remaining rings and exit.
    mutating func finishShutdown() -> [SupervisorAction] {
        guard isShuttingDown, slots.isEmpty, !hasExited else { return [] }
        hasExited = true
        let actions = rings.keys.sorted().map { SupervisorAction.removeRing(stream: $0) }
        rings.removeAll()
        return actions + [.exit(code: 0)]
    }
}
