import Testing
@testable import Media
import TestSupport

@Suite struct AVCDecoderConfigurationRecordTests {
    /// The avcC boxes ffmpeg 5.1 writes for the fixtures (`ffmpeg -i h264_high.h264 -c copy a.mp4`).
    static let ffmpegHigh: [UInt8] = [
        0x01, 0x64, 0x00, 0x0D, 0xFF, 0xE1, 0x00, 0x19, 0x67, 0x64, 0x00, 0x0D, 0xAC, 0xD9, 0x41, 0x41, 0xFB, 0x01,
        0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xF1, 0x42, 0x99, 0x60, 0x01, 0x00, 0x06,
        0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0, 0xFD, 0xF8, 0xF8, 0x00,
    ]
    static let ffmpegMain1080: [UInt8] = [
        0x01, 0x4D, 0x40, 0x28, 0xFF, 0xE1, 0x00, 0x18, 0x67, 0x4D, 0x40, 0x28, 0xEC, 0xA0, 0x3C, 0x01, 0x13, 0xF2,
        0xE0, 0x22, 0x00, 0x00, 0x07, 0xD2, 0x00, 0x01, 0xD4, 0xC0, 0x1E, 0x30, 0x63, 0x2C, 0x01, 0x00, 0x05, 0x68,
        0xEB, 0xE3, 0xCB, 0x20,
    ]

    @Test func buildsWhatFFmpegBuilds() throws {
        for (fixture, expected) in [("h264_high.h264", Self.ffmpegHigh), ("h264_1080.h264", Self.ffmpegMain1080)] {
            let sets = try Fixture.h264ParameterSets(fixture)
            let record = try AVCDecoderConfigurationRecord(parameterSets: sets)
            #expect(record.bytes == expected)
            #expect(record.lengthSize == 4 && record.parameterSets == sets)
        }
    }

    @Test func buildThenParse() throws {
        let sets = try Fixture.h264ParameterSets("h264_444_10bit.h264")
        let built = try AVCDecoderConfigurationRecord(parameterSets: sets)
        #expect(Array(built.bytes.suffix(4)) == [0xFF, 0xFA, 0xFA, 0x00])  // 4:4:4, 10-bit luma and chroma
        let parsed = try AVCDecoderConfigurationRecord(parsing: built.bytes)
        #expect(parsed == built)
        var twoSPS = sets
        twoSPS.sps.append(H264SPSTests.synthetic())
        let both = try AVCDecoderConfigurationRecord(parsing: try AVCDecoderConfigurationRecord(parameterSets: twoSPS).bytes)
        #expect(both.parameterSets == twoSPS)
    }

    @Test func parsesOtherLengthSizesAndNoExtension() throws {
        var record = Self.ffmpegMain1080
        record[4] = 0xFD  // 2-byte lengths
        let parsed = try AVCDecoderConfigurationRecord(parsing: record)
        #expect(parsed.lengthSize == 2 && parsed.bytes == record)
        #expect(parsed.parameterSets == (try Fixture.h264ParameterSets("h264_1080.h264")))
        record[4] = 0xFE  // 3-byte lengths do not exist
        #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord(parsing: record) }
    }

    @Test func refusesBadInput() throws {
        let sets = try Fixture.h264ParameterSets("h264_high.h264")
        for bad in [ParameterSets(sps: sets.sps), ParameterSets(sps: sets.pps, pps: sets.pps),
                    ParameterSets(sps: sets.sps, pps: sets.sps)] {
            #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord(parameterSets: bad) }
        }
        var wrongVersion = Self.ffmpegHigh
        wrongVersion[0] = 0
        #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord(parsing: wrongVersion) }
        var ppsAsSPS = Self.ffmpegHigh
        ppsAsSPS[8] = 0x68
        #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord(parsing: ppsAsSPS) }
        // Every truncation before the end of the last PPS throws.
        for n in 0..<(Self.ffmpegHigh.count - 4) {
            #expect(throws: MediaError.self) { try AVCDecoderConfigurationRecord(parsing: Array(Self.ffmpegHigh[..<n])) }
        }
    }

    @Test func randomAndCorruptedInputNeverCrashes() {
        var rng = SplitMix64(seed: 1)
        for round in 0..<10000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 48)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if !bytes.isEmpty { bytes[0] = 1 }
            } else {
                bytes = Self.ffmpegHigh
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let record = try? AVCDecoderConfigurationRecord(parsing: bytes) {
                #expect(record.parameterSets.sps.count + record.parameterSets.pps.count <= bytes.count / 3)
            }
        }
    }
}
