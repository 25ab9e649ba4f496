import Media

/// Puts the RTP timestamps of a session's tracks on one 90 kHz timeline.
///
/// Each track's 32-bit RTP timestamps are unwrapped (`TimestampUnwrapper`, 32 bits) in its own clock rate.
/// - Before any sender report: every track is aligned on the arrival of its first packet. The first packet of
///   the session is at 0; a track whose first packet came `d` later starts at `d` (arrival times are the
///   caller's monotonic clock, in 90 kHz ticks). After that a track advances by its own RTP clock only.
/// - Once a track has had a sender report (an NTP wall-clock time and the RTP timestamp of the same instant),
///   its time is NTP-based: `ntp(SR) - origin + (rtp - rtp(SR))`, converted to 90 kHz. `origin` is fixed by the
///   session's first SR so that its track continues without a step; each other track moves once onto the shared
///   NTP timeline when its own first SR comes (that step is the A/V alignment; a camera's audio and video RTP
///   timestamps have unrelated random offsets). Later SRs refresh the pair (drift of the sender's clocks).
/// - The anchor track (the demuxer's first video track) never steps, in either direction: a step in the middle of a
///   group of pictures with B-frames would put a reordered frame's presentation time on the wrong side of its
///   neighbours' (decoders then output pictures out of time order). When the anchor's own first SR comes after
///   another track's, the shared origin moves instead, and the tracks already on the NTP timeline take the step
///   (the opposite way). Other tracks step when their first SR comes: forward leaves a gap, which packagers and
///   players take; back overlaps frames already delivered, which the demuxer drops (an audio glitch of the step's
///   length, once, rather than frames with one DTS, which muxers refuse: seen with GStreamer's RTSP server, whose
///   first audio SR moved the audio 45 ms back).
/// - An SR for an SSRC no track has yet (it may come before a track's first frame: the first packets wait in the
///   reorder window) is kept, the last per SSRC and as many as there are tracks, and applied when a track's
///   first frame comes from that SSRC.
public struct RTPTimeline: Sendable {
    private struct TrackClock: Sendable {
        var rate: Int64
        var ssrc: UInt32?
        var unwrapper = TimestampUnwrapper(bits: 32)
        var firstRTP: Int64 = 0
        var firstTime: Int64 = 0
        /// The last SR: its NTP time in 90 kHz ticks and its unwrapped RTP timestamp.
        var report: (ntp: Int64, rtp: Int64)?
    }

    private var clocks: [TrackClock]
    /// The track whose time never steps (see the type).
    private let anchor: Int?
    private var firstArrival: Int64?
    /// NTP time (90 kHz ticks) of the timeline's 0, set by the first sender report.
    private var origin: Int64?
    /// Sender reports applied.
    public private(set) var senderReports = 0
    /// Sender reports for SSRCs no track has yet, oldest first.
    private var early: [RTCPPacket.SenderReport] = []

    /// One clock per track, by index, with the tracks' RTP clock rates; `anchor`: the index of the track that never
    /// steps (see the type).
    public init(clockRates: [Int], anchor: Int? = nil) {
        clocks = clockRates.map { TrackClock(rate: Int64($0)) }
        self.anchor = anchor
    }

    /// The time (90 kHz) of RTP timestamp `rtp` of track `index`, which came from `ssrc` at `arrival`.
    public mutating func time(track index: Int, rtp: UInt32, ssrc: UInt32, arrival: Int64) -> Int64 {
        let value = clocks[index].unwrapper.unwrap(Int64(rtp))
        if clocks[index].ssrc == nil {
            clocks[index].ssrc = ssrc
            clocks[index].firstRTP = value
            let first = firstArrival ?? arrival
            firstArrival = first
            clocks[index].firstTime = arrival - first
            if let k = early.firstIndex(where: { $0.ssrc == ssrc }) { apply(early.remove(at: k)) }
        }
        return time(index, value)
    }

    private func time(_ index: Int, _ value: Int64) -> Int64 {
        let clock = clocks[index]
        if let origin, let report = clock.report {
            return report.ntp - origin + MediaTime.from(value - report.rtp, rate: clock.rate)
        }
        return clock.firstTime + MediaTime.from(value - clock.firstRTP, rate: clock.rate)
    }

    /// Applies a sender report; false when no track has its SSRC (it is then kept for later, see the type).
    @discardableResult
    public mutating func apply(_ report: RTCPPacket.SenderReport) -> Bool {
        guard let index = clocks.firstIndex(where: { $0.ssrc == report.ssrc }), let last = clocks[index].unwrapper.last
        else {
            early.removeAll { $0.ssrc == report.ssrc }
            early.append(report)
            if early.count > clocks.count { early.removeFirst() }
            return false
        }
        // The SR's RTP timestamp unwrapped next to the track's last one, without moving the unwrapper.
        let period: Int64 = 1 << 32
        var rtp = (last & ~(period - 1)) | Int64(report.rtpTimestamp)
        if rtp - last > period / 2 { rtp -= period } else if last - rtp > period / 2 { rtp += period }
        let ntp = Self.ntpTo90kHz(report.ntpTimestamp)
        let isFirst = clocks[index].report == nil
        let before = time(index, last)
        if origin == nil { origin = ntp - time(index, rtp) }
        clocks[index].report = (ntp, rtp)
        // The anchor does not step: the origin moves, and with it the tracks already on the NTP timeline.
        if isFirst, index == anchor, let origin { self.origin = origin + time(index, last) - before }
        senderReports += 1
        return true
    }

    /// An NTP timestamp (32.32 fixed point seconds) in 90 kHz ticks.
    public static func ntpTo90kHz(_ ntp: UInt64) -> Int64 {
        let seconds = Int64(ntp >> 32)
        let fraction = Int64(ntp & 0xFFFF_FFFF)
        return seconds * MediaTime.hz + (fraction * MediaTime.hz) >> 32
    }
}
