import Testing
import Config
@testable import Supervisor
#if canImport(Glibc)
import Glibc
#endif

/// Parses a config that must be valid.
func parsed(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ServerConfig {
    let result = ConfigParser.parse(text, file: "t.conf")
    return try #require(result.config, "\(result.diagnostics)", sourceLocation: sourceLocation)
}

func at(_ milliseconds: Int64) -> MonotonicInstant { MonotonicInstant(milliseconds: milliseconds) }

/// A ring of 64 KiB per `segment_count` (3 when unset), so that changing it changes the capacity.
func testPolicy(edges: Int = 2) -> SupervisionPolicy {
    SupervisionPolicy(runtimeDirectory: "/run/test", instance: "t", defaultEdgeCount: edges) {
        ($0.stream.settings.segmentCount ?? 3) * 65_536
    }
}

/// Plays the I/O side without processes: gives every spawn the next pid and reports it back at once, as the real
/// caller does, and remembers which pid runs in which slot.
struct Harness {
    var supervision: Supervision
    var nextPID: Int32 = 100
    var pids: [WorkerID: Int32] = [:]

    init(policy: SupervisionPolicy = testPolicy()) {
        supervision = Supervision(policy: policy)
    }

    /// The actions of an event, with the `spawned` reports' own actions after each spawn.
    mutating func perform(_ actions: [SupervisorAction], now: MonotonicInstant) -> [SupervisorAction] {
        var all: [SupervisorAction] = []
        for action in actions {
            all.append(action)
            if case .spawn(let spec) = action {
                let pid = nextPID
                nextPID += 1
                pids[spec.id] = pid
                all += perform(supervision.spawned(spec.id, pid: pid, now: now), now: now)
            }
        }
        return all
    }

    mutating func apply(_ config: ServerConfig, at now: Int64) -> [SupervisorAction] {
        perform(supervision.apply(config, now: at(now)), now: at(now))
    }

    mutating func tick(_ now: Int64) -> [SupervisorAction] {
        perform(supervision.tick(now: at(now)), now: at(now))
    }

    /// The process in `id` exits with `signal` (a crash) or status 0.
    mutating func exit(_ id: WorkerID, signal: Int32 = SIGKILL, at now: Int64) throws -> [SupervisorAction] {
        let pid = try #require(pids[id], "no process in \(id)")
        pids[id] = nil
        return perform(supervision.exited(pid: pid, status: 0, signal: signal, now: at(now)), now: at(now))
    }

    mutating func ready(_ id: WorkerID, at now: Int64) throws -> [SupervisorAction] {
        perform(supervision.ready(pid: try #require(pids[id]), now: at(now)), now: at(now))
    }

    func pid(_ id: WorkerID) throws -> Int32 { try #require(pids[id], "no process in \(id)") }
}

extension SupervisorAction {
    /// A short form for comparing sequences: "spawn ingest a", "TERM 101", "ring a 196608", "timer 1100".
    var summary: String {
        switch self {
        case .createRing(let stream, let capacity): "ring \(stream) \(capacity)"
        case .removeRing(let stream): "unring \(stream)"
        case .spawn(let spec): "spawn \(spec.id)"
        case .signal(let pid, let signal): "\(signal == SIGTERM ? "TERM" : signal == SIGKILL ? "KILL" : "SIG\(signal)") \(pid)"
        case .configure(let pid, _): "configure \(pid)"
        case .setTimer(let instant): "timer \(instant.milliseconds)"
        case .exit(let code): "exit \(code)"
        }
    }
}

extension [SupervisorAction] {
    var summaries: [String] { map(\.summary) }
}
