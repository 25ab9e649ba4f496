/// Pulling from an RTSP camera as a pure state machine: OPTIONS → DESCRIBE → SETUP per selected track → PLAY, then
/// keep-alives until `stop()` sends TEARDOWN. No sockets, no clock: the caller connects to `url.host`/`url.port`,
/// sends what `start()` returns, feeds every read to `receive`, calls `tick(now:)` about once a second, and performs
/// the actions.
///
/// - `.send(bytes)`: write them on the RTSP connection.
/// - `.reconnect(url)`: the camera redirected (3xx with `Location`, at most `maxRedirects`): close the connection,
///   connect to the new URL's host and port, and call `start()` again.
/// - `.openUDP(track:)`: with `.udp`, bind an RTP/RTCP port pair for that track and call `udpOpened`.
/// - `.ready(tracks)`: PLAY succeeded; RTP flows, as `.interleaved` actions over TCP or on the UDP ports.
/// - `.interleaved(channel, payload)`: an RTP (even channel) or RTCP (odd) packet on the RTSP connection.
/// - `.failed(reason)`: the session is spent; the reason names the request, the status and what the camera said.
///
/// Authentication: a 401 is answered once per request with the URL's credentials (Digest preferred over Basic); the
/// nonce is then reused for every later request. Keep-alive: GET_PARAMETER when the camera's `Public` lists it, else
/// OPTIONS, every half session timeout (the `Session` header's `timeout`, 60 s by default). Cameras that answer with
/// `RTSP/2.0` status lines, without Content-Base, or in pieces are handled; requests a camera sends (OPTIONS,
/// GET_PARAMETER, SET_PARAMETER as liveness checks) are answered 200, others 501.
public struct RTSPClientSession: Sendable {
    public enum Transport: Sendable, Equatable {
        /// RTP interleaved on the RTSP connection, channels 2n and 2n+1 for the n-th set-up track (0-based).
        case tcp
        /// RTP on UDP ports the caller binds (`.openUDP`).
        case udp
    }

    public struct Configuration: Sendable {
        public var transport = Transport.tcp
        public var userAgent = "Sluice"
        /// 1-based SDP indexes; nil: the URL's `tracks=`, else every audio and video section.
        public var tracks: [Int]?
        public var maxRedirects = 3
        /// Seconds, when the camera's Session header gives none.
        public var defaultSessionTimeout = 60
        public var limits = RTSPParser.Limits()
        /// Seeds Digest cnonces (tests make it fixed; the role may pass a random one).
        public var authenticationSeed: UInt64 = 0x5EED_C0FF_EE12_3456

        public init() {}
    }

    public enum Action: Sendable, Equatable {
        case send([UInt8])
        case reconnect(RTSPURL)
        case openUDP(track: Int)
        case ready([RTSPTrack])
        case interleaved(channel: UInt8, payload: [UInt8])
        case failed(String)
    }

    public enum State: Sendable, Equatable {
        case idle
        case options
        case describing
        case settingUp
        case waitingForPorts
        case starting
        case playing
        case failed
        case closed
    }

    public private(set) var url: RTSPURL
    public let configuration: Configuration
    public private(set) var state = State.idle
    public private(set) var tracks: [RTSPTrack] = []
    public private(set) var sessionDescription: SessionDescription?
    public private(set) var sessionID: String?
    /// Seconds.
    public private(set) var sessionTimeout: Int
    public private(set) var serverMethods: [String] = []
    public private(set) var redirects = 0

    private var parser: RTSPParser
    private var writer: RTSPRequestWriter
    private var authenticator: RTSPClientAuthenticator?
    private var pending: (method: String, uri: String, headers: [(String, String)], cseq: Int, retried: Bool)?
    private var selected: [(index: Int, media: MediaDescription, control: String)] = []
    private var udpPorts: (Int, Int)?
    private var keepAliveWithGetParameter = false
    private var nextKeepAlive: Int64?

    public init(url: RTSPURL, configuration: Configuration = Configuration()) {
        self.url = url
        self.configuration = configuration
        sessionTimeout = configuration.defaultSessionTimeout
        parser = RTSPParser(limits: configuration.limits)
        writer = RTSPRequestWriter(product: configuration.userAgent)
    }

    /// OPTIONS: the first bytes once connected (again after `.reconnect`).
    public mutating func start() -> [Action] {
        parser = RTSPParser(limits: configuration.limits)
        authenticator = nil
        sessionID = nil
        tracks = []
        state = .options
        return send("OPTIONS", url.requestURL)
    }

    public mutating func receive(_ bytes: some Collection<UInt8>) -> [Action] {
        guard state != .failed, state != .closed else { return [] }
        parser.append(bytes)
        var actions: [Action] = []
        while state != .failed, state != .closed, !actions.contains(where: Self.endsInput) {
            let message: RTSPMessage?
            do {
                message = try parser.next()
            } catch {
                actions += fail("from \(url.hostForURL): \(error)")
                break
            }
            guard let message else { break }
            switch message {
            case .interleaved(let channel, let payload): actions.append(.interleaved(channel: channel, payload: payload))
            case .request(let request): actions += answer(request)
            case .response(let response): actions += handle(response)
            }
        }
        return actions
    }

