/// The body of the DVB Service Description Table (ETSI EN 300 468 5.2.3) for the actual transport stream: one
/// service, running, with a service descriptor (0x48) that names its provider and itself. Players show these
/// names (ffprobe: `service_provider`, `service_name`).
enum SDTWriter {
    /// original_network_id (ffmpeg's default).
    static let originalNetworkID = 0xFF01
    /// service_type 0x01: digital television service.
    static let serviceType: UInt8 = 0x01

    /// Throws when the names do not fit the descriptor's one-byte length.
    static func body(serviceID: Int, provider: String, serviceName: String) throws -> [UInt8] {
        let providerBytes = dvbString(provider)
        let nameBytes = dvbString(serviceName)
        let length = 3 + providerBytes.count + nameBytes.count
        guard length <= 255 else {
            throw MediaError("SDT service descriptor", "provider and service name take \(length - 3) bytes, over 252")
        }
        let descriptor: [UInt8] = [0x48, UInt8(length), serviceType, UInt8(providerBytes.count)] + providerBytes
            + [UInt8(nameBytes.count)] + nameBytes
        return [UInt8(originalNetworkID >> 8), UInt8(originalNetworkID & 0xFF), 0xFF,
                UInt8(truncatingIfNeeded: serviceID >> 8), UInt8(truncatingIfNeeded: serviceID),
                0xFC,  // no EIT schedule, no EIT present/following
                0x80 | UInt8(descriptor.count >> 8), UInt8(descriptor.count & 0xFF)] + descriptor
    }

    /// A DVB text field (EN 300 468 annex A): plain ASCII as it is; anything else as UTF-8 behind the 0x15
    /// character-table selector.
    static func dvbString(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) || (bytes.first.map { $0 < 0x20 } ?? false) {
            bytes.insert(0x15, at: 0)
        }
        return bytes
    }
}
