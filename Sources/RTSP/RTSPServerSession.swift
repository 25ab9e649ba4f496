/// One accepted connection on Sluice's RTSP port, as a pure state machine: bytes in, actions out. Viewers:
/// OPTIONS, DESCRIBE, SETUP (TCP interleaved or UDP unicast), PLAY, GET_PARAMETER/OPTIONS keep-alives, TEARDOWN.
/// Publishers: ANNOUNCE (their SDP parsed), SETUP with `mode=record`, RECORD, then interleaved RTP.
///
/// Decisions are the caller's: `.describe`, `.setup`, `.play`, `.announce` and `.record` wait for `accept...` or
/// `reject(status:)`; input read meanwhile is held. To require a password, call `authenticate(user:password:)` while
/// a decision waits: it either authorizes the request (and every later one must carry valid credentials too) or sends
/// the 401 challenge itself (Digest MD5 and Basic).
///
/// Refusals made here: garbage → 400 and `.close`; an unknown method → 501; a request without CSeq → 400; PLAY or
/// RECORD before SETUP → 455; another session id → 454; no usable transport (multicast, none) → 461.
public struct RTSPServerSession: Sendable {
    public struct Configuration: Sendable {
        public var serverName = "Sluice"
        /// Seconds, announced in the Session header; the role closes sessions silent for longer.
        public var sessionTimeout = 60
        /// The session id this connection hands out (the role makes it random).
        public var sessionID: String
        /// The Digest nonce of this connection (random hex from the role).
        public var nonce: String
        public var realm = "Sluice"
        public var limits = RTSPParser.Limits()

        public init(sessionID: String, nonce: String) {
            self.sessionID = sessionID
            self.nonce = nonce
        }
    }

    /// A client's request as the caller sees it: the stream path (`live/cam` for `rtsp://host/live/cam/trackID=1`),
    /// the track (`trackID=N` or `streamid=N`, the last path segment), the query, and the raw request.
    ///
    /// Clients make track URLs by appending to the stream's URL, query and all: ffmpeg publishing to
    /// `rtsp://host/cam?password=x` sets up `rtsp://host/cam?password=x/streamid=0`, and a player resolves
    /// `trackID=1` against the Content-Base `rtsp://host/cam?token=t/`. A query's last `/` followed by a track segment
    /// (or nothing) is read that way: path `cam`, track 0, query `password=x`.
    public struct Request: Sendable, Equatable {
        public var method: String
        public var uri: String
        public var path: String
        public var track: Int?
        public var query: String?
        public var headers: RTSPHeaders
        public var cseq: Int

        init(_ request: RTSPRequest, cseq: Int) {
            method = request.method
            uri = request.uri
            headers = request.headers
            self.cseq = cseq
            var rest = Substring(request.uri)
            if let scheme = rest.firstRange(of: "://") {
                rest = rest[scheme.upperBound...]
                rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
            }
            var segments: [String] = []
            if let question = rest.firstIndex(of: "?") {
                var text = rest[rest.index(after: question)...]
                if let slash = text.lastIndex(of: "/") {
                    let suffix = text[text.index(after: slash)...]
                    if suffix.isEmpty || Self.trackNumber(suffix) != nil {
                        segments = [String(suffix)]
                        text = text[..<slash]
                    }
                }
                query = String(text)
                rest = rest[..<question]
            }
            segments = rest.split(separator: "/").map(String.init) + segments.filter { !$0.isEmpty }
            if let last = segments.last, let number = Self.trackNumber(Substring(last)) {
                track = number
                segments.removeLast()
            }
            path = segments.joined(separator: "/")
        }

        /// N of a `trackID=N` or `streamid=N` segment (also how an SDP's `a=control` names its track).
        public static func trackNumber(_ segment: Substring) -> Int? {
            for prefix in ["trackID=", "streamid="] where segment.hasPrefix(prefix) {
                return Int(segment.dropFirst(prefix.count))
            }
            return nil
        }

        /// The percent-decoded value of a query parameter (`password`, `token`); nil when absent or badly encoded.
        public func queryValue(_ key: String) -> String? {
            for item in (query ?? "").split(separator: "&") {
                let (name, value) = item.firstIndex(of: "=").map { (item[..<$0], item[item.index(after: $0)...]) } ?? (item, "")
                if name == key { return try? percentDecoded(value) }
            }
            return nil
        }
    }

    public enum Action: Sendable, Equatable {
        case send([UInt8])
        /// Answer with `acceptDescribe(_:)` or `reject(status:)` (404 for an unknown stream).
        case describe(Request)
        /// The transport chosen among the client's; answer with `acceptSetup(serverPorts:ssrc:)` (server ports for UDP).
        case setup(Request, RTSPTransport)
        /// Answer with `acceptPlay(rtpInfo:)` once the first packets are known (a keyframe's seq and rtptime).
        case play(Request)
        /// A publisher's SDP; answer with `acceptAnnounce()` or `reject(status:)`.
        case announce(Request, SessionDescription)
        case record(Request)
        /// RTP/RTCP from the client on the connection (a publisher's media, a viewer's receiver reports).
        case interleaved(channel: UInt8, payload: [UInt8])
        case teardown
        /// Close the connection after writing what came before.
        case close(String)
    }

