import Media

/// Turns the RTP and RTCP packets of one session's tracks into Sluice's tracks and canonical frames.
///
/// Pure: no I/O. The caller feeds each RTP packet with its track (the channel or port it came on) and its
/// arrival time (a monotonic clock in 90 kHz ticks), and each RTCP packet; the sink gets each frame with its
/// track, its payload borrowed for the call.
/// - Per track: `RTPSequenceTracker` (reorder window, loss, duplicates), then the codec's depacketizer
///   (`RTPVideoDepacketizer`, `RTPAACDepacketizer`; a G.711 packet is a frame), then for video
///   `VideoAccessUnitFramer` (parameter sets into the track, shared with the MPEG-TS and FLV demuxers).
/// - Tracks: ids 1...n in the order given; parameter sets from `sprop-*` and the AudioSpecificConfig from
///   `config=` go in first; the first frame of a track and the first after a change are `.configChange`.
/// - Losses: a video access unit with a missing piece is dropped, and so is video up to the next keyframe
///   (`droppedBroken`, `droppedBeforeKeyframe`); a fragmented AAC frame with a missing piece is dropped.
/// - Timestamps: `RTPTimeline` (first-arrival alignment, then the NTP clock of sender reports), then
///   `TimestampNormalizer` (shared by the tracks: jumps absorbed and flagged `.discontinuity`, DTS monotonic per
///   track, PTS never below DTS). Audio: DTS = PTS. Video: RTP carries presentation times only; DTS = PTS -
///   `reorderDelay`. The delay is 0 for H.264 Baseline (profile 66: no B-frames), else it starts at two frame
///   durations (from the SPS frame rate, else 25 fps), which covers the usual one or two B-frames, and grows to
///   the largest step back in PTS seen (deeper B-pyramids): DTS is then a constant delay before PTS. Only a frame
///   that steps back further than the delay so far may get its PTS raised to its DTS by the normalizer.
///
/// A class (not a struct) so that the stages, kept in separate properties, can hand packets to each other
/// through closures without copies.
public final class RTPDemuxer {
    public typealias TrackSink = (Track, FrameInfo, UnsafeRawBufferPointer) -> Void

    public struct Stats: Hashable, Sendable {
        public var packets = 0
        public var bytes = 0
        /// RTP packets whose header does not parse.
        public var malformedPackets = 0
        /// RTP packets with a payload type other than the track's.
        public var wrongPayloadType = 0
        /// Payloads that do not parse (bad FU sequences, AU headers past the end, unsupported packet types).
        public var payloadErrors = 0
        public var frames = 0
        /// Video access units with a missing piece, dropped.
        public var droppedBroken = 0
        /// Video dropped before the first keyframe, or after a loss before the next.
        public var droppedBeforeKeyframe = 0
        /// AAC fragments dropped for a loss.
        public var droppedAudio = 0
        /// Audio frames dropped because a sender report moved their track back over frames already delivered.
        public var droppedOverlap = 0
        public var rtcpPackets = 0
        public var rtcpErrors = 0
        public var senderReports = 0
        public init() {}
    }

    public private(set) var tracks: [Track]
    public let descriptions: [RTPTrackDescription]
    public private(set) var stats = Stats()
    public private(set) var lastError: MediaError?
    /// Per track: the sequence tracker's counters (for RTCP receiver reports and status).
    public var sequenceStats: [RTPSequenceTracker.Stats] { trackers.map(\.stats) }

    private var trackers: [RTPSequenceTracker]
    private var video: [RTPVideoDepacketizer?]
    private var aac: [RTPAACDepacketizer?]
    private var framers: [VideoAccessUnitFramer]
    private var waitingForKeyframe: [Bool]
    private var configChanged: [Bool]
    private var maxPTS: [Int64?]
    private var reorderDelay: [Int64]
    private var timeline: RTPTimeline
    private var normalizer = TimestampNormalizer()
    private var lastSSRC: [UInt32]
    /// Per track: the time of the last audio frame delivered.
    private var lastAudioTime: [Int64?]
    private var arrival: Int64 = 0

    private static let placeholder = RTPSequenceTracker(maxPackets: 1)

