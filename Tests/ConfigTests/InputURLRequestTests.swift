import Testing
@testable import Config

@Suite struct InputURLRequestTests {
    @Test func authorityAndTarget() throws {
        let url = try InputURL(parsing: "tshttp://user:pw@origin:8080/news/mpegts?token=a")
        #expect(url.authority == "origin:8080")
        #expect(url.requestTarget == "/news/mpegts?token=a")
        let v6 = try InputURL(parsing: "tshttp://[::1]/")
        #expect(v6.authority == "[::1]" && v6.requestTarget == "/")
        #expect(try InputURL(parsing: "tshttp://h").requestTarget == "/")
    }

    @Test func redirects() throws {
        let url = try InputURL(parsing: "tshttp://origin:8080/old")
        #expect(try url.resolvingRedirect("/new?x=1").text == "tshttp://origin:8080/new?x=1")
        #expect(try url.resolvingRedirect("http://edge2/live.ts").text == "tshttp://edge2/live.ts")
        #expect(try url.resolvingRedirect("https://secure/live.ts").text == "tshttps://secure/live.ts")
        #expect(throws: InputURLError.self) { try url.resolvingRedirect("relative/path") }
        #expect(throws: InputURLError.self) { try url.resolvingRedirect("ftp://edge2/live.ts") }
        let secure = try InputURL(parsing: "tshttps://origin/old")
        #expect(try secure.resolvingRedirect("/new").text == "tshttps://origin/new")
        #expect(try secure.resolvingRedirect("https://edge2:8443/live.ts").text == "tshttps://edge2:8443/live.ts")
        let downgrade = try #require(throws: InputURLError.self) { try secure.resolvingRedirect("http://edge2/live.ts") }
        #expect(downgrade.message.contains("it would drop TLS"))
    }
}
