import Testing
@testable import Media

@Suite struct UDPTransportStreamTests {
    private func range(_ bytes: [UInt8]) -> Range<Int> { bytes.withUnsafeBytes { UDPTransportStream.payloadRange($0) } }

    @Test func bareTransportStreamIsWhole() {
        let ts = [UInt8](repeating: 0x47, count: 188)
        #expect(range(ts) == 0..<188)
    }

    @Test func rtpHeaderIsSkipped() {
        let rtp: [UInt8] = [0x80, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(range(rtp + [0x47] + [UInt8](repeating: 0, count: 187)) == 12..<200)
    }

    @Test func rtpWithCSRCExtensionAndPadding() {
        // V=2, P=1, X=1, CC=1; one CSRC; extension of 1 word; 4 bytes of padding.
        let header: [UInt8] = [0xB1, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 9, 0xBE, 0xDE, 0, 1, 5, 5, 5, 5]
        let ts: [UInt8] = [0x47] + [UInt8](repeating: 0, count: 187)
        #expect(range(header + ts + [0, 0, 0, 4]) == 24..<212)
    }

    @Test func garbageIsLeftToTheDemuxer() {
        #expect(range([0x80, 1, 2]) == 0..<3)
        #expect(range([0x8F] + [UInt8](repeating: 0, count: 20)) == 0..<21)  // 15 CSRCs would run past the end
        #expect(range([0x90] + [UInt8](repeating: 0xFF, count: 15)) == 0..<16)  // extension length past the end
    }
}
