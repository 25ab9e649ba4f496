/// One PSI table of an output stream (PAT, PMT or SDT) as ready-made TS packets, rebuilt only when its content
/// changes, with the version_number bumped (mod 32) each time it does.
///
/// The table is one long-form section (ISO/IEC 13818-1 2.4.4): the 8-byte header, the body the caller gives, and
/// CRC-32/MPEG-2. Its packets are stored with continuity counter 0; `emit` appends them with the PID's counter.
/// A section is at most 1024 bytes: `update` throws on a longer body, naming the table.
struct PSITable: Sendable {
    let name: String
    let pid: Int
    let tableID: UInt8
    /// The bit after section_syntax_indicator: '0' in PAT/PMT, reserved_future_use '1' in DVB tables.
    let privateIndicator: Bool
    private(set) var version: Int = 0
    private(set) var body: [UInt8]? = nil
    private(set) var packets: [UInt8] = []

    static let maxSectionLength = 1021

    init(name: String, pid: Int, tableID: UInt8, privateIndicator: Bool = false) {
        self.name = name
        self.pid = pid
        self.tableID = tableID
        self.privateIndicator = privateIndicator
    }

    /// Sets the table's content: `idExtension` (transport_stream_id, program_number...) and the bytes after
    /// last_section_number. Bumps the version when it differs from the previous content.
    mutating func update(idExtension: Int, body newBody: [UInt8]) throws {
        var content = [UInt8(truncatingIfNeeded: idExtension >> 8), UInt8(truncatingIfNeeded: idExtension)]
        content += newBody
        if content == body { return }
        let sectionLength = 5 + newBody.count + 4
        guard sectionLength <= Self.maxSectionLength else {
            throw MediaError(name, "section of \(sectionLength) bytes, over the \(Self.maxSectionLength) allowed (too many tracks or too long names)")
        }
        if body != nil { version = (version + 1) & 0x1F }
        body = content
        var section: [UInt8] = [
            tableID,
            0x80 | (privateIndicator ? 0x40 : 0) | 0x30 | UInt8(sectionLength >> 8), UInt8(sectionLength & 0xFF),
            content[0], content[1],
            0xC0 | UInt8(version << 1) | 0x01,
            0, 0,
        ]
        section += newBody
        let crc = CRC32MPEG2.checksum(section)
        section += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        packets = Self.packetize(section, pid: pid)
    }

    /// The section after a pointer_field of 0, cut into packets padded with 0xFF (as PSI is).
    private static func packetize(_ section: [UInt8], pid: Int) -> [UInt8] {
        let payload = [0] + section
        var out: [UInt8] = []
        var offset = 0
        while offset < payload.count {
            let n = min(TSPacket.payloadCapacity, payload.count - offset)
            out += [TSPacket.syncByte, (offset == 0 ? 0x40 : 0) | UInt8(pid >> 8), UInt8(pid & 0xFF), 0x10]
            out += payload[offset..<(offset + n)]
            out += repeatElement(0xFF, count: TSPacket.payloadCapacity - n)
            offset += n
        }
        return out
    }

    /// Appends the table's packets, continuing the PID's continuity counter.
    func emit(into out: inout [UInt8], counters: inout ContinuityCounters) {
        let start = out.count
        out.append(contentsOf: packets)
        out.withUnsafeMutableBufferPointer { buffer in
            var i = start + 3
            while i < buffer.count {
                buffer[i] = 0x10 | counters.next(pid)
                i += TSPacket.size
            }
        }
    }
}
