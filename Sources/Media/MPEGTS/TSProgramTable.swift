/// The programs of a multiplex, kept current from its PAT, PMT and SDT sections, and the choice of the
/// elementary streams to demux (`program=`, `pids=`).
///
/// A table is applied when its section differs from the last one seen for its PID, table and section number,
/// so a new version (or a muxer that changes a table without bumping the version) takes effect, and repeats
/// cost one comparison. Sections marked "next" (current_next_indicator 0) are ignored.
public struct TSProgramTable: Sendable {
    public private(set) var programs: [TSProgram] = []

    /// The last section applied, by PID << 16 | table_id << 8 | section_number.
    private var lastSections: [Int: [UInt8]] = [:]
    /// The PAT's sections by section_number, until all of 0...last_section_number are in.
    private var patParts: [Int: [(number: Int, pmtPID: Int)]] = [:]
    private var patVersion = -1
    /// Service names from the SDT, kept for programs the PAT has not announced yet.
    private var services: [Int: PSIParser.SDT.Service] = [:]

    public init() {}

    /// The PIDs carrying PSI the table needs: the PAT, the SDT and every program's PMT.
    public var psiPIDs: [Int] {
        var pids = [TSPacket.patPID, TSPacket.sdtPID]
        for p in programs where !pids.contains(p.pmtPID) { pids.append(p.pmtPID) }
        return pids
    }

    /// Applies one section read on `pid`. Returns true when the programs' streams changed (the track table
    /// must be reconciled). Throws on a malformed table, leaving the programs as they were.
    public mutating func apply(section: UnsafeRawBufferPointer, pid: Int) throws -> Bool {
        guard section.count >= 8 else { throw MediaError("PSI section", "\(section.count) bytes on PID \(pid)") }
        let key = pid << 16 | Int(section[0]) << 8 | Int(section[6])
        // A repeated section (every PAT and PMT, several times a second) is compared as bytes, not as sequences:
        // `elementsEqual` of an array and a buffer cost 16 instructions a byte.
        if let last = lastSections[key], last.count == section.count,
           last.withUnsafeBytes({ $0.elementsEqual(section) }) { return false }
        let changed: Bool
        switch (pid, section[0]) {
        case (TSPacket.patPID, TSPacket.patTableID):
            changed = try applyPAT(PSIParser.pat(section))
        case (TSPacket.sdtPID, TSPacket.sdtTableID):
            try applySDT(PSIParser.sdt(section))
            changed = false
        case (_, TSPacket.pmtTableID):
            changed = try applyPMT(PSIParser.pmt(section), pid: pid)
        default:
            return false
        }
        lastSections[key] = Array(section)
        return changed
    }

    /// The streams to demux, in order: those of `options.program` (default: the first program of the PAT;
    /// every program when only `pids` is given), restricted to `options.pids`, that Sluice can read.
    public func selectedStreams(_ options: TSDemuxer.Options) -> [TSElementaryStream] {
        let chosen: ArraySlice<TSProgram>
        if let number = options.program {
            chosen = programs.filter { $0.number == number }[...]
        } else if options.pids != nil {
            chosen = programs[...]
        } else {
            chosen = programs.prefix(1)
        }
        var streams: [TSElementaryStream] = []
        for program in chosen {
            for s in program.streams where s.codec != nil && (options.pids?.contains(s.pid) ?? true) {
                if !streams.contains(where: { $0.pid == s.pid }) { streams.append(s) }
            }
        }
        return streams
    }

    /// Records which track each stream feeds (nil for those not demuxed), for `programs`.
    public mutating func setTrackIDs(_ ids: [Int: Int]) {
        for p in programs.indices {
            for s in programs[p].streams.indices { programs[p].streams[s].trackID = ids[programs[p].streams[s].pid] }
        }
    }

    private mutating func applyPAT(_ pat: PSIParser.PAT) throws -> Bool {
        guard pat.header.isCurrent else { return false }
        if pat.header.version != patVersion || pat.header.lastSectionNumber < patParts.keys.max() ?? 0 {
            patParts = [:]
            patVersion = pat.header.version
        }
        patParts[pat.header.sectionNumber] = pat.programs
        let count = pat.header.lastSectionNumber + 1
        guard (0..<count).allSatisfy({ patParts[$0] != nil }) else { return false }
        var updated: [TSProgram] = []
        for n in 0..<count {
            for entry in patParts[n] ?? [] where !updated.contains(where: { $0.number == entry.number }) {
                if let old = programs.first(where: { $0.number == entry.number && $0.pmtPID == entry.pmtPID }) {
                    updated.append(old)
                } else {
                    let service = services[entry.number]
                    updated.append(TSProgram(number: entry.number, pmtPID: entry.pmtPID, name: service?.name,
                                             provider: service?.provider))
                    // A program that moved to another PMT PID must have its PMT read again.
                    lastSections = lastSections.filter { $0.key >> 16 != entry.pmtPID }
                }
            }
        }
        let changed = updated != programs
        programs = updated
        return changed
    }

    private mutating func applyPMT(_ pmt: PSIParser.PMT, pid: Int) throws -> Bool {
        guard pmt.header.isCurrent else { return false }
        guard let index = programs.firstIndex(where: { $0.number == pmt.programNumber && $0.pmtPID == pid }) else {
            return false
        }
        var streams = pmt.streams
        for s in streams.indices {
            streams[s].trackID = programs[index].streams.first { $0.pid == streams[s].pid }?.trackID
        }
        let changed = programs[index].pcrPID != pmt.pcrPID || programs[index].streams != streams
        programs[index].pcrPID = pmt.pcrPID
        programs[index].streams = streams
        return changed
    }

    private mutating func applySDT(_ sdt: PSIParser.SDT) throws {
        guard sdt.header.isCurrent else { return }
        for service in sdt.services {
            services[service.id] = service
            for p in programs.indices where programs[p].number == service.id {
                programs[p].name = service.name
                programs[p].provider = service.provider
            }
        }
    }
}
