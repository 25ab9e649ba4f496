/// The packet geometry the muxer fills (ISO/IEC 13818-1 2.4.3.2).
extension TSPacket {
    static let headerSize = 4
    /// Bytes after the 4-byte header, shared by the adaptation field and the payload.
    static let payloadCapacity = size - headerSize
}
