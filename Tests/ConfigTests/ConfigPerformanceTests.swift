import Testing
@testable import Config

@Suite struct ConfigPerformanceTests {
    /// 10,000 streams with several options each; release builds must parse and validate this well under 200 ms.
    /// A debug build is several times slower, so this bound only catches quadratic work.
    @Test func tenThousandStreams() throws {
        var text = "http 8080;\ndvr raid { root /s; }\n"
        for index in 0..<10_000 {
            text += """
                # channel \(index)
                stream ch\(index) {
                  input udp://239.\(index / 256 % 256).\(index % 256).1:1234 priority=1;
                  input tshttp://backup/ch\(index)/mpegts;
                  dvr @raid 1d 90%;
                  source_timeout 10; frames_timeout 3;
                }

                """
        }
        let clock = ContinuousClock()
        var result: ConfigParseResult?
        let elapsed = clock.measure { result = ConfigParser.parse(text, file: "big.conf") }
        let config = try #require(result?.config)
        #expect(config.streams.count == 10_000)
        print("parsed and validated 10,000 streams in \(elapsed)")
        #expect(elapsed < .seconds(5))
        let written = config.written()
        #expect(ConfigDiff(old: config, new: try #require(ConfigParser.parse(written, file: "w.conf").config)).unchanged.count == 10_000)
    }
}
