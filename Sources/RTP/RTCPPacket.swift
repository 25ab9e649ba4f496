import Media

/// One RTCP packet of a compound packet (RFC 3550 6.4-6.6): what a receiver needs from a sender (sender reports
/// for the NTP/RTP timestamp pair, SDES CNAMEs, BYE) and the receiver report it sends back (`rtp udp`).
/// RTCP is rare (a few packets a second), so parsed packets own their arrays.
public enum RTCPPacket: Hashable, Sendable {
    case senderReport(SenderReport)
    case receiverReport(ssrc: UInt32, blocks: [ReportBlock])
    /// Source descriptions: each chunk's SSRC and its CNAME when it has one.
    case sourceDescription([SourceDescription])
    case bye(ssrcs: [UInt32])
    /// APP, RTPFB, PSFB, XR and others, kept by type only.
    case other(type: UInt8)

    public struct SenderReport: Hashable, Sendable {
        public var ssrc: UInt32
        /// Wall clock time of the report, NTP format: seconds since 1900 in the high 32 bits, fraction in the low.
        public var ntpTimestamp: UInt64
        /// The same instant on the stream's RTP clock.
        public var rtpTimestamp: UInt32
        public var packetCount: UInt32
        public var octetCount: UInt32
        public var blocks: [ReportBlock]

        public init(ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32 = 0,
                    octetCount: UInt32 = 0, blocks: [ReportBlock] = []) {
            self.ssrc = ssrc
            self.ntpTimestamp = ntpTimestamp
            self.rtpTimestamp = rtpTimestamp
            self.packetCount = packetCount
            self.octetCount = octetCount
            self.blocks = blocks
        }
    }

    /// One SDES chunk: a source and its CNAME (other items are skipped).
    public struct SourceDescription: Hashable, Sendable {
        public var ssrc: UInt32
        public var cname: String?
        public init(ssrc: UInt32, cname: String?) { self.ssrc = ssrc; self.cname = cname }
    }

    /// A reception report block (RFC 3550 6.4.1).
    public struct ReportBlock: Hashable, Sendable {
        public var ssrc: UInt32
        /// Fraction of packets lost since the last report, in 1/256.
        public var fractionLost: UInt8
        /// Cumulative number of packets lost, 24 bits signed (duplicates can make it negative).
        public var cumulativeLost: Int32
        /// Extended highest sequence number received (cycles in the high 16 bits).
        public var highestSequence: UInt32
        /// Interarrival jitter in RTP timestamp units.
        public var jitter: UInt32
        /// Middle 32 bits of the NTP timestamp of the last SR received, 0 if none.
        public var lastSR: UInt32
        /// Delay since that SR in 1/65536 s.
        public var delaySinceLastSR: UInt32

        public init(ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, highestSequence: UInt32,
                    jitter: UInt32, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0) {
            self.ssrc = ssrc
            self.fractionLost = fractionLost
            self.cumulativeLost = cumulativeLost
            self.highestSequence = highestSequence
            self.jitter = jitter
            self.lastSR = lastSR
            self.delaySinceLastSR = delaySinceLastSR
        }
    }

    public static let typeSR: UInt8 = 200
    public static let typeRR: UInt8 = 201
    public static let typeSDES: UInt8 = 202
    public static let typeBYE: UInt8 = 203

