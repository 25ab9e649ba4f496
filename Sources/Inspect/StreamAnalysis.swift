import Media

/// The analyser behind `sluice inspect`: demuxes MPEG-TS as it arrives and measures each track. Pure: the caller
/// feeds bytes from whatever source it reads, then asks for a report.
public struct StreamAnalysis {
    private var demuxer: TSDemuxer
    private var analyses: [Int: TrackAnalysis] = [:]
    public private(set) var inputBytes = 0

    public init(options: TSDemuxer.Options = TSDemuxer.Options()) {
        demuxer = TSDemuxer(options: options)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        inputBytes += bytes.count
        demuxer.feed(bytes) { info, payload in analyses[info.track, default: TrackAnalysis()].add(info, bytes: payload.count) }
    }

    /// The end of the input: counts what the demuxer still held.
    public mutating func finish() {
        demuxer.flush { info, payload in analyses[info.track, default: TrackAnalysis()].add(info, bytes: payload.count) }
    }

    /// `wallSeconds`: how long a live source was read, nil for a file (its duration is then taken from timestamps).
    public func report(source: String, wallSeconds: Double?) -> InspectReport {
        let mediaSpan = analyses.values.map(\.span).max() ?? 0
        let seconds = wallSeconds ?? MediaTime.seconds(mediaSpan)
        let tracks = demuxer.tracks.map { track -> InspectReport.TrackReport in
            let a = analyses[track.id] ?? TrackAnalysis()
            let trackSeconds = MediaTime.seconds(a.span)
            return InspectReport.TrackReport(
                track: track,
                pid: demuxer.programs.lazy.flatMap(\.streams).first { $0.trackID == track.id }?.pid,
                frames: a.frames,
                bitrate: trackSeconds > 0 ? Int(Double(a.bytes * 8) / trackSeconds) : nil,
                frameRate: track.frameRate ?? (track.kind == .video ? a.measuredFrameRate : nil),
                keyframeInterval: track.kind == .video ? a.keyframeInterval : nil,
                gopFrames: track.kind == .video ? a.gopFrames : nil
            )
        }
        let s = demuxer.stats
        let errors: [(String, Int)] = [
            ("continuity", s.continuityErrors),
            ("sync_losses", s.syncLosses),
            ("skipped_bytes", s.skippedBytes),
            ("transport_errors", s.transportErrors),
            ("crc_errors", s.crcErrors),
            ("psi_errors", s.psiErrors),
            ("pes_errors", s.pesErrors),
            ("pcr_discontinuities", s.pcrDiscontinuities),
            ("timestamp_jumps", s.timestampJumps),
            ("dropped_frames", s.droppedFrames),
        ]
        return InspectReport(
            source: source,
            seconds: seconds,
            bytes: inputBytes,
            bitrate: seconds > 0 ? Int(Double(inputBytes * 8) / seconds) : nil,
            pcrCount: s.pcrCount,
            programs: demuxer.programs,
            tracks: tracks,
            errors: errors
        )
    }
}
