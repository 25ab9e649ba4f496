/// A response head as a server sends it, written as bytes into a buffer the caller reuses.
///
/// Always `HTTP/1.1` (a server answers in its own version), with `Server: Sluice` and `Date`, then Content-Type,
/// the body's framing, Cache-Control, Access-Control-Allow-Origin, the extra `headers`, and Connection. Statuses
/// that forbid a body (1xx, 204, 304) get no framing header.
public struct HTTPResponse: Sendable {
    /// How the body's end is known.
    public enum Body: Sendable, Equatable {
        /// `Content-Length`. For a HEAD request, the length GET would have, with no body sent.
        case length(Int)
        /// `Transfer-Encoding: chunked` (see `ChunkedEncoder`); only for HTTP/1.1 clients.
        case chunked
        /// No length: the body ends when the server closes the connection (a live stream to an HTTP/1.0 client).
        /// Forces `Connection: close`.
        case untilClose
    }

    public var status: Int
    public var body: Body
    public var contentType: String?
    public var cacheControl: String?
    /// Access-Control-Allow-Origin, `*` for web players on other origins.
    public var allowOrigin: String?
    /// Connection: keep-alive or close; the server must then close as it said.
    public var keepAlive: Bool
    /// Any others (Content-Range, Accept-Ranges, Location, Allow...). Not the ones above nor Server, Date,
    /// Content-Length, Transfer-Encoding or Connection: `write` refuses those.
    public var headers: HTTPHeaders

    public init(status: Int, body: Body = .length(0), contentType: String? = nil, cacheControl: String? = nil,
                allowOrigin: String? = nil, keepAlive: Bool = true, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.cacheControl = cacheControl
        self.allowOrigin = allowOrigin
        self.keepAlive = keepAlive
        self.headers = headers
    }

    static let reservedNames = ["Server", "Date", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection",
                                "Cache-Control", "Access-Control-Allow-Origin"]

    /// Whether the connection stays open after this response.
    public var keepsConnection: Bool { keepAlive && body != .untilClose }

    /// Appends the status line, the header fields and the blank line to `out`. Throws `.malformedHeader`, leaving
    /// `out` untouched, when a value holds CR, LF or another control byte (a header injection), a name is not a
    /// token or is one of the reserved names; `.malformedStatusLine` for a status outside 100...599 and
    /// `.badContentLength` for a negative length.
    public func write(to out: inout [UInt8], date: HTTPDate) throws {
        try check()
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        out.appendDecimal(status)
        out.append(0x20)
        out.append(contentsOf: HTTPStatus.reason(status).utf8)
        out.append(contentsOf: "\r\nServer: Sluice\r\nDate: ".utf8)
        out.append(contentsOf: date.bytes)
        out.append(contentsOf: "\r\n".utf8)
        if let contentType { append("Content-Type", contentType, to: &out) }
        if !HTTPStatus.forbidsBody(status) {
            switch body {
            case .length(let length):
                out.append(contentsOf: "Content-Length: ".utf8)
                out.appendDecimal(length)
                out.append(contentsOf: "\r\n".utf8)
            case .chunked:
                out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
            case .untilClose:
                break
            }
        }
        if let cacheControl { append("Cache-Control", cacheControl, to: &out) }
        if let allowOrigin { append("Access-Control-Allow-Origin", allowOrigin, to: &out) }
        for (name, value) in headers { append(name, value, to: &out) }
        out.append(contentsOf: keepsConnection ? "Connection: keep-alive\r\n\r\n".utf8 : "Connection: close\r\n\r\n".utf8)
    }

    private func check() throws {
        guard (100...599).contains(status) else { throw HTTPParseError(.malformedStatusLine, "status \(status)") }
        if case .length(let length) = body, length < 0 { throw HTTPParseError(.badContentLength, "\(length)") }
        try Self.check("Content-Type", contentType)
        try Self.check("Cache-Control", cacheControl)
        try Self.check("Access-Control-Allow-Origin", allowOrigin)
        for (name, value) in headers {
            guard HTTPSyntax.isToken(name), !Self.reservedNames.contains(where: { HTTPHeaders.namesMatch($0, name) }) else {
                throw HTTPParseError(.malformedHeader, "header name \"\(HTTPSyntax.quote(name.utf8))\"")
            }
            try Self.check(name, value)
        }
    }

    private static func check(_ name: String, _ value: String?) throws {
        if let value, !HTTPSyntax.isFieldValue(value) {
            throw HTTPParseError(.malformedHeader, "control byte in \(name) \"\(HTTPSyntax.quote(value.utf8))\"")
        }
    }

    private func append(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(contentsOf: "\r\n".utf8)
    }
}
