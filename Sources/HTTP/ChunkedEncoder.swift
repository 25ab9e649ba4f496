/// Writes a chunked body (RFC 9112 section 7.1) for a response of unknown length, such as live HTTP MPEG-TS:
/// each piece of data as one chunk, then the terminator. Appends to a buffer the caller reuses.
public enum ChunkedEncoder {
    /// Appends `bytes` as one chunk: size in hex, CRLF, the bytes, CRLF. Appends nothing for no bytes, since an
    /// empty chunk would end the body.
    public static func appendChunk(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        appendChunkHeader(size: bytes.count, to: &out)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }

    /// Appends only a chunk's size line, for a caller that writes the `size` data bytes itself (from the ring,
    /// without copying), followed by CRLF. `size` must be positive.
    public static func appendChunkHeader(size: Int, to out: inout [UInt8]) {
        precondition(size > 0, "an empty chunk would end the body")
        out.appendHex(size)
        out.append(contentsOf: "\r\n".utf8)
    }

    /// Appends the last chunk and the end of the (empty) trailer section: `0\r\n\r\n`.
    public static func appendTerminator(to out: inout [UInt8]) {
        out.append(contentsOf: "0\r\n\r\n".utf8)
    }
}
