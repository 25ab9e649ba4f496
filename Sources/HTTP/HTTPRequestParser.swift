/// Parses HTTP/1.0 and 1.1 requests from a connection's bytes, pure and incremental: feed it bytes as they arrive
/// (any split) and it reports each request's head, its body bytes (borrowed from the input, never copied), then its
/// end. Requests may be pipelined: `feed` stops right after a request's `.end` and says how many bytes it used, so
/// the caller keeps the rest for the next request and decides when to read it (after its response, for instance).
///
/// Refusals throw `HTTPParseError`, whose `status` is the answer to send before closing the connection: 400 for
/// malformed input (garbage and the HTTP/2 preface are refused on their first bytes), 431 for a head over
/// `maxHeaderBytes` or with over `maxHeaderCount` fields, 413 for a body over `maxBodyBytes`, 501 for a transfer
/// coding other than chunked, 505 for a version other than 1.0 and 1.1. Against request smuggling (RFC 9112 section
/// 6.3): both Content-Length and Transfer-Encoding, differing Content-Lengths, Transfer-Encoding in HTTP/1.0, white
/// space before a colon, folded lines and bare CRs are all refused. Lines may end in a bare LF. After a throw the
/// parser is spent: close the connection.
public struct HTTPRequestParser: Sendable {
    public enum Event {
        case head(HTTPRequest)
        /// Valid only during the callback.
        case body(UnsafeRawBufferPointer)
        case end
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunked
    }

    /// A method longer than this is garbage, refused before its end.
    static let maxMethodBytes = 24

    /// The request line and header lines together, line ends included.
    public let maxHeaderBytes: Int
    public let maxHeaderCount: Int
    public let maxBodyBytes: Int
    private var state = State.head
    private var line: [UInt8] = []
    private var pendingCR = false
    private var headBytes = 0
    private var requestLine: (method: String, target: String, version: HTTPRequest.Version)?
    private var headers = HTTPHeaders()
    private var chunked: ChunkedDecoder

