import Media
import RTP
import RTSP

/// What an `rtsp://` (or `rtsp2://`) input decides, without its sockets: an `RTSPClientSession` pulling the camera,
/// an `RTPDemuxer` turning the RTP of the set-up tracks into frames, RTCP receiver reports, and every way a pull can
/// end turned into one `failed` with a reason fit for the log and `sluice ctl streams`. `RTSPInput` owns the TCP
/// connection, the UDP ports and the clock; it calls `start` once connected, `receive` with every read, `datagram`
/// with every UDP datagram, `tick` about once a second, and performs the outputs in the order given. After `failed`
/// nothing more comes, and the selector reconnects with its backoff.
///
/// - Open at PLAY's answer (`opened`): the stream's `source_timeout` still counts from the attempt until the first
///   frame, so a camera that answers PLAY and sends nothing is lost after it.
/// - Tracks whose encoding Sluice does not depacketize (MJPEG, G.726, ONVIF metadata named by `tracks=`...) are set
///   up as the camera offers them, then ignored (a `note` says which); a camera with no track left fails.
/// - `rtp udp`: after PLAY, one RTP packet with an empty payload and one empty RTCP receiver report go from each of
///   the track's ports to the camera's (what ffmpeg does to open NATs and firewalls on the way back). Datagrams that
///   come before PLAY's answer (a camera starts sending as it answers) are demuxed, not dropped.
/// - Keep-alives are the client session's (GET_PARAMETER or OPTIONS every half session timeout); RTCP receiver
///   reports every 5 s (`RTCPReceiverReports`), on the interleaved RTCP channel over TCP.
struct RTSPPull {
    /// What the caller does. `frame`'s payload is borrowed for the call.
    enum Output {
        /// Bytes for the RTSP connection.
        case send([UInt8])
        /// The camera redirected: close the connection, connect to this URL's host and port, call `start` again.
        case reconnect(RTSPURL)
        /// `rtp udp`: bind an RTP/RTCP port pair for this track (1-based SDP index), then call `udpOpened`.
        case openUDP(track: Int)
        /// PLAY succeeded; the set-up tracks (the ignored ones too).
        case opened([RTSPTrack])
        /// `rtp udp`: a datagram from the RTP (or RTCP) port of the `track`-th set-up track (0-based, the order of
        /// `openUDP`) to the camera's `port` (its server port for that track).
        case datagram(track: Int, rtcp: Bool, port: Int, bytes: [UInt8])
        case frame(Track, FrameInfo, UnsafeRawBufferPointer)
        /// A line for the log (a track ignored).
        case note(String)
        case failed(String)
    }

    private var client: RTSPClientSession
    private let ssrc: UInt32
    private var demuxer: RTPDemuxer?
    private var reports: RTCPReceiverReports?
    /// The set-up tracks, in set-up order.
    private(set) var tracks: [RTSPTrack] = []
    /// Per set-up track, its index in the demuxer (nil: ignored).
    private var demuxIndex: [Int?] = []
    /// Per demuxer track, its set-up track.
    private var setupIndex: [Int] = []
    /// Per interleaved channel: 2 × set-up track + 1 for RTCP; -1 for channels no track uses.
    private var channelRoute = [Int](repeating: -1, count: 256)
    /// RTP and RTCP packets of no track Sluice takes (ignored tracks, unknown channels).
    private(set) var ignoredPackets = 0
    private(set) var reportsSent = 0
    /// Failed or stopped: nothing more comes out.
    private(set) var isOver = false

    /// `ssrc`: ours, in receiver reports (random per session in the input, fixed in tests).
    init(url: RTSPURL, configuration: RTSPClientSession.Configuration, ssrc: UInt32) {
        client = RTSPClientSession(url: url, configuration: configuration)
        self.ssrc = ssrc
    }

    /// The camera's URL, after any redirect.
    var url: RTSPURL { client.url }
    var transport: RTSPClientSession.Transport { client.configuration.transport }
    var demuxerStats: RTPDemuxer.Stats? { demuxer?.stats }
    /// Per demuxer track: packets lost (given up by the reorder window).
    var lostPackets: Int { demuxer?.sequenceStats.reduce(0) { $0 + $1.lost } ?? 0 }

