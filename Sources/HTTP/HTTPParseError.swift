/// Why a peer's HTTP bytes were refused. `detail` quotes what was wrong.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case malformedStatusLine = "malformed status line"
        case malformedRequestLine = "malformed request line"
        case unsupportedVersion = "unsupported HTTP version"
        case badTarget = "bad request target"
        case malformedHeader = "malformed header"
        case headerTooLarge = "header section too large"
        case tooManyHeaders = "too many header fields"
        case badContentLength = "bad Content-Length"
        case conflictingFraming = "both Content-Length and Transfer-Encoding"
        case bodyTooLarge = "body too large"
        case badChunk = "bad chunk framing"
        case unsupportedTransferEncoding = "unsupported Transfer-Encoding"
        case truncated = "connection closed before the end of the message"
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// The status a server answers a request refused for this reason with (then it closes the connection).
    public var status: Int {
        switch kind {
        case .headerTooLarge, .tooManyHeaders: 431
        case .bodyTooLarge: 413
        case .unsupportedTransferEncoding: 501
        case .unsupportedVersion: 505
        case .malformedStatusLine, .malformedRequestLine, .badTarget, .malformedHeader, .badContentLength,
             .conflictingFraming, .badChunk, .truncated: 400
        }
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}
