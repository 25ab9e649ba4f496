import Testing
@testable import Media
import TestSupport

@Suite struct ADTSHeaderTests {
    private func parse(_ bytes: [UInt8]) throws -> ADTSHeader {
        try bytes.withUnsafeBytes { try ADTSHeader(parsing: $0) }
    }

    // aac_lc.adts: AAC LC 44.1 kHz stereo, 10 frames (ffprobe).
    @Test func walksTheFixture() throws {
        let bytes = try Fixture.bytes("aac_lc.adts")
        let headers = try walkFrames(bytes, parse: ADTSHeader.init(parsing:), frameLength: \.frameLength)
        #expect(headers.count == 10)
        let first = try #require(headers.first)
        #expect(first.objectType == 2 && first.sampleRate == 44100 && first.channelConfiguration == 2)
        #expect(first.headerLength == 7 && first.rawBlocks == 1 && !first.isMPEG2)
        #expect(first.config.bytes == [0x12, 0x10])
        #expect(headers.allSatisfy { $0.describes(first.config) })
        #expect(!first.describes(AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)))
    }

    @Test func writeRebuildsFFmpegsHeaders() throws {
        let bytes = try Fixture.bytes("aac_lc.adts")
        let headers = try walkFrames(bytes, parse: ADTSHeader.init(parsing:), frameLength: \.frameLength)
        var offset = 0
        var out: [UInt8] = []
        for h in headers {
            out.removeAll(keepingCapacity: true)
            try ADTSHeader.write(config: h.config, payloadLength: h.payloadLength, into: &out)
            #expect(out == Array(bytes[offset..<(offset + 7)]))
            offset += h.frameLength
        }
    }

    @Test func writeThenParse() throws {
        var out: [UInt8] = [0xAA]
        let heAAC = try AudioSpecificConfig(parsing: [0x2B, 0x11, 0x88, 0x00])  // SBR: 24 kHz core, stereo, 48 kHz out
        try ADTSHeader.write(config: heAAC, payloadLength: 8184, into: &out)
        #expect(out.count == 8)
        let h = try parse(Array(out.dropFirst()))
        #expect(h.objectType == 2 && h.frequencyIndex == 6 && h.channelConfiguration == 2)
        #expect(h.frameLength == 8191 && h.payloadLength == 8184)
    }

    @Test func writeRefusesWhatADTSCannotSay() {
        var out: [UInt8] = []
        let lc = AudioSpecificConfig(objectType: 2, frequencyIndex: 4, channelConfiguration: 2)
        #expect(throws: MediaError.self) { try ADTSHeader.write(config: lc, payloadLength: 8185, into: &out) }
        #expect(throws: MediaError.self) { try ADTSHeader.write(config: lc, payloadLength: -1, into: &out) }
        let usac = AudioSpecificConfig(objectType: 42, frequencyIndex: 4, channelConfiguration: 2)
        #expect(throws: MediaError.self) { try ADTSHeader.write(config: usac, payloadLength: 10, into: &out) }
        let explicitRate = AudioSpecificConfig(objectType: 2, frequencyIndex: 15, channelConfiguration: 2)
        #expect(throws: MediaError.self) { try ADTSHeader.write(config: explicitRate, payloadLength: 10, into: &out) }
        #expect(out.isEmpty)
    }

    @Test func headerWithCRC() throws {
        // MPEG-2, protection present: 9 bytes, AAC LC 48 kHz mono, frame of 100 bytes, 2 raw blocks.
        let header: [UInt8] = [0xFF, 0xF8, 0x4C, 0x40, 0x0C, 0x9F, 0xFD, 0x12, 0x34]
        let h = try parse(header)
        #expect(h.headerLength == 9 && h.isMPEG2 && h.sampleRate == 48000 && h.channelConfiguration == 1)
        #expect(h.frameLength == 100 && h.rawBlocks == 2)
        #expect(everyPrefixThrows(header, needed: 9) { _ = try ADTSHeader(parsing: $0) })
    }

    @Test func truncatedAndBadHeadersThrow() throws {
        let good = Array(try Fixture.bytes("aac_lc.adts")[..<7])
        #expect(everyPrefixThrows(good, needed: 7) { _ = try ADTSHeader(parsing: $0) })
        var bad = good
        bad[1] = 0xE1  // syncword
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = good
        bad[1] |= 0x02  // layer 1
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = good
        bad[2] = bad[2] & 0xC3 | 13 << 2  // reserved sampling frequency index
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = good
        (bad[3], bad[4], bad[5]) = (bad[3] & 0xFC, 0, 0x1F)  // frame length 0
        #expect(throws: MediaError.self) { try parse(bad) }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<20000 {
            var bytes = (0..<Int(rng.next() % 12)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if bytes.count > 1 { (bytes[0], bytes[1]) = (0xFF, bytes[1] | 0xF0) }
            if let h = try? parse(bytes) { #expect(h.frameLength >= h.headerLength && h.sampleRate > 0) }
        }
    }
}
