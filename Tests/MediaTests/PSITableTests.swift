import Testing
@testable import Media

@Suite struct PSITableTests {
    private func table(_ name: String, pid: Int, tableID: UInt8, idExtension: Int, body: [UInt8]) throws -> PSITable {
        var t = PSITable(name: name, pid: pid, tableID: tableID)
        try t.update(idExtension: idExtension, body: body)
        return t
    }

    private func section(of t: PSITable) throws -> [UInt8] {
        var out: [UInt8] = []
        var counters = ContinuityCounters()
        t.emit(into: &out, counters: &counters)
        return try #require(try TSTestReader(out).sections(t.pid).first)
    }

    @Test func patIsByteForByteFFmpegs() throws {
        let pat = try table("PAT", pid: 0, tableID: TSPacket.patTableID, idExtension: 1,
                            body: PATWriter.body(programNumber: 1, pmtPID: 0x1000))
        #expect(try section(of: pat) == [0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x00,
                                         0x2A, 0xB1, 0x04, 0xB2])
        #expect(pat.packets.count == 188)
    }

    @Test func pmtFields() throws {
        let entries = [
            PMTWriter.Entry(type: TSStreamType(track: Track(id: 1, codec: .h264))!, pid: 0x100),
            PMTWriter.Entry(type: TSStreamType(track: Track(id: 2, codec: .ac3))!, pid: 0x101, language: "eng"),
        ]
        let pmt = try table("PMT", pid: 0x1000, tableID: TSPacket.pmtTableID, idExtension: 10,
                            body: PMTWriter.body(pcrPID: 0x100, entries: entries))
        let s = try section(of: pmt)
        #expect(s[0] == 0x02)
        #expect(Int(s[3]) << 8 | Int(s[4]) == 10)  // program_number
        #expect(Int(s[8] & 0x1F) << 8 | Int(s[9]) == 0x100)  // PCR_PID
        #expect(s[10] == 0xF0 && s[11] == 0)  // no program info
        #expect(Array(s[12..<17]) == [0x1B, 0xE1, 0x00, 0xF0, 0x00])
        #expect(Array(s[17..<22]) == [0x81, 0xE1, 0x01, 0xF0, 12])
        #expect(Array(s[22..<34]) == [0x05, 4] + Array("AC-3".utf8) + [0x0A, 4] + Array("eng".utf8) + [0])
        #expect(s.count == 34 + 4)
    }

    @Test func streamTypes() {
        func type(_ codec: Codec, rate: Int = 48000) -> UInt8? {
            var track = Track(id: 1, codec: codec)
            track.sampleRate = rate
            return TSStreamType(track: track)?.streamType
        }
        #expect(type(.h264) == 0x1B && type(.h265) == 0x24 && type(.aac) == 0x0F)
        #expect(type(.mp2) == 0x03 && type(.mp3, rate: 44100) == 0x03 && type(.mp3, rate: 0) == 0x03)
        #expect(type(.mp2, rate: 24000) == 0x04 && type(.mp3, rate: 16000) == 0x04)
        #expect(type(.ac3) == 0x81 && type(.eac3) == 0x87)
        #expect(type(.pcma) == nil && type(.pcmu) == nil)
        #expect(TSStreamType(track: Track(id: 1, codec: .eac3))?.registration == Array("EAC3".utf8))
    }

    @Test func sdtNamesTheProviderAndService() throws {
        var sdt = PSITable(name: "SDT", pid: 0x11, tableID: TSPacket.sdtTableID, privateIndicator: true)
        try sdt.update(idExtension: 1, body: SDTWriter.body(serviceID: 7, provider: "Flussonic", serviceName: "Sport"))
        let s = try section(of: sdt)
        #expect(s[0] == 0x42 && s[1] & 0xF0 == 0xF0)
        #expect(Int(s[11]) << 8 | Int(s[12]) == 7)  // service_id
        #expect(s[14] >> 5 == 4)  // running
        let descriptor = Array(s[16..<(s.count - 4)])
        #expect(descriptor == [0x48, 3 + 9 + 5, 0x01, 9] + Array("Flussonic".utf8) + [5] + Array("Sport".utf8))
    }

    @Test func sdtStringsAreDVBText() throws {
        #expect(SDTWriter.dvbString("ABC") == [0x41, 0x42, 0x43])
        #expect(SDTWriter.dvbString("Télé") == [0x15] + Array("Télé".utf8))
        #expect(throws: MediaError.self) {
            try SDTWriter.body(serviceID: 1, provider: String(repeating: "p", count: 200), serviceName: String(repeating: "n", count: 60))
        }
    }

    @Test func versionBumpsOnlyWhenContentChanges() throws {
        var pmt = PSITable(name: "PMT", pid: 0x1000, tableID: TSPacket.pmtTableID)
        try pmt.update(idExtension: 1, body: [0xE1, 0x00, 0xF0, 0x00])
        #expect(pmt.version == 0)
        try pmt.update(idExtension: 1, body: [0xE1, 0x00, 0xF0, 0x00])
        #expect(pmt.version == 0)
        for i in 1...33 {
            try pmt.update(idExtension: 1, body: [0xE1, UInt8(i), 0xF0, 0x00])
            #expect(pmt.version == i % 32)
            #expect(try section(of: pmt)[5] == 0xC1 | UInt8(i % 32) << 1)
        }
    }

    @Test func longSectionsSpanPacketsAndTooLongOnesThrow() throws {
        let entries = (0..<30).map { i in
            PMTWriter.Entry(type: TSStreamType(track: Track(id: i + 1, codec: .ac3))!, pid: 0x100 + i, language: "fra")
        }
        let pmt = try table("PMT", pid: 0x1000, tableID: TSPacket.pmtTableID, idExtension: 1, body: PMTWriter.body(pcrPID: 0x100, entries: entries))
        #expect(pmt.packets.count == 3 * 188)
        let s = try section(of: pmt)
        #expect(s.count == 12 + 30 * 17 + 4)
        let many = (0..<70).map { i in
            PMTWriter.Entry(type: TSStreamType(track: Track(id: i + 1, codec: .ac3))!, pid: 0x100 + i, language: "fra")
        }
        #expect(throws: MediaError.self) {
            try table("PMT", pid: 0x1000, tableID: TSPacket.pmtTableID, idExtension: 1, body: PMTWriter.body(pcrPID: 0x100, entries: many))
        }
    }
}
