import Media

/// Decides where live HLS segments start: the ingest worker (the ring's one writer) feeds it every frame and
/// marks the frames it cuts at in the ring's segment table, so that every edge worker lists and muxes the same
/// segments.
///
/// A frame starts a segment when it is:
/// - the first frame the cutter sees (`.first`);
/// - from a new ring generation (`.generationChange`) or flagged `.discontinuity` (`.discontinuity`): the new
///   segment is discontinuous (an `#EXT-X-DISCONTINUITY` goes before it);
/// - with video: a keyframe of the video track at least `segmentDuration` after the segment's first DTS
///   (`.duration`). A GOP longer than the duration gives one segment per GOP; shorter GOPs give segments of whole
///   GOPs lasting at least the duration (the spec's "a segment duration must be divisible by GOP").
///   Audio only: any frame at least `segmentDuration` after the segment's first DTS;
/// - any frame once the segment lasts `safetyCap` (max(3 x segmentDuration, 30 s)) without a keyframe to cut at
///   (`.safetyCap`). That segment starts without a keyframe: players decode it from its next keyframe on, and
///   playlists stay within their target duration's reach instead of growing without bound.
///
/// Elapsed time is the frame's DTS minus the segment's first DTS; frames stamped before it never cut.
/// The cutter also numbers segments and counts discontinuities, so the table only records what it says.
public struct SegmentCutter: Sendable {
    /// Why a frame starts a segment.
    public enum Reason: Hashable, Sendable {
        case first, generationChange, discontinuity, duration, safetyCap
    }

    /// A frame that starts a segment, with what the table records for the new segment and the closed one.
    public struct Cut: Hashable, Sendable {
        public var reason: Reason
        public var number: UInt64
        public var discontinuitySequence: UInt64
        public var isDiscontinuity: Bool
        public var generation: UInt64
        public var startDTS: Int64
        /// The media duration (90 kHz ticks) of the segment this cut closes; nil at the cutter's first cut. Across
        /// a discontinuity the next DTS says nothing, so it is the last reference-track frame's DTS plus that
        /// track's last frame interval, minus the closed segment's first DTS.
        public var closedDuration: Int64?

        /// The new segment as the table records it, `wallClockMs` being the UTC time its first frame arrived.
        public func segment(wallClockMs: Int64) -> HLSSegment {
            HLSSegment(number: number, discontinuitySequence: discontinuitySequence,
                       isDiscontinuity: isDiscontinuity, generation: generation, startDTS: startDTS,
                       wallClockMs: wallClockMs)
        }
    }

    /// The segment being written.
    private struct Open: Sendable {
        var number: UInt64
        var discontinuitySequence: UInt64
        var generation: UInt64
        var startDTS: Int64
        /// The track whose frames time the segment's end across a discontinuity.
        var referenceTrack: Int
        var referenceDTS: Int64?
        var referenceInterval: Int64 = 0
        /// The largest DTS of any frame, for a segment with no reference frame.
        var maxDTS: Int64
        /// Tracks with a frame in the segment (bit = track id; ids from 64 share the top bit).
        var tracks: UInt64 = 0

        /// A track's frame would break its own continuity in this segment (a `.discontinuity` then needs a cut);
        /// the first frame of a track in the segment cannot (after a source restart every track's first frame is
        /// flagged, and one cut is enough).
        func hasFrames(of track: Int) -> Bool { tracks & Self.bit(track) != 0 }

        static func bit(_ track: Int) -> UInt64 { 1 << UInt64(min(max(track, 0), 63)) }

        mutating func observe(_ frame: FrameInfo) {
            maxDTS = max(maxDTS, frame.dts)
            tracks |= Self.bit(frame.track)
            guard frame.track == referenceTrack else { return }
            if let last = referenceDTS, frame.dts > last {
                referenceInterval = SegmentCutter.difference(frame.dts, last)
            }
            referenceDTS = frame.dts
        }