    private static func endsInput(_ action: Action) -> Bool {
        if case .reconnect = action { return true }
        return false
    }

    /// Drives keep-alives; `now` is a monotonic time in milliseconds. Call about once a second.
    public mutating func tick(now: Int64) -> [Action] {
        guard state == .playing else { return [] }
        let interval = Int64(max(sessionTimeout, 2)) * 500
        guard let due = nextKeepAlive else {
            nextKeepAlive = now + interval
            return []
        }
        guard now >= due else { return [] }
        nextKeepAlive = now + interval
        return keepAliveWithGetParameter ? send("GET_PARAMETER", baseURL) : send("OPTIONS", baseURL)
    }

    /// The ports bound for the track `.openUDP` named.
    public mutating func udpOpened(track: Int, rtpPort: Int, rtcpPort: Int) -> [Action] {
        guard state == .waitingForPorts, selected.indices.contains(tracks.count), selected[tracks.count].index == track else { return [] }
        udpPorts = (rtpPort, rtcpPort)
        return setupNext()
    }

    /// TEARDOWN when a session exists; the session is spent either way. Close the connection after writing.
    public mutating func stop() -> [Action] {
        defer { state = .closed }
        guard let sessionID, state != .failed, state != .closed else { return [] }
        return send("TEARDOWN", baseURL, headers: [("Session", sessionID)], track: false)
    }

    // MARK: requests

    private var baseURL: String { aggregateURL ?? url.requestURL }
    private var aggregateURL: String?
    private var contentBase: String?

    private mutating func send(_ method: String, _ uri: String, headers: [(String, String)] = [], retried: Bool = false, track: Bool = true) -> [Action] {
        var all = headers
        if let sessionID, !headers.contains(where: { $0.0 == "Session" }) { all.append(("Session", sessionID)) }
        if authenticator != nil { all.append(("Authorization", authenticator!.authorization(method: method, uri: uri))) }
        let cseq = writer.nextCSeq
        let request = writer.request(method, uri, headers: all)
        if track { pending = (method, uri, headers, cseq, retried) }
        return [.send(request.serialized())]
    }

    private mutating func fail(_ reason: String) -> [Action] {
        state = .failed
        return [.failed(reason)]
    }

    private mutating func answer(_ request: RTSPRequest) -> [Action] {
        let known = ["OPTIONS", "GET_PARAMETER", "SET_PARAMETER"].contains(request.method)
        return [.send(writer.response(known ? 200 : 501, cseq: request.headers.cseq).serialized())]
    }

    // MARK: responses

    private mutating func handle(_ response: RTSPResponse) -> [Action] {
        guard let request = pending, response.headers.cseq == nil || response.headers.cseq == request.cseq else { return [] }
        pending = nil
        let what = "\(request.method) \(request.uri): \(response.status) \(response.reason)"
        if response.status == 401 { return authenticate(response, request: request, what: what) }
        if response.isRedirect, state == .options || state == .describing { return redirect(response, what: what) }
        switch state {
        case .options:
            serverMethods = response.headers.publicMethods
            keepAliveWithGetParameter = serverMethods.contains("GET_PARAMETER")
            state = .describing
            return send("DESCRIBE", url.requestURL, headers: [("Accept", "application/sdp")])
        case .describing:
            guard response.isSuccess else { return fail(what) }
            return described(response)
        case .settingUp:
            return setUp(response, what: what)
        case .starting:
            guard response.isSuccess else { return fail(what) }
            let infos = response.headers["RTP-Info"].map { RTPInfo.parseList($0) } ?? []
            for index in tracks.indices {
                tracks[index].rtpInfo = infos.first { matches($0.url, tracks[index].controlURL) }
                    ?? (infos.count == tracks.count ? infos[index] : nil)
            }
            state = .playing
            return [.ready(tracks)]
        case .playing:
            if request.method == "GET_PARAMETER", response.status == 405 || response.status == 501 || response.status == 551 {
                keepAliveWithGetParameter = false
            } else if response.status == 454 {
                return fail("keep-alive: \(what) (the camera dropped the session)")
            }
            return []
        default:
            return []
        }
    }

    private mutating func authenticate(_ response: RTSPResponse, request: (method: String, uri: String, headers: [(String, String)], cseq: Int, retried: Bool), what: String) -> [Action] {
        let challenge = RTSPAuthChallenge.preferred(response.headers.values("WWW-Authenticate"))
        guard let credentials = url.credentials else {
            return fail("\(what): the camera requires a user and password; the URL has none")
        }
        guard let challenge else {
            let offered = response.headers.values("WWW-Authenticate").joined(separator: " | ")
            return fail("\(what): no supported authentication offered (\(offered.isEmpty ? "no WWW-Authenticate" : offered))")
        }
        guard !request.retried || (challenge.stale && challenge.nonce != authenticator?.challenge.nonce) else {
            return fail("\(what): user \"\(credentials.user)\" refused (wrong user or password)")
        }
        authenticator = RTSPClientAuthenticator(challenge: challenge, credentials: credentials, seed: configuration.authenticationSeed)
        return send(request.method, request.uri, headers: request.headers, retried: true)
    }

