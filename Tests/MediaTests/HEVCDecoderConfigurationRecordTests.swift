import Testing
@testable import Media
import TestSupport

@Suite struct HEVCDecoderConfigurationRecordTests {
    /// The hvcC box ffmpeg 5.1 writes for h265_main.h265 (`ffmpeg -i h265_main.h265 -c copy -tag:v hvc1 c.mp4`).
    static let ffmpegMain: [UInt8] = [
        0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3C, 0xF0, 0x00, 0xFC, 0xFD, 0xF8,
        0xF8, 0x00, 0x00, 0x0F, 0x03, 0xA0, 0x00, 0x01, 0x00, 0x18, 0x40, 0x01, 0x0C, 0x01, 0xFF, 0xFF, 0x01, 0x60,
        0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x3C, 0x95, 0x98, 0x09, 0xA1, 0x00,
        0x01, 0x00, 0x2A, 0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00,
        0x03, 0x00, 0x3C, 0xA0, 0x0A, 0x08, 0x0F, 0x16, 0x59, 0x59, 0xA4, 0x93, 0x2B, 0xC0, 0x5A, 0x02, 0x00, 0x00,
        0x03, 0x00, 0x02, 0x00, 0x00, 0x03, 0x00, 0x32, 0x10, 0xA2, 0x00, 0x01, 0x00, 0x07, 0x44, 0x01, 0xC1, 0x72,
        0xB4, 0x62, 0x40,
    ]

    @Test func buildsWhatFFmpegBuilds() throws {
        let sets = try Fixture.h265ParameterSets("h265_main.h265")
        let record = try HEVCDecoderConfigurationRecord(parameterSets: sets)
        #expect(record.bytes == Self.ffmpegMain)
        #expect(record.lengthSize == 4 && record.parameterSets == sets)
    }

    @Test func buildThenParse() throws {
        let sets = try Fixture.h265ParameterSets("h265_1080_main10.h265")
        let built = try HEVCDecoderConfigurationRecord(parameterSets: sets)
        #expect(built.bytes[1] == 0x02 && built.bytes[12] == 123)  // Main 10, level 4.1
        #expect(built.bytes[17] == 0xFA && built.bytes[18] == 0xFA)  // 10-bit
        #expect(built.bytes[21] == 0x13)  // two temporal layers, not nested, 4-byte lengths
        #expect(try HEVCDecoderConfigurationRecord(parsing: built.bytes) == built)
    }

    @Test func parsingDropsSEIArrays() throws {
        var record = Self.ffmpegMain
        record[22] = 4
        record += [0x27, 0x00, 0x01, 0x00, 0x03, 0x4E, 0x01, 0x80]  // a prefix SEI array
        let parsed = try HEVCDecoderConfigurationRecord(parsing: record)
        #expect(parsed.parameterSets == (try Fixture.h265ParameterSets("h265_main.h265")))
        #expect(parsed.bytes == record && parsed.lengthSize == 4)
    }

    @Test func refusesBadInput() throws {
        let sets = try Fixture.h265ParameterSets("h265_main.h265")
        let noVPS = ParameterSets(sps: sets.sps, pps: sets.pps)
        #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord(parameterSets: noVPS) }
        let spsAsVPS = ParameterSets(vps: sets.sps, sps: sets.sps, pps: sets.pps)
        #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord(parameterSets: spsAsVPS) }
        var wrongVersion = Self.ffmpegMain
        wrongVersion[0] = 2
        #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord(parsing: wrongVersion) }
        var mislabelled = Self.ffmpegMain
        mislabelled[23] = 0xA1  // the VPS array claims to hold SPSs
        #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord(parsing: mislabelled) }
        for n in 0..<Self.ffmpegMain.count {
            #expect(throws: MediaError.self) { try HEVCDecoderConfigurationRecord(parsing: Array(Self.ffmpegMain[..<n])) }
        }
    }

    @Test func randomAndCorruptedInputNeverCrashes() {
        var rng = SplitMix64(seed: 2)
        for round in 0..<10000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if !bytes.isEmpty { bytes[0] = 1 }
            } else {
                bytes = Self.ffmpegMain
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let record = try? HEVCDecoderConfigurationRecord(parsing: bytes) {
                #expect(record.parameterSets.all.count <= bytes.count / 4)
            }
        }
    }
}
