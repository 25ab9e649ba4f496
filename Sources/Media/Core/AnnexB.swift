/// The two ways H.264 and H.265 NAL units are framed: Annex B byte streams (start codes, as in MPEG-TS and
/// RTSP sprop) and 4-byte length prefixes (Sluice's canonical frame payload, as in MP4 and FLV).
public enum AnnexB {
    /// Calls `body` with each NAL unit of an Annex B byte stream, without its start code and without the
    /// trailing zero bytes that belong to the next start code. Bytes before the first start code are skipped.
    public static func forEachNAL<E: Error>(in buffer: UnsafeRawBufferPointer,
                                            _ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        // Fed whole, the splitter hands on each NAL unit as one span.
        var splitter = AnnexBSplitter()
        var nal = UnsafeRawBufferPointer(start: nil, count: 0)
        try splitter.feed(buffer) { event throws(E) in
            switch event {
            case .bytes(let span, _): nal = span
            case .end: try body(nal)
            }
        }
        try splitter.finish { event throws(E) in
            if case .end = event { try body(nal) }
        }
    }

    /// The NAL units of an Annex B byte stream as arrays (off the hot path: sprop, fixtures, tests).
    public static func nalUnits(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        bytes.withUnsafeBytes { forEachNAL(in: $0) { out.append(Array($0)) } }
        return out
    }

    /// Appends `nal` with a 4-byte start code.
    @inline(__always)
    public static func append(_ nal: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(contentsOf: [0, 0, 0, 1])
        out.append(contentsOf: nal)
    }

    /// RBSP of a NAL unit: the bytes with emulation-prevention bytes (the 03 of 00 00 03) removed.
    public static func removeEmulationPrevention(_ nal: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(nal.count)
        var zeros = 0
        for b in nal {
            if zeros >= 2 && b == 3 { zeros = 0; continue }
            zeros = b == 0 ? zeros + 1 : 0
            out.append(b)
        }
        return out
    }
}

/// Length-prefixed NAL units (4-byte big-endian lengths): Sluice's canonical video payload. MP4 and FLV samples
/// may use 1- or 2-byte lengths (the avcC/hvcC `lengthSizeMinusOne`), which `forEachNAL` reads too.
public enum LengthPrefixed {
    /// Calls `body` with each NAL unit of a buffer whose lengths are `lengthSize` (1...4) bytes, big-endian.
    /// Throws if a length runs past the end of the buffer or bytes too few for a length are left over.
    public static func forEachNAL(in buffer: UnsafeRawBufferPointer, lengthSize: Int = 4,
                                  _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        precondition((1...4).contains(lengthSize), "NAL length size \(lengthSize)")
        var i = 0
        let n = buffer.count
        while i < n {
            guard lengthSize <= n - i else {
                throw MediaError("length-prefixed NAL units", "\(n - i) stray bytes at offset \(i)")
            }
            var len = 0
            for k in 0..<lengthSize { len = len << 8 | Int(buffer[i + k]) }
            i += lengthSize
            guard len <= n - i else {
                throw MediaError("length-prefixed NAL units", "NAL length \(len) past the end at offset \(i - lengthSize)")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[i..<(i + len)]))
            i += len
        }
    }

    /// Appends `nal` with its 4-byte length.
    @inline(__always)
    public static func append(_ nal: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = UInt32(nal.count)
        out.append(UInt8(n >> 24))
        out.append(UInt8((n >> 16) & 0xFF))
        out.append(UInt8((n >> 8) & 0xFF))
        out.append(UInt8(n & 0xFF))
        out.append(contentsOf: nal)
    }

    /// The NAL units as arrays (off the hot path).
    public static func nalUnits(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try bytes.withUnsafeBytes { try forEachNAL(in: $0) { out.append(Array($0)) } }
        return out
    }
}