        /// The segment's duration judged from its own frames: the end of its last reference frame.
        var endEstimate: Int64 {
            let end = referenceDTS.map { $0 &+ referenceInterval } ?? maxDTS
            return max(0, SegmentCutter.difference(end, startDTS))
        }
    }

    /// The wanted segment duration in 90 kHz ticks.
    public let segmentDuration: Int64
    /// A segment this long is cut at its next frame, keyframe or not.
    public let safetyCap: Int64
    /// The track whose keyframes segments start at; nil for an audio-only stream.
    public let videoTrack: Int?
    private var open: Open?
    /// Where numbering resumes before the first cut: the last segment of the ring's table, if any.
    private let resumed: HLSSegment?

    /// - Parameters:
    ///   - segmentDuration: `segment_duration` in seconds (default 4); values below 1 count as 1.
    ///   - videoTrack: the `Track.id` of the stream's first video track, nil when it has none.
    ///   - last: the ring table's last segment when the ingest worker restarts on an existing ring: numbering and
    ///     the discontinuity count carry on from it, and the first segment is discontinuous when the ring
    ///     generation changed (or the frame says so).
    public init(segmentDuration: Int = 4, videoTrack: Int?, resumingAfter last: HLSSegment? = nil) {
        let seconds = Int64(max(1, min(segmentDuration, 86_400)))
        self.segmentDuration = seconds * MediaTime.hz
        self.safetyCap = max(3 * seconds, 30) * MediaTime.hz
        self.videoTrack = videoTrack
        self.resumed = last
    }

    /// The number the next segment gets.
    public var nextNumber: UInt64 {
        if let open { return open.number &+ 1 }
        return resumed.map { $0.number &+ 1 } ?? 0
    }

    /// Feeds one frame (in ring order) written in ring `generation`; returns the cut when it starts a segment.
    public mutating func cut(_ frame: FrameInfo, generation: UInt64) -> Cut? {
        guard var current = open else {
            let base = resumed
            let changed = base.map { $0.generation != generation } ?? false
            let discontinuous = base != nil && (changed || frame.flags.contains(.discontinuity))
            let sequence = (base?.discontinuitySequence ?? 0) &+ (discontinuous ? 1 : 0)
            let reason: Reason = changed ? .generationChange : (discontinuous ? .discontinuity : .first)
            return start(frame, generation: generation, number: nextNumber, sequence: sequence,
                         discontinuous: discontinuous, reason: reason, closed: nil)
        }
        let elapsed = Self.difference(frame.dts, current.startDTS)
        var reason: Reason?
        if generation != current.generation {
            reason = .generationChange
        } else if frame.flags.contains(.discontinuity) && current.hasFrames(of: frame.track) {
            reason = .discontinuity
        } else if elapsed >= segmentDuration && (videoTrack == nil || (frame.track == videoTrack && frame.isKeyframe)) {
            reason = .duration
        } else if elapsed >= safetyCap {
            reason = .safetyCap
        }
        guard let reason else {
            current.observe(frame)
            open = current
            return nil
        }
        let discontinuous = reason == .generationChange || reason == .discontinuity
        let closed = discontinuous ? current.endEstimate : elapsed
        return start(frame, generation: generation, number: current.number &+ 1,
                     sequence: current.discontinuitySequence &+ (discontinuous ? 1 : 0),
                     discontinuous: discontinuous, reason: reason, closed: closed)
    }

    private mutating func start(_ frame: FrameInfo, generation: UInt64, number: UInt64, sequence: UInt64,
                                discontinuous: Bool, reason: Reason, closed: Int64?) -> Cut {
        var segment = Open(number: number, discontinuitySequence: sequence, generation: generation,
                           startDTS: frame.dts, referenceTrack: videoTrack ?? frame.track, maxDTS: frame.dts)
        segment.observe(frame)
        open = segment
        return Cut(reason: reason, number: number, discontinuitySequence: sequence, isDiscontinuity: discontinuous,
                   generation: generation, startDTS: frame.dts, closedDuration: closed)
    }

    /// `a - b`, saturating instead of trapping on hostile timestamps.
    static func difference(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (a < b ? .min : .max) : value
    }
}
