import Testing
import HTTP

/// The http:// and https:// URLs Sluice calls (authorization backends): where to connect, the Host header, the request target.
@Suite struct HTTPURLTests {
    @Test func splitsHostPortAndTarget() throws {
        let url = try HTTPURL(parsing: "http://auth.example:8080/check/publish?key=a%20b")
        #expect(url.host == "auth.example")
        #expect(url.port == 8080)
        #expect(url.authority == "auth.example:8080")
        #expect(url.target == "/check/publish?key=a%20b")
        #expect(url.description == "http://auth.example:8080/check/publish?key=a%20b")
    }

    @Test(arguments: [
        ("http://auth", "auth", 80, "auth", "/"),
        ("HTTP://auth/", "auth", 80, "auth", "/"),
        ("http://auth?x=1", "auth", 80, "auth", "/?x=1"),
        ("http://auth/p#frag", "auth", 80, "auth", "/p"),
        ("http://[::1]:9000/a", "::1", 9000, "[::1]:9000", "/a"),
        ("http://[fe80::1]/a", "fe80::1", 80, "[fe80::1]", "/a"),
        ("http://127.0.0.1:1/", "127.0.0.1", 1, "127.0.0.1:1", "/"),
        ("https://auth/p", "auth", 443, "auth", "/p"),
        ("HTTPS://auth:8443?x=1", "auth", 8443, "auth:8443", "/?x=1"),
    ])
    func forms(text: String, host: String, port: Int, authority: String, target: String) throws {
        let url = try HTTPURL(parsing: text)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.authority == authority)
        #expect(url.target == target)
        #expect(url.isSecure == text.lowercased().hasPrefix("https"))
    }

    @Test(arguments: [
        ("ftp://auth/p", "expected an http:// or https:// URL"),
        ("https:///p", "expected a host after 'https://'"),
        ("/etc/sluice/publish.lua", "is not a URL"),
        ("http://user:pass@auth/p", "credentials"),
        ("http:///p", "expected a host"),
        ("http://:80/p", "expected a host"),
        ("http://auth:0/", "port '0'"),
        ("http://auth:65536/", "port '65536'"),
        ("http://auth:8o/", "port '8o'"),
        ("http://auth:+80/", "port '+80'"),
        ("http://[::1/", "expected ']'"),
        ("http://[::1]x/", "expected ':PORT'"),
        ("http://auth/a b", "spaces and control characters"),
        ("http://auth/a\r\nX-Injected: 1", "spaces and control characters"),
    ])
    func refusals(text: String, message: String) throws {
        let error = try #require(throws: HTTPURLError.self) { try HTTPURL(parsing: text) }
        #expect(error.message.contains(message), "\(error)")
        #expect(error.message.contains("'\(text)'"))
    }
}
