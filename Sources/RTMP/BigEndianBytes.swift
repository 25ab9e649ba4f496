/// Big-endian number writing into an output buffer the caller reuses: chunk headers, control messages and AMF0 are
/// built with these, with no intermediate arrays.
extension Array where Element == UInt8 {
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        appendUInt24(value)
    }

    /// Little-endian, as the message stream id of a type-0 chunk header is written (RTMP 1.0 section 5.3.1.2.1).
    mutating func appendUInt32LE(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func appendUInt64(_ value: UInt64) {
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32))
        appendUInt32(UInt32(truncatingIfNeeded: value))
    }

    mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        appendUInt32(UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}

/// Reads big-endian numbers from bytes, throwing `RTMPError(.truncated)` (with `what` was being read) rather than
/// reading past the end: every length in an RTMP message is the peer's word and is checked before use.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        position = start
        end = bytes.count
    }

    var remaining: Int { end - position }
    var isAtEnd: Bool { position >= end }

    mutating func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw RTMPError(.truncated, "\(what()): \(count) bytes wanted, \(remaining) left")
        }
    }

    mutating func readUInt8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try require(1, what())
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readUInt16(_ what: @autoclosure () -> String) throws -> UInt16 {
        try require(2, what())
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func readUInt24(_ what: @autoclosure () -> String) throws -> UInt32 {
        try require(3, what())
        defer { position += 3 }
        return UInt32(bytes[position]) << 16 | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2])
    }

    mutating func readUInt32(_ what: @autoclosure () -> String) throws -> UInt32 {
        try require(4, what())
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    mutating func readUInt64(_ what: @autoclosure () -> String) throws -> UInt64 {
        let high = try readUInt32(what())
        return UInt64(high) << 32 | UInt64(try readUInt32(what()))
    }

    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        try require(count, what())
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func readLengthPrefixed(_ what: @autoclosure () -> String) throws -> [UInt8] {
        let count = try readUInt32(what())
        return Array(try readBytes(Int(count), what()))
    }
}
