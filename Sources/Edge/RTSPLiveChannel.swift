#if canImport(Glibc)
import Glibc
#endif
import EventLoop
import Log
import Media
import RTP
import RTSP
import Ring

/// One stream's RTSP viewers on this edge worker. The ring is read once and each frame is packetized once
/// (`RTSPStreamPackager`: one SSRC and one sequence per track for the whole channel); viewers over TCP share the
/// same `$`-framed bytes (every viewer gets track `k` on channels `2k`/`2k+1`), viewers over UDP are sent the same
/// packets from the edge's UDP socket pair. Nobody gets a copy of a frame of its own.
///
/// Joining: a TCP viewer starts at once with the current group of pictures (`LiveGroupCache`, up to 8 MB), so the
/// picture appears at once; a UDP viewer (or a TCP one when the group is not kept) starts at the next group start,
/// its PLAY answered then: a whole group sent at once over UDP would overflow a player's socket buffer. Either way
/// RTP-Info gives each viewer the sequence number and RTP time of the packets it starts with, and sender reports of
/// that instant come before them; every viewer gets sender reports every 5 s after (`RTSPSenderReportClock`), so
/// players align audio and video. A TCP viewer whose socket queue grows past 5 seconds of the stream
/// (`LiveViewerPacing.queueLimit`), or a UDP viewer whose datagram the kernel refuses, skips to the next keyframe,
/// with a log line. Nobody ever waits for a slow viewer.
final class RTSPLiveChannel: LiveChannel {
    /// A viewer that asked to play: its connection, the outputs it set up (with their SETUP URLs, for RTP-Info), and
    /// over UDP where each output's RTP and RTCP go.
    final class Viewer: LiveViewer {
        let connection: RTSPEdgeConnection
        let urls: [Int: String]
        /// Over UDP, per output (nil for those not set up); empty over TCP.
        let udpTargets: [(rtp: SocketAddress, rtcp: SocketAddress)?]
        var pacing = LiveViewerPacing(waitingForGroup: true)
        /// Set when the channel let go of it (it may be playing no more by the time a callback returns).
        fileprivate var removed = false

        var overUDP: Bool { !udpTargets.isEmpty }
        var peer: String { connection.peer }
        var queuedBytes: Int { connection.writeQueueSize }
        func send(_ bytes: SharedBytes) { connection.write(bytes) }

        init(connection: RTSPEdgeConnection, urls: [Int: String], udpTargets: [(rtp: SocketAddress, rtcp: SocketAddress)?]) {
            self.connection = connection
            self.urls = urls
            self.udpTargets = udpTargets
        }
    }

    let stream: String
    private let feed: LiveRingFeed
    private let loop: EventLoop
    private let udp: UDPSocketPair?
    private let log: Logger
    private(set) var packager: RTSPStreamPackager?
    private var clock: RTSPSenderReportClock?
    /// The CNAME of every sender report of the channel (receivers pair its tracks by it).
    private let cname: String
    /// Connections that described or set up this stream and may play: the channel lives while there are any.
    private var holders: [ObjectIdentifier: RTSPEdgeConnection] = [:]
    private var tcpViewers: [ObjectIdentifier: Viewer] = [:]
    private var udpViewers: [ObjectIdentifier: Viewer] = [:]
    /// Viewers whose PLAY is answered at the next group start.
    private var waiting: [Viewer] = []
    /// The `$`-framed packets since the last hand-out to TCP viewers, and the current group for those who join.
    private var output = LiveOutput()
    private var groupStartsAtNextFrame = false
    /// The PTS of the newest frame sent: the instant of the periodic sender reports.
    private var lastPTS: Int64?
    private var report: [UInt8] = []

    init(stream: String, reader: RingReader, wakeups: RingWakeups, loop: EventLoop, udp: UDPSocketPair?,
         log: Logger) throws {
        self.stream = stream
        self.feed = try LiveRingFeed(reader: reader, wakeups: wakeups)
        self.loop = loop
        self.udp = udp
        self.log = log
        self.cname = "sluice/" + stream
    }

    /// The stream's ring was removed or created again: the channel's viewers are of a stream that is gone.
    var isReplaced: Bool { feed.isReplaced }

