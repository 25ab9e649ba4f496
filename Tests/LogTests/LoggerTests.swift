import Testing
@testable import Log

@Suite struct LoggerTests {
    @Test func timestampIsUTCWithMilliseconds() {
        let stamp = Logger.timestamp()
        #expect(stamp.count == 24)
        #expect(stamp.hasSuffix("Z"))
        #expect(Array(stamp)[10] == "T" && Array(stamp)[19] == ".")
    }

    @Test func messagesStayOnOneLine() {
        #expect(Logger.oneLine("a\nb\r\nc\rd") == "a b c d")
        #expect(Logger.oneLine("plain") == "plain")
    }

    @Test func levelsByName() {
        #expect(Logger.Level(name: "notice") == .notice)
        #expect(Logger.Level(name: "loud") == nil)
        #expect(Logger.Level.debug < .error)
    }
}
