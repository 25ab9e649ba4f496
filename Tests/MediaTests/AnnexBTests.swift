import Testing
@testable import Media

@Suite struct AnnexBTests {
    @Test func splitsOnThreeAndFourByteStartCodes() {
        let stream: [UInt8] = [0xFF, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0, 0, 3, 4, 0]
        #expect(AnnexB.nalUnits(stream) == [[0x67, 1, 2], [0x68, 3], [0x65, 0, 0, 3, 4]])
    }

    @Test func noStartCodeMeansNoNAL() {
        #expect(AnnexB.nalUnits([1, 2, 3, 4]).isEmpty)
        #expect(AnnexB.nalUnits([]).isEmpty)
    }

    @Test func lengthPrefixedRoundTrip() throws {
        let nals: [[UInt8]] = [[0x65, 1, 2, 3], [0x06], []]
        var out: [UInt8] = []
        for nal in nals { nal.withUnsafeBytes { LengthPrefixed.append($0, to: &out) } }
        #expect(try LengthPrefixed.nalUnits(out) == nals)
        #expect(throws: MediaError.self) { try LengthPrefixed.nalUnits([0, 0, 0, 9, 1]) }
    }

    @Test func emulationPreventionRemoved() {
        #expect(AnnexB.removeEmulationPrevention([0x67, 0, 0, 3, 1, 0, 0, 3, 0, 3]) == [0x67, 0, 0, 1, 0, 0, 0, 3])
    }
}
