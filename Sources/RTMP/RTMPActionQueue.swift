/// An action enum with a case for bytes to send: both sessions' `Action`s.
protocol RTMPSendingAction: Sendable {
    static func send(_ bytes: [UInt8]) -> Self
}

/// The actions a session collects during one call: bytes to send are coalesced into one `.send` between the
/// other actions, so that the caller makes one write per batch and performs everything in order.
struct RTMPActionQueue<Action: RTMPSendingAction>: Sendable {
    /// Bytes to send before the next action; sessions chunk messages straight into it.
    var bytes: [UInt8] = []
    private var actions: [Action] = []

    mutating func append(_ action: Action) {
        flush()
        actions.append(action)
    }

    /// Everything collected, the bytes last; the queue is empty afterwards.
    mutating func take() -> [Action] {
        flush()
        defer { actions = [] }
        return actions
    }

    private mutating func flush() {
        if !bytes.isEmpty {
            actions.append(.send(bytes))
            bytes = []
        }
    }
}
