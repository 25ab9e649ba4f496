/// Decodes a chunked message body (RFC 9112 section 7.1), pure and incremental: chunk data is handed on borrowed
/// from the input, never copied. Chunk extensions are skipped, trailer fields read and dropped. Shared by the request
/// and the response parser.
///
/// Bounds: a chunk-size line (with its extensions) holds at most 1 KB, the decoded body `maxBodyBytes`, the trailer
/// section `maxTrailerBytes`. A line may end in CRLF or a bare LF; a bare CR or a control byte inside a line is refused.
struct ChunkedDecoder: Sendable {
    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    static let maxLineBytes = 1024

    let maxBodyBytes: Int
    let maxTrailerBytes: Int
    private var state = State.size
    private var line: [UInt8] = []
    private var pendingCR = false
    private var bodyBytes = 0
    private var trailerBytes = 0

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// The last chunk and the trailer section have been read.
    var isComplete: Bool { if case .done = state { true } else { false } }

    /// Ready for the next body, keeping the line buffer's storage.
    mutating func reset() {
        state = .size
        line.removeAll(keepingCapacity: true)
        pendingCR = false
        bodyBytes = 0
        trailerBytes = 0
    }

    /// Feeds bytes and passes chunk data to `body`. Returns how many bytes were used: all of them, or fewer when the
    /// body ended inside `bytes` (what follows belongs to the next message).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var i = 0
        let n = bytes.count
        while i < n {
            switch state {
            case .data(let remaining):
                let take = min(remaining, n - i)
                try body(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                i += take
                state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
            case .size, .dataEnd, .trailers:
                let b = bytes[i]
                i += 1
                if case .trailers = state {
                    trailerBytes += 1
                    if trailerBytes > maxTrailerBytes {
                        throw HTTPParseError(.headerTooLarge, "trailer section over \(maxTrailerBytes) bytes")
                    }
                } else if line.count >= Self.maxLineBytes {
                    throw HTTPParseError(.badChunk, "chunk line over \(Self.maxLineBytes) bytes")
                }
                if pendingCR {
                    guard b == UInt8(ascii: "\n") else { throw HTTPParseError(.badChunk, "bare CR") }
                    pendingCR = false
                    try endOfLine()
                } else if b == UInt8(ascii: "\r") {
                    pendingCR = true
                } else if b == UInt8(ascii: "\n") {
                    try endOfLine()
                } else {
                    guard HTTPSyntax.isFieldValueByte(b) else {
                        throw HTTPParseError(.badChunk, "control byte 0x\(String(b, radix: 16)) in a chunk line")
                    }
                    line.append(b)
                }
            case .done:
                return i
            }
            if case .done = state { return i }
        }
        return n
    }

    private mutating func endOfLine() throws {
        defer { line.removeAll(keepingCapacity: true) }
        switch state {
        case .size:
            let end = line.firstIndex(of: UInt8(ascii: ";")) ?? line.count
            var digits = line[..<end]
            while let last = digits.last, last == 0x20 || last == 0x09 { digits.removeLast() }
            guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isHexDigit) else {
                throw HTTPParseError(.badChunk, "chunk size \"\(HTTPSyntax.quote(line))\"")
            }
            let size = digits.reduce(0) { $0 * 16 + $1.hexValue }
            guard size <= maxBodyBytes - bodyBytes else {
                throw HTTPParseError(.bodyTooLarge, "chunked body over \(maxBodyBytes) bytes")
            }
            bodyBytes += size
            state = size == 0 ? .trailers : .data(remaining: size)
        case .dataEnd:
            guard line.isEmpty else { throw HTTPParseError(.badChunk, "no CRLF after chunk data") }
            state = .size
        case .trailers:
            if line.isEmpty { state = .done } else { _ = try HTTPSyntax.parseField(line) }
        case .data, .done:
            break
        }
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "f"))
    }

    /// The value of a hexadecimal digit (`isHexDigit` must hold).
    var hexValue: Int {
        self <= UInt8(ascii: "9") ? Int(self - UInt8(ascii: "0")) : Int((self | 0x20) - UInt8(ascii: "a") + 10)
    }
}
