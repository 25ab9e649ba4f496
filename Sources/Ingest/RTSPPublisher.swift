import EventLoop
import HTTP
import Log
import Media
import RTP
import RTSP

/// An RTSP publisher (ANNOUNCE, SETUP with `mode=record`, RECORD) handed over by an edge worker at its ANNOUNCE,
/// carried on in the ingest worker. The edge checks only that the stream takes publishers; here the ANNOUNCE is
/// answered once `PublishInput` decided (200, or 403 for a wrong password, a busy stream or `on_publish` saying no;
/// 415 for an SDP without a track Sluice takes), so that a refused publisher has set nothing up. Its SETUPs are
/// answered here too: over TCP its RTP and RTCP come interleaved on the connection, over UDP to a pair of ports this
/// worker binds per track (`server_port`, datagrams from other addresses than the publisher's are dropped). RTP goes
/// through an `RTPDemuxer` (sender reports align the tracks) into frames for the worker to write; `max_bitrate` is
/// enforced over 5-second windows (`PublisherBitrateLimit`) on everything the publisher sends.
final class RTSPPublisher: Publisher {
    var onEnd: ((String) -> Void)?
    let peer: String
    let peerIP: String
    let loop: EventLoop
    /// The ANNOUNCE: the stream's path and the URL's query.
    let request: RTSPServerSession.Request
    /// Why the SDP cannot be taken (no track the RTP module reads); nil when it can. Refuse with `refuseMedia()`.
    let mediaProblem: String?
    /// The SDP's audio and video sections left out, with why (for the log).
    let leftOut: [String]
    private let connection: TCPConnection
    private var session: RTSPServerSession
    private let demuxer: RTPDemuxer?
    /// The SDP's `a=control` of each section, and the demuxer's track of those it takes.
    private let controls: [String?]
    private let trackOfSection: [Int: Int]
    private var setUpSections: Set<Int> = []
    /// Over TCP: the demuxer's track of each interleaved channel, and whether the channel carries RTCP.
    private var channels: [UInt8: (track: Int, rtcp: Bool)] = [:]
    private var udpPairs: [UDPSocketPair] = []
    private let frame: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void
    private let log: Logger
    private var limit: PublisherBitrateLimit
    private var flushTimer: Timer?
    private var announced = false
    private var ended = false
    private var reading = false

    /// How often packets held by the demuxer's reorder window are let go when nothing else comes.
    static let flushIntervalMs: UInt64 = 100

