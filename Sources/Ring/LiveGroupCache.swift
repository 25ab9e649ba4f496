/// What a shared live output sent since the newest group of pictures began (a video keyframe, or any frame of a
/// stream without video), kept so that a viewer who joins starts at once with a picture it can decode, rather than
/// wait for the next keyframe: RTMP players and RTSP viewers over TCP get these pieces first.
///
/// Pieces are whatever the output shares (the same bytes every viewer is sent); the cache only keeps references.
/// A group larger than `maxBytes` is not kept (`pieces` is nil until the next group starts): its joiners wait for
/// the next keyframe instead, so that a stream with rare keyframes cannot pin a lot of memory.
public struct LiveGroupCache<Piece> {
    /// Everything since the newest group start, in order; nil while unknown (the cache began inside a group) or too
    /// large.
    public private(set) var pieces: [Piece]?
    public private(set) var bytes = 0
    public let maxBytes: Int

    /// `complete`: whether the output starts at a group start (a ring reader opens at the newest keyframe), so that
    /// what comes before the first group start is whole; else nothing is kept before it.
    public init(maxBytes: Int = 8 << 20, complete: Bool = true) {
        self.maxBytes = maxBytes
        pieces = complete ? [] : nil
    }

    /// Keeps `piece` (`count` bytes); `startsGroup` drops the previous group first.
    public mutating func append(_ piece: Piece, count: Int, startsGroup: Bool) {
        if startsGroup {
            pieces = [piece]
            bytes = count
        } else if pieces != nil {
            bytes += count
            if bytes > maxBytes { pieces = nil } else { pieces?.append(piece) }
        }
    }
}
