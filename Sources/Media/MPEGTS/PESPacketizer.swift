/// Writes PES packets (ISO/IEC 13818-1 2.4.3.6) as transport stream packets, straight into the caller's buffer.
///
/// The muxer builds each PES in one reusable buffer: `headerSize` bytes reserved at its start, then the
/// elementary stream data, then `writeHeader` fills the reserved bytes. `writePackets` cuts it into TS packets:
/// the first one starts the unit and carries the adaptation fields asked for (PCR, random access,
/// discontinuity); the last one is padded with adaptation-field stuffing, so that every payload byte is PES.
/// No allocation beyond the growth of `out`.
enum PESPacketizer {
    /// What the adaptation field of a PES's first packet says.
    struct FirstPacket: Sendable {
        /// program_clock_reference base (90 kHz, reduced mod 2^33 here); its extension is 0.
        var pcr: Int64?
        var randomAccess = false
        var discontinuity = false

        /// Bytes of adaptation field these fields take (length byte included), before any stuffing.
        @inline(__always)
        var adaptationSize: Int { pcr != nil ? 8 : (randomAccess || discontinuity ? 2 : 0) }

        @inline(__always)
        var adaptationFlags: UInt8 {
            (discontinuity ? 0x80 : 0) | (randomAccess ? 0x40 : 0) | (pcr != nil ? 0x10 : 0)
        }
    }

    /// Timestamps in PES headers and PCRs are 33 bits; unwrapped values (even negative ones) reduce mod 2^33.
    static let timestampMask: Int64 = MediaTime.wrap33 - 1

    /// Bytes of PES header with PTS only, or with PTS and DTS.
    @inline(__always)
    static func headerSize(hasDTS: Bool) -> Int { hasDTS ? 19 : 14 }

    /// Fills the first `headerSize(hasDTS: dts != nil)` bytes of `pes`, which holds the whole PES.
    /// PES_packet_length is 0 (unbounded) when `unbounded` is set (video) or the PES is too long for 16 bits.
    static func writeHeader(into pes: inout [UInt8], streamID: UInt8, pts: Int64, dts: Int64?, unbounded: Bool) {
        let length = pes.count - 6
        let packetLength = unbounded || length > 0xFFFF ? 0 : length
        pes.withUnsafeMutableBufferPointer { p in
            p[0] = 0; p[1] = 0; p[2] = 1; p[3] = streamID
            p[4] = UInt8(packetLength >> 8); p[5] = UInt8(packetLength & 0xFF)
            p[6] = 0x84  // '10' marker, data_alignment_indicator: every PES starts an access unit
            if let dts {
                p[7] = 0xC0; p[8] = 10
                writeTimestamp(pts, prefix: 0x3, at: 9, in: p)
                writeTimestamp(dts, prefix: 0x1, at: 14, in: p)
            } else {
                p[7] = 0x80; p[8] = 5
                writeTimestamp(pts, prefix: 0x2, at: 9, in: p)
            }
        }
    }

    @inline(__always)
    private static func writeTimestamp(_ value: Int64, prefix: UInt8, at i: Int, in p: UnsafeMutableBufferPointer<UInt8>) {
        let t = UInt64(value & timestampMask)
        p[i] = prefix << 4 | UInt8((t >> 29) & 0x0E) | 1
        p[i + 1] = UInt8((t >> 22) & 0xFF)
        p[i + 2] = UInt8((t >> 14) & 0xFE) | 1
        p[i + 3] = UInt8((t >> 7) & 0xFF)
        p[i + 4] = UInt8((t << 1) & 0xFE) | 1
    }