    /// Resumes the session; nothing is answered until `accept()` or `refuse`. Throws when the handed-over state
    /// holds no ANNOUNCE.
    init(connection: TCPConnection, handover: RTSPServerSessionHandover, maxKilobitsPerSecond: Int?, log: Logger,
         frame: @escaping (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) throws {
        self.connection = connection
        self.loop = connection.loop
        let address = try? connection.peerAddress()
        self.peer = address?.description ?? "?"
        self.peerIP = address?.ip ?? ""
        var session = RTSPServerSession(resuming: handover)
        guard case .announce(let request, let description)? = session.start().first else {
            throw RTSPError(.badMessage, "the handed-over session holds no ANNOUNCE")
        }
        self.session = session
        self.request = request
        self.frame = frame
        self.log = log
        self.limit = PublisherBitrateLimit(maxKilobitsPerSecond: maxKilobitsPerSecond, now: connection.loop.now)
        controls = description.media.map(\.control)
        var descriptions: [RTPTrackDescription] = []
        var trackOfSection: [Int: Int] = [:]
        var leftOut: [String] = []
        for (index, media) in description.media.enumerated() where media.type == "audio" || media.type == "video" {
            do {
                descriptions.append(try RTPTrackDescription(media: media))
                trackOfSection[index] = descriptions.count - 1
            } catch {
                leftOut.append("SDP section \(index + 1) left out: \(error)")
            }
        }
        self.leftOut = leftOut
        self.trackOfSection = trackOfSection
        do {
            demuxer = descriptions.isEmpty ? nil : try RTPDemuxer(descriptions)
            mediaProblem = descriptions.isEmpty ? "its SDP has no H.264, H.265, AAC or G.711 track" : nil
        } catch {
            demuxer = nil
            mediaProblem = "its SDP cannot be taken: \(error)"
        }
    }

    var proto: AuthBackendRequest.Proto { .rtsp }
    var streamName: String { request.path }
    var password: String? { request.queryValue("password") }
    var token: String? { request.queryValue("token") }

    func refuse(_ refusal: PublishRefusal) { reject(status: 403) }

    /// Refuses an ANNOUNCE whose SDP has nothing to take (415).
    func refuseMedia() { reject(status: 415) }

    private func reject(status: Int) {
        ended = true
        connection.stopReading()
        closeMedia()
        for case .send(let bytes) in session.reject(status: status) { try? connection.write(bytes) }
        // The completion holds the connection, not this publisher: a refused one is let go at once.
        let connection = self.connection
        do { try connection.shutdown { _ in connection.close() } } catch { connection.close() }
    }

    /// The session holds what arrives before `accept()` (the requests after the ANNOUNCE, unanswered).
    func startReading() throws {
        guard !reading else { return }
        reading = true
        try connection.startReading(onData: { [unowned self] bytes in
            if let reason = limit.count(bytes.count, now: loop.now) { return end(reason) }
            perform(session.receive(bytes))
        }, onEnd: { [unowned self] error in end("publisher disconnected" + (error.map { ": \($0)" } ?? "")) })
    }

    /// Answers the ANNOUNCE; the SETUPs and the RECORD follow, then the media.
    func accept() throws {
        try startReading()
        let timer = try Timer(loop: loop)
        try timer.start(after: Self.flushIntervalMs, repeating: Self.flushIntervalMs) { [unowned self] in
            demuxer?.flush(now: arrival, withTrack: frame)
        }
        flushTimer = timer
        announced = true
        perform(session.acceptAnnounce())
    }

    func close() {
        ended = true
        onEnd = nil
        closeMedia()
        connection.close()
    }

    /// The monotonic clock in 90 kHz ticks, the demuxer's arrival times.
    private var arrival: Int64 { Int64(loop.now) * 90 }

    private func perform(_ actions: [RTSPServerSession.Action]) {
        for action in actions {
            guard !connection.isClosing, !ended else { return }
            switch action {
            case .send(let bytes):
                do { try connection.write(bytes) } catch { return end("write: \(error)") }
            case .setup(let request, let transport):
                setUp(request, transport)
            case .record:
                let transport = udpPairs.isEmpty ? "TCP" : "UDP (ports \(udpPairs.map { "\($0.port)-\($0.port + 1)" }.joined(separator: ", ")))"
                log.info("\(peer): RTSP publisher of \(streamName) records over \(transport)")
                perform(session.acceptRecord())
            case .interleaved(let channel, let payload):
                guard let target = channels[channel], let demuxer else { continue }
                payload.withUnsafeBytes {
                    if target.rtcp { demuxer.feedRTCP($0) } else { demuxer.feedRTP(track: target.track, $0, arrival: arrival, withTrack: frame) }
                }
            case .describe, .play, .announce:
                perform(session.reject(status: 455))
            case .teardown:
                return end("publisher tore the session down")
            case .close(let reason):
                // What was queued (an error status) goes first.
                let connection = self.connection
                do { try connection.shutdown { _ in connection.close() } } catch { connection.close() }
                return end(reason)
            }
        }
    }

    private func setUp(_ request: RTSPServerSession.Request, _ transport: RTSPTransport) {
        guard announced else { return perform(session.reject(status: 455)) }
        guard let section = Self.section(track: request.track, controls: controls, setUp: setUpSections),
              let track = trackOfSection[section] else { return perform(session.reject(status: 404)) }
        setUpSections.insert(section)
        guard transport.lowerTransport == .udp else {
            guard let interleaved = transport.interleaved else { return perform(session.reject(status: 461)) }
            channels[UInt8(truncatingIfNeeded: interleaved.rtp)] = (track, false)
            channels[UInt8(truncatingIfNeeded: interleaved.rtcp)] = (track, true)
            return perform(session.acceptSetup())
        }
        // The port pairs are IPv4: an IPv6 publisher is told to use TCP.
        guard !peerIP.contains(":") else { return perform(session.reject(status: 461)) }
        do {
            let pair = try UDPSocketPair(loop: loop)
            udpPairs.append(pair)
            try pair.rtp.startReceiving(onDatagram: { [unowned self] bytes, sender in
                received(bytes, from: sender) { demuxer?.feedRTP(track: track, bytes, arrival: arrival, withTrack: frame) }
            }, onError: { _ in })
            try pair.rtcp.startReceiving(onDatagram: { [unowned self] bytes, sender in
                received(bytes, from: sender) { demuxer?.feedRTCP(bytes) }
            }, onError: { _ in })
            perform(session.acceptSetup(serverPorts: (pair.port, pair.port + 1)))
        } catch {
            perform(session.reject(status: 461))
        }
    }

    /// A datagram on one of the publisher's ports: taken only from the publisher's address, and counted.
    private func received(_ bytes: UnsafeRawBufferPointer, from sender: SocketAddress?, _ take: () -> Void) {
        guard !ended, sender?.ip == peerIP else { return }
        if let reason = limit.count(bytes.count, now: loop.now) { return end(reason) }
        take()
    }

    /// The SDP section a SETUP is for: the one whose `a=control` ends in the SETUP URL's `streamid=N`/`trackID=N`
    /// (ffmpeg writes `streamid=0, 1...`), else the first not set up yet.
    static func section(track: Int?, controls: [String?], setUp: Set<Int>) -> Int? {
        if let track, let index = controls.firstIndex(where: { control in
            guard let last = control?.split(separator: "/").last else { return false }
            return RTSPServerSession.Request.trackNumber(last) == track
        }) {
            return index
        }
        return controls.indices.first { !setUp.contains($0) }
    }

    private func closeMedia() {
        flushTimer?.close()
        flushTimer = nil
        for pair in udpPairs { pair.close() }
        udpPairs.removeAll()
    }

    private func end(_ reason: String) {
        guard !ended else { return }
        ended = true
        closeMedia()
        if !connection.isClosing { connection.close() }
        let onEnd = self.onEnd
        self.onEnd = nil
        onEnd?(reason)
    }
}
