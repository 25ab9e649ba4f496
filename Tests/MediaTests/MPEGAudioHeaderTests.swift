import Testing
@testable import Media
import TestSupport

@Suite struct MPEGAudioHeaderTests {
    private func walk(_ fixture: String) throws -> [MPEGAudioHeader] {
        try walkFrames(try Fixture.bytes(fixture), parse: MPEGAudioHeader.init(parsing:), frameLength: \.frameLength)
    }

    private func parse(_ bytes: [UInt8]) throws -> MPEGAudioHeader {
        try bytes.withUnsafeBytes { try MPEGAudioHeader(parsing: $0) }
    }

    // Frame counts, sizes and rates as ffprobe reports them for the fixtures.
    @Test func layerII() throws {
        let headers = try walk("audio.mp2")
        #expect(headers.count == 9)
        let h = try #require(headers.first)
        #expect(h.version == .mpeg1 && h.layer == 2 && h.codec == .mp2)
        #expect(h.sampleRate == 48000 && h.channels == 2 && h.bitrate == 128_000)
        #expect(h.frameLength == 384 && h.samplesPerFrame == 1152)
    }

    @Test func layerIII() throws {
        let headers = try walk("audio.mp3")
        #expect(headers.count == 10)
        let h = try #require(headers.first)
        #expect(h.version == .mpeg1 && h.layer == 3 && h.codec == .mp3)
        #expect(h.sampleRate == 48000 && h.channels == 2 && h.bitrate == 128_000 && h.samplesPerFrame == 1152)
    }

    @Test func mpeg2LayerIIIMono() throws {
        let headers = try walk("audio_mpeg2.mp3")
        #expect(headers.count == 10)
        #expect(headers.map(\.frameLength).sorted() == [104, 104, 104, 104, 104, 105, 105, 105, 105, 105])
        let h = try #require(headers.first)
        #expect(h.version == .mpeg2 && h.layer == 3 && h.sampleRate == 22050 && h.channels == 1)
        #expect(h.bitrate == 32000 && h.samplesPerFrame == 576)
    }

    @Test func layerIAndMPEG25() throws {
        // MPEG-1 layer I, 32 kHz, 384 kbit/s, padded: (12 * 384000 / 32000 + 1) * 4 = 580 bytes.
        let layerI = try parse([0xFF, 0xFF, 0xCA, 0x00])
        #expect(layerI.layer == 1 && layerI.codec == .mp2 && layerI.frameLength == 580 && layerI.samplesPerFrame == 384)
        // MPEG-2.5 layer III, 8 kHz, 8 kbit/s, mono: 72 * 8000 / 8000 = 72 bytes.
        let low = try parse([0xFF, 0xE3, 0x18, 0xC0])
        #expect(low.version == .mpeg25 && low.sampleRate == 8000 && low.channels == 1 && low.frameLength == 72)
    }

    @Test func truncatedAndBadHeadersThrow() throws {
        let good: [UInt8] = [0xFF, 0xFD, 0x84, 0x04]
        #expect(everyPrefixThrows(good, needed: 4) { _ = try MPEGAudioHeader(parsing: $0) })
        for bad: [UInt8] in [
            [0xFF, 0x1D, 0x84, 0x04],  // no syncword
            [0xFF, 0xED, 0x84, 0x04],  // reserved version
            [0xFF, 0xF9, 0x84, 0x04],  // reserved layer
            [0xFF, 0xFD, 0x04, 0x04],  // free format
            [0xFF, 0xFD, 0xF4, 0x04],  // bitrate index 15
            [0xFF, 0xFD, 0x8C, 0x04],  // reserved sampling frequency
        ] {
            #expect(throws: MediaError.self) { try parse(bad) }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 3)
        var parsed = 0
        for _ in 0..<20000 {
            var bytes = (0..<Int(rng.next() % 6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if bytes.count > 1 { (bytes[0], bytes[1]) = (0xFF, bytes[1] | 0xE0) }
            if let h = try? parse(bytes) {
                parsed += 1
                #expect(h.frameLength > 4 && h.sampleRate >= 8000)
            }
        }
        #expect(parsed > 0)
    }
}