    /// Reads a compound RTCP packet: each packet's version, length and type are checked, the whole must be
    /// covered by whole packets. Throws on the first packet that does not parse (nothing is returned then).
    public static func parseCompound(_ bytes: UnsafeRawBufferPointer) throws(MediaError) -> [RTCPPacket] {
        var out: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            let what = "RTCP packet at offset \(offset)"
            guard bytes.count - offset >= 4 else { throw MediaError(what, "\(bytes.count - offset) stray bytes") }
            let b0 = bytes[offset]
            guard b0 >> 6 == 2 else { throw MediaError(what, "version \(b0 >> 6), not 2") }
            let count = Int(b0 & 0x1F)
            let type = bytes[offset + 1]
            let length = (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]) + 1) * 4
            guard length <= bytes.count - offset else {
                throw MediaError(what, "length \(length) past the end of \(bytes.count - offset) bytes")
            }
            var end = offset + length
            if b0 & 0x20 != 0 {
                let padding = Int(bytes[end - 1])
                guard padding >= 1 && padding <= length - 4 else { throw MediaError(what, "padding of \(padding) bytes") }
                end -= padding
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<end])
            out.append(try parse(type: type, count: count, body: body, what: what))
            offset += length
        }
        return out
    }

    private static func parse(type: UInt8, count: Int, body: UnsafeRawBufferPointer,
                              what: String) throws(MediaError) -> RTCPPacket {
        switch type {
        case typeSR:
            guard body.count >= 24 + 24 * count else { throw MediaError(what, "sender report of \(body.count) bytes for \(count) blocks") }
            let ntp = UInt64(RTPPacket.readUInt32(body, 4)) << 32 | UInt64(RTPPacket.readUInt32(body, 8))
            return .senderReport(SenderReport(ssrc: RTPPacket.readUInt32(body, 0), ntpTimestamp: ntp,
                                              rtpTimestamp: RTPPacket.readUInt32(body, 12),
                                              packetCount: RTPPacket.readUInt32(body, 16),
                                              octetCount: RTPPacket.readUInt32(body, 20),
                                              blocks: blocks(body, from: 24, count: count)))
        case typeRR:
            guard body.count >= 4 + 24 * count else { throw MediaError(what, "receiver report of \(body.count) bytes for \(count) blocks") }
            return .receiverReport(ssrc: RTPPacket.readUInt32(body, 0), blocks: blocks(body, from: 4, count: count))
        case typeSDES:
            return .sourceDescription(try chunks(body, count: count, what: what))
        case typeBYE:
            guard body.count >= 4 * count else { throw MediaError(what, "BYE of \(body.count) bytes for \(count) sources") }
            return .bye(ssrcs: (0..<count).map { RTPPacket.readUInt32(body, 4 * $0) })
        default:
            return .other(type: type)
        }
    }

    private static func blocks(_ body: UnsafeRawBufferPointer, from start: Int, count: Int) -> [ReportBlock] {
        (0..<count).map { k in
            let o = start + 24 * k
            let lost24 = Int32(bitPattern: RTPPacket.readUInt32(body, o + 4) << 8) >> 8
            return ReportBlock(ssrc: RTPPacket.readUInt32(body, o), fractionLost: body[o + 4], cumulativeLost: lost24,
                               highestSequence: RTPPacket.readUInt32(body, o + 8), jitter: RTPPacket.readUInt32(body, o + 12),
                               lastSR: RTPPacket.readUInt32(body, o + 16), delaySinceLastSR: RTPPacket.readUInt32(body, o + 20))
        }
    }

    /// SDES chunks: an SSRC, then items (type, length, text) up to a zero type, padded to 32 bits.
    private static func chunks(_ body: UnsafeRawBufferPointer, count: Int,
                               what: String) throws(MediaError) -> [SourceDescription] {
        var out: [SourceDescription] = []
        var o = 0
        for _ in 0..<count {
            guard o + 4 <= body.count else { throw MediaError(what, "SDES chunk past the end") }
            let ssrc = RTPPacket.readUInt32(body, o)
            o += 4
            var cname: String?
            while true {
                guard o < body.count else { throw MediaError(what, "SDES items without an end") }
                let itemType = body[o]
                if itemType == 0 { break }
                guard o + 2 <= body.count, o + 2 + Int(body[o + 1]) <= body.count else {
                    throw MediaError(what, "SDES item past the end")
                }
                let text = UnsafeRawBufferPointer(rebasing: body[(o + 2)..<(o + 2 + Int(body[o + 1]))])
                if itemType == 1 { cname = String(decoding: text, as: UTF8.self) }
                o += 2 + text.count
            }
            o = (o + 4) & ~3  // the zero type and padding to the next 32-bit boundary
            out.append(SourceDescription(ssrc: ssrc, cname: cname))
        }
        return out
    }

    /// Appends a receiver report (RFC 3550 6.4.2) from `ssrc` with up to 31 blocks, and an SDES CNAME when
    /// `cname` is given (a compound packet must carry one; RFC 3550 6.1).
    public static func appendReceiverReport(ssrc: UInt32, blocks: [ReportBlock], cname: String? = nil,
                                            to out: inout [UInt8]) {
        let count = min(blocks.count, 31)
        out.append(0x80 | UInt8(count))
        out.append(typeRR)
        let words = 1 + 6 * count
        out.append(UInt8(words >> 8)); out.append(UInt8(words & 0xFF))
        RTPPacket.append(ssrc, to: &out)
        for block in blocks.prefix(count) {
            RTPPacket.append(block.ssrc, to: &out)
            RTPPacket.append(UInt32(block.fractionLost) << 24 | UInt32(bitPattern: block.cumulativeLost) & 0xFF_FFFF, to: &out)
            RTPPacket.append(block.highestSequence, to: &out)
            RTPPacket.append(block.jitter, to: &out)
            RTPPacket.append(block.lastSR, to: &out)
            RTPPacket.append(block.delaySinceLastSR, to: &out)
        }
        if let cname { appendSourceDescription(ssrc: ssrc, cname: cname, to: &out) }
    }

    /// An SDES packet with one chunk: `ssrc` and its CNAME (RFC 3550 6.5).
    private static func appendSourceDescription(ssrc: UInt32, cname: String, to out: inout [UInt8]) {
        let text = Array(cname.utf8.prefix(255))
        let itemBytes = 4 + 2 + text.count + 1
        let padded = (itemBytes + 3) & ~3
        out.append(0x81); out.append(typeSDES)
        let sdesWords = padded / 4
        out.append(UInt8(sdesWords >> 8)); out.append(UInt8(sdesWords & 0xFF))
        RTPPacket.append(ssrc, to: &out)
        out.append(1); out.append(UInt8(text.count)); out.append(contentsOf: text)
        out.append(contentsOf: repeatElement(0, count: padded - itemBytes + 1))
    }

    /// Appends a sender report with no report blocks (for tests and for Sluice's RTSP server), and an SDES CNAME
    /// when `cname` is given (receivers pair the tracks of one sender by it for lip sync; RFC 3550 6.1).
    public static func appendSenderReport(_ report: SenderReport, cname: String? = nil, to out: inout [UInt8]) {
        out.append(0x80); out.append(typeSR); out.append(0); out.append(6)
        RTPPacket.append(report.ssrc, to: &out)
        RTPPacket.append(UInt32(truncatingIfNeeded: report.ntpTimestamp >> 32), to: &out)
        RTPPacket.append(UInt32(truncatingIfNeeded: report.ntpTimestamp), to: &out)
        RTPPacket.append(report.rtpTimestamp, to: &out)
        RTPPacket.append(report.packetCount, to: &out)
        RTPPacket.append(report.octetCount, to: &out)
        if let cname { appendSourceDescription(ssrc: report.ssrc, cname: cname, to: &out) }
    }
}
