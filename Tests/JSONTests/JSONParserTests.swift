import Foundation
import Testing
@testable import JSON

@Suite struct JSONParserTests {
    @Test func parsesEveryKindInOrder() throws {
        let value = try JSONValue.parse(#" { "a" : [1, -2, 3.5, true, false, null, "x"], "b": {}, "c": [] } "#)
        #expect(value == .object([
            ("a", .array([.int(1), .int(-2), .double(3.5), .bool(true), .bool(false), .null, .string("x")])),
            ("b", .object([])), ("c", .array([])),
        ]))
        #expect(value["a"]?[2]?.doubleValue == 3.5)
        #expect(value["a"]?[0]?.intValue == 1)
        #expect(value["a"]?[6]?.stringValue == "x")
        #expect(value["a"]?[5]?.isNull == true)
        #expect(value["a"]?[9] == nil && value["missing"] == nil && value["a"]?["key"] == nil)
        #expect(value["b"]?.objectValue?.isEmpty == true && value["c"]?.arrayValue?.isEmpty == true)
    }

    @Test func numbersBecomeIntWhenIntegralAndInRange() throws {
        #expect(try JSONValue.parse("0") == .int(0))
        #expect(try JSONValue.parse("-0") == .int(0))
        #expect(try JSONValue.parse("1e2") == .int(100))
        #expect(try JSONValue.parse("2.0") == .int(2))
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int.min))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONValue.parse("1.5E-3") == .double(0.0015))
        #expect(try JSONValue.parse("1e300") == .double(1e300))
        #expect(JSONValue.double(2.5).intValue == nil && JSONValue.double(4).intValue == 4)
    }

    @Test func stringsUnescapeEverythingIncludingSurrogatePairs() throws {
        let text = #""q\" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 é😀""#
        #expect(try JSONValue.parse(text) == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t é € 😀 é😀"))
    }

    @Test func roundTripsTheWriterAndAgreesWithFoundation() throws {
        let value = JSONValue.object([
            ("name", .string("quote \" backslash \\ newline \n bell \u{7} 😀")),
            ("list", .array([.int(-5), .double(0.25), .null, .bool(true), .object([("k", .array([]))])])),
        ])
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.serialized(pretty: true)) == value)
        let foundation = try JSONSerialization.data(withJSONObject: ["a": [1, 2], "b": "ü\u{1}"], options: [.sortedKeys])
        let parsed = try JSONValue.parse(String(decoding: foundation, as: UTF8.self))
        #expect(parsed == .object([("a", .array([.int(1), .int(2)])), ("b", .string("ü\u{1}"))]))
    }

    @Test func errorsNameTheByteOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "expected a value"),
            ("   ", 3, "expected a value"),
            ("{\"a\" 1}", 5, "expected ':'"),
            ("{\"a\":1,}", 7, "expected a string key"),
            ("[1 2]", 3, "expected ',' or ']'"),
            ("[1,]", 3, "expected a value"),
            ("01", 1, "leading zero"),
            ("1.", 2, "after '.'"),
            ("1e", 2, "exponent"),
            ("-", 1, "expected a digit"),
            ("+1", 0, "expected a value"),
            ("tru", 0, "expected a value"),
            ("nul1", 0, "expected a value"),
            ("\"abc", 0, "not terminated"),
            ("\"a\u{1}\"", 2, "control character"),
            ("\"\\x\"", 1, "invalid escape"),
            ("\"\\u12\"", 1, "four hex digits"),
            ("\"\\ud83d\"", 1, "without its low half"),
            ("\"\\ud83d\\u0041\"", 7, "not a low surrogate"),
            ("\"\\ude00\"", 1, "lone low surrogate"),
            ("1e999", 0, "out of range"),
            ("{} x", 3, "after the value"),
            ("NaN", 0, "expected a value"),
        ]
        for (text, offset, fragment) in cases {
            let error = #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
            #expect(error?.message.contains(fragment) == true, "\(text): \(String(describing: error))")
            #expect(error?.description.hasPrefix("JSON: byte \(offset): ") == true)
        }
    }

    @Test func depthIsLimited() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue.parse(deepest).arrayValue?.count == 1)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError(offset: 64, message: "nested deeper than 64 levels")) { try JSONValue.parse(tooDeep) }
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(hostile) }
    }

    @Test func hostileInputNeverCrashesAndErrorsPointInsideTheText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:\\u0123456789abcdefEe+-.tnrul \n\u{1}é😀")
        var texts = (0..<5_000).map { _ in
            String((0..<Int.random(in: 0..<24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let document = #"{"a":[1,2.5e3,"x\u00e9\ud83d\ude00"],"b":{"c":null,"d":[true,false]}}"#
        texts += document.indices.map { String(document[..<$0]) }
        for text in texts {
            if case .failure(let error) = Result(catching: { () throws(JSONParseError) in try JSONValue.parse(text) }) {
                #expect((0...text.utf8.count).contains(error.offset), "\(text): \(error)")
            }
        }
    }
}
