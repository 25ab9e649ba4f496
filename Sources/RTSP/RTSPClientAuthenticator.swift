import Media
/// The client side of RTSP authentication: given the camera's challenge and the URL's credentials, the
/// `Authorization` value for each request. Digest (RFC 2617) with `qop=auth` or without qop, MD5 or MD5-sess;
/// Basic. The nonce is reused for later requests with `nc` counting up, as RFC 2617 3.2.2 allows, so a camera is
/// asked once per connection (a `stale=true` challenge takes a new nonce: `RTSPClientSession` retries once).
///
/// `cnonce` values come from a seeded generator so tests are reproducible; they need only differ per request.
public struct RTSPClientAuthenticator: Sendable {
    public let challenge: RTSPAuthChallenge
    public let credentials: RTSPCredentials
    private var nonceCount: UInt32 = 0
    private var cnonceState: UInt64

    public init(challenge: RTSPAuthChallenge, credentials: RTSPCredentials, seed: UInt64 = 0x5EED_C0FF_EE12_3456) {
        self.challenge = challenge
        self.credentials = credentials
        cnonceState = seed
    }

    /// The `Authorization` header value for one request (`uri` exactly as on the request line).
    public mutating func authorization(method: String, uri: String) -> String {
        if challenge.scheme == .basic {
            return "Basic " + Base64.encode(Array("\(credentials.user):\(credentials.password)".utf8))
        }
        nonceCount &+= 1
        cnonceState = cnonceState &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let cnonce = String(cnonceState >> 16, radix: 16)
        let nc = hex8(nonceCount).lowercased()
        let nonce = challenge.nonce ?? ""
        let qop = challenge.offersQopAuth ? "auth" : nil
        let response = DigestComputation.response(
            user: credentials.user, realm: challenge.realm, password: credentials.password, algorithm: challenge.algorithm,
            nonce: nonce, nc: nc, cnonce: cnonce, qop: qop, method: method, uri: uri)
        var text = "Digest username=\"\(credentials.user)\", realm=\"\(challenge.realm)\", nonce=\"\(nonce)\", uri=\"\(uri)\", response=\"\(response)\""
        if challenge.parameters["algorithm"] != nil { text += ", algorithm=\(challenge.parameters["algorithm"]!)" }
        if let opaque = challenge.opaque { text += ", opaque=\"\(opaque)\"" }
        if let qop { text += ", qop=\(qop), nc=\(nc), cnonce=\"\(cnonce)\"" }
        return text
    }
}

/// The Digest response of RFC 2617 3.2.2.1, shared by the client and the server sides.
enum DigestComputation {
    static func response(
        user: String, realm: String, password: String, algorithm: String, nonce: String, nc: String, cnonce: String,
        qop: String?, method: String, uri: String
    ) -> String {
        var ha1 = MD5.hex("\(user):\(realm):\(password)")
        if algorithm == "MD5-SESS" { ha1 = MD5.hex("\(ha1):\(nonce):\(cnonce)") }
        let ha2 = MD5.hex("\(method):\(uri)")
        if let qop { return MD5.hex("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)") }
        return MD5.hex("\(ha1):\(nonce):\(ha2)")
    }
}
