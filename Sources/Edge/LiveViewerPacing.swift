/// Whether a live viewer gets the next piece of a shared live output: never behind a slow link. A viewer whose
/// socket queue holds more than the limit (a link slower than the stream) skips everything up to the next group of
/// pictures; one that waits for a group (at its start, or after a skip) gets nothing before.
struct LiveViewerPacing {
    enum Decision {
        case send
        /// Nothing before the next group of pictures.
        case hold
        /// The viewer fell behind: from now on nothing before the next group (the caller logs it).
        case skip
    }

    /// Sends nothing until the next group of pictures.
    var waitingForGroup: Bool

    init(waitingForGroup: Bool) { self.waitingForGroup = waitingForGroup }

    /// Decides for one piece: `startsGroup` if it begins a group of pictures, `queued` the bytes the viewer's socket
    /// has not taken yet.
    mutating func decide(startsGroup: Bool, queued: Int, limit: Int) -> Decision {
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
