import Testing
@testable import HTTP

@Suite struct ByteRangeTests {
    @Test(arguments: [
        (nil, 1000, ByteRange.whole),
        ("bytes=0-99", 1000, .partial(0..<100)),
        ("bytes=500-", 1000, .partial(500..<1000)),
        ("bytes=-100", 1000, .partial(900..<1000)),
        ("bytes=-5000", 1000, .partial(0..<1000)),
        ("bytes=990-2000", 1000, .partial(990..<1000)),
        ("bytes=999-999", 1000, .partial(999..<1000)),
        ("BYTES=1-2", 1000, .partial(1..<3)),
        ("bytes=1000-", 1000, .unsatisfiable),
        ("bytes=99999999999999999999999-", 1000, .unsatisfiable),
        ("bytes=0-99999999999999999999999", 1000, .partial(0..<1000)),
        ("bytes=-0", 1000, .unsatisfiable),
        ("bytes=0-", 0, .unsatisfiable),
        ("bytes=-10", 0, .whole),
        ("bytes=0-1,5-6", 1000, .whole),
        ("bytes=5-1", 1000, .whole),
        ("bytes=-", 1000, .whole),
        ("bytes=", 1000, .whole),
        ("items=0-1", 1000, .whole),
        ("bytes=a-b", 1000, .whole),
        ("bytes=1-2-3", 1000, .whole),
    ] as [(String?, Int, ByteRange)])
    func resolve(header: String?, length: Int, expected: ByteRange) {
        #expect(ByteRange(header: header, length: length) == expected)
    }

    @Test func whatToSend() {
        let part = ByteRange(header: "bytes=10-19", length: 100)
        #expect(part.status == 206 && part.bytes(length: 100) == 10..<20)
        #expect(part.contentRange(length: 100) == "bytes 10-19/100")
        let none = ByteRange(header: "bytes=200-", length: 100)
        #expect(none.status == 416 && none.bytes(length: 100).isEmpty && none.contentRange(length: 100) == "bytes */100")
        let whole = ByteRange(header: nil, length: 100)
        #expect(whole.status == 200 && whole.bytes(length: 100) == 0..<100 && whole.contentRange(length: 100) == nil)
    }
}
