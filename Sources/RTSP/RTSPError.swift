/// Why RTSP bytes, an SDP, a URL or a session were refused. `detail` quotes what was wrong (the line, the size, the
/// status) so that a log line alone tells a broken camera from a port scanner. After a wire error the connection is
/// to be closed: the parser that threw is spent.
public struct RTSPError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case badMessage = "bad RTSP message"
        case headerTooLarge = "header block too large"
        case bodyTooLarge = "body too large"
        case frameTooLarge = "interleaved frame too large"
        case badHeader = "bad header"
        case badSDP = "bad SDP"
        case badURL = "bad RTSP URL"
        case badAuthentication = "bad authentication"
        case protocolViolation = "protocol violation"
    }

    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) { (self.kind, self.detail) = (kind, detail) }

    public var description: String { detail.isEmpty ? kind.rawValue : kind.rawValue + ": " + detail }
}
