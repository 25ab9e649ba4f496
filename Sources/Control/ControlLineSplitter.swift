/// Cuts the byte stream of a control connection into lines, in either direction. Bytes arrive in any split; a line
/// ends at `\n` (a `\r` before it is dropped); empty lines are skipped. A line longer than `maximumLineLength` is
/// reported once as `.tooLong` and its bytes are dropped up to its newline, so a peer that never sends one costs at
/// most `maximumLineLength` bytes of memory. Bytes that are not UTF-8 become U+FFFD (and then fail to parse as JSON).
public struct ControlLineSplitter: Sendable {
    public enum Line: Hashable, Sendable {
        case line(String)
        case tooLong
    }

    /// Generous for a request and for a `streams` reply of thousands of streams.
    public static let defaultMaximumLineLength = 16 << 20

    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`.
    private var start = 0
    /// Bytes from `start` already searched for a newline.
    private var scanned = 0
    /// Dropping the rest of a line already reported as too long.
    private var discarding = false

    public init(maximumLineLength: Int = ControlLineSplitter.defaultMaximumLineLength) {
        self.maximumLineLength = maximumLineLength
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, `.tooLong` for an overlong one, or nil when more bytes are needed.
    public mutating func next() -> Line? {
        while true {
            guard let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = buffer.count - start
                if !discarding, scanned > maximumLineLength {
                    dropPending()
                    discarding = true
                    return .tooLong
                }
                if discarding { dropPending() }
                return nil
            }
            let lineStart = start
            start = newline + 1
            scanned = 0
            if discarding {
                discarding = false
                continue
            }
            var end = newline
            if end > lineStart, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if end - lineStart > maximumLineLength { return .tooLong }
            if end == lineStart { continue }
            return .line(String(decoding: buffer[lineStart..<end], as: UTF8.self))
        }
    }

    private mutating func dropPending() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        scanned = 0
    }
}
