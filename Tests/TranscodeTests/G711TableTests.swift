import Testing
@testable import Transcode

@Suite struct G711TableTests {
    @Test(arguments: [true, false]) func everyCodeDecodesAsLibavcodecDecodesIt(aLaw: Bool) throws {
        let reference = try LibAVCodecs.decodeG711((0...255).map { UInt8($0) }, aLaw: aLaw)
        #expect((aLaw ? G711Table.aLaw : G711Table.muLaw) == reference)
    }

    /// G.711's extremes and smallest steps: A-law 0xD5/0x55 are +-8 and 0xAA/0x2A +-32256; mu-law 0xFF is 0 and
    /// 0x80/0x00 are +-32124.
    @Test func knownCodes() {
        #expect([0xD5, 0x55, 0xAA, 0x2A].map { G711Table.aLaw[$0] } == [8, -8, 32256, -32256])
        #expect([0xFF, 0x7F, 0x80, 0x00].map { G711Table.muLaw[$0] } == [0, 0, 32124, -32124])
    }
}
