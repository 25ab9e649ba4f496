/// An authorization backend's answer to an `AuthBackendRequest` (spec reference.md section 4), or the lack of one.
///
/// Only a 200 allows. A 403 denies. A redirect (302 with `Location` in the reference) sends a viewer elsewhere; the
/// caller decides what it means for its session (a publisher cannot be redirected: it is refused). Every other
/// status, and no answer at all (a timeout, a refused connection, a malformed response), denies too: Sluice fails
/// closed, so that a broken backend never lets anyone publish.
public enum AuthVerdict: Equatable, Sendable {
    /// 200. `duration`: seconds the verdict holds before the session is asked again (`X-AuthDuration`, default 30);
    /// `userID`: `X-UserId`, for the logs.
    case allowed(duration: Int, userID: String?)
    /// 403.
    case denied
    /// A 3xx: 302 in the reference; 301, 303, 307 and 308 read the same. `location` is nil when the header is missing.
    case redirected(status: Int, location: String?)
    /// Any other status.
    case unexpected(status: Int, reason: String)
    /// No usable answer, with why (for the log).
    case unavailable(String)

    /// `X-AuthDuration` when the backend sends none (or one that is not a number of seconds).
    public static let defaultDuration = 30

    /// Reads a response head.
    public init(_ head: HTTPResponseHead) {
        switch head.status {
        case 200:
            let duration = head.header("X-AuthDuration").flatMap { Int($0.trimmingSpaces) }.flatMap { $0 >= 0 ? $0 : nil }
            self = .allowed(duration: duration ?? Self.defaultDuration, userID: head.header("X-UserId"))
        case 403:
            self = .denied
        case 301, 302, 303, 307, 308:
            self = .redirected(status: head.status, location: head.header("Location"))
        default:
            self = .unexpected(status: head.status, reason: head.reason)
        }
    }

    public var allows: Bool {
        if case .allowed = self { true } else { false }
    }

    /// What the client may be told (an RTMP onStatus description, an HTTP viewer's error): the backend's status,
    /// never its address or the errors of reaching it.
    public var summary: String {
        switch self {
        case .allowed: "allowed by the authorization backend"
        case .denied: "denied by the authorization backend (HTTP 403)"
        case .redirected(let status, _): "redirected by the authorization backend (HTTP \(status))"
        case .unexpected(let status, _): "the authorization backend answered HTTP \(status)"
        case .unavailable: "the authorization backend did not answer"
        }
    }

    /// Everything known, for the log.
    public var detail: String {
        switch self {
        case .allowed(let duration, let userID):
            "HTTP 200, for \(duration) s" + (userID.map { ", user \($0)" } ?? "")
        case .denied:
            "HTTP 403"
        case .redirected(let status, let location):
            "HTTP \(status) to \(location ?? "(no Location)")"
        case .unexpected(let status, let reason):
            "HTTP \(status) \(reason)"
        case .unavailable(let why):
            "no answer: \(why)"
        }
    }
}
