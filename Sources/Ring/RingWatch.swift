/// A ring watched by a `RingWakeups` (`watch(_:)`) until this is released: an output keeps it as long as it reads
/// the ring, and its wake-ups end with it.
public final class RingWatch {
    private let owner: RingWakeups
    private let token: Int

    init(owner: RingWakeups, token: Int) {
        self.owner = owner
        self.token = token
    }

    deinit {
        owner.unwatch(token)
    }
}
