import Testing
@testable import RTSP

@Suite struct AuthenticationTests {
    /// RFC 1321 appendix A.5.
    @Test func md5Vectors() {
        let vectors = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, digest) in vectors { #expect(MD5.hex(input) == digest) }
    }

    /// RFC 2617 section 3.5: Mufasa, "Circle Of Life", qop=auth.
    @Test func digestRFC2617Example() {
        let response = DigestComputation.response(
            user: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", algorithm: "MD5",
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", nc: "00000001", cnonce: "0a4f113b", qop: "auth", method: "GET", uri: "/dir/index.html")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func clientAndServerAgree() throws {
        let server = RTSPServerAuthenticator(realm: "IP Camera(C1234)", nonce: "9f1e2d3c")
        for header in server.challenges {
            let challenge = try #require(RTSPAuthChallenge(parsing: header))
            var client = RTSPClientAuthenticator(challenge: challenge, credentials: RTSPCredentials(user: "admin", password: "12345"))
            for _ in 0..<3 {
                let value = client.authorization(method: "DESCRIBE", uri: "rtsp://cam/stream")
                #expect(server.verify(value, method: "DESCRIBE", user: "admin", password: "12345"))
                #expect(server.verify(value, method: "DESCRIBE", user: nil, password: "12345"))
                #expect(!server.verify(value, method: "DESCRIBE", user: "admin", password: "wrong"))
                #expect(!server.verify(value, method: "PLAY", user: "admin", password: "12345") || challenge.scheme == .basic)
            }
        }
        // No qop (old Dahua / Axis firmware answer this way).
        let noQop = try #require(RTSPAuthChallenge(parsing: "Digest realm=\"AXIS_00408C\", nonce=\"0024e47aY398\", stale=FALSE"))
        var client = RTSPClientAuthenticator(challenge: noQop, credentials: RTSPCredentials(user: "root", password: "pass"))
        let value = client.authorization(method: "OPTIONS", uri: "rtsp://cam/axis-media/media.amp")
        #expect(!value.contains("qop") && !value.contains("nc="))
        let expected = MD5.hex("\(MD5.hex("root:AXIS_00408C:pass")):0024e47aY398:\(MD5.hex("OPTIONS:rtsp://cam/axis-media/media.amp"))")
        #expect(value.contains("response=\"\(expected)\""))
        #expect(!server.verify(nil, method: "X", user: nil, password: "p") && !server.verify("Bearer x", method: "X", user: nil, password: "p"))
    }

    @Test func preferredChallenge() {
        let picked = RTSPAuthChallenge.preferred(["Basic realm=\"cam\"", "Digest realm=\"cam\", nonce=\"n\", algorithm=SHA-256", "Digest realm=\"cam\", nonce=\"m\""])
        #expect(picked?.scheme == .digest && picked?.nonce == "m")
        #expect(RTSPAuthChallenge.preferred(["Digest realm=\"cam\", nonce=\"n\", algorithm=SHA-256"]) == nil)
        #expect(RTSPAuthChallenge.preferred(["Basic realm=\"cam\""])?.scheme == .basic)
    }
}
