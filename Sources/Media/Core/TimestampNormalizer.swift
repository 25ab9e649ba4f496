/// Makes a live stream's timestamps safe for packagers (LESSONS.md 1): per track, output DTS never decreases and
/// PTS is never below DTS; a jump in the source's clock (a restart, a camera that stamps a frame hours off) is
/// absorbed instead of passed on.
///
/// Input: unwrapped DTS/PTS in 90 kHz ticks per track (MPEG-TS after `TimestampUnwrapper`, later RTMP and RTSP
/// ingest). One offset, shared by all tracks, is added to every input so that audio and video stay aligned;
/// it starts at zero, so the first output is what the source said. When a track's next DTS (with the current
/// offset) lands more than `forwardLimit` after, or more than `backwardLimit` before, that track's last
/// output DTS, the offset is changed so that the frame follows the last one by about one frame duration, and
/// the frame is reported as a discontinuity. The other tracks then continue through the new offset without a
/// jump of their own. A single frame stamped far off makes two jumps (there and back), not a lasting shift.
/// Small backward steps (within `backwardLimit`) are clamped to the last DTS.
public struct TimestampNormalizer: Sendable {
    public struct Output: Hashable, Sendable {
        public var dts: Int64
        public var pts: Int64
        /// The offset changed at this frame: its timestamps do not continue from the source's.
        public var discontinuity: Bool
    }

    public let forwardLimit: Int64
    public let backwardLimit: Int64
    /// The offset added to the source's timestamps (output - input).
    public private(set) var offset: Int64 = 0
    /// Number of jumps absorbed.
    public private(set) var jumps = 0

    private struct TrackState: Sendable {
        var id: Int
        var lastDTS: Int64
        /// Last positive DTS step, the duration assumed for the frame after a jump.
        var step: Int64
    }

    /// Tracks are few; a linear search over them beats hashing.
    private var tracks: [TrackState] = []
    /// Step assumed for a track that has shown only one frame (one frame at 30 fps).
    private static let defaultStep: Int64 = 3000

    public init(forwardLimit: Int64 = 10 * MediaTime.hz, backwardLimit: Int64 = MediaTime.hz) {
        self.forwardLimit = forwardLimit
        self.backwardLimit = backwardLimit
    }

    public mutating func normalize(track: Int, dts: Int64, pts: Int64) -> Output {
        var discontinuity = false
        var out = dts &+ offset
        guard let index = tracks.firstIndex(where: { $0.id == track }) else {
            tracks.append(TrackState(id: track, lastDTS: out, step: Self.defaultStep))
            return Output(dts: out, pts: presentation(dts: out, pts: pts &+ offset), discontinuity: false)
        }
        let last = tracks[index].lastDTS
        let delta = out &- last
        if delta > forwardLimit || delta < -backwardLimit {
            let target = last + tracks[index].step
            offset = offset &+ (target &- out)
            out = target
            jumps += 1
            discontinuity = true
        } else if delta < 0 {
            out = last
        } else if delta > 0 {
            tracks[index].step = min(delta, MediaTime.hz)
        }
        tracks[index].lastDTS = out
        return Output(dts: out, pts: presentation(dts: out, pts: pts &+ offset), discontinuity: discontinuity)
    }

    /// Forgets a track (removed from the stream); the shared offset stays.
    public mutating func remove(track: Int) {
        tracks.removeAll { $0.id == track }
    }

    /// PTS kept at or after DTS, and within `forwardLimit` of it (a PTS far off is as bad as a DTS far off).
    @inline(__always)
    private func presentation(dts: Int64, pts: Int64) -> Int64 {
        let lead = pts &- dts
        return lead < 0 || lead > forwardLimit ? dts : pts
    }
}