    private mutating func redirect(_ response: RTSPResponse, what: String) -> [Action] {
        guard let location = response.headers.location else { return fail("\(what) without a Location") }
        redirects += 1
        guard redirects <= configuration.maxRedirects else {
            return fail("\(what): more than \(configuration.maxRedirects) redirects (last to \(location))")
        }
        do {
            var next = try RTSPURL(resolveRTSPURL(location, against: url.requestURL))
            if next.user == nil { (next.user, next.password) = (url.user, url.password) }
            if url.scheme == .rtsp2, next.scheme == .rtsp { next.scheme = .rtsp2 }
            next.tracks = next.tracks ?? url.tracks
            url = next
        } catch {
            return fail("\(what): bad Location: \(error)")
        }
        state = .idle
        return [.reconnect(url)]
    }

    private mutating func described(_ response: RTSPResponse) -> [Action] {
        let description: SessionDescription
        do {
            description = try SessionDescription(parsing: response.body)
        } catch {
            return fail("DESCRIBE \(url.requestURL): \(error)")
        }
        sessionDescription = description
        let base = response.headers.contentBase ?? response.headers.contentLocation ?? url.requestURL
        contentBase = base
        aggregateURL = description.control.map { resolveRTSPURL($0, against: base) } ?? base
        let wanted = configuration.tracks ?? url.tracks
        selected = []
        for (offset, media) in description.media.enumerated() {
            let index = offset + 1
            let chosen = wanted.map { $0.contains(index) } ?? (media.type == "video" || media.type == "audio")
            if chosen { selected.append((index, media, resolveRTSPURL(media.control ?? "", against: base))) }
        }
        if let wanted, let missing = wanted.first(where: { $0 > description.media.count }) {
            return fail("tracks=\(missing): the camera's SDP has \(description.media.count) media sections")
        }
        guard !selected.isEmpty else { return fail("DESCRIBE \(url.requestURL): no audio or video in the SDP") }
        state = .settingUp
        return setupNext()
    }

    private mutating func setupNext() -> [Action] {
        guard tracks.count < selected.count else {
            state = .starting
            return send("PLAY", baseURL, headers: [("Range", "npt=0.000-")])
        }
        let n = tracks.count
        let requested: RTSPTransport
        switch configuration.transport {
        case .tcp:
            requested = RTSPTransport(lowerTransport: .tcp, interleaved: (2 * n, 2 * n + 1))
        case .udp:
            guard let ports = udpPorts else {
                state = .waitingForPorts
                return [.openUDP(track: selected[n].index)]
            }
            requested = RTSPTransport(lowerTransport: .udp, clientPort: ports)
        }
        state = .settingUp
        return send("SETUP", selected[n].control, headers: [("Transport", requested.headerValue)])
    }

    private mutating func setUp(_ response: RTSPResponse, what: String) -> [Action] {
        let n = tracks.count
        let wantTCP = configuration.transport == .tcp
        if response.status == 461 {
            return fail("\(what): the camera does not offer RTP over \(wantTCP ? "TCP (try rtp udp)" : "UDP (try TCP)")")
        }
        guard response.isSuccess else { return fail(what) }
        if let session = response.headers.session {
            sessionID = session.id
            sessionTimeout = session.timeout ?? configuration.defaultSessionTimeout
        }
        var transport = wantTCP
            ? RTSPTransport(lowerTransport: .tcp, interleaved: (2 * n, 2 * n + 1))
            : RTSPTransport(lowerTransport: .udp, clientPort: udpPorts)
        if let header = response.headers["Transport"] {
            let answered: RTSPTransport
            do {
                guard let first = try RTSPTransport.parseList(header).first else { return fail("\(what): empty Transport") }
                answered = first
            } catch {
                return fail("\(what): \(error)")
            }
            guard answered.lowerTransport == transport.lowerTransport, answered.unicast else {
                return fail("\(what): asked for \(transport.headerValue), the camera answered \(header)")
            }
            if wantTCP {
                transport.interleaved = answered.interleaved ?? transport.interleaved
            } else {
                transport.serverPort = answered.serverPort
            }
            transport.ssrc = answered.ssrc
        }
        let track = selected[n]
        tracks.append(RTSPTrack(index: track.index, media: track.media, controlURL: track.control, transport: transport))
        udpPorts = nil
        return setupNext()
    }

    /// RTP-Info URLs come absolute or as the control's path; match either way.
    private func matches(_ infoURL: String, _ control: String) -> Bool {
        infoURL == control || control.hasSuffix(infoURL.hasPrefix("/") ? infoURL : "/" + infoURL)
            || infoURL.hasSuffix(control.split(separator: "/").last.map { "/" + $0 } ?? control)
    }
}
