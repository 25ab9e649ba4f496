import Testing
@testable import Media

@Suite struct BitsTests {
    @Test func expGolomb() throws {
        // ue: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3; se of 00101 (ue 4) -> -2
        var w = BitWriter()
        for (v, n) in [(1, 1), (2, 3), (3, 3), (4, 5), (5, 5)] { w.write(v, bits: n) }
        var r = BitReader(w.bytes, what: "test")
        #expect(try r.ue() == 0)
        #expect(try r.ue() == 1)
        #expect(try r.ue() == 2)
        #expect(try r.ue() == 3)
        #expect(try r.se() == -2)
    }

    @Test func readingPastTheEndThrows() {
        var r = BitReader([0xFF], what: "test")
        #expect(throws: MediaError.self) { try r.bits(9) }
    }

    @Test func audioSpecificConfigBothWays() throws {
        let built = AudioSpecificConfig(objectType: 2, frequencyIndex: 4, channelConfiguration: 2)
        #expect(built.bytes == [0x12, 0x10])
        let parsed = try AudioSpecificConfig(parsing: [0x12, 0x10])
        #expect(parsed == built)
        #expect(parsed.sampleRate == 44100 && parsed.channels == 2)
        #expect(throws: MediaError.self) { try AudioSpecificConfig(parsing: [0x17, 0x00]) }  // index 14: reserved
    }

    @Test func mediaTimeConversion() {
        #expect(MediaTime.from(1000, rate: 1000) == 90_000)
        #expect(MediaTime.from(-1, rate: 1000) == -90)
        #expect(MediaTime.from(1024, rate: 44100) == 2089)
    }
}
