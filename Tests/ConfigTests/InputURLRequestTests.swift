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
        #expect(throws: InputURLError.self) { try url.resolvingRedirect("https://secure/live.ts") }
        #expect(throws: InputURLError.self) { try url.resolvingRedirect("relative/path") }
    }
}
