import Config
import Control

extension Supervision {
    /// The `workers` reply: the supervisor first, then every slot (a slot with no process shows pid 0).
    public func workerStatuses(supervisorPID: Int32, startedAt: MonotonicInstant, now: MonotonicInstant) -> [WorkerStatus] {
        let supervisor = WorkerStatus(
            pid: supervisorPID, role: "supervisor", state: isShuttingDown ? "stopping" : "running",
            uptimeMs: Int(now.milliseconds(since: startedAt)))
        return [supervisor] + workers.map { worker in
            WorkerStatus(
                pid: worker.pid ?? 0, role: worker.id.role, stream: worker.id.stream, state: worker.state.rawValue,
                restarts: worker.restarts, uptimeMs: worker.pid == nil ? nil : worker.startedAt.map { Int(now.milliseconds(since: $0)) },
                lastExit: worker.lastExit?.description)
        }
    }

    /// The supervisor's part of a stream's `status`: `error` once its ingest gave up, `running` while its worker runs
    /// and the caller sees frames arriving in its ring, else `waiting` (starting, retrying, on demand and idle).
    public func streamState(_ stream: String, receivingFrames: Bool) -> StreamStatus.State {
        switch slots[.ingest(stream: stream)]?.state {
        case .failed?: .error
        case .running?, .starting?: receivingFrames ? .running : .waiting
        default: .waiting
        }
    }

    /// Streams and on-demand streams of the applied config in their order, templates left out, then the streams
    /// templates made for publishers: the rows of `streams`.
    public var streamNames: [String] {
        (config?.streams ?? []).filter { $0.kind != .template }.map(\.name) + published.sorted()
    }
}
