/// Why RTMP bytes or a session were refused. `detail` quotes what was wrong (the byte, the size, the command) so that
/// a log line alone tells a broken encoder from a port scanner. After any error the connection is to be closed: the
/// parsers and sessions that threw are spent.
public struct RTMPError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case notRTMP = "not an RTMP handshake"
        case unsupportedVersion = "unsupported RTMP version"
        case encryptedHandshake = "RTMPE not supported"
        case badChunkSize = "bad chunk size"
        case unknownChunkStream = "chunk for an unknown chunk stream"
        case messageTooLarge = "message too large"
        case tooManyChunkStreams = "too many chunk streams"
        case badChunk = "bad chunk"
        case truncated = "truncated"
        case badAMF = "bad AMF0"
        case nestingTooDeep = "AMF0 nesting too deep"
        case badMessage = "bad message"
        case badCommand = "bad command"
        case badURL = "bad RTMP URL"
        case badHandover = "bad session handover"
        case protocolViolation = "protocol violation"
        case commandFailed = "command failed"
        case bufferOverflow = "too much input while waiting"
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}
