/// Whether a live viewer (or a push target) gets the next piece of a shared live output: never behind a slow link. A viewer whose
/// socket queue holds more than the limit (a link slower than the stream) skips everything up to the next group of
/// pictures; one that waits for a group (at its start, or after a skip) gets nothing before.
public struct LiveViewerPacing: Sendable {
    public enum Decision: Sendable {
        case send
        /// Nothing before the next group of pictures.
        case hold
        /// The viewer fell behind: from now on nothing before the next group (the caller logs it).
        case skip
    }

    /// Sends nothing until the next group of pictures.
    public var waitingForGroup: Bool

    /// How many unsent bytes a viewer may hold before it skips: 5 seconds of the stream (`bitsPerSecond`, nil before
    /// it is known: 4 MB), at least 1 MB, at most 32 MB. A fixed figure would drop viewers of a 20 Mbit/s channel after
    /// 1.6 s of congestion, and let a 500 kbit/s one fall a minute behind.
    public static func queueLimit(bitsPerSecond: Int?) -> Int {
        guard let bitsPerSecond else { return 4 << 20 }
        return min(max(bitsPerSecond / 8 * 5, 1 << 20), 32 << 20)
    }

    public init(waitingForGroup: Bool) { self.waitingForGroup = waitingForGroup }

    /// Decides for one piece: `startsGroup` if it begins a group of pictures, `queued` the bytes the viewer's socket
    /// has not taken yet.
    public mutating func decide(startsGroup: Bool, queued: Int, limit: Int) -> Decision {
        if waitingForGroup {
            guard startsGroup else { return .hold }
            waitingForGroup = false
        } else if queued > limit {
            waitingForGroup = true
            return .skip
        }
        return .send
    }
}
