extension Supervision {
    /// SIGTERM or SIGINT: every worker gets SIGTERM (SIGKILL after `stopGrace`, from `tick`); once the last has
    /// exited, every ring is removed and `exit(0)` comes last. Later `apply`, `restart` and demands are refused.
    public mutating func shutdown(now: MonotonicInstant) -> [SupervisorAction] {
        guard !isShuttingDown else { return [] }
        isShuttingDown = true
        rollQueue.removeAll()
        rolling = nil
        rollDeadline = nil
        demanded.removeAll()
        var actions: [SupervisorAction] = []
        for id in slots.keys.sorted() {
            actions += stop(id, then: .remove, now: now)
        }
        return actions + finishShutdown() + timerActions()
    }
}
