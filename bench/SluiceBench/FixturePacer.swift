/// Real-time pacing of a looped fixture (`LatencyFixture`): which frames are due, with times in milliseconds that
/// keep growing from pass to pass (frame time + pass x loop length), from `start(at:)` on.
struct FixturePacer {
    /// Each frame's time within a pass, in decode order, in milliseconds.
    private let times: [UInt32]
    private let loopMs: UInt32
    private var index = 0
    private var pass: UInt32 = 0
    private var startMs: UInt64 = 0

    init(times: [UInt32], loopMs: UInt32) {
        precondition(!times.isEmpty)
        self.times = times
        self.loopMs = loopMs
    }

    /// The clock (milliseconds, e.g. `EventLoop.now`) at which time 0 is due.
    mutating func start(at now: UInt64) {
        startMs = now
    }

    /// Calls `send(index, timestamp)` for every frame due by `now` (its index in the pass, its time since the
    /// start), in order; returns the milliseconds until the next one is due.
    mutating func sendDue(now: UInt64, _ send: (Int, UInt32) -> Void) -> UInt64 {
        while true {
            let timestamp = pass &* loopMs &+ times[index]
            let due = startMs + UInt64(timestamp)
            guard due <= now else { return due - now }
            send(index, timestamp)
            index += 1
            if index == times.count {
                index = 0
                pass += 1
            }
        }
    }
}
