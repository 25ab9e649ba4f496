/// Reads the PSI and DVB SI tables the demuxer needs from whole, CRC-checked sections
/// (`PSISectionAssembler`): PAT and PMT (ISO/IEC 13818-1 2.4.4), SDT (ETSI EN 300 468 5.2.3).
/// Every length is checked against the section; a malformed section throws naming the table and the field.
public enum PSIParser {
    /// The fields common to sections with the long syntax.
    public struct SectionHeader: Hashable, Sendable {
        public var tableID: UInt8
        /// transport_stream_id (PAT), program_number (PMT), transport_stream_id (SDT).
        public var tableIDExtension: Int
        public var version: Int
        /// current_next_indicator: false for a table announced but not yet in force.
        public var isCurrent: Bool
        public var sectionNumber: Int
        public var lastSectionNumber: Int
    }

    public struct PAT: Sendable {
        public var header: SectionHeader
        /// (program_number, PMT PID) in section order; program 0 (the network PID) left out.
        public var programs: [(number: Int, pmtPID: Int)]
    }

    public struct PMT: Sendable {
        public var header: SectionHeader
        public var programNumber: Int { header.tableIDExtension }
        public var pcrPID: Int
        public var streams: [TSElementaryStream]
    }

    public struct SDT: Sendable {
        public struct Service: Hashable, Sendable {
            public var id: Int
            public var name: String?
            public var provider: String?
        }

        public var header: SectionHeader
        public var services: [Service]
    }

    public static func header(_ s: UnsafeRawBufferPointer, table: String) throws -> SectionHeader {
        guard s.count >= 12 else { throw MediaError(table, "section of \(s.count) bytes is too short") }
        guard s[1] & 0x80 != 0 else { throw MediaError(table, "section_syntax_indicator is 0") }
        return SectionHeader(tableID: s[0], tableIDExtension: Int(s[3]) << 8 | Int(s[4]), version: Int(s[5] >> 1) & 0x1F,
                             isCurrent: s[5] & 1 != 0, sectionNumber: Int(s[6]), lastSectionNumber: Int(s[7]))
    }

    public static func pat(_ s: UnsafeRawBufferPointer) throws -> PAT {
        let h = try header(s, table: "PAT")
        guard h.tableID == TSPacket.patTableID else { throw MediaError("PAT", "table_id 0x\(String(h.tableID, radix: 16))") }
        let end = s.count - 4
        guard (end - 8) % 4 == 0 else { throw MediaError("PAT", "program loop of \(end - 8) bytes is not a multiple of 4") }
        var programs: [(number: Int, pmtPID: Int)] = []
        var i = 8
        while i < end {
            let number = Int(s[i]) << 8 | Int(s[i + 1])
            let pid = Int(s[i + 2] & 0x1F) << 8 | Int(s[i + 3])
            if number != 0 { programs.append((number, pid)) }
            i += 4
        }
        return PAT(header: h, programs: programs)
    }

    public static func pmt(_ s: UnsafeRawBufferPointer) throws -> PMT {
        let h = try header(s, table: "PMT")
        guard h.tableID == TSPacket.pmtTableID else { throw MediaError("PMT", "table_id 0x\(String(h.tableID, radix: 16))") }
        let end = s.count - 4
        let pcrPID = Int(s[8] & 0x1F) << 8 | Int(s[9])
        let infoLength = Int(s[10] & 0x0F) << 8 | Int(s[11])
        var i = 12 + infoLength
        guard i <= end else { throw MediaError("PMT", "program_info_length \(infoLength) past the end of the section") }
        var streams: [TSElementaryStream] = []
        while i < end {
            guard i + 5 <= end else { throw MediaError("PMT", "truncated elementary stream entry at byte \(i)") }
            let type = Int(s[i])
            let pid = Int(s[i + 1] & 0x1F) << 8 | Int(s[i + 2])
            let esInfoLength = Int(s[i + 3] & 0x0F) << 8 | Int(s[i + 4])
            let descriptors = i + 5
            i = descriptors + esInfoLength
            guard i <= end else {
                throw MediaError("PMT", "ES_info_length \(esInfoLength) of PID \(pid) past the end of the section")
            }
            var language: String?
            var hasAC3 = false, hasEAC3 = false
            try forEachDescriptor(UnsafeRawBufferPointer(rebasing: s[descriptors..<i]), table: "PMT") { tag, body in
                switch tag {
                case 0x0A where body.count >= 3: language = latin1(UnsafeRawBufferPointer(rebasing: body[0..<3]))
                case 0x6A: hasAC3 = true
                case 0x7A: hasEAC3 = true
                default: break
                }
            }
            let codec = codec(streamType: type, hasAC3: hasAC3, hasEAC3: hasEAC3)
            streams.append(TSElementaryStream(pid: pid, streamType: type, codec: codec, language: language))
        }
        return PMT(header: h, pcrPID: pcrPID, streams: streams)
    }

