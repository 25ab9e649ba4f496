import Foundation
import Testing
@testable import JSON

@Suite struct JSONValueTests {
    @Test func compactOutputIsValidJSONInOrder() throws {
        let value = JSONValue.object([
            ("tracks", .array([.object([("codec", .string("h264")), ("width", .int(320))])])),
            ("name", .string("quote \" backslash \\ newline \n bell \u{7}")),
            ("fps", .double(25)), ("ratio", .double(0.5)), ("nan", .double(.nan)), ("ok", .bool(true)), ("none", .null),
        ])
        let text = value.serialized()
        #expect(text.hasPrefix("{\"tracks\":[{\"codec\":\"h264\",\"width\":320}],\"name\""))
        #expect(!text.contains("\n"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["name"] as? String == "quote \" backslash \\ newline \n bell \u{7}")
        #expect(parsed["fps"] as? Int == 25 && parsed["ratio"] as? Double == 0.5)
        #expect(parsed["nan"] is NSNull)
    }

    @Test func prettyOutputParsesToTheSame() throws {
        let value = JSONValue.object([("a", .array([.int(1), .array([])])), ("b", .object([]))])
        let pretty = value.serialized(pretty: true)
        #expect(pretty.contains("\n  \"a\": ["))
        let a = try JSONSerialization.jsonObject(with: Data(pretty.utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(value.serialized().utf8)) as? NSDictionary
        #expect(a == b)
    }
}
