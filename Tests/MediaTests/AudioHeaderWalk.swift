@testable import Media

/// Cuts an audio elementary-stream fixture into frames with a header parser, as a demuxer cuts a PES payload:
/// parse the header at the cursor, step over its frame length. Throws at the first bad header.
func walkFrames<Header>(_ bytes: [UInt8], parse: (UnsafeRawBufferPointer) throws -> Header,
                        frameLength: (Header) -> Int) throws -> [Header] {
    var headers: [Header] = []
    try bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let header = try parse(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            headers.append(header)
            offset += frameLength(header)
        }
        if offset != buffer.count { throw MediaError("fixture", "last frame runs \(offset - buffer.count) bytes past the end") }
    }
    return headers
}

/// True when parsing every proper prefix of `header` (shorter than `needed`) throws.
func everyPrefixThrows(_ header: [UInt8], needed: Int, parse: (UnsafeRawBufferPointer) throws -> Void) -> Bool {
    (0..<needed).allSatisfy { n in
        Array(header[..<n]).withUnsafeBytes { (try? parse($0)) == nil }
    }
}
