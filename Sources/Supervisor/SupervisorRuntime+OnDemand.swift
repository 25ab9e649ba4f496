import Control

extension SupervisorRuntime {
    /// How long an on-demand stream runs on after the last viewer, when it sets no `clients_timeout`.
    static let defaultClientsTimeoutMs: Int64 = 30_000

    /// An edge has viewers of `stream` (`WorkerMessage.demand`): an on-demand stream starts, or keeps running.
    func demanded(_ stream: String, by edge: WorkerProcess) {
        guard let resolved = supervision.resolved(stream), resolved.stream.kind == .ondemand else {
            return log.error("\(edge.id) asked for \(stream), which is not an on-demand stream")
        }
        let isNew = lastDemand[stream] == nil
        lastDemand[stream] = Self.now().milliseconds
        guard isNew else { return }
        do {
            perform(try supervision.startOnDemand(stream, now: Self.now()))
            log.notice("\(stream): started for its first viewer")
        } catch {
            log.notice("\(stream): cannot start it for a viewer: \(error)")
        }
    }

    /// Every few seconds: on-demand streams without viewers for their `clients_timeout` stop and free their ring.
    func checkOnDemandStreams() {
        let now = Self.now().milliseconds
        for (stream, last) in lastDemand {
            let timeout = supervision.resolved(stream)?.stream.settings.clientsTimeout.map { Int64($0) * 1000 }
                ?? Self.defaultClientsTimeoutMs
            guard now - last >= timeout else { continue }
            lastDemand[stream] = nil
            log.notice("\(stream): no viewers for \(timeout / 1000) s; stopped")
            perform(supervision.stopOnDemand(stream, now: Self.now()))
        }
    }

    /// An on-demand stream whose source gave up (`retry_limit`) stops; its next viewer starts it again.
    func onDemandGaveUp(_ stream: String) {
        guard lastDemand.removeValue(forKey: stream) != nil else { return }
        log.notice("\(stream): its source gave up; stopped until its next viewer")
        perform(supervision.stopOnDemand(stream, now: Self.now()))
    }
}
