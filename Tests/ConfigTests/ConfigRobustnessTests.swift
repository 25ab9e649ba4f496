import Testing
@testable import Config

/// ConfigParser.parse is the fuzzing entry: it must never trap, whatever the input.
@Suite struct ConfigRobustnessTests {
    @Test func everyPrefixOfARealConfigParses() {
        let text = ConfigWriterTests.realLooking
        var end = text.startIndex
        while end < text.endIndex {
            _ = ConfigParser.parse(String(text[..<end]), file: "t.conf")
            end = text.index(after: end)
        }
    }

    @Test func randomMutationsNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        let base = Array(ConfigWriterTests.realLooking.utf8)
        let alphabet = Array("{};#\"\\= \n:/@%0aZ9é\u{0}".utf8) + [0xFF, 0xC3]
        for _ in 0..<300 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator) ?? 0
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0, at: index)
                }
            }
            let result = ConfigParser.parse(String(decoding: bytes, as: UTF8.self), file: "t.conf")
            if let config = result.config {
                #expect(ConfigParser.parse(config.written(), file: "w.conf").config == config)
            }
        }
    }

    @Test func hostileValues() {
        let huge = String(repeating: "9", count: 10_000)
        #expect(parseConfig("http \(huge);").config == nil)
        #expect(parseConfig("stream a { input udp://:\(huge); dvr /s \(huge)d \(huge)% \(huge)G; }").errors.count == 5)
        #expect(parseConfig("stream a { input fake://fake; mpegts_pids v\(huge)=1 a1=16#\(huge); }").errors.count == 2)
        #expect(parseConfig(String(repeating: "\"", count: 1001)).config == nil)
        #expect(parseConfig("\u{FEFF}http 80;").config == nil)
        #expect(parseConfig("").config == ServerConfig())
    }
}
