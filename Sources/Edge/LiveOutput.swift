import EventLoop
import Ring

/// The bytes a shared live output (HTTP MPEG-TS, RTMP, RTSP over TCP) builds between two hand-outs to its viewers, when it hands
/// them out (`LiveBatching`: at once, or with more than `LiveBatching.viewerThreshold` viewers at most every
/// `LiveBatching.intervalMs`), and the current group of pictures kept for viewers who join (`LiveGroupCache`; not
/// for MPEG-TS, whose viewers start at the next keyframe). The
/// channel appends to `bytes` as it packages frames, calls `beginGroup()` where a group of pictures starts, and
/// `flush`es: one copy into shared bytes, which every viewer is then sent. Only what was handed out is kept for
/// joiners: one who joins while bytes are held gets them with the others.
struct LiveOutput {
    /// What the output appends its next bytes to.
    var bytes: [UInt8] = []
    /// Where the first group of pictures starts in `bytes`, if one does: a viewer who waits for a group gets
    /// everything from there (a later group start within the same bytes would leave it a gap after what it was
    /// told it starts with, RTSP's RTP-Info).
    private var groupStart: Int?
    private var batching = LiveBatching()
    private(set) var group: LiveGroupCache<SharedBytes>
    private let keepsGroup: Bool

    /// `keepsGroup: false`: nothing is kept for joiners (`group` stays empty).
    init(maxGroupBytes: Int = 8 << 20, keepsGroup: Bool = true) {
        group = LiveGroupCache(maxBytes: maxGroupBytes)
        self.keepsGroup = keepsGroup
        bytes.reserveCapacity(256 * 1024)
    }

    /// Whether nothing is built or held.
    var isEmpty: Bool { bytes.isEmpty }

    /// The next bytes begin a group of pictures.
    mutating func beginGroup() { groupStart = groupStart ?? bytes.count }

    /// Forgets the group kept: joiners wait for the next group start (what was kept no longer fits what follows).
    mutating func dropGroup() { group = LiveGroupCache(maxBytes: group.maxBytes, complete: false) }

    /// Hands out what was built, unless `LiveBatching` holds it for `viewers` (0: at once whatever the count): as one
    /// shared piece, or two when a group of pictures starts within it (those waiting for a group take the second
    /// alone), each kept in the group and passed to `deliver` with whether it starts a group.
    mutating func flush(viewers: Int, nowMs: UInt64, _ deliver: (SharedBytes, _ startsGroup: Bool) -> Void) {
        guard !bytes.isEmpty, batching.decide(viewers: viewers, nowMs: nowMs) == .send else { return }
        defer {
            bytes.removeAll(keepingCapacity: true)
            groupStart = nil
        }
        let split = groupStart ?? bytes.count
        if split > 0 {
            let piece = SharedBytes(bytes[..<split])
            if keepsGroup { group.append(piece, count: piece.count, startsGroup: false) }
            deliver(piece, false)
        }
        if split < bytes.count {
            let piece = SharedBytes(bytes[split...])
            if keepsGroup { group.append(piece, count: piece.count, startsGroup: true) }
            deliver(piece, true)
        }
    }

    /// When the output hands out next whatever comes meanwhile (ms, the caller's clock); nil when it hands out what
    /// comes at once, so that it must hear of every frame.
    func nextFlush(viewers: Int, nowMs: UInt64) -> UInt64? { batching.nextSend(viewers: viewers, nowMs: nowMs) }
}
