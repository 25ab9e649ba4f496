import Testing
@testable import Config

@Suite struct PublishedStreamTests {
    private func config(_ text: String) throws -> ServerConfig {
        try #require(ConfigParser.parse(text, file: "test.conf").config)
    }

    @Test func aTemplateMakesStreamsUnderItsPrefixTheLongestPrefixWins() throws {
        let c = try config("""
            template chats { prefix chats; input publish://; segment_duration 2; }
            template vip { prefix chats/vip; input publish://; password x; }
            template pulled { prefix cams; input tshttp://origin/cams; }
            live studio { }
            stream plain { input publish://; }
            """)
        let room = try #require(c.publishedStream(named: "chats/room-15"))
        #expect(room.stream.name == "chats/room-15" && room.stream.settings.segmentDuration == 2)
        #expect(c.publishedStream(named: "chats/vip/a")?.stream.settings.password == "x")
        #expect(c.publishedStream(named: "studio/cam1")?.stream.settings.inputs.first?.url.scheme == "publish")
        for name in ["chats", "chats/", "chatsroom", "cams/a", "plain", "other/x"] {
            #expect(c.publishedStream(named: name) == nil, "\(name)")
        }
        #expect(c.stream(named: "plain")?.name == "plain")
        #expect(c.stream(named: "chats/room-15")?.name == "chats/room-15")
        #expect(c.stream(named: "chats") == nil, "a template is not a stream")
    }
}
