import Testing
@testable import HTTP
import TestSupport

/// The GET an authorization backend receives (spec reference.md section 4): every parameter, in order, encoded.
@Suite struct AuthBackendRequestTests {
    private let publish = AuthBackendRequest.publish(name: "pub", ip: "127.0.0.1", proto: .rtmp, token: "abc",
                                                     sessionID: "00000000000000ff")
    private let query = "name=pub&ip=127.0.0.1&proto=rtmp&token=abc&session_id=00000000000000ff"
        + "&request_type=new_session&request_number=1&referer=&user_agent=&stream_clients=0&total_clients=0"

    @Test func aPublishIsANewSessionWithEveryParameter() {
        #expect(publish.url(appendedTo: "http://auth.local/publish") == "http://auth.local/publish?" + query)
        #expect(publish.parameters.map(\.name) == ["name", "ip", "proto", "token", "session_id", "request_type",
                                                   "request_number", "referer", "user_agent", "stream_clients",
                                                   "total_clients"])
    }

    @Test func aMissingTokenIsSentEmpty() {
        let request = AuthBackendRequest.publish(name: "pub", ip: "::1", proto: .rtmp, token: nil, sessionID: "1")
        #expect(request.query.contains("&ip=%3A%3A1&proto=rtmp&token=&session_id=1&"))
    }

    @Test(arguments: [
        ("http://auth/check?key=k", "http://auth/check?key=k&"),
        ("http://auth/check?", "http://auth/check?"),
        ("http://auth/check?key=k&", "http://auth/check?key=k&"),
        ("http://auth/check#frag", "http://auth/check?"),
        ("http://auth/check?key=k#frag?x", "http://auth/check?key=k&"),
        ("http://auth:8080", "http://auth:8080?"),
    ])
    func appendsToAURLThatMayHaveAQuery(backend: String, prefix: String) {
        #expect(publish.url(appendedTo: backend) == prefix + query)
    }

    @Test func valuesArePercentEncoded() {
        let request = AuthBackendRequest.publish(name: "chats/room-15", ip: "10.0.0.1", proto: .rtmp,
                                                 token: "a b&c=d+e/é?#%~", sessionID: "s")
        #expect(request.query.hasPrefix("name=chats%2Froom-15&ip=10.0.0.1&proto=rtmp&token=a%20b%26c%3Dd%2Be%2F%C3%A9%3F%23%25~&"))
    }

    /// Whatever a token holds, a backend decoding the query (form style or not) reads back exactly that token.
    @Test func encodedValuesDecodeToWhatWasSent() {
        var random = SplitMix64(seed: 5)
        let alphabet = Array("aZ09-._~ !\"#$%&'()*+,/:;<=>?@[\\]^`{|}éß€😀\t")
        for _ in 0..<500 {
            let token = String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let encoded = PercentEncoding.encodeQueryComponent(token)
            #expect(encoded.utf8.allSatisfy { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "%") })
            #expect(PercentDecoding.decode(encoded, plusIsSpace: true) == token)
            #expect(PercentDecoding.decode(encoded, plusIsSpace: false) == token)
        }
    }

    @Test func otherSessionsCarryTheirCountsAndHeaders() {
        let play = AuthBackendRequest(name: "cam", ip: "10.1.1.1", proto: .hls, token: "t", sessionID: "x",
                                      requestType: .updateSession, requestNumber: 3, referer: "http://site/page?a=b",
                                      userAgent: "VLC/3.0", streamClients: 7, totalClients: 42)
        #expect(play.query == "name=cam&ip=10.1.1.1&proto=hls&token=t&session_id=x&request_type=update_session"
                    + "&request_number=3&referer=http%3A%2F%2Fsite%2Fpage%3Fa%3Db&user_agent=VLC%2F3.0"
                    + "&stream_clients=7&total_clients=42")
    }

    @Test func sessionIDsAreSixteenHexDigitsAndDiffer() {
        let ids = (0..<100).map { _ in AuthBackendRequest.newSessionID() }
        #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(ids).count == ids.count)
    }

    @Test func theResultParsesAsTheURLTheClientCalls() throws {
        let url = try HTTPURL(parsing: publish.url(appendedTo: "http://127.0.0.1:9000/auth?key=k"))
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 9000)
        #expect(url.target == "/auth?key=k&" + query)
    }
}