    public static func sdt(_ s: UnsafeRawBufferPointer) throws -> SDT {
        let h = try header(s, table: "SDT")
        guard h.tableID == TSPacket.sdtTableID else { throw MediaError("SDT", "table_id 0x\(String(h.tableID, radix: 16))") }
        let end = s.count - 4
        var i = 11  // after original_network_id and a reserved byte
        var services: [SDT.Service] = []
        while i < end {
            guard i + 5 <= end else { throw MediaError("SDT", "truncated service entry at byte \(i)") }
            let id = Int(s[i]) << 8 | Int(s[i + 1])
            let loopLength = Int(s[i + 3] & 0x0F) << 8 | Int(s[i + 4])
            let descriptors = i + 5
            i = descriptors + loopLength
            guard i <= end else { throw MediaError("SDT", "descriptors_loop_length \(loopLength) of service \(id) past the end") }
            var service = SDT.Service(id: id)
            try forEachDescriptor(UnsafeRawBufferPointer(rebasing: s[descriptors..<i]), table: "SDT") { tag, body in
                guard tag == 0x48, body.count >= 2 else { return }
                let providerLength = Int(body[1])
                guard 2 + providerLength < body.count else { return }
                let nameLength = Int(body[2 + providerLength])
                guard 3 + providerLength + nameLength <= body.count else { return }
                service.provider = dvbText(UnsafeRawBufferPointer(rebasing: body[2..<(2 + providerLength)]))
                service.name = dvbText(UnsafeRawBufferPointer(rebasing: body[(3 + providerLength)..<(3 + providerLength + nameLength)]))
            }
            services.append(service)
        }
        return SDT(header: h, services: services)
    }

    /// The codec of a PMT stream_type (with the DVB AC-3 / E-AC-3 descriptors for private data, type 0x06).
    public static func codec(streamType: Int, hasAC3: Bool, hasEAC3: Bool) -> Codec? {
        switch streamType {
        case 0x1B: return .h264
        case 0x24: return .h265
        case 0x0F: return .aac
        case 0x03, 0x04: return .mp2
        case 0x81: return .ac3
        case 0x87: return .eac3
        case 0x06: return hasEAC3 ? .eac3 : hasAC3 ? .ac3 : nil
        default: return nil
        }
    }

    private static func forEachDescriptor(_ loop: UnsafeRawBufferPointer, table: String,
                                          _ body: (UInt8, UnsafeRawBufferPointer) -> Void) throws {
        var i = 0
        while i < loop.count {
            guard i + 2 <= loop.count else { throw MediaError(table, "truncated descriptor header at byte \(i) of a loop") }
            let length = Int(loop[i + 1])
            guard i + 2 + length <= loop.count else {
                throw MediaError(table, "descriptor 0x\(String(loop[i], radix: 16)) of length \(length) past the end of its loop")
            }
            body(loop[i], UnsafeRawBufferPointer(rebasing: loop[(i + 2)..<(i + 2 + length)]))
            i += 2 + length
        }
    }

    /// DVB text (EN 300 468 annex A): an optional leading character table selector, then the text. UTF-8
    /// (selector 0x15) is decoded as such; the other tables are read as Latin-1, right for ASCII names.
    static func dvbText(_ b: UnsafeRawBufferPointer) -> String {
        guard let first = b.first, first < 0x20 else { return latin1(b) }
        let skip = first == 0x10 ? 3 : first == 0x1F ? 2 : 1
        let text = UnsafeRawBufferPointer(rebasing: b[min(skip, b.count)...])
        return first == 0x15 ? String(decoding: text, as: UTF8.self) : latin1(text)
    }

    private static func latin1(_ b: UnsafeRawBufferPointer) -> String {
        String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) }))
    }
}
