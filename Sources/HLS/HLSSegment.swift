import Media

/// One live HLS segment as the ring's segment table records it and every edge worker reads it: enough to list it
/// in a playlist and to name it, identically on every edge. The bytes are muxed from the ring's frames.
public struct HLSSegment: Hashable, Sendable {
    /// Consecutive over the stream's life, never reused, carried across source restarts: `#EXT-X-MEDIA-SEQUENCE`.
    public var number: UInt64
    /// The discontinuity sequence number (RFC 8216 6.2.2) of this segment: how many discontinuities the stream had
    /// up to and including this segment's own. `#EXT-X-DISCONTINUITY-SEQUENCE` is the first listed segment's.
    public var discontinuitySequence: UInt64
    /// An `#EXT-X-DISCONTINUITY` goes before this segment (source restart, timestamp jump).
    public var isDiscontinuity: Bool
    /// The ring generation its frames were written in.
    public var generation: UInt64
    /// DTS of its first frame, in 90 kHz ticks (`MediaTime`).
    public var startDTS: Int64
    /// Its media duration in 90 kHz ticks; nil while it is still being written (known once the next one starts).
    public var duration: Int64?
    /// The wall clock (UTC, milliseconds since the Unix epoch) when its first frame arrived.
    public var wallClockMs: Int64
    /// Its size muxed as MPEG-TS (for `BANDWIDTH`), once an edge has muxed it.
    public var byteSize: Int?

    public init(number: UInt64, discontinuitySequence: UInt64, isDiscontinuity: Bool, generation: UInt64,
                startDTS: Int64, duration: Int64? = nil, wallClockMs: Int64, byteSize: Int? = nil) {
        self.number = number
        self.discontinuitySequence = discontinuitySequence
        self.isDiscontinuity = isDiscontinuity
        self.generation = generation
        self.startDTS = startDTS
        self.duration = duration
        self.wallClockMs = wallClockMs
        self.byteSize = byteSize
    }

    /// Complete: its duration is known, so it may be listed and served.
    public var isComplete: Bool { duration != nil }

    /// The duration in milliseconds, rounded to the nearest; the value in its name and (as seconds with three
    /// decimals) in its `#EXTINF`, so that both always agree.
    public var durationMs: Int64? {
        duration.map { Self.milliseconds(ticks: $0) }
    }

    /// 90 kHz ticks as milliseconds rounded to the nearest (half up); negative durations count as 0.
    static func milliseconds(ticks: Int64) -> Int64 {
        let ticks = max(0, ticks)
        return ticks / 90 + (ticks % 90 >= 45 ? 1 : 0)
    }
}
