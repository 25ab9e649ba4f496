import Media

/// Writes a live media playlist (`mono.m3u8`, `video.m3u8`, `tracks-v1a1/mono.m3u8`) from the ring's segment
/// table, the same text on every edge worker for the same table.
///
/// - `#EXT-X-VERSION:3` (MPEG-TS segments, decimal EXTINF), no `#EXT-X-ENDLIST` (live).
/// - `#EXT-X-TARGETDURATION` = max(`segment_duration`, the longest segment ever announced rounded to the nearest
///   second), the RFC 8216 4.3.3.1 bound on every EXTINF. The caller passes the longest duration the stream has
///   announced so far, so the value does not change from one playlist to the next (it grows only when a GOP
///   longer than any before arrives, bounded by the cutter's safety cap).
/// - `#EXT-X-MEDIA-SEQUENCE`: the first listed segment's number.
/// - `#EXT-X-DISCONTINUITY-SEQUENCE`: the first listed segment's `discontinuitySequence`. That count includes the
///   segment's own discontinuity, so the first listed segment gets no `#EXT-X-DISCONTINUITY` tag: its tag has left
///   the window and is counted, and every segment keeps its discontinuity sequence number as the window slides
///   (RFC 8216 6.2.2; hls.js and Safari number segments the same way in every reload).
/// - `#EXT-X-DISCONTINUITY` before every other discontinuous segment; `#EXT-X-PROGRAM-DATE-TIME` (UTC, ms) on the
///   first listed segment and on each discontinuous one.
/// - `#EXTINF` with three decimals, the same milliseconds as the segment's name.
/// - The last `segmentCount` complete segments (default 3: RFC 8216 6.2.2 wants a live playlist to span three
///   target durations). A segment still being written is never listed.
public struct MediaPlaylist: Hashable, Sendable {
    /// `segment_duration` when the config has none.
    public static let defaultSegmentDuration = 4
    /// `segment_count` when the config has none.
    public static let defaultSegmentCount = 3

    public var stream: String
    public var selection: TrackSelection
    /// Seconds, at least 1.
    public var segmentDuration: Int
    /// Segments listed, at least 1.
    public var segmentCount: Int
    private var url: StreamURL

    public init(stream: String, selection: TrackSelection = .all, segmentDuration: Int? = nil,
                segmentCount: Int? = nil, urlPrefix: String? = nil) {
        self.stream = stream
        self.selection = selection
        self.segmentDuration = max(1, segmentDuration ?? Self.defaultSegmentDuration)
        self.segmentCount = max(1, segmentCount ?? Self.defaultSegmentCount)
        self.url = StreamURL(stream: stream, urlPrefix: urlPrefix)
    }

    /// Seconds of the stream a ring must hold for these playlists: the listed segments, the one being written, and
    /// one more for a player that fetches a segment just after it left the playlist.
    public var ringWindowSeconds: Int { (segmentCount + 2) * segmentDuration }

    /// Complete segments needed before a playlist is served: 2 (checklist: never a playlist shorter than two
    /// segments), or `segmentCount` when that is 1.
    public var minimumSegments: Int { min(2, segmentCount) }

    /// Whether `segments` (the table, in number order) has enough complete segments to serve a playlist; until
    /// then the edge holds the request (bounded) or answers 404, never an empty playlist.
    public func isReady(_ segments: [HLSSegment]) -> Bool {
        segments.lazy.filter(\.isComplete).count >= minimumSegments
    }

    /// `#EXT-X-TARGETDURATION` for a stream whose longest announced segment lasted `longestSegment` ticks.
    public func targetDuration(longestSegment: Int64) -> Int {
        let milliseconds = HLSSegment.milliseconds(ticks: longestSegment)
        return max(segmentDuration, Int((milliseconds + 500) / 1000))
    }

    /// The playlist for `segments` (the table, in number order); nil when it is not ready. `longestSegment` is the
    /// longest duration (ticks) announced in any playlist of this stream so far; the listed segments count too.
    public func write(_ segments: [HLSSegment], longestSegment: Int64) -> String? {
        guard isReady(segments) else { return nil }
        let listed = segments.filter(\.isComplete).suffix(segmentCount)
        guard let first = listed.first else { return nil }
        let longest = listed.reduce(longestSegment) { max($0, $1.duration ?? 0) }
        var text = "#EXTM3U\n#EXT-X-VERSION:3\n"
        text += "#EXT-X-TARGETDURATION:\(targetDuration(longestSegment: longest))\n"
        text += "#EXT-X-MEDIA-SEQUENCE:\(first.number)\n"
        text += "#EXT-X-DISCONTINUITY-SEQUENCE:\(first.discontinuitySequence)\n"
        for segment in listed {
            guard let name = SegmentName(segment) else { continue }
            let isFirst = segment.number == first.number
            if segment.isDiscontinuity && !isFirst { text += "#EXT-X-DISCONTINUITY\n" }
            if segment.isDiscontinuity || isFirst {
                text += "#EXT-X-PROGRAM-DATE-TIME:" + UTCDateTime(unixMilliseconds: segment.wallClockMs).iso8601 + "\n"
            }
            text += "#EXTINF:" + DecimalText.thousandths(name.durationMs) + ",\n"
            let path = name.path
            text += url.uri(selection.directory + path, relative: selection.directoryFromPlaylist + path) + "\n"
        }
        return text
    }
}
