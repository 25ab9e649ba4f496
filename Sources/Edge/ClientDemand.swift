/// Which on-demand streams have viewers on this edge, told to the supervisor (`WorkerMessage.demand`): the first
/// request for a stream at once, so that its source starts without waiting; then at most once per `intervalMs`
/// while requests keep coming or live viewers stay. The supervisor stops the stream `clients_timeout` after the
/// last demand from any edge. HLS viewers count as clients by their requests (LESSONS.md 6).
struct ClientDemand {
    static let intervalMs: UInt64 = 1000

    /// When each stream was last told, in loop milliseconds.
    private var told: [String: UInt64] = [:]

    /// The streams told in the last 10 intervals.
    var streams: Set<String> { Set(told.keys) }

    /// A viewer of `stream` made a request, or is still connected: whether to tell the supervisor now.
    mutating func viewed(_ stream: String, now: UInt64) -> Bool {
        if let last = told[stream], now &- last < Self.intervalMs { return false }
        told[stream] = now
        return true
    }

    /// Forgets streams not told for a while, so that the table holds only streams with recent viewers.
    mutating func sweep(now: UInt64) {
        told = told.filter { now &- $0.value < 10 * Self.intervalMs }
    }
}
