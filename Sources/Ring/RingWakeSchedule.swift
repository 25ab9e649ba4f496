/// The bookkeeping of `RingWakeups`, pure (tested without threads): which rings each waiting thread watches, the
/// `notify` value each ring had when the loop was last told about it, and whether a thread has woken the loop and
/// waits for it to drain the rings (`rearm`) before it watches them again.
///
/// A thread watches at most `groupCapacity` rings: one FUTEX_WAITV call takes 128 words, and one of them is the
/// thread's own control word (bumped by the loop to rearm it, to change its rings, or to stop it). Rings go to the
/// first group with room; a group is never removed (its thread stays for rings to come), so an edge has as many
/// threads as it once had rings over 127, plus one.
///
/// The protocol (docs/ring-format.md, "Waking"): a thread that wakes loads every ring's `notify` word and compares it
/// with the value it waited on; if one differs, it records the new values, wakes the loop and waits for `rearm`. The
/// values are taken before the loop drains, so a frame written after them makes the next wait return at once: no
/// wake-up is lost, and frames written while the loop works cost no wake-up at all.
struct RingWakeSchedule<Ring: Sendable>: Sendable {
    struct Entry: Sendable {
        let token: Int
        let ring: Ring
        /// The ring's `notify` word as last reported to the loop (or when it was added).
        var seen: UInt32
    }

    struct Group: Sendable {
        var entries: [Entry] = []
        /// The thread woke the loop and waits for `rearm` before watching its rings again.
        var signalled = false
    }

    /// What a group's thread does next.
    enum Step: Sendable {
        case watch([Entry])
        case waitForRearm
        case exit
    }

    static var groupCapacity: Int { 127 }

    private(set) var groups: [Group] = []
    private(set) var stopping = false
    private var groupOfToken: [Int: Int] = [:]
    private var nextToken = 0

    /// Watches `ring`, whose `notify` word holds `seen` now. Returns its token and its group: a group index equal to
    /// the former `groups.count` is new and needs a thread.
    mutating func add(_ ring: Ring, seen: UInt32) -> (token: Int, group: Int) {
        let group: Int
        if let free = groups.firstIndex(where: { $0.entries.count < Self.groupCapacity }) {
            group = free
        } else {
            group = groups.count
            groups.append(Group())
        }
        let token = nextToken
        nextToken += 1
        groups[group].entries.append(Entry(token: token, ring: ring, seen: seen))
        groupOfToken[token] = group
        return (token, group)
    }

    /// Stops watching a ring; returns its group (whose thread must wait again without it), nil for a token not watched.
    mutating func remove(_ token: Int) -> Int? {
        guard let group = groupOfToken.removeValue(forKey: token) else { return nil }
        groups[group].entries.removeAll { $0.token == token }
        return group
    }

    func step(group: Int) -> Step {
        if stopping { return .exit }
        return groups[group].signalled ? .waitForRearm : .watch(groups[group].entries)
    }

    /// A thread's wait on `entries` (from `step`) ended; `values` are their `notify` words now, in the same order.
    /// Returns true when a ring was written: the new values are recorded and the thread must wake the loop (it then
    /// waits for `rearm`). False after a wake-up for the control word alone (rings added or removed, a rearm, a stop).
    mutating func woke(group: Int, entries: [Entry], values: [UInt32]) -> Bool {
        guard zip(entries, values).contains(where: { $0.seen != $1 }) else { return false }
        // Both lists hold tokens in increasing order (added at the end, removed in place): one walk matches them.
        var waited = 0
        for index in groups[group].entries.indices {
            let token = groups[group].entries[index].token
            while waited < entries.count, entries[waited].token < token { waited += 1 }
            guard waited < entries.count else { break }
            if entries[waited].token == token { groups[group].entries[index].seen = values[waited] }
        }
        groups[group].signalled = true
        return true
    }

    /// The loop has drained every watched ring: returns the groups whose threads wait for that (to be woken).
    mutating func rearm() -> [Int] {
        var waiting: [Int] = []
        for group in groups.indices where groups[group].signalled {
            groups[group].signalled = false
            waiting.append(group)
        }
        return waiting
    }

    /// Every thread is to exit.
    mutating func stop() {
        stopping = true
    }
}
