/// An incremental parser for one RTSP connection: feed it what the socket gives (`append`), then take messages with
/// `next()` until it returns nil. It separates requests, responses (`RTSP/1.0` and `RTSP/2.0` status lines) and
/// TCP-interleaved binary frames, which may come in any order and be cut anywhere.
///
/// Tolerated: `\n` line ends, folded header lines (a line starting with a space or tab continues the previous
/// value), empty lines between messages, any letter case in header names. Refused with an `RTSPError` (the parser
/// is then spent and the connection is to be closed): a header block over `maxHeaderBytes` without its end, control
/// bytes in a header block (binary garbage, a TLS hello), a start line that is neither a request nor a response, a
/// bad or oversized `Content-Length`, an interleaved frame over `maxFrameBytes`.
///
/// Costs: the input is kept in one buffer that is compacted when half consumed; a body or frame payload is copied
/// once into the message. A header block is scanned once for its end however it was split (the scan resumes where
/// it stopped).
public struct RTSPParser: Sendable {
    public struct Limits: Sendable {
        /// The start line and headers together, line ends included.
        public var maxHeaderBytes = 16 * 1024
        public var maxBodyBytes = 1 << 20
        /// At most 65535 (the length field's range).
        public var maxFrameBytes = 65535

        public init() {}
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where the search for the end of the current header block resumes.
    private var scanned = 0
    private var failed: RTSPError?

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet returned as a message.
    public var bufferedCount: Int { buffer.count - position }

    /// Those bytes (a session handed over to another process takes them along).
    public var unparsedBytes: [UInt8] { Array(buffer[position...]) }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if position > 0, position * 2 >= buffer.count {
            buffer.removeSubrange(0..<position)
            scanned -= position
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Throws if the connection ended in the middle of a message or frame: call when the peer closes.
    public func finish() throws(RTSPError) {
        if let failed { throw failed }
        var rest = buffer[position...].drop { $0 == 0x0D || $0 == 0x0A }
        if rest.first == 0x24 {
            throw RTSPError(.badMessage, "connection closed inside an interleaved frame (\(rest.count) bytes of it)")
        }
        rest = rest.prefix(80)
        if !rest.isEmpty { throw RTSPError(.badMessage, "connection closed inside a message: \"\(printable(rest))\"") }
    }

    /// The next complete message, nil when more bytes are needed.
    public mutating func next() throws(RTSPError) -> RTSPMessage? {
        if let failed { throw failed }
        do {
            return try parseNext()
        } catch {
            failed = error
            throw error
        }
    }

    private mutating func parseNext() throws(RTSPError) -> RTSPMessage? {
        while position < buffer.count, buffer[position] == 0x0D || buffer[position] == 0x0A {
            position += 1
        }
        scanned = max(scanned, position)
        guard position < buffer.count else { return nil }
        if buffer[position] == 0x24 { return try parseFrame() }
        guard let (headerEnd, bodyStart) = try findHeaderEnd() else { return nil }
        let lines = headerLines(buffer[position..<headerEnd])
        var headers = RTSPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw RTSPError(.badMessage, "header line without a colon: \"\(line.prefix(80))\"")
            }
            let name = line[..<colon].trimmedSpaces
            guard !name.isEmpty, !name.contains(" ") else {
                throw RTSPError(.badMessage, "bad header name in \"\(line.prefix(80))\"")
            }
            headers.add(name, line[line.index(after: colon)...].trimmedSpaces)
        }
        var length = 0
        if let value = headers.contentLength {
            guard let parsed = Int(value.trimmedSpaces), parsed >= 0 else {
                throw RTSPError(.badMessage, "bad Content-Length \"\(value.prefix(40))\"")
            }
            guard parsed <= limits.maxBodyBytes else {
                throw RTSPError(.bodyTooLarge, "Content-Length \(parsed) over the limit of \(limits.maxBodyBytes)")
            }
            length = parsed
        }
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        let startLine = lines[0]
        position = bodyStart + length
        scanned = position
        return try message(startLine: startLine, headers: headers, body: body)
    }

    private mutating func parseFrame() throws(RTSPError) -> RTSPMessage? {
        guard buffer.count - position >= 4 else { return nil }
        let channel = buffer[position + 1]
        let length = Int(buffer[position + 2]) << 8 | Int(buffer[position + 3])
        guard length <= limits.maxFrameBytes else {
            throw RTSPError(.frameTooLarge, "\(length) bytes on channel \(channel), over the limit of \(limits.maxFrameBytes)")
        }
        guard buffer.count - position - 4 >= length else { return nil }
        let payload = Array(buffer[(position + 4)..<(position + 4 + length)])
        position += 4 + length
        scanned = position
        return .interleaved(channel: channel, payload: payload)
    }

    /// The end of the header block (exclusive, before the blank line) and where the body starts.
    private mutating func findHeaderEnd() throws(RTSPError) -> (Int, Int)? {
        var index = scanned
        while index < buffer.count {
            let byte = buffer[index]
            if byte == 0x0A {
                // "\n\n" or "\n\r\n" ends the block.
                if index + 1 < buffer.count, buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A { return (index, index + 3) }
                if index + 2 >= buffer.count {
                    scanned = index
                    return try checkSize(upTo: index)
                }
            } else if (byte < 0x20 && byte != 0x0D && byte != 0x09) || byte == 0x7F {
                throw RTSPError(.badMessage, "control byte 0x\(String(byte, radix: 16)) in a header block")
            }
            index += 1
        }
        scanned = index
        return try checkSize(upTo: index)
    }

    private func checkSize(upTo index: Int) throws(RTSPError) -> (Int, Int)? {
        if index - position > limits.maxHeaderBytes {
            throw RTSPError(.headerTooLarge, "more than \(limits.maxHeaderBytes) bytes without the end of the headers")
        }
        return nil
    }

    /// Lines without their ends, folded continuations joined to the line before.
    private func headerLines(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines: [String] = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var line = String(decoding: raw, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += " " + line.trimmedSpaces
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    private func message(startLine: String, headers: RTSPHeaders, body: [UInt8]) throws(RTSPError) -> RTSPMessage {
        let parts = startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        if let first = parts.first, first.hasPrefix("RTSP/") {
            guard parts.count >= 2, let status = Int(parts[1]), (100..<1000).contains(status), isVersion(first) else {
                throw RTSPError(.badMessage, "bad status line \"\(startLine.prefix(80))\"")
            }
            return .response(RTSPResponse(status: status, reason: parts.count > 2 ? parts[2] : "", version: first, headers: headers, body: body))
        }
        guard parts.count == 3, isVersion(parts[2]), isToken(parts[0]) else {
            throw RTSPError(.badMessage, "bad request line \"\(startLine.prefix(80))\"")
        }
        return .request(RTSPRequest(method: parts[0], uri: parts[1], version: parts[2], headers: headers, body: body))
    }

    private func isVersion(_ text: String) -> Bool {
        guard text.hasPrefix("RTSP/") else { return false }
        let number = text.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        return number.count == 2 && number.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }

    private func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F || $0 == 0x2D || ($0 >= 0x30 && $0 <= 0x39) }
    }
}

func printable(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x2E }, as: UTF8.self)
}