    public init(maxHeaderBytes: Int = 8 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 20) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        chunked = ChunkedDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: maxHeaderBytes)
    }

    /// No byte of a next request has arrived: a peer closing now closes cleanly.
    public var isIdle: Bool {
        if case .head = state { headBytes == 0 } else { false }
    }

    /// Feeds received bytes; returns how many were used. That is all of them unless a request ended inside `bytes`:
    /// then the rest is the next request's, to be fed again.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handler: (Event) throws -> Void) throws -> Int {
        var i = 0
        let n = bytes.count
        while i < n {
            switch state {
            case .head:
                let b = bytes[i]
                i += 1
                headBytes += 1
                if headBytes > maxHeaderBytes {
                    throw HTTPParseError(.headerTooLarge, "request head over \(maxHeaderBytes) bytes")
                }
                if pendingCR {
                    guard b == UInt8(ascii: "\n") else { throw HTTPParseError(.malformedHeader, "bare CR") }
                    pendingCR = false
                    if try endOfLine(handler) { return i }
                } else if b == UInt8(ascii: "\r") {
                    pendingCR = true
                } else if b == UInt8(ascii: "\n") {
                    if try endOfLine(handler) { return i }
                } else {
                    try checkHeadByte(b)
                    line.append(b)
                }
            case .fixed(let remaining):
                let take = min(remaining, n - i)
                try handler(.body(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)])))
                i += take
                if take < remaining {
                    state = .fixed(remaining: remaining - take)
                } else {
                    try endRequest(handler)
                    return i
                }
            case .chunked:
                i += try chunked.feed(UnsafeRawBufferPointer(rebasing: bytes[i..<n])) { try handler(.body($0)) }
                if chunked.isComplete {
                    try endRequest(handler)
                    return i
                }
            }
        }
        return n
    }

    /// The peer closed its side. Throws `.truncated` when a request was begun and not finished.
    public func finish() throws {
        guard isIdle else { throw HTTPParseError(.truncated, "") }
    }

    /// Refuses, on arrival, bytes no request line or header line may hold, so that garbage (TLS, binary, a long
    /// run of letters) is answered at once rather than after `maxHeaderBytes`.
    private func checkHeadByte(_ b: UInt8) throws {
        if requestLine != nil {
            guard HTTPSyntax.isFieldValueByte(b) else {
                throw HTTPParseError(.malformedHeader, "control byte 0x\(String(b, radix: 16)) in a header")
            }
            return
        }
        // Cheap: a method is short, so a space is found within its first bytes or the line is already refused.
        let inMethod = !line.prefix(Self.maxMethodBytes + 1).contains(0x20)
        if inMethod && !(b == 0x20 && !line.isEmpty) {
            guard HTTPSyntax.isTokenByte(b), line.count < Self.maxMethodBytes else {
                throw HTTPParseError(.malformedRequestLine, "method \"\(HTTPSyntax.quote(line + [b]))\"")
            }
        } else if b < 0x20 || b >= 0x7F {
            throw HTTPParseError(.malformedRequestLine, "byte 0x\(String(b, radix: 16)) in the request line")
        }
    }

    /// Handles a complete line; true when it ended a request with no body (`.end` already reported).
    private mutating func endOfLine(_ handler: (Event) throws -> Void) throws -> Bool {
        defer { line.removeAll(keepingCapacity: true) }
        guard let requestLine else {
            if !line.isEmpty { requestLine = try Self.parseRequestLine(line) }  // blank lines before it are skipped
            return false
        }
        if !line.isEmpty {
            guard headers.count < maxHeaderCount else {
                throw HTTPParseError(.tooManyHeaders, "over \(maxHeaderCount) header fields")
            }
            if line[0] == 0x20 || line[0] == 0x09 {
                throw HTTPParseError(.malformedHeader, "folded line \"\(HTTPSyntax.quote(line))\"")
            }
            let field = try HTTPSyntax.parseField(line)
            headers.add(field.name, field.value)
            return false
        }
        let request = try HTTPRequest(method: requestLine.method, target: requestLine.target,
                                      version: requestLine.version, headers: headers)
        let hosts = headers.values("Host")
        if hosts.count > 1 || (hosts.isEmpty && requestLine.version == .http11) {
            throw HTTPParseError(.malformedHeader, hosts.isEmpty ? "no Host in an HTTP/1.1 request" : "repeated Host")
        }
        let length = try bodyFraming(version: requestLine.version)
        try handler(.head(request))
        switch length {
        case .some(0):
            try endRequest(handler)
            return true
        case .some(let length):
            state = .fixed(remaining: length)
        case .none:
            state = .chunked
        }
        return false
    }

    /// The body's length, or nil for a chunked body.
    private func bodyFraming(version: HTTPRequest.Version) throws -> Int? {
        let encodings = headers.values("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !encodings.isEmpty {
            guard lengths.isEmpty else { throw HTTPParseError(.conflictingFraming, "") }
            guard version == .http11 else { throw HTTPParseError(.malformedHeader, "Transfer-Encoding in an HTTP/1.0 request") }
            let codings = encodings.flatMap { $0.split(separator: ",") }.map(\.trimmingSpaces)
            if let other = codings.first(where: { !HTTPHeaders.namesMatch($0, "chunked") }), !other.isEmpty {
                throw HTTPParseError(.unsupportedTransferEncoding, other)
            }
            guard codings.count == 1 else {
                throw HTTPParseError(.malformedHeader, "Transfer-Encoding \"\(encodings.joined(separator: ", "))\"")
            }
            return nil
        }
        var length = 0
        for (index, value) in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }).enumerated() {
            let digits = value.trimmingSpaces
            guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let parsed = Int(digits), index == 0 || parsed == length else {
                throw HTTPParseError(.badContentLength, lengths.joined(separator: ", "))
            }
            length = parsed
        }
        guard length <= maxBodyBytes else {
            throw HTTPParseError(.bodyTooLarge, "Content-Length \(length) over \(maxBodyBytes)")
        }
        return length
    }

    private mutating func endRequest(_ handler: (Event) throws -> Void) throws {
        state = .head
        headBytes = 0
        requestLine = nil
        headers.removeAll(keepingCapacity: true)
        chunked.reset()
        try handler(.end)
    }

    private static func parseRequestLine(_ line: [UInt8]) throws -> (method: String, target: String, version: HTTPRequest.Version) {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw HTTPParseError(.malformedRequestLine, "\"\(HTTPSyntax.quote(line))\"")
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        switch version {
        case "HTTP/1.1":
            return (method, String(decoding: parts[1], as: UTF8.self), .http11)
        case "HTTP/1.0":
            return (method, String(decoding: parts[1], as: UTF8.self), .http10)
        case "HTTP/2.0" where method == "PRI":
            throw HTTPParseError(.malformedRequestLine, "HTTP/2 connection preface on an HTTP/1.1 port")
        default:
            let v = Array(version.utf8)
            if v.count == 8, version.hasPrefix("HTTP/"), v[5].isDigit, v[6] == UInt8(ascii: "."), v[7].isDigit {
                throw HTTPParseError(.unsupportedVersion, version)
            }
            throw HTTPParseError(.malformedRequestLine, "version \"\(HTTPSyntax.quote(v))\"")
        }
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
