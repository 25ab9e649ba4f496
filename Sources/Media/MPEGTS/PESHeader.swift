/// The header of a PES packet (ISO/IEC 13818-1 2.4.3.6): where its payload starts and its timestamps.
///
/// Timestamps are the raw 33-bit values; unwrapping is the demuxer's job. Marker bits are not checked (muxers
/// in the field get them wrong; the values are still right).
public struct PESHeader: Hashable, Sendable {
    public var streamID: UInt8
    public var pts: Int64?
    /// Equals `pts` when the PES carries no DTS.
    public var dts: Int64?
    /// Offset of the elementary stream bytes in the PES.
    public var payloadOffset: Int

    public init(parsing pes: UnsafeRawBufferPointer) throws {
        guard pes.count >= 6 else { throw MediaError("PES header", "only \(pes.count) bytes") }
        guard pes[0] == 0, pes[1] == 0, pes[2] == 1 else {
            throw MediaError("PES header", "no start code (\(pes[0]) \(pes[1]) \(pes[2]))")
        }
        streamID = pes[3]
        pts = nil
        dts = nil
        guard Self.hasOptionalHeader(streamID) else {
            payloadOffset = 6
            return
        }
        guard pes.count >= 9 else { throw MediaError("PES header", "optional header truncated (\(pes.count) bytes)") }
        guard pes[6] & 0xC0 == 0x80 else {
            throw MediaError("PES header", "stream 0x\(String(streamID, radix: 16)): bad optional header marker 0x\(String(pes[6], radix: 16))")
        }
        payloadOffset = 9 + Int(pes[8])
        guard payloadOffset <= pes.count else {
            throw MediaError("PES header", "header length \(pes[8]) past the end of a \(pes.count)-byte PES")
        }
        let flags = pes[7] >> 6
        if flags & 2 != 0 {
            guard pes[8] >= (flags == 3 ? 10 : 5) else {
                throw MediaError("PES header", "header length \(pes[8]) too short for PTS_DTS_flags \(flags)")
            }
            let pts = Self.timestamp(pes, at: 9)
            self.pts = pts
            dts = flags == 3 ? Self.timestamp(pes, at: 14) : pts
        }
    }

    /// The size of the header that starts with `prefix`, as far as `prefix` tells: 6 until 6 bytes are known; for a
    /// stream with an optional header, 9 until 9 bytes are known, then 9 + PES_header_data_length. A header is
    /// complete once `prefix` holds that many bytes.
    static func size(prefix: UnsafeRawBufferPointer) -> Int {
        guard prefix.count >= 6, hasOptionalHeader(prefix[3]) else { return 6 }
        return prefix.count < 9 ? 9 : 9 + Int(prefix[8])
    }

    /// Stream ids whose PES packets have no optional header (padding, private_stream_2, ECM, EMM, DSM-CC,
    /// H.222.1 type E, program stream map and directory).
    @inline(__always)
    private static func hasOptionalHeader(_ id: UInt8) -> Bool {
        switch id {
        case 0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xF2, 0xF8, 0xFF: return false
        default: return true
        }
    }

    /// A 33-bit timestamp spread over 5 bytes with marker bits.
    @inline(__always)
    private static func timestamp(_ p: UnsafeRawBufferPointer, at i: Int) -> Int64 {
        let a = Int64(p[i] >> 1) & 0x07
        let b = Int64(p[i + 1]) << 7 | Int64(p[i + 2] >> 1)
        let c = Int64(p[i + 3]) << 7 | Int64(p[i + 4] >> 1)
        return a << 30 | b << 15 | c
    }
}
