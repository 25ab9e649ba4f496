/// The fixed shape of a transport stream packet, as the muxer writes it (ISO/IEC 13818-1 2.4.3.2).
enum TSPacketLayout {
    static let size = 188
    static let syncByte: UInt8 = 0x47
    static let headerSize = 4
    /// Bytes after the 4-byte header, shared by the adaptation field and the payload.
    static let payloadCapacity = 184
}
