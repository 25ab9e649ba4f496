/// Reads an FLV file (or an HTTP-FLV stream) arriving in chunks of any size: the header (FLV v10.1 spec, E.2),
/// then each tag (E.4.1: type, 24-bit data size, timestamp with its extension byte, stream id) followed by its
/// PreviousTagSize. Hands each whole tag to the sink, borrowed for the call; the tag bodies go to an
/// `FLVTagDemuxer`.
///
/// A tag is delivered once its PreviousTagSize has arrived too; bytes of a tag not yet complete are held
/// (`pendingBytes`: what is left at the end of a file cut short). A PreviousTagSize that does not match its tag
/// is counted and the tag taken anyway (the data size decides); tags of unknown types and encrypted tags (the
/// Filter bit) are skipped and counted. Input that does not start with an FLV header fails the reader
/// (`failure`), which then reads nothing more. Off the hot path: for fixtures, tools and recorded files.
public struct FLVFileReader: Sendable {
    public struct Header: Hashable, Sendable {
        public var version: UInt8
        public var hasAudio: Bool
        public var hasVideo: Bool
    }

    public struct Stats: Hashable, Sendable {
        public var bytes = 0
        /// Tags delivered.
        public var tags = 0
        /// Tags of an unknown type or encrypted: skipped.
        public var skippedTags = 0
        /// PreviousTagSize fields (the first one included) that did not match.
        public var previousTagSizeErrors = 0
    }

    public typealias Sink = (FLVTagType, UInt32, UnsafeRawBufferPointer) -> Void

    public private(set) var header: Header?
    public private(set) var stats = Stats()
    /// Why the input is not read: not an FLV file. Nil while all is well.
    public private(set) var failure: FLVError?
    /// Bytes held until the rest of their tag arrives.
    public var pendingBytes: Int { buffer.count }

    private var buffer: [UInt8] = []
    private static let what = "FLV file"
    private static let tagHeaderSize = 11

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ sink: Sink) {
        guard failure == nil else { return }
        stats.bytes += bytes.count
        var held: [UInt8] = []
        swap(&held, &buffer)
        held.append(contentsOf: bytes)
        let consumed = held.withUnsafeBytes { read($0, sink) }
        held.removeSubrange(0..<consumed)
        swap(&held, &buffer)
    }

    /// The tags of a whole file, with the reader (for its header, stats and failure): for tests and tools.
    public static func tags(of bytes: [UInt8]) -> (tags: [FLVTag], reader: FLVFileReader) {
        var reader = FLVFileReader()
        var tags: [FLVTag] = []
        bytes.withUnsafeBytes { reader.feed($0) { tags.append(FLVTag(type: $0, timestamp: $1, body: Array($2))) } }
        return (tags, reader)
    }

    /// Reads what is whole in `bytes`; returns how many bytes were used.
    private mutating func read(_ bytes: UnsafeRawBufferPointer, _ sink: Sink) -> Int {
        var offset = 0
        if header == nil {
            guard let used = readHeader(bytes) else { return 0 }
            offset = used
        }
        while bytes.count - offset >= Self.tagHeaderSize {
            let size = Self.uint(bytes, offset + 1, 3)
            let total = Self.tagHeaderSize + size + 4
            guard bytes.count - offset >= total else { break }
            if Self.uint(bytes, offset + Self.tagHeaderSize + size, 4) != Self.tagHeaderSize + size {
                stats.previousTagSizeErrors += 1
            }
            let first = bytes[offset]
            // Reserved bits 0, Filter 0 (not encrypted), and a type we know.
            if first & 0xE0 == 0, let type = FLVTagType(rawValue: first & 0x1F) {
                let timestamp = UInt32(bytes[offset + 7]) << 24 | UInt32(Self.uint(bytes, offset + 4, 3))
                let start = offset + Self.tagHeaderSize
                stats.tags += 1
                sink(type, timestamp, UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)]))
            } else {
                stats.skippedTags += 1
            }
            offset += total
        }
        return offset
    }

    /// The header and the first PreviousTagSize: their length, or nil while they are incomplete (or wrong).
    private mutating func readHeader(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let signature: [UInt8] = [0x46, 0x4C, 0x56]  // "FLV"
        for i in 0..<min(3, bytes.count) where bytes[i] != signature[i] {
            failure = FLVError(.malformed, Self.what, "no FLV signature")
            return nil
        }
        guard bytes.count >= 9 else { return nil }
        let dataOffset = Self.uint(bytes, 5, 4)
        guard dataOffset >= 9 else {
            failure = FLVError(.malformed, Self.what, "header size \(dataOffset), less than 9")
            return nil
        }
        guard dataOffset <= 1 << 20 else {
            failure = FLVError(.malformed, Self.what, "header size \(dataOffset)")
            return nil
        }
        guard bytes.count >= dataOffset + 4 else { return nil }
        if Self.uint(bytes, dataOffset, 4) != 0 { stats.previousTagSizeErrors += 1 }
        header = Header(version: bytes[3], hasAudio: bytes[4] & 4 != 0, hasVideo: bytes[4] & 1 != 0)
        return dataOffset + 4
    }

    private static func uint(_ bytes: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int {
        var value = 0
        for i in 0..<count { value = value << 8 | Int(bytes[at + i]) }
        return value
    }
}
