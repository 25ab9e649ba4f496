import Testing
@testable import Control

@Suite struct ControlLineSplitterTests {
    static let stream = Array("{\"command\":\"status\"}\n\r\n\n{\"command\":\"restart\",\"stream\":\"né\"}\r\n{\"partial\"".utf8)
    static let expected: [ControlLineSplitter.Line] = [
        .line("{\"command\":\"status\"}"), .line("{\"command\":\"restart\",\"stream\":\"né\"}"),
    ]

    func lines(_ chunks: [ArraySlice<UInt8>], limit: Int = 1_000) -> [ControlLineSplitter.Line] {
        var splitter = ControlLineSplitter(maximumLineLength: limit)
        var out: [ControlLineSplitter.Line] = []
        for chunk in chunks {
            splitter.append(chunk)
            while let line = splitter.next() { out.append(line) }
        }
        return out
    }

    @Test func wholeByteByByteAndInRandomSplits() {
        let bytes = Self.stream
        #expect(lines([bytes[...]]) == Self.expected)
        #expect(lines(bytes.indices.map { bytes[$0...$0] }) == Self.expected)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: 0...bytes.count, using: &generator) }
            cuts = ([0] + cuts + [bytes.count]).sorted()
            let chunks = zip(cuts, cuts.dropFirst()).map { bytes[$0..<$1] }
            #expect(lines(chunks) == Self.expected)
        }
    }

    @Test func anOverlongLineIsReportedOnceAndSkipped() {
        let long = Array(repeating: UInt8(ascii: "x"), count: 50)
        let bytes = long + Array("\nok\n".utf8) + long + long + Array("\nend\n".utf8)
        let expected: [ControlLineSplitter.Line] = [.tooLong, .line("ok"), .tooLong, .line("end")]
        #expect(lines([bytes[...]], limit: 20) == expected)
        #expect(lines(bytes.indices.map { bytes[$0...$0] }, limit: 20) == expected)
    }

    @Test func memoryStaysBoundedWithoutNewlines() {
        var splitter = ControlLineSplitter(maximumLineLength: 64)
        var reports = 0
        for _ in 0..<10_000 {
            splitter.append(repeatElement(UInt8(ascii: "a"), count: 100))
            while let line = splitter.next() {
                #expect(line == .tooLong)
                reports += 1
            }
        }
        #expect(reports == 1)
        splitter.append(Array("\nnext\n".utf8))
        #expect(splitter.next() == .line("next"))
        #expect(splitter.next() == nil)
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        #expect(lines([[0xFF, 0x41, 0x0A][...]]) == [.line("\u{FFFD}A")])
    }
}