    /// Throws when a track's fmtp cannot be taken (sprop or config that does not parse, H.265 DONL, AU-header
    /// layouts not supported).
    public init(_ descriptions: [RTPTrackDescription], maxReorderPackets: Int = 32, maxReorderDelay: Int64 = 9_000) throws(MediaError) {
        self.descriptions = descriptions
        let n = descriptions.count
        tracks = []
        video = []
        aac = []
        for (k, d) in descriptions.enumerated() {
            var track = Track(id: k + 1, codec: d.codec)
            switch d.codec {
            case .h264, .h265:
                let sets = try RTPFormatParameters.parameterSets(codec: d.codec, fmtp: d.fmtp)
                if !sets.sps.isEmpty {
                    do { try track.applyParameterSets(sets) } catch {
                        throw MediaError("track \(k + 1) sprop parameter sets", "\(error)")
                    }
                } else {
                    track.parameterSets = sets
                }
                video.append(try RTPVideoDepacketizer(codec: d.codec, fmtp: d.fmtp))
                aac.append(nil)
            case .aac:
                track.audioConfig = try RTPFormatParameters.audioSpecificConfig(fmtp: d.fmtp)
                track.sampleRate = track.audioConfig?.sampleRate ?? d.clockRate
                track.channels = track.audioConfig?.channels ?? d.channels
                video.append(nil)
                aac.append(try RTPAACDepacketizer(fmtp: d.fmtp))
            case .pcma, .pcmu:
                track.sampleRate = d.clockRate
                track.channels = d.channels
                video.append(nil)
                aac.append(nil)
            default:
                throw MediaError("track \(k + 1)", "\(d.codec.rawValue) has no RTP mapping here")
            }
            tracks.append(track)
        }
        trackers = Array(repeating: RTPSequenceTracker(maxPackets: maxReorderPackets, maxDelay: maxReorderDelay), count: n)
        framers = Array(repeating: VideoAccessUnitFramer(), count: n)
        waitingForKeyframe = Array(repeating: true, count: n)
        configChanged = Array(repeating: true, count: n)
        maxPTS = Array(repeating: nil, count: n)
        reorderDelay = Array(repeating: 0, count: n)
        lastSSRC = Array(repeating: 0, count: n)
        lastAudioTime = Array(repeating: nil, count: n)
        timeline = RTPTimeline(clockRates: descriptions.map(\.clockRate),
                               anchor: descriptions.firstIndex { $0.codec.kind == .video })
    }

    /// Reads one RTP packet of track `index` (0-based, the order of the descriptions), which arrived at
    /// `arrival` (monotonic, 90 kHz ticks).
    public func feedRTP(track index: Int, _ packet: UnsafeRawBufferPointer, arrival: Int64, withTrack sink: TrackSink) {
        stats.packets += 1
        stats.bytes += packet.count
        let header: RTPPacket
        do { header = try RTPPacket(parsing: packet) } catch {
            stats.malformedPackets += 1
            lastError = error
            return
        }
        guard header.payloadType == descriptions[index].payloadType else {
            stats.wrongPayloadType += 1
            return
        }
        self.arrival = arrival
        var tracker = Self.placeholder
        swap(&tracker, &trackers[index])
        tracker.push(packet, sequenceNumber: header.sequenceNumber, arrival: arrival) { bytes, lost, at in
            handle(index, bytes, lost, at, sink)
        }
        swap(&tracker, &trackers[index])
    }

    /// Reads one (compound) RTCP packet: sender reports align the tracks (`RTPTimeline`).
    public func feedRTCP(_ packet: UnsafeRawBufferPointer) {
        stats.rtcpPackets += 1
        do {
            for item in try RTCPPacket.parseCompound(packet) {
                if case .senderReport(let report) = item { timeline.apply(report) }
            }
        } catch {
            stats.rtcpErrors += 1
            lastError = error
        }
        stats.senderReports = timeline.senderReports
    }

    /// Gives up packets missing for longer than the reorder delay by `now` (call it when no packet came for a
    /// while, e.g. from a timer).
    public func flush(now: Int64, withTrack sink: TrackSink) {
        arrival = now
        for index in trackers.indices {
            var tracker = Self.placeholder
            swap(&tracker, &trackers[index])
            tracker.flush(now: now) { bytes, lost, at in handle(index, bytes, lost, at, sink) }
            swap(&tracker, &trackers[index])
        }
    }

    /// End of input: delivers everything pending, the last access units included.
    public func finish(withTrack sink: TrackSink) {
        for index in trackers.indices {
            var tracker = Self.placeholder
            swap(&tracker, &trackers[index])
            tracker.flushAll { bytes, lost, at in handle(index, bytes, lost, at, sink) }
            swap(&tracker, &trackers[index])
            if video[index] != nil {
                video[index]!.finish { au, ts, broken in videoFrame(index, au, ts, broken, sink) }
            }
        }
    }

    /// An RTCP receiver report block for track `index` (`rtp udp`), from the sequence tracker's counters.
    /// `previous` is the tracker's counters at the last report, for the fraction lost.
    public func reportBlock(track index: Int, previous: RTPSequenceTracker.Stats?) -> RTCPPacket.ReportBlock {
        let s = trackers[index].stats
        let expectedNow = s.delivered + s.lost
        let expectedBefore = (previous?.delivered ?? 0) + (previous?.lost ?? 0)
        let lostInterval = s.lost - (previous?.lost ?? 0)
        let interval = expectedNow - expectedBefore
        let fraction = interval > 0 && lostInterval > 0 ? UInt8(min(255, lostInterval * 256 / interval)) : 0
        return RTCPPacket.ReportBlock(ssrc: lastSSRC[index], fractionLost: fraction,
                                      cumulativeLost: Int32(min(s.lost, 0x7F_FFFF)),
                                      highestSequence: UInt32(truncatingIfNeeded: trackers[index].highest),
                                      jitter: 0)
    }