    public enum AuthenticationResult: Sendable, Equatable {
        case authorized
        /// The 401 is in the actions; the decision is withdrawn and the client's retry will come as a new action.
        case challenged([Action])
    }

    public let configuration: Configuration
    public private(set) var transports: [Int: RTSPTransport] = [:]
    public private(set) var playing = false
    public private(set) var recording = false
    public private(set) var closed = false
    private var parser: RTSPParser
    private var writer: RTSPRequestWriter
    private var pending: Request?
    private var pendingTransport: RTSPTransport?
    /// The waiting ANNOUNCE as received, for `handOver()`.
    private var pendingAnnouncement: RTSPRequest?
    private var authenticator: RTSPServerAuthenticator
    private var requiredCredentials: (user: String?, password: String)?
    private var nextChannel = 0

    public init(configuration: Configuration) {
        self.configuration = configuration
        parser = RTSPParser(limits: configuration.limits)
        writer = RTSPRequestWriter(product: configuration.serverName)
        authenticator = RTSPServerAuthenticator(realm: configuration.realm, nonce: configuration.nonce)
    }

    private var sessionHeader: String { RTSPSessionHeader(id: configuration.sessionID, timeout: configuration.sessionTimeout).headerValue }

    public mutating func receive(_ bytes: some Collection<UInt8>) -> [Action] {
        guard !closed else { return [] }
        parser.append(bytes)
        return drain()
    }

    private mutating func drain() -> [Action] {
        var actions: [Action] = []
        while pending == nil, !closed {
            let message: RTSPMessage?
            do {
                message = try parser.next()
            } catch {
                closed = true
                actions.append(.send(writer.response(400, cseq: nil).serialized()))
                actions.append(.close("\(error)"))
                break
            }
            guard let message else { break }
            switch message {
            case .interleaved(let channel, let payload): actions.append(.interleaved(channel: channel, payload: payload))
            case .response: break  // answers to nothing we asked: ignored
            case .request(let request): actions += handle(request)
            }
        }
        return actions
    }

    private mutating func respond(_ status: Int, _ cseq: Int?, _ headers: [(String, String)] = [], body: [UInt8] = []) -> Action {
        .send(writer.response(status, cseq: cseq, headers: headers, body: body).serialized())
    }

    private mutating func handle(_ raw: RTSPRequest) -> [Action] {
        guard let cseq = raw.headers.cseq else { return [respond(400, nil)] }
        let request = Request(raw, cseq: cseq)
        if let required = requiredCredentials,
            !authenticator.verify(raw.headers["Authorization"], method: raw.method, user: required.user, password: required.password)
        {
            return [challenge(cseq)]
        }
        if let session = raw.headers.session, session.id != configuration.sessionID, raw.method != "OPTIONS" {
            return [respond(454, cseq)]
        }
        switch raw.method {
        case "OPTIONS":
            return [respond(200, cseq, [("Public", "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER, ANNOUNCE, RECORD")])]
        case "GET_PARAMETER", "SET_PARAMETER":
            return [respond(200, cseq, [("Session", sessionHeader)])]
        case "DESCRIBE":
            pending = request
            return [.describe(request)]
        case "ANNOUNCE":
            do {
                let description = try SessionDescription(parsing: raw.body)
                pending = request
                pendingAnnouncement = raw
                return [.announce(request, description)]
            } catch {
                return [respond(400, cseq)]
            }
        case "SETUP":
            return setup(request)
        case "PLAY", "RECORD":
            guard !transports.isEmpty else { return [respond(455, cseq)] }
            pending = request
            return raw.method == "PLAY" ? [.play(request)] : [.record(request)]
        case "TEARDOWN":
            playing = false
            recording = false
            return [respond(200, cseq), .teardown]
        default:
            return [respond(501, cseq)]
        }
    }

    private mutating func setup(_ request: Request) -> [Action] {
        let offered: [RTSPTransport]
        do {
            offered = try RTSPTransport.parseList(request.headers["Transport"] ?? "")
        } catch {
            return [respond(400, request.cseq)]
        }
        guard var chosen = offered.first(where: { $0.unicast && ($0.lowerTransport == .tcp || $0.clientPort != nil) }) else {
            return [respond(461, request.cseq)]
        }
        if chosen.lowerTransport == .tcp, chosen.interleaved == nil {
            chosen.interleaved = (rtp: nextChannel, rtcp: nextChannel + 1)
        }
        if let channels = chosen.interleaved { nextChannel = max(nextChannel, channels.rtcp + 1) }
        pending = request
        pendingTransport = chosen
        return [.setup(request, chosen)]
    }

