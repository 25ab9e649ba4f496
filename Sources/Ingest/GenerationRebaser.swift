import Media

/// Keeps a stream's timestamps continuous in its ring across source restarts and switches (generations), so that
/// readers see one timeline whatever the sources stamp (LESSONS.md 1).
///
/// Within a generation, a `TimestampNormalizer` (fresh for each generation) absorbs the source's own jumps. On top,
/// one offset per generation, shared by all tracks so that audio and video stay aligned, is set by the generation's
/// first frame: it lands about one frame (that track's last step, else 1/30 s) after the newest DTS written so far.
/// A track whose first frame of the generation would still land at or before its own last DTS (its source ran
/// behind the frame that set the offset) raises the shared offset just enough: per track, DTS never goes backwards,
/// and the other tracks skip forward by that much once, at the generation's start. The first frame of each track in
/// each generation after the first frame ever written is flagged `.discontinuity`, as are the normalizer's jumps.
///
/// Arithmetic wraps rather than traps, as in `TimestampNormalizer`: hostile timestamps give bad values, not a crash.
/// Every frame passed to `rebase` is taken as written to the ring. A worker that restarts on an existing ring passes
/// the ring's last DTS to `init`; with none, the first generation keeps the source's own timestamps.
public struct GenerationRebaser: Sendable {
    private struct TrackState: Sendable {
        var id: Int
        var lastDTS: Int64
        /// Last positive DTS step (at most one second): the gap left before this track's first frame of a generation.
        var step: Int64
        /// The generation of `lastDTS`.
        var generation: Int
    }

    /// The offset added to this generation's normalized timestamps.
    public private(set) var offset: Int64 = 0
    /// Generations started (`startGeneration` calls); frames before the first call belong to generation 0.
    public private(set) var generation = 0
    private var normalizer = TimestampNormalizer()
    /// The generation's first frame has set `offset`.
    private var offsetSet = false
    /// Frames were written before this generation started: its first frames break from them.
    private var followsEarlierFrames: Bool
    /// The newest DTS written to the ring, over all tracks.
    private var newestDTS: Int64?
    /// Tracks are few; a linear search over them beats hashing.
    private var tracks: [TrackState] = []
    /// Step assumed for a track not seen yet (one frame at 30 fps), as in `TimestampNormalizer`.
    private static let defaultStep: Int64 = 3000

    public init(lastWrittenDTS: Int64? = nil) {
        newestDTS = lastWrittenDTS
        followsEarlierFrames = lastWrittenDTS != nil
    }

    /// A new source starts (the selector's `newGeneration`): its timestamps owe nothing to the previous one's.
    public mutating func startGeneration() {
        generation += 1
        normalizer = TimestampNormalizer()
        offsetSet = false
        followsEarlierFrames = newestDTS != nil
    }

    /// The frame's timestamps on the ring's timeline, its flags with `.discontinuity` added where it breaks from the
    /// frame before (other flags kept).
    public mutating func rebase(_ frame: FrameInfo) -> FrameInfo {
        let normalized = normalizer.normalize(track: frame.track, dts: frame.dts, pts: frame.pts)
        let index = trackIndex(frame.track)
        var out = frame
        if !offsetSet {
            offsetSet = true
            offset = newestDTS.map { $0 &+ tracks[index].step &- normalized.dts } ?? 0
        }
        var dts = normalized.dts &+ offset
        let track = tracks[index]
        if track.generation != generation || track.lastDTS == .min {
            if followsEarlierFrames { out.flags.insert(.discontinuity) }
            if track.lastDTS != .min && dts <= track.lastDTS {
                let raise = track.lastDTS &+ track.step &- dts
                offset &+= raise
                dts &+= raise
            }
            tracks[index].generation = generation
        } else {
            if normalized.discontinuity { out.flags.insert(.discontinuity) }
            if dts > track.lastDTS { tracks[index].step = min(dts &- track.lastDTS, MediaTime.hz) }
        }
        out.dts = dts
        out.pts = normalized.pts &+ offset
        tracks[index].lastDTS = dts
        newestDTS = max(newestDTS ?? dts, dts)
        return out
    }

    private mutating func trackIndex(_ id: Int) -> Int {
        if let index = tracks.firstIndex(where: { $0.id == id }) { return index }
        tracks.append(TrackState(id: id, lastDTS: .min, step: Self.defaultStep, generation: generation))
        return tracks.count - 1
    }
}
