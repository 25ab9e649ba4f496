/// Why a peer's HTTP bytes were refused. `detail` quotes what was wrong.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case malformedStatusLine = "malformed status line"
        case malformedHeader = "malformed header"
        case headerTooLarge = "header section too large"
        case badContentLength = "bad Content-Length"
        case badChunk = "bad chunk framing"
        case unsupportedTransferEncoding = "unsupported Transfer-Encoding"
        case truncated = "connection closed before the end of the response"
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? kind.rawValue : "\(kind.rawValue): \(detail)" }
}