    private mutating func challenge(_ cseq: Int) -> Action {
        respond(401, cseq, authenticator.challenges.map { ("WWW-Authenticate", $0) })
    }

    // MARK: the caller's decisions

    /// Checks the waiting request's credentials. `user` nil accepts any user name.
    public mutating func authenticate(user: String?, password: String) -> AuthenticationResult {
        guard let request = pending else { return .authorized }
        requiredCredentials = (user, password)
        if authenticator.verify(request.headers["Authorization"], method: request.method, user: user, password: password) {
            return .authorized
        }
        pending = nil
        pendingTransport = nil
        return .challenged([challenge(request.cseq)] + drain())
    }

    /// Sends `description` with Content-Base (the request URL with a trailing `/`).
    public mutating func acceptDescribe(_ description: SessionDescription) -> [Action] {
        guard let request = take("DESCRIBE") else { return [] }
        let base = request.uri.hasSuffix("/") ? request.uri : request.uri + "/"
        return [respond(200, request.cseq, [("Content-Base", base), ("Content-Type", "application/sdp")], body: description.serialized())] + drain()
    }

    /// `interleaved`: the channels the server sends a TCP track on, when it chooses them rather than take the
    /// client's (clients use the channels of the answer: ffmpeg, GStreamer and live555 do).
    public mutating func acceptSetup(serverPorts: (Int, Int)? = nil, ssrc: UInt32? = nil, interleaved: (Int, Int)? = nil) -> [Action] {
        guard let request = take("SETUP"), var transport = pendingTransport else { return [] }
        pendingTransport = nil
        if let serverPorts { transport.serverPort = (rtp: serverPorts.0, rtcp: serverPorts.1) }
        if let interleaved, transport.lowerTransport == .tcp { transport.interleaved = (rtp: interleaved.0, rtcp: interleaved.1) }
        transport.ssrc = ssrc
        transports[request.track ?? transports.count] = transport
        return [respond(200, request.cseq, [("Transport", transport.headerValue), ("Session", sessionHeader)])] + drain()
    }

    public mutating func acceptPlay(rtpInfo: [RTPInfo] = []) -> [Action] {
        guard let request = take("PLAY") else { return [] }
        playing = true
        var headers = [("Session", sessionHeader), ("Range", "npt=0.000-")]
        if !rtpInfo.isEmpty { headers.append(("RTP-Info", RTPInfo.headerValue(rtpInfo))) }
        return [respond(200, request.cseq, headers)] + drain()
    }

    public mutating func acceptAnnounce() -> [Action] {
        guard let request = take("ANNOUNCE") else { return [] }
        pendingAnnouncement = nil
        return [respond(200, request.cseq)] + drain()
    }

    public mutating func acceptRecord() -> [Action] {
        guard let request = take("RECORD") else { return [] }
        recording = true
        return [respond(200, request.cseq, [("Session", sessionHeader)])] + drain()
    }

    /// Refuses the waiting request (404 unknown stream, 403 refused publisher, 453 not enough bandwidth...).
    public mutating func reject(status: Int) -> [Action] {
        guard let request = pending else { return [] }
        pending = nil
        pendingTransport = nil
        pendingAnnouncement = nil
        return [respond(status, request.cseq)] + drain()
    }

    // MARK: handing a publisher over

    /// The session paused at its waiting ANNOUNCE, for another process to resume (`init(resuming:)`): nil unless an
    /// ANNOUNCE waits and nothing was set up or authorized on this connection yet. The session is spent afterwards.
    public mutating func handOver() -> RTSPServerSessionHandover? {
        guard let announcement = pendingAnnouncement, transports.isEmpty, requiredCredentials == nil, !closed else { return nil }
        closed = true
        return RTSPServerSessionHandover(sessionID: configuration.sessionID, nonce: configuration.nonce,
                                         input: announcement.serialized() + parser.unparsedBytes)
    }

    /// Carries on a session another process handed over: its ANNOUNCE comes again as the first action of
    /// `start()`, with what the client sent after it held as before.
    public init(resuming handover: RTSPServerSessionHandover, limits: RTSPParser.Limits = RTSPParser.Limits()) {
        var configuration = Configuration(sessionID: handover.sessionID, nonce: handover.nonce)
        configuration.limits = limits
        self.init(configuration: configuration)
        parser.append(handover.input)
    }

    /// The actions of the input a resumed session holds (the handed-over ANNOUNCE first).
    public mutating func start() -> [Action] { drain() }

    private mutating func take(_ method: String) -> Request? {
        guard let request = pending, request.method == method else { return nil }
        pending = nil
        return request
    }
}
