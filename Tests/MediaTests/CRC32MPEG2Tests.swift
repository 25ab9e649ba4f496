import Testing
@testable import Media

@Suite struct CRC32MPEG2Tests {
    @Test func checkValue() {
        #expect(CRC32MPEG2.checksum(Array("123456789".utf8)) == 0x0376_E6E7)
    }

    @Test func aSectionWithItsCRCChecksToZero() {
        // PAT of ffmpeg's mpegts muxer: program 1 -> PMT PID 0x1000.
        let pat: [UInt8] = [0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00, 0x00, 0x01, 0xF0, 0x00, 0x2A, 0xB1, 0x04, 0xB2]
        #expect(CRC32MPEG2.checksum(pat) == 0)
    }
}
