import RTP

/// The RTCP receiver reports an `rtsp://` input sends the camera (RFC 3550 6.4.2): one compound packet (RR with one
/// report block, and the SDES CNAME every compound packet must carry) per track that has received RTP, every
/// `interval`. Cameras read them as a sign of life of a UDP session (some end a session that sends none) and some
/// adapt their rate to the loss they report. Over TCP they cost nothing and keep cameras that expect them happy.
///
/// Pure: `due(now:)` is called from the input's once-a-second tick with a monotonic time in milliseconds. The first
/// report goes `interval` after the first call (PLAY's answer), then one every `interval`: no randomisation, as
/// a session has one receiver (RFC 3550 6.2's spreading is for large groups). The fraction lost is over the time
/// since the previous report of the track; jitter, last SR and delay since last SR are 0 (not measured).
struct RTCPReceiverReports {
    /// Milliseconds between reports.
    static let defaultInterval: Int64 = 5_000
    static let cname = "sluice"

    /// Ours, as the report's sender; random per session.
    let ssrc: UInt32
    let interval: Int64
    private var next: Int64?
    /// Per track (the demuxer's order): its sequence counters at its last report.
    private var previous: [RTPSequenceTracker.Stats?]

    init(tracks: Int, ssrc: UInt32, interval: Int64 = Self.defaultInterval) {
        self.ssrc = ssrc
        self.interval = interval
        previous = Array(repeating: nil, count: tracks)
    }

    /// The reports due by `now`, as (demuxer track index, compound packet); none before `interval` has passed
    /// since the first call, none for a track that has received nothing yet.
    mutating func due(now: Int64, demuxer: RTPDemuxer) -> [(track: Int, packet: [UInt8])] {
        guard let due = next else {
            next = now + interval
            return []
        }
        guard now >= due else { return [] }
        next = now + interval
        var reports: [(track: Int, packet: [UInt8])] = []
        let stats = demuxer.sequenceStats
        for track in previous.indices where stats[track].received > 0 {
            var packet: [UInt8] = []
            RTCPPacket.appendReceiverReport(ssrc: ssrc, blocks: [demuxer.reportBlock(track: track, previous: previous[track])],
                                            cname: Self.cname, to: &packet)
            previous[track] = stats[track]
            reports.append((track, packet))
        }
        return reports
    }
}