    /// OPTIONS: call once connected, and again after `reconnect`.
    mutating func start(_ output: (Output) -> Void) {
        perform(client.start(), now: 0, output)
    }

    /// Bytes read from the RTSP connection; `now` is monotonic milliseconds.
    mutating func receive(_ bytes: UnsafeRawBufferPointer, now: Int64, _ output: (Output) -> Void) {
        guard !isOver else { return }
        perform(client.receive(bytes), now: now, output)
    }

    /// The ports bound for the track `openUDP` named.
    mutating func udpOpened(track: Int, rtpPort: Int, rtcpPort: Int, _ output: (Output) -> Void) {
        guard !isOver else { return }
        perform(client.udpOpened(track: track, rtpPort: rtpPort, rtcpPort: rtcpPort), now: 0, output)
    }

    /// A datagram that came to the RTP (or RTCP) port of the `track`-th set-up track.
    mutating func datagram(track: Int, rtcp: Bool, _ bytes: UnsafeRawBufferPointer, now: Int64, _ output: (Output) -> Void) {
        guard !isOver else { return }
        if demuxer == nil, client.state == .starting { prepareDemuxer(client.tracks, output) }
        deliver(track: track, rtcp: rtcp, bytes, now: now, output)
    }

    /// The connection ended: `error` is the read error, nil when the camera closed it.
    mutating func ended(error: String?, _ output: (Output) -> Void) {
        let what = error.map { "connection lost: \($0)" } ?? "the camera closed the connection"
        switch client.state {
        case .idle, .options: fail("\(what) before answering OPTIONS", output)
        case .describing: fail("\(what) before answering DESCRIBE", output)
        case .settingUp, .waitingForPorts: fail("\(what) during SETUP", output)
        case .starting: fail("\(what) before answering PLAY", output)
        case .playing, .failed, .closed: fail(what, output)
        }
    }

    /// Keep-alives, receiver reports, and packets the reorder window waited for in vain; about once a second.
    mutating func tick(now: Int64, _ output: (Output) -> Void) {
        guard !isOver else { return }
        perform(client.tick(now: now), now: now, output)
        guard !isOver, let demuxer, var schedule = reports else { return }
        let due = schedule.due(now: now, demuxer: demuxer)
        reports = schedule
        for (index, packet) in due {
            let track = tracks[setupIndex[index]]
            if let channels = track.interleavedChannels {
                output(.send(RTSPInterleavedFrame.encode(channel: UInt8(channels.rtcp), payload: packet)))
            } else if let port = track.transport.serverPort?.rtcp {
                output(.datagram(track: setupIndex[index], rtcp: true, port: port, bytes: packet))
            } else {
                continue
            }
            reportsSent += 1
        }
        demuxer.flush(now: now * 90) { output(.frame($0, $1, $2)) }
    }

    /// TEARDOWN when a session was set up (nothing after a failure); the pull is spent either way.
    mutating func stop(_ output: (Output) -> Void) {
        guard !isOver else { return }
        let actions = client.stop()
        isOver = true
        for case .send(let bytes) in actions { output(.send(bytes)) }
    }

    /// One line for the log when the pull ends: what the RTP layer saw; nil when it was never set up.
    var summary: String? {
        guard let stats = demuxer?.stats else { return nil }
        var text = "\(stats.packets) RTP packets, \(lostPackets) lost, \(stats.frames) frames"
        let counts = [("dropped broken", stats.droppedBroken), ("dropped before a keyframe", stats.droppedBeforeKeyframe),
                      ("audio dropped", stats.droppedAudio), ("malformed", stats.malformedPackets),
                      ("of another payload type", stats.wrongPayloadType), ("payload errors", stats.payloadErrors),
                      ("ignored", ignoredPackets)]
        for (name, count) in counts where count > 0 { text += ", \(count) \(name)" }
        return text + ", \(stats.senderReports) sender reports in, \(reportsSent) receiver reports out"
    }

    // MARK: the client's actions

