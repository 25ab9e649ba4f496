/// Writes an FLV file (FLV v10.1 spec, E.2 and E.3): the header with its PreviousTagSize0, then tags, each
/// followed by its PreviousTagSize. The tag bodies come from an `FLVTagMuxer`.
public enum FLVFileWriter {
    /// Appends the 9-byte header and PreviousTagSize0.
    public static func appendHeader(hasAudio: Bool, hasVideo: Bool, to out: inout [UInt8]) {
        out += [0x46, 0x4C, 0x56, 1, (hasAudio ? 4 : 0) | (hasVideo ? 1 : 0), 0, 0, 0, 9, 0, 0, 0, 0]
    }

    /// Appends one tag: its 11-byte header, `body`, and its PreviousTagSize. Throws when the body is larger than
    /// the 24-bit data size can say (16 MiB - 1); nothing is appended then.
    public static func appendTag(_ type: FLVTagType, timestamp: UInt32, body: UnsafeRawBufferPointer,
                                 to out: inout [UInt8]) throws(FLVError) {
        let size = body.count
        guard size <= 0xFF_FFFF else { throw FLVError(.malformed, "FLV file", "a tag body of \(size) bytes") }
        out.append(type.rawValue)
        appendBigEndian(size, bytes: 3, to: &out)
        appendBigEndian(Int(timestamp & 0xFF_FFFF), bytes: 3, to: &out)
        out.append(UInt8(timestamp >> 24))
        out += [0, 0, 0]  // StreamID
        out.append(contentsOf: body)
        appendBigEndian(11 + size, bytes: 4, to: &out)
    }

    private static func appendBigEndian(_ value: Int, bytes: Int, to out: inout [UInt8]) {
        for i in stride(from: bytes - 1, through: 0, by: -1) { out.append(UInt8((value >> (8 * i)) & 0xFF)) }
    }
}