    // MARK: Per packet, in order

    /// One packet in order; `arrival` is its own (it may have waited in the reorder window): the timeline's
    /// first-arrival alignment uses it.
    private func handle(_ index: Int, _ bytes: UnsafeRawBufferPointer, _ lost: Int, _ arrival: Int64, _ sink: TrackSink) {
        guard let header = try? RTPPacket(parsing: bytes) else { return }  // parsed once already
        self.arrival = arrival
        lastSSRC[index] = header.ssrc
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header.payloadRange])
        do throws(MediaError) {
            switch descriptions[index].codec {
            case .h264, .h265:
                try video[index]!.push(payload, timestamp: header.timestamp, marker: header.marker, lostBefore: lost) {
                    au, ts, broken in videoFrame(index, au, ts, broken, sink)
                }
            case .aac:
                let before = aac[index]!.droppedFragments
                try aac[index]!.push(payload, timestamp: header.timestamp, marker: header.marker, lostBefore: lost) {
                    frame, ts in audioFrame(index, frame, ts, header.ssrc, sink)
                }
                stats.droppedAudio += aac[index]!.droppedFragments - before
            default:
                if !payload.isEmpty { audioFrame(index, payload, header.timestamp, header.ssrc, sink) }
            }
        } catch {
            stats.payloadErrors += 1
            lastError = MediaError("track \(index + 1): " + error.what, error.reason)
        }
    }

    private func videoFrame(_ index: Int, _ au: UnsafeRawBufferPointer, _ ts: UInt32, _ broken: Bool, _ sink: TrackSink) {
        let time = timeline.time(track: index, rtp: ts, ssrc: lastSSRC[index], arrival: arrival)
        stats.senderReports = timeline.senderReports  // one kept from before the track's first frame may apply now
        if broken {
            stats.droppedBroken += 1
            waitingForKeyframe[index] = true
            return
        }
        var track = tracks[index]
        let outcome: VideoAccessUnitFramer.Outcome
        do { outcome = try framers[index].frame(lengthPrefixed: au, lengthSize: 4, track: &track) } catch {
            stats.payloadErrors += 1
            lastError = MediaError("track \(index + 1) access unit", "\(error)")
            return
        }
        tracks[index] = track
        guard case .frame(var flags) = outcome else {
            if outcome == .beforeKeyframe { stats.droppedBeforeKeyframe += 1 }
            return
        }
        if waitingForKeyframe[index] {
            guard flags.contains(.keyframe) else {
                stats.droppedBeforeKeyframe += 1
                return
            }
            waitingForKeyframe[index] = false
        }
        if configChanged[index] {
            flags.insert(.configChange)
            configChanged[index] = false
        }
        // DTS: see the type's comment.
        if maxPTS[index] == nil && track.codec.kind == .video && !(track.codec == .h264 && track.profile == 66) {
            let frameDuration = track.frameRate.map { Int64(Double(MediaTime.hz) / max($0, 1)) } ?? MediaTime.hz / 25
            reorderDelay[index] = 2 * frameDuration
        }
        if let top = maxPTS[index] {
            if time < top { reorderDelay[index] = max(reorderDelay[index], top - time) }
            maxPTS[index] = max(top, time)
        } else {
            maxPTS[index] = time
        }
        let out = normalizer.normalize(track: track.id, dts: time - reorderDelay[index], pts: time)
        if out.discontinuity { flags.insert(.discontinuity) }
        stats.frames += 1
        framers[index].withPayload(of: au) { sink(track, FrameInfo(track: track.id, flags: flags, dts: out.dts, pts: out.pts), $0) }
    }

    private func audioFrame(_ index: Int, _ frame: UnsafeRawBufferPointer, _ ts: UInt32, _ ssrc: UInt32, _ sink: TrackSink) {
        let time = timeline.time(track: index, rtp: ts, ssrc: ssrc, arrival: arrival)
        stats.senderReports = timeline.senderReports
        if descriptions[index].codec == .aac && tracks[index].audioConfig == nil {
            stats.droppedAudio += 1
            return
        }
        // A sender report moved the track back: what overlaps frames already delivered goes (see RTPTimeline). A
        // jump of more than a second back is the source's own (a restart): the normalizer takes it.
        if let last = lastAudioTime[index], time <= last, last - time < MediaTime.hz {
            stats.droppedOverlap += 1
            return
        }
        lastAudioTime[index] = time
        var flags: FrameFlags = .keyframe
        if configChanged[index] {
            flags.insert(.configChange)
            configChanged[index] = false
        }
        let out = normalizer.normalize(track: index + 1, dts: time, pts: time)
        if out.discontinuity { flags.insert(.discontinuity) }
        stats.frames += 1
        sink(tracks[index], FrameInfo(track: index + 1, flags: flags, dts: out.dts, pts: out.pts), frame)
    }
}