    private mutating func perform(_ actions: [RTSPClientSession.Action], now: Int64, _ output: (Output) -> Void) {
        for action in actions {
            guard !isOver else { return }
            switch action {
            case .send(let bytes): output(.send(bytes))
            case .reconnect(let url): output(.reconnect(url))
            case .openUDP(let track): output(.openUDP(track: track))
            case .ready(let tracks): ready(tracks, output)
            case .interleaved(let channel, let payload):
                let route = channelRoute[Int(channel)]
                guard route >= 0 else {
                    ignoredPackets += 1
                    continue
                }
                payload.withUnsafeBytes { deliver(track: route / 2, rtcp: route % 2 == 1, $0, now: now, output) }
            case .failed(let reason): fail(reason, output)
            }
        }
    }

    private mutating func ready(_ tracks: [RTSPTrack], _ output: (Output) -> Void) {
        if demuxer == nil { prepareDemuxer(tracks, output) }
        guard !isOver else { return }
        self.tracks = tracks  // with PLAY's RTP-Info
        output(.opened(tracks))
        guard transport == .udp else { return }
        for (k, track) in tracks.enumerated() where demuxIndex[k] != nil {
            guard let ports = track.transport.serverPort else { continue }
            var rtp: [UInt8] = []
            RTPPacket(marker: false, payloadType: track.payloadType ?? 0, sequenceNumber: 0, timestamp: 0, ssrc: ssrc).appendHeader(to: &rtp)
            var rtcp: [UInt8] = []
            RTCPPacket.appendReceiverReport(ssrc: ssrc, blocks: [], to: &rtcp)
            output(.datagram(track: k, rtcp: false, port: ports.rtp, bytes: rtp))
            output(.datagram(track: k, rtcp: true, port: ports.rtcp, bytes: rtcp))
        }
    }

    /// The demuxer for the tracks Sluice takes, and the routes of their packets.
    private mutating func prepareDemuxer(_ tracks: [RTSPTrack], _ output: (Output) -> Void) {
        self.tracks = tracks
        var descriptions: [RTPTrackDescription] = []
        demuxIndex = []
        setupIndex = []
        var ignored: [String] = []
        for (k, track) in tracks.enumerated() {
            do {
                descriptions.append(try RTPTrackDescription(media: track.media))
                demuxIndex.append(setupIndex.count)
                setupIndex.append(k)
            } catch {
                demuxIndex.append(nil)
                ignored.append("track \(track.index) (\(track.media.type) \(track.encodingName ?? track.media.formats.first ?? "?"))")
                continue
            }
            if let channels = track.interleavedChannels, (0...255).contains(channels.rtp), (0...255).contains(channels.rtcp) {
                channelRoute[channels.rtp] = 2 * k
                channelRoute[channels.rtcp] = 2 * k + 1
            }
        }
        guard !descriptions.isEmpty else {
            return fail("no track Sluice can take: " + ignored.joined(separator: ", ") + " (H.264, H.265, AAC and G.711 are)", output)
        }
        if !ignored.isEmpty { output(.note("ignored: " + ignored.joined(separator: ", ") + ": encoding not supported")) }
        do {
            demuxer = try RTPDemuxer(descriptions)
        } catch {
            return fail("SDP of \(client.url.requestURL): \(error)", output)
        }
        reports = RTCPReceiverReports(tracks: descriptions.count, ssrc: ssrc)
    }

    private mutating func deliver(track: Int, rtcp: Bool, _ bytes: UnsafeRawBufferPointer, now: Int64, _ output: (Output) -> Void) {
        guard let demuxer, demuxIndex.indices.contains(track), let index = demuxIndex[track] else {
            ignoredPackets += 1
            return
        }
        if rtcp {
            demuxer.feedRTCP(bytes)
        } else {
            demuxer.feedRTP(track: index, bytes, arrival: now * 90) { output(.frame($0, $1, $2)) }
        }
    }

    private mutating func fail(_ reason: String, _ output: (Output) -> Void) {
        guard !isOver else { return }
        isOver = true
        let moved = client.redirects > 0 ? " (redirected to \(client.url.requestURL))" : ""
        output(.failed(reason + moved))
    }
}
