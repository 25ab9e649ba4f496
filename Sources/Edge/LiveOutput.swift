import EventLoop
import Ring

/// The bytes a shared live output (RTMP, RTSP over TCP) builds between two hand-outs to its viewers, and the
/// current group of pictures kept for viewers who join (`LiveGroupCache`). The channel appends to `bytes` as it
/// packages frames, calls `beginGroup()` where a group of pictures starts (after taking what came before), and
/// `take()`s the piece to hand out: one copy into shared bytes, which every viewer is then sent.
struct LiveOutput {
    /// What the output appends its next bytes to.
    var bytes: [UInt8] = []
    /// Whether `bytes` begin a group of pictures.
    private(set) var startsGroup = false
    private(set) var group: LiveGroupCache<SharedBytes>

    init(maxGroupBytes: Int = 8 << 20) {
        group = LiveGroupCache(maxBytes: maxGroupBytes)
        bytes.reserveCapacity(256 * 1024)
    }

    /// The next bytes begin a group of pictures (call after `take()`).
    mutating func beginGroup() { startsGroup = true }

    /// Forgets the group kept: joiners wait for the next group start (what was kept no longer fits what follows).
    mutating func dropGroup() { group = LiveGroupCache(maxBytes: group.maxBytes, complete: false) }

    /// The bytes built so far as one shared piece, kept in the group, and whether it starts a group; nil when
    /// nothing was built. The output starts over.
    mutating func take() -> (bytes: SharedBytes, startsGroup: Bool)? {
        defer {
            bytes.removeAll(keepingCapacity: true)
            startsGroup = false
        }
        guard !bytes.isEmpty else { return nil }
        let shared = SharedBytes(bytes)
        group.append(shared, count: shared.count, startsGroup: startsGroup)
        return (shared, startsGroup)
    }
}
