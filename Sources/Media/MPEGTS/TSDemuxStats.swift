/// What the demuxer saw and what it had to throw away: for `sluice inspect`, status pages and metrics.
public struct TSDemuxStats: Hashable, Sendable {
    /// Whole packets read (null packets included).
    public var packets = 0
    /// Bytes fed.
    public var bytes = 0
    /// Bytes skipped while hunting for packet sync (garbage, partial packets).
    public var skippedBytes = 0
    /// Times packet sync was lost.
    public var syncLosses = 0
    /// Packets with transport_error_indicator set (dropped).
    public var transportErrors = 0
    /// Continuity counter gaps, on any PID.
    public var continuityErrors = 0
    /// PCRs read, on any PID.
    public var pcrCount = 0
    /// PCRs that went backwards, jumped more than a second ahead, or carried discontinuity_indicator.
    public var pcrDiscontinuities = 0
    /// Timestamp jumps absorbed by the normaliser (each one flags a frame `.discontinuity`).
    public var timestampJumps = 0
    /// PSI sections dropped for a wrong CRC.
    public var crcErrors = 0
    /// PSI tables that did not parse (with a right CRC).
    public var psiErrors = 0
    /// PES packets cut short or malformed, runs of elementary stream bytes that did not parse.
    public var pesErrors = 0
    /// Frames not delivered: video before the first keyframe with parameter sets, oversized PES.
    public var droppedFrames = 0
    /// The last PCR of each PID that carries one, unwrapped, in 27 MHz ticks.
    public var lastPCR: [Int: Int64] = [:]

    public init() {}
}