    /// Appends `pes` to `out` as TS packets on `pid`.
    ///
    /// `closingCounter`: spread the PES over as many more packets as it takes for the PID's continuity counter to
    /// end at 15, so that a muxer that starts again at 0 continues it (HLS segments, see `TSMuxer`). The extra
    /// packets come at the end of the PES, each with at least one byte of it and adaptation-field stuffing for the
    /// rest; at most 15 more. A PES shorter than the packets that takes (under 16 bytes, which the muxer never
    /// writes) ends where it must, short of 15.
    static func writePackets(_ pes: UnsafeRawBufferPointer, pid: Int, first: FirstPacket, closingCounter: Bool = false,
                             counters: inout ContinuityCounters, into out: inout [UInt8]) {
        let capacity = TSPacket.payloadCapacity
        let firstAdaptation = first.adaptationSize
        let firstPayload = capacity - firstAdaptation
        var count = pes.count <= firstPayload ? 1 : 1 + (pes.count - firstPayload + capacity - 1) / capacity
        if closingCounter {
            let extra = (16 - (Int(counters.peek(pid)) + count) % 16) % 16
            count = min(count + extra, max(pes.count, 1))
        }
        let start = out.count
        // Pre-filled with 0xFF: the stuffing bytes; everything else is overwritten.
        out.append(contentsOf: repeatElement(0xFF, count: count * TSPacket.size))
        out.withUnsafeMutableBytes { buffer in
            guard var p = buffer.baseAddress?.advanced(by: start).assumingMemoryBound(to: UInt8.self) else { return }
            var offset = 0
            for i in 0..<count {
                let adaptation = i == 0 ? firstAdaptation : 0
                // Full packets while the rest still leaves a byte for each packet after this one.
                let n = min(pes.count - offset - (count - 1 - i), capacity - adaptation)
                let adaptationTotal = capacity - n
                p[0] = TSPacket.syncByte
                p[1] = (i == 0 ? 0x40 : 0) | UInt8(pid >> 8)
                p[2] = UInt8(pid & 0xFF)
                p[3] = (adaptationTotal > 0 ? 0x30 : 0x10) | counters.next(pid)
                if adaptationTotal > 0 {
                    p[4] = UInt8(adaptationTotal - 1)
                    if adaptationTotal > 1 {
                        p[5] = i == 0 ? first.adaptationFlags : 0
                        if i == 0, let pcr = first.pcr { writePCR(pcr, at: p + 6) }
                    }
                }
                if n > 0, let source = pes.baseAddress {
                    (p + TSPacket.headerSize + adaptationTotal).update(
                        from: source.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: n)
                }
                offset += n
                p += TSPacket.size
            }
        }
    }

    /// Appends a packet with only an adaptation field carrying a PCR, on the PCR PID between PES packets.
    static func writePCROnly(_ pcr: Int64, pid: Int, discontinuity: Bool, counters: ContinuityCounters, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0xFF, count: TSPacket.size))
        out.withUnsafeMutableBytes { buffer in
            guard let p = buffer.baseAddress?.advanced(by: start).assumingMemoryBound(to: UInt8.self) else { return }
            p[0] = TSPacket.syncByte
            p[1] = UInt8(pid >> 8)
            p[2] = UInt8(pid & 0xFF)
            // No payload: the continuity counter does not advance.
            p[3] = 0x20 | counters.current(pid)
            p[4] = UInt8(TSPacket.payloadCapacity - 1)
            p[5] = (discontinuity ? 0x80 : 0) | 0x10
            writePCR(pcr, at: p + 6)
        }
    }

    /// program_clock_reference: 33-bit base, 6 reserved bits, 9-bit extension (0).
    @inline(__always)
    private static func writePCR(_ pcr: Int64, at p: UnsafeMutablePointer<UInt8>) {
        let base = UInt64(pcr & timestampMask)
        p[0] = UInt8(base >> 25)
        p[1] = UInt8((base >> 17) & 0xFF)
        p[2] = UInt8((base >> 9) & 0xFF)
        p[3] = UInt8((base >> 1) & 0xFF)
        p[4] = UInt8((base & 1) << 7) | 0x7E
        p[5] = 0
    }
}
