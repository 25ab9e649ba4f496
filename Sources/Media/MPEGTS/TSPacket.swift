/// The 188-byte MPEG-TS packet (ISO/IEC 13818-1 2.4.3): its constants and a read-only view of its header and
/// adaptation field. Shared by the demuxer and the muxer.
public enum TSPacket {
    public static let size = 188
    public static let syncByte: UInt8 = 0x47

    /// Program association table.
    public static let patPID = 0x0000
    /// DVB service description table.
    public static let sdtPID = 0x0011
    /// Stuffing packets, skipped by demuxers.
    public static let nullPID = 0x1FFF
    /// PIDs are 13 bits.
    public static let pidCount = 0x2000

    /// PSI table ids.
    public static let patTableID: UInt8 = 0x00
    public static let pmtTableID: UInt8 = 0x02
    /// SDT describing the actual transport stream (0x46 describes other ones).
    public static let sdtTableID: UInt8 = 0x42

    /// The 27 MHz PCR counts 300 ticks per 90 kHz tick.
    public static let pcrTicksPer90kHz: Int64 = 300
}

/// The fixed 4-byte header of a TS packet and, when present, the fields of its adaptation field that a
/// demuxer uses. Parsing never reads outside the 188 bytes and never allocates.
public struct TSPacketHeader: Hashable, Sendable {
    public var transportError: Bool
    public var payloadUnitStart: Bool
    public var pid: Int
    /// adaptation_field_control bit 1: the packet has an adaptation field.
    public var hasAdaptationField: Bool
    /// adaptation_field_control bit 0: the packet carries payload.
    public var hasPayload: Bool
    public var continuityCounter: UInt8
    /// discontinuity_indicator: the continuity counter (and, on the PCR PID, the time base) may jump here.
    public var discontinuity: Bool
    /// program_clock_reference as its 33-bit base (90 kHz) and 9-bit extension (27 MHz remainder).
    public var pcrBase: Int64?
    public var pcrExtension: Int64
    /// Offset of the payload in the packet; equals `TSPacket.size` when there is none.
    public var payloadOffset: Int

    /// Reads the header of `packet`, which must be `TSPacket.size` bytes starting with the sync byte.
    /// Returns nil when the adaptation field length runs past the packet or adaptation_field_control is the
    /// reserved value 0.
    @inline(__always)
    public init?(_ packet: UnsafeRawBufferPointer) {
        guard packet.count == TSPacket.size else { return nil }
        let b1 = packet[1], b3 = packet[3]
        transportError = b1 & 0x80 != 0
        payloadUnitStart = b1 & 0x40 != 0
        pid = Int(b1 & 0x1F) << 8 | Int(packet[2])
        let control = (b3 >> 4) & 3
        guard control != 0 else { return nil }
        hasAdaptationField = control & 2 != 0
        hasPayload = control & 1 != 0
        continuityCounter = b3 & 0x0F
        discontinuity = false
        pcrBase = nil
        pcrExtension = 0
        payloadOffset = 4
        guard hasAdaptationField else { return }
        let length = Int(packet[4])
        // With payload the field holds at most 182 bytes, without it exactly 183.
        guard length <= (hasPayload ? 182 : 183) else { return nil }
        payloadOffset = 5 + length
        guard length > 0 else { return }
        let flags = packet[5]
        discontinuity = flags & 0x80 != 0
        if flags & 0x10 != 0 && length >= 7 {
            var base: Int64 = 0
            for i in 6..<10 { base = base << 8 | Int64(packet[i]) }
            base = base << 1 | Int64(packet[10] >> 7)
            pcrBase = base
            pcrExtension = Int64(packet[10] & 1) << 8 | Int64(packet[11])
        }
    }
}