    var isIdle: Bool { holders.isEmpty && tcpViewers.isEmpty && udpViewers.isEmpty && waiting.isEmpty }

    /// A connection described or set up this stream: the channel keeps reading for it.
    func hold(_ connection: RTSPEdgeConnection) { holders[ObjectIdentifier(connection)] = connection }

    func release(_ connection: RTSPEdgeConnection) { holders[ObjectIdentifier(connection)] = nil }

    /// The SDP of a DESCRIBE; nil while the ring has no track the channel can send.
    func describe() -> SessionDescription? {
        _ = pump()
        guard let packager, !packager.outputs.isEmpty else { return nil }
        return packager.sessionDescription(name: stream)
    }

    /// Starts a viewer (see the type's comment): its connection's `startPlaying(rtpInfo:)` answers the PLAY, now or
    /// at the next group start.
    func play(_ viewer: Viewer) {
        _ = pump()  // what the ring has now is in the group before the viewer joins it
        guard !viewer.overUDP, let pieces = output.group.pieces, packager?.groupStart != nil else { return waiting.append(viewer) }
        start(viewer)
        guard !viewer.removed else { return }
        for bytes in pieces { viewer.connection.write(bytes) }
        viewer.pacing.waitingForGroup = false
        tcpViewers[ObjectIdentifier(viewer)] = viewer
    }

    func remove(_ viewer: Viewer) {
        viewer.removed = true
        tcpViewers[ObjectIdentifier(viewer)] = nil
        udpViewers[ObjectIdentifier(viewer)] = nil
        waiting.removeAll { $0 === viewer }
    }

    /// Ends every viewer's and holder's connection (the stream was removed or changed, or the worker stops).
    func closeAll() {
        let connections = Array(holders.values) + (Array(tcpViewers.values) + Array(udpViewers.values) + waiting).map(\.connection)
        for connection in connections { connection.close() }
    }

    /// Reads what the ring has, packetizes it, and hands it out (to TCP viewers, or holds it: `LiveOutput`): call it
    /// when the ring has news (`RingWakeups`) and at the time it returns, that of its next hand-out; nil when it wants
    /// to hear of every frame.
    func pump() -> UInt64? {
        let now = loop.now
        feed.pump(log: log, reader: "\(stream): RTSP reader", flush: { flush() }, tracks: setTracks, groupStart: {
            output.beginGroup()
            groupStartsAtNextFrame = true
        }) { info, payload in
            send(info, payload, now: now)
        }
        if let pts = lastPTS, clock?.isDue(nowMs: now) == true {
            sendReports(pts: pts)
            flush()
        }
        return output.nextFlush(viewers: tcpViewers.count, nowMs: now)
    }

    private func send(_ info: FrameInfo, _ payload: UnsafeRawBufferPointer, now: UInt64) {
        guard packager != nil else { return }
        if clock == nil { clock = RTSPSenderReportClock(pts: info.pts, unixMs: Self.unixMs(), nowMs: now) }
        if groupStartsAtNextFrame {
            groupStartsAtNextFrame = false
            packager!.startGroup(pts: info.pts)
            for viewer in udpViewers.values { viewer.pacing.waitingForGroup = false }
            admitWaiting()
        }
        lastPTS = info.pts
        do {
            try packager!.packetize(info, payload: payload) { k, packet in
                RTSPInterleavedFrame.append(channel: UInt8(RTSPStreamPackager.interleavedChannels(k).0), payload: packet, to: &output.bytes)
                for viewer in udpViewers.values { sendUDP(packet, output: k, to: viewer) }
            }
        } catch {
            log.error("\(stream): RTSP: a frame of track \(info.track) cannot be packetized: \(error)")
        }
    }

    private func sendUDP(_ packet: UnsafeRawBufferPointer, output k: Int, to viewer: Viewer) {
        guard !viewer.pacing.waitingForGroup, let udp, k < viewer.udpTargets.count, let target = viewer.udpTargets[k] else { return }
        // A refused datagram (the socket buffer is full) is lost: the viewer starts again at the next keyframe
        // rather than see a broken picture. Other errors (a host unreachable) end with the viewer's connection.
        guard (try? udp.rtp.trySend(packet, to: target.rtp)) == false else { return }
        viewer.pacing.waitingForGroup = true
        log.info("\(viewer.connection.peer): RTSP play of \(stream) over UDP: a packet was refused, skipping to the next keyframe")
    }

