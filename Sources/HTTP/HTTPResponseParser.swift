/// Parses one HTTP/1.x response from a byte stream, pure and incremental: feed it bytes as they arrive (any split),
/// and it reports the head, then body bytes (borrowed from the input, never copied), then the end.
///
/// Body framing: Content-Length, chunked (`ChunkedDecoder`: extensions and trailers skipped), or until the connection
/// closes. Interim 1xx responses are skipped. The header section and the trailers are bounded by `maxHeaderBytes`;
/// chunk-size lines by 1 KB.
public struct HTTPResponseParser {
    public enum Event {
        case head(HTTPResponseHead)
        /// Valid only during the callback.
        case body(UnsafeRawBufferPointer)
        case end
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunked
        case untilClose
        case done
    }

    public let maxHeaderBytes: Int
    /// Set for a response to HEAD: it has headers only.
    public var isHeadRequest = false
    private var state = State.head
    private var line: [UInt8] = []
    private var headLines: [String] = []
    private var headBytes = 0
    private var chunked: ChunkedDecoder

    public init(maxHeaderBytes: Int = 16 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        chunked = ChunkedDecoder(maxBodyBytes: Int.max, maxTrailerBytes: maxHeaderBytes)
    }

    public var isComplete: Bool { if case .done = state { return true } else { return false } }

    /// Feeds received bytes. Bytes after the end of the response are ignored (one response per parser).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handler: (Event) throws -> Void) throws {
        var i = 0
        let n = bytes.count
        while i < n {
            switch state {
            case .head:
                let b = bytes[i]
                i += 1
                headBytes += 1
                if headBytes > maxHeaderBytes { throw HTTPParseError(.headerTooLarge, "over \(maxHeaderBytes) bytes") }
                if b == UInt8(ascii: "\n") {
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    let text = String(decoding: line, as: UTF8.self)
                    line.removeAll(keepingCapacity: true)
                    try endOfLine(text, handler)
                } else {
                    line.append(b)
                }
            case .fixed(let remaining):
                let take = min(remaining, n - i)
                try handler(.body(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)])))
                i += take
                if take == remaining { state = .done; try handler(.end) } else { state = .fixed(remaining: remaining - take) }
            case .chunked:
                i += try chunked.feed(UnsafeRawBufferPointer(rebasing: bytes[i..<n])) { try handler(.body($0)) }
                if chunked.isComplete { state = .done; try handler(.end) }
            case .untilClose:
                try handler(.body(UnsafeRawBufferPointer(rebasing: bytes[i..<n])))
                i = n
            case .done:
                return
            }
        }
    }

    /// The peer closed the connection: ends an until-close body, or reports a truncated response.
    public mutating func finish(_ handler: (Event) throws -> Void) throws {
        switch state {
        case .untilClose:
            state = .done
            try handler(.end)
        case .done:
            return
        default:
            throw HTTPParseError(.truncated, "")
        }
    }

    private mutating func endOfLine(_ text: String, _ handler: (Event) throws -> Void) throws {
        if !text.isEmpty { headLines.append(text); return }
        if headLines.isEmpty { return }  // tolerate blank lines before the status line
        let head = try Self.parseHead(headLines)
        headLines.removeAll()
        headBytes = 0
        if head.status >= 100 && head.status < 200 && head.status != 101 { return }  // interim response
        try handler(.head(head))
        try startBody(head, handler)
    }

    private mutating func startBody(_ head: HTTPResponseHead, _ handler: (Event) throws -> Void) throws {
        if isHeadRequest || head.status == 204 || head.status == 304 {
            state = .done
            try handler(.end)
            return
        }
        if let te = head.header("Transfer-Encoding") {
            guard te.lowercased().split(separator: ",").last?.trimmingSpaces == "chunked" else {
                throw HTTPParseError(.unsupportedTransferEncoding, te)
            }
            state = .chunked
            return
        }
        if let cl = head.header("Content-Length") {
            guard let length = Int(cl.trimmingSpaces), length >= 0 else { throw HTTPParseError(.badContentLength, cl) }
            if length == 0 { state = .done; try handler(.end) } else { state = .fixed(remaining: length) }
            return
        }
        state = .untilClose
    }

    private static func parseHead(_ lines: [String]) throws -> HTTPResponseHead {
        let statusLine = lines[0]
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw HTTPParseError(.malformedStatusLine, String(statusLine.prefix(80)))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                throw HTTPParseError(.malformedHeader, String(line.prefix(80)))
            }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces))
        }
        return HTTPResponseHead(version: String(parts[0]), status: status,
                                reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional white space).
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
