import Testing
@testable import HTTP

/// Reading a backend's answer: only 200 allows; everything else, and no answer, refuses (fail closed).
@Suite struct AuthVerdictTests {
    private func verdict(_ response: String) throws -> AuthVerdict {
        var parser = HTTPResponseParser()
        var head: HTTPResponseHead?
        try Array(response.utf8).withUnsafeBytes { bytes in
            try parser.feed(bytes) { if case .head(let h) = $0 { head = h } }
        }
        return AuthVerdict(try #require(head))
    }

    @Test func twoHundredAllowsForThirtySecondsByDefault() throws {
        let v = try verdict("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(v == .allowed(duration: 30, userID: nil))
        #expect(v.allows)
        #expect(v.detail == "HTTP 200, for 30 s")
    }

    @Test func twoHundredCarriesItsDurationAndUser() throws {
        let v = try verdict("HTTP/1.1 200 OK\r\nx-authduration: 600\r\nX-UserId: 17\r\nContent-Length: 2\r\n\r\nok")
        #expect(v == .allowed(duration: 600, userID: "17"))
        #expect(v.detail == "HTTP 200, for 600 s, user 17")
        #expect(try verdict("HTTP/1.1 200 OK\r\nX-AuthDuration: soon\r\n\r\n") == .allowed(duration: 30, userID: nil))
        #expect(try verdict("HTTP/1.1 200 OK\r\nX-AuthDuration: -5\r\n\r\n") == .allowed(duration: 30, userID: nil))
    }

    @Test func fourOhThreeDenies() throws {
        let v = try verdict("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        #expect(v == .denied)
        #expect(!v.allows)
        #expect(v.summary == "denied by the authorization backend (HTTP 403)")
    }

    @Test func aRedirectIsNotAnAllow() throws {
        let v = try verdict("HTTP/1.1 302 Found\r\nLocation: rtmp://other/live/x\r\n\r\n")
        #expect(v == .redirected(status: 302, location: "rtmp://other/live/x"))
        #expect(!v.allows)
        #expect(v.summary == "redirected by the authorization backend (HTTP 302)")
        #expect(v.detail == "HTTP 302 to rtmp://other/live/x")
        #expect(try verdict("HTTP/1.1 307 Temporary Redirect\r\n\r\n") == .redirected(status: 307, location: nil))
    }

    @Test(arguments: [(204, "No Content"), (401, "Unauthorized"), (404, "Not Found"), (500, "Internal Server Error"),
                      (503, "Service Unavailable")])
    func anyOtherStatusRefuses(status: Int, reason: String) throws {
        let v = try verdict("HTTP/1.1 \(status) \(reason)\r\nContent-Length: 0\r\n\r\n")
        #expect(v == .unexpected(status: status, reason: reason))
        #expect(!v.allows)
        #expect(v.summary == "the authorization backend answered HTTP \(status)")
        #expect(v.detail == "HTTP \(status) \(reason)")
    }

    /// No answer refuses, and what the client is told keeps the backend's address and errors to the log.
    @Test func noAnswerRefusesWithoutTellingTheClientWhy() {
        let v = AuthVerdict.unavailable("connect(10.0.0.5:8080): connection refused")
        #expect(!v.allows)
        #expect(v.summary == "the authorization backend did not answer")
        #expect(v.detail == "no answer: connect(10.0.0.5:8080): connection refused")
    }
}
