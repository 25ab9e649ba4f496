import Testing
@testable import RTMP

/// AMF0 against byte fixtures written from the AMF0 specification (section 2: a marker byte, then big-endian
/// fields; strings with a 16-bit length, long strings with 32; objects end with an empty key and 0x09).
@Suite struct AMF0Tests {
    static let fixtures: [(AMF0Value, [UInt8])] = [
        (.number(1.0), hex("00 3FF0000000000000")),                                      // 2.2
        (.number(-2.5), hex("00 C004000000000000")),
        (.boolean(true), hex("01 01")), (.boolean(false), hex("01 00")),                   // 2.3
        (.string("app"), hex("02 0003 617070")),                                           // 2.4
        (.string(""), hex("02 0000")),
        (.object([AMF0Property("a", .number(0)), AMF0Property("b", .null)]),                // 2.5
         hex("03 0001 61 00 0000000000000000 0001 62 05 000009")),
        (.null, hex("05")), (.undefined, hex("06")),                                        // 2.7, 2.8
        (.reference(1), hex("07 0001")),                                                   // 2.9
        (.ecmaArray([AMF0Property("duration", .number(0))]),                               // 2.10
         hex("08 00000001 0008 6475726174696F6E 00 0000000000000000 000009")),
        (.strictArray([.number(1), .null]), hex("0A 00000002 00 3FF0000000000000 05")),   // 2.12
        (.date(milliseconds: 1.0, timeZone: 0), hex("0B 3FF0000000000000 0000")),         // 2.13
        (.longString("xy"), hex("0C 00000002 7879")),                                      // 2.14
        (.xmlDocument("<a/>"), hex("0F 00000004 3C612F3E")),                               // 2.17
        (.typedObject(className: "Foo", [AMF0Property("x", .boolean(true))]),              // 2.18
         hex("10 0003 466F6F 0001 78 01 01 000009")),
    ]

    @Test(arguments: 0..<fixtures.count) func fixture(index: Int) throws {
        let (value, bytes) = Self.fixtures[index]
        #expect(AMF0Encoder.encode([value]) == bytes)
        #expect(try AMF0Decoder.decodeAll(bytes) == [value])
    }

    @Test func nestedValuesRoundTrip() throws {
        let values: [AMF0Value] = [
            .string("connect"), .number(1),
            .object([
                AMF0Property("app", .string("static")), AMF0Property("tcUrl", .string("rtmp://h/static")),
                AMF0Property("list", .strictArray([.string("é"), .ecmaArray([AMF0Property("k", .undefined)])])),
                AMF0Property("inner", .object([AMF0Property("deep", .typedObject(className: "C", []))])),
            ]),
            .null, .longString(String(repeating: "z", count: 70_000)),
        ]
        let bytes = AMF0Encoder.encode(values)
        #expect(try AMF0Decoder.decodeAll(bytes) == values)
        #expect(values[2]["app"]?.stringValue == "static" && values[2]["none"] == nil && values[0]["app"] == nil)
    }

    @Test func longStringIsWrittenAsSuch() throws {
        let bytes = AMF0Encoder.encode([.string(String(repeating: "a", count: 70_000))])
        #expect(bytes[0] == 0x0C && bytes.count == 5 + 70_000)
        #expect(try AMF0Decoder.decodeAll(bytes).first?.stringValue?.utf8.count == 70_000)
    }

    @Test func unsupportedMarkerReadsAsUndefined() throws {
        #expect(try AMF0Decoder.decodeAll(hex("0D")) == [.undefined])
    }

    /// Every proper prefix of a valid encoding is refused, never read as a shorter value or a crash.
    @Test func everyTruncationIsRefused() throws {
        let bytes = AMF0Encoder.encode([
            .object([AMF0Property("a", .strictArray([.number(1), .string("xyz"), .date(milliseconds: 0, timeZone: 0)])),
                     AMF0Property("b", .typedObject(className: "T", [AMF0Property("c", .longString("l"))])),
                     AMF0Property("d", .ecmaArray([AMF0Property("e", .xmlDocument("<x/>"))]))]),
        ])
        for length in 1..<bytes.count {
            #expect(throws: RTMPError.self, "prefix of \(length) bytes") {
                _ = try AMF0Decoder.decodeAll(Array(bytes[..<length]))
            }
        }
    }

    @Test func hostileNesting() throws {
        let deepObjects = (0..<100_000).flatMap { _ in hex("03 0001 61") }
        #expect(throws: RTMPError(.nestingTooDeep, "over 32 levels")) { _ = try AMF0Decoder.decodeAll(deepObjects) }
        let deepArrays = (0..<100_000).flatMap { _ in hex("0A 00000001") }
        #expect(throws: RTMPError(.nestingTooDeep, "over 32 levels")) { _ = try AMF0Decoder.decodeAll(deepArrays) }
        // 32 levels are fine.
        var value = AMF0Value.null
        for _ in 0..<32 { value = .strictArray([value]) }
        #expect(try AMF0Decoder.decodeAll(AMF0Encoder.encode([value])) == [value])
    }

    @Test(arguments: [
        (hex("0A FFFFFFFF 05"), RTMPError.Kind.truncated),   // a count no payload can hold: refused before reserving
        (hex("02 FFFF 41"), .truncated),
        (hex("0C FFFFFFFF 41"), .truncated),
        (hex("11 01"), .badAMF),                               // AMF3 switch
        (hex("04"), .badAMF), (hex("0E"), .badAMF), (hex("12"), .badAMF), (hex("FF"), .badAMF),
        (hex("03 0000 05"), .badAMF),                          // empty key without the end marker
        (hex("03 0001 61 05"), .truncated),                    // no end at all
        (hex("09"), .badAMF),                                  // a stray object end
    ])
    func refused(bytes: [UInt8], kind: RTMPError.Kind) {
        let error = #expect(throws: RTMPError.self) { _ = try AMF0Decoder.decodeAll(bytes) }
        #expect(error?.kind == kind)
    }
}