    /// Answers the PLAY of the viewers that waited for this group start, and lets them in.
    private func admitWaiting() {
        let admitted = waiting
        waiting.removeAll()
        for viewer in admitted {
            start(viewer)
            guard !viewer.removed else { continue }
            if viewer.overUDP {
                viewer.pacing.waitingForGroup = false
                udpViewers[ObjectIdentifier(viewer)] = viewer
            } else {
                tcpViewers[ObjectIdentifier(viewer)] = viewer  // from the chunk this group starts
            }
        }
    }

    /// Answers a viewer's PLAY with the current group start's RTP-Info, and sends it sender reports of that instant.
    private func start(_ viewer: Viewer) {
        guard let packager, let pts = packager.groupStartPTS, let clock else { return }
        viewer.connection.startPlaying(rtpInfo: packager.rtpInfo(urls: viewer.urls))
        guard !viewer.removed else { return }
        var reports: [UInt8] = []
        for k in viewer.urls.keys.sorted() {
            report.removeAll(keepingCapacity: true)
            packager.appendSenderReport(output: k, pts: pts, ntp: clock.ntp(pts: pts), cname: cname, to: &report)
            if viewer.overUDP {
                if k < viewer.udpTargets.count, let target = viewer.udpTargets[k] { _ = report.withUnsafeBytes { try? udp?.rtcp.trySend($0, to: target.rtcp) } }
            } else {
                RTSPInterleavedFrame.append(channel: UInt8(RTSPStreamPackager.interleavedChannels(k).1), payload: report, to: &reports)
            }
        }
        if !reports.isEmpty { viewer.connection.write(reports) }
    }

    /// Every viewer's sender reports for the newest frame: in the shared TCP bytes, and to each UDP viewer.
    private func sendReports(pts: Int64) {
        guard let packager, let clock else { return }
        for k in packager.outputs.indices {
            report.removeAll(keepingCapacity: true)
            packager.appendSenderReport(output: k, pts: pts, ntp: clock.ntp(pts: pts), cname: cname, to: &report)
            RTSPInterleavedFrame.append(channel: UInt8(RTSPStreamPackager.interleavedChannels(k).1), payload: report, to: &output.bytes)
            guard let udp else { continue }
            for viewer in udpViewers.values where !viewer.pacing.waitingForGroup && k < viewer.udpTargets.count {
                guard let target = viewer.udpTargets[k] else { continue }
                _ = report.withUnsafeBytes { try? udp.rtcp.trySend($0, to: target.rtcp) }
            }
        }
    }

    /// New tracks: the same outputs carry on (new parameter sets go in band); others start the channel again, and
    /// its viewers, told another SDP, are disconnected (they describe the stream again).
    private func setTracks(_ tracks: [Track]) {
        if packager?.update(tracks: tracks) == true { return }
        if packager != nil {
            log.notice("\(stream): its tracks changed; RTSP viewers disconnected")
            flush(atOnce: true)
            closeAll()
            output.dropGroup()
        }
        let fresh = RTSPStreamPackager(tracks: tracks)
        for (id, reason) in fresh.leftOut { log.info("\(stream): RTSP: track \(id) left out: \(reason)") }
        packager = fresh
    }

    /// Sends the packets built so far to every TCP viewer that can take them (unless `LiveBatching` holds them, and
    /// `atOnce` does not), and keeps them for viewers who join.
    private func flush(atOnce: Bool = false) {
        let limit = LiveViewerPacing.queueLimit(bitsPerSecond: feed.bitsPerSecond)
        output.flush(viewers: atOnce ? 0 : tcpViewers.count, nowMs: loop.now) { piece, startsGroup in
            tcpViewers.values.deliver(piece, startsGroup: startsGroup, limit: limit, log: log, what: "RTSP play of \(stream)")
        }
    }

    private static func unixMs() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
