import Media

/// The fixed header of one RTP packet (RFC 3550 5.1), read in place from a borrowed buffer: the CSRC list, the
/// header extension and the payload stay in the buffer and are given as ranges, so parsing allocates nothing.
public struct RTPPacket: Hashable, Sendable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Number of CSRCs (0...15); they stand from byte 12, 4 bytes each.
    public var csrcCount: Int
    /// The header extension's profile-defined 16 bits, when the X bit is set.
    public var extensionProfile: UInt16?
    /// The header extension's data (after its 4-byte header), empty when there is none.
    public var extensionRange: Range<Int>
    /// The payload, padding removed.
    public var payloadRange: Range<Int>

    public init(marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        csrcCount = 0
        extensionProfile = nil
        extensionRange = 12..<12
        payloadRange = 12..<12
    }

    /// Reads the header of `packet`. Throws for a packet shorter than its header, a version other than 2, a CSRC
    /// list or header extension past the end, or padding longer than the payload.
    public init(parsing packet: UnsafeRawBufferPointer) throws(MediaError) {
        let what = "RTP header"
        let n = packet.count
        guard n >= 12 else { throw MediaError(what, "\(n) bytes, at least 12 needed") }
        let b0 = packet[0]
        guard b0 >> 6 == 2 else { throw MediaError(what, "version \(b0 >> 6), not 2") }
        csrcCount = Int(b0 & 0x0F)
        marker = packet[1] & 0x80 != 0
        payloadType = packet[1] & 0x7F
        sequenceNumber = UInt16(packet[2]) << 8 | UInt16(packet[3])
        timestamp = Self.readUInt32(packet, 4)
        ssrc = Self.readUInt32(packet, 8)
        var offset = 12 + 4 * csrcCount
        guard offset <= n else { throw MediaError(what, "\(csrcCount) CSRCs past the end of \(n) bytes") }
        extensionProfile = nil
        extensionRange = offset..<offset
        if b0 & 0x10 != 0 {
            guard offset + 4 <= n else { throw MediaError(what, "header extension past the end of \(n) bytes") }
            extensionProfile = UInt16(packet[offset]) << 8 | UInt16(packet[offset + 1])
            let words = Int(packet[offset + 2]) << 8 | Int(packet[offset + 3])
            let start = offset + 4
            offset = start + 4 * words
            guard offset <= n else { throw MediaError(what, "header extension of \(words) words past the end of \(n) bytes") }
            extensionRange = start..<offset
        }
        var end = n
        if b0 & 0x20 != 0 {
            let padding = Int(packet[n - 1])
            guard padding >= 1 && padding <= n - offset else {
                throw MediaError(what, "padding of \(padding) bytes with \(n - offset) after the header")
            }
            end = n - padding
        }
        payloadRange = offset..<end
    }

    /// The `index`th CSRC of `packet`, the buffer this header was read from.
    public func csrc(_ index: Int, in packet: UnsafeRawBufferPointer) -> UInt32 {
        precondition(index >= 0 && index < csrcCount)
        return Self.readUInt32(packet, 12 + 4 * index)
    }

    /// Appends a 12-byte header (no CSRCs, no extension, no padding) for a packet with these fields.
    public func appendHeader(to out: inout [UInt8]) {
        out.append(0x80)
        out.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        out.append(UInt8(sequenceNumber >> 8))
        out.append(UInt8(sequenceNumber & 0xFF))
        Self.append(timestamp, to: &out)
        Self.append(ssrc, to: &out)
    }

    @inline(__always)
    static func readUInt32(_ b: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    @inline(__always)
    static func append(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(value >> 24))
        out.append(UInt8((value >> 16) & 0xFF))
        out.append(UInt8((value >> 8) & 0xFF))
        out.append(UInt8(value & 0xFF))
    }
}
