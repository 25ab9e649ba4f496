/// What Sluice asks an authorization backend (`on_publish URL;`, later `on_play URL;`) before a session starts:
/// a GET of the backend's URL with these query parameters (spec reference.md section 4), in this order:
///
/// `name=STREAM&ip=CLIENT&proto=rtmp&token=T&session_id=ID&request_type=new_session&request_number=1&referer=&user_agent=&stream_clients=0&total_clients=0`
///
/// Every parameter is always sent (empty when unknown), so that a backend written for the reference server finds
/// each key. Values are percent-encoded (`chats/room-15` is `chats%2Froom-15`). Pure: the caller sends it and reads
/// the answer with `AuthVerdict`.
public struct AuthBackendRequest: Equatable, Sendable {
    /// The protocol of the session, as the backend knows it.
    public enum Proto: String, Sendable {
        case hls, dash, rtmp, rtsp, mpegts
    }

    public enum RequestType: String, Sendable {
        /// The first request of a session.
        case newSession = "new_session"
        /// A session that goes on asks again (when the last verdict's `X-AuthDuration` ran out).
        case updateSession = "update_session"
    }

    /// The stream (its resolved name: `chats/room-15` for a template).
    public var name: String
    /// The client's address, without its port.
    public var ip: String
    public var proto: Proto
    /// The client URL's `token` query parameter, passed through; empty when it has none.
    public var token: String
    /// One per session: a publish attempt, a viewer.
    public var sessionID: String
    public var requestType: RequestType
    /// 1 for `new_session`, then 2, 3... for the updates of the same session.
    public var requestNumber: Int
    /// HTTP viewers' Referer and User-Agent; empty for RTMP.
    public var referer: String
    public var userAgent: String
    /// Sessions of this stream, and of the whole server, at the time of asking (0 for a publish).
    public var streamClients: Int
    public var totalClients: Int

    public init(name: String, ip: String, proto: Proto, token: String, sessionID: String,
                requestType: RequestType = .newSession, requestNumber: Int = 1, referer: String = "",
                userAgent: String = "", streamClients: Int = 0, totalClients: Int = 0) {
        self.name = name
        self.ip = ip
        self.proto = proto
        self.token = token
        self.sessionID = sessionID
        self.requestType = requestType
        self.requestNumber = requestNumber
        self.referer = referer
        self.userAgent = userAgent
        self.streamClients = streamClients
        self.totalClients = totalClients
    }

    /// The one request of a publish attempt (`on_publish`): a new session, request 1, no referer, user agent or
    /// clients.
    public static func publish(name: String, ip: String, proto: Proto, token: String?, sessionID: String) -> Self {
        Self(name: name, ip: ip, proto: proto, token: token ?? "", sessionID: sessionID)
    }

    /// The parameters in the order they are sent, not encoded.
    public var parameters: [(name: String, value: String)] {
        [("name", name), ("ip", ip), ("proto", proto.rawValue), ("token", token), ("session_id", sessionID),
         ("request_type", requestType.rawValue), ("request_number", String(requestNumber)), ("referer", referer),
         ("user_agent", userAgent), ("stream_clients", String(streamClients)), ("total_clients", String(totalClients))]
    }

    /// The parameters as a query string, percent-encoded, without a leading `?`.
    public var query: String {
        parameters.map { "\($0.name)=\(PercentEncoding.encodeQueryComponent($0.value))" }.joined(separator: "&")
    }

    /// The URL to GET: `backend` with the parameters added to its query (after `&` when it already has one, so
    /// `http://auth/check?key=k` keeps `key`); a fragment is dropped (it is never sent).
    public func url(appendedTo backend: String) -> String {
        var base = Substring(backend)
        if let hash = base.firstIndex(of: "#") { base = base[..<hash] }
        let separator = !base.contains("?") ? "?" : (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&")
        return base + separator + query
    }

    /// A fresh session id: 16 hex digits from the system's random generator (getrandom), unique per session in
    /// practice (a collision needs about 2^32 sessions).
    public static func newSessionID() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
