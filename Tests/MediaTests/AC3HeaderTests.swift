import Testing
@testable import Media
import TestSupport

@Suite struct AC3HeaderTests {
    private func parse(_ bytes: [UInt8]) throws -> AC3Header {
        try bytes.withUnsafeBytes { try AC3Header(parsing: $0) }
    }

    // Frame counts, sizes and rates as ffprobe reports them for the fixtures.
    @Test func ac3Stereo() throws {
        let headers = try walkFrames(try Fixture.bytes("audio.ac3"), parse: AC3Header.init(parsing:),
                                     frameLength: \.frameLength)
        #expect(headers.count == 7)
        let h = try #require(headers.first)
        #expect(!h.isEnhanced && h.codec == .ac3 && h.bsid == 8)
        #expect(h.sampleRate == 48000 && h.channels == 2 && h.bitrate == 192_000)
        #expect(h.frameLength == 768 && h.samplesPerFrame == 1536)
    }

    @Test func eac3FivePointOne() throws {
        let headers = try walkFrames(try Fixture.bytes("audio.eac3"), parse: AC3Header.init(parsing:),
                                     frameLength: \.frameLength)
        #expect(headers.count == 7)
        let h = try #require(headers.first)
        #expect(h.isEnhanced && h.codec == .eac3 && h.bsid == 16)
        #expect(h.sampleRate == 48000 && h.channels == 6 && h.bitrate == 384_000)
        #expect(h.frameLength == 1536 && h.samplesPerFrame == 1536)
    }

    @Test func ac3At44100PadsOddSizeCodes() throws {
        // fscod 1, frmsizecod 1 (32 kbit/s, padded): 70 words; bsid 8, acmod 1 (mono), lfeon 1.
        let h = try parse([0x0B, 0x77, 0, 0, 0x41, 0x40, 0x30])
        #expect(h.sampleRate == 44100 && h.frameLength == 140 && h.channels == 2)
        // acmod 7 (3/2) reads cmixlev and surmixlev before lfeon.
        let surround = try parse([0x0B, 0x77, 0, 0, 0x1E, 0x40, 0xE1])
        #expect(surround.channels == 6 && surround.sampleRate == 48000 && surround.bitrate == 448_000)
    }

    @Test func truncatedAndBadHeadersThrow() throws {
        let ac3 = Array(try Fixture.bytes("audio.ac3")[..<7])
        #expect(everyPrefixThrows(ac3, needed: 7) { _ = try AC3Header(parsing: $0) })
        let eac3 = Array(try Fixture.bytes("audio.eac3")[..<6])
        #expect(everyPrefixThrows(eac3, needed: 6) { _ = try AC3Header(parsing: $0) })
        var bad = ac3
        bad[1] = 0x78
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = ac3
        bad[4] |= 0xC0  // fscod 3
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = ac3
        bad[4] = bad[4] & 0xC0 | 38  // frmsizecod 38
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = ac3
        bad[5] = 17 << 3  // bsid 17
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = eac3
        bad[2] |= 0xC0  // stream type 3
        #expect(throws: MediaError.self) { try parse(bad) }
        bad = eac3
        bad[4] |= 0xF0  // fscod 3, fscod2 3
        #expect(throws: MediaError.self) { try parse(bad) }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 52)
        for _ in 0..<20000 {
            var bytes = (0..<Int(rng.next() % 9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if bytes.count > 1 { (bytes[0], bytes[1]) = (0x0B, 0x77) }
            if let h = try? parse(bytes) { #expect(h.frameLength > 0 && h.sampleRate > 0 && h.channels > 0) }
        }
    }
}
