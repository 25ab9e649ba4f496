import Media
/// The server side of RTSP authentication: the challenges to send with a 401 (Digest MD5 with `qop="auth"`, then
/// Basic, for clients that know only Basic), and the check of a request's `Authorization` against a password.
///
/// The nonce is one per authenticator (one per connection), made by the caller (random bytes, hex): RTSP clients
/// reuse it for every request of the connection. Caveats: `nc` replays are not tracked (the connection is the
/// scope), and Basic sends the password in clear: offer it only where the network is trusted (`allowBasic`).
public struct RTSPServerAuthenticator: Sendable {
    public var realm: String
    public var nonce: String
    public var allowBasic: Bool

    public init(realm: String, nonce: String, allowBasic: Bool = true) {
        self.realm = realm
        self.nonce = nonce
        self.allowBasic = allowBasic
    }

    /// The `WWW-Authenticate` values of a 401, Digest first.
    public var challenges: [String] {
        var values = [RTSPAuthChallenge(scheme: .digest, parameters: ["realm": realm, "nonce": nonce, "qop": "auth", "algorithm": "MD5"]).headerValue]
        if allowBasic { values.append(RTSPAuthChallenge(scheme: .basic, parameters: ["realm": realm]).headerValue) }
        return values
    }

    /// Whether `authorization` (the header value, nil when absent) proves the password, for `method` (the request's).
    /// `user` nil accepts any user name (Sluice's `password` has none).
    public func verify(_ authorization: String?, method: String, user: String?, password: String) -> Bool {
        guard let authorization = authorization?.trimmedSpaces else { return false }
        let space = authorization.firstIndex(of: " ") ?? authorization.endIndex
        let scheme = authorization[..<space]
        let rest = String(authorization[space...])
        if scheme.equalsIgnoringCase("basic") {
            guard allowBasic, let decoded = Base64.decode(rest.trimmedSpaces) else { return false }
            let text = String(decoding: decoded, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { return false }
            let givenUser = String(text[..<colon])
            return (user == nil || user == givenUser) && constantTimeEqual(String(text[text.index(after: colon)...]), password)
        }
        guard scheme.equalsIgnoringCase("digest") else { return false }
        let parameters = parseAuthParameters(rest)
        guard let givenUser = parameters["username"], let uri = parameters["uri"], let response = parameters["response"],
            parameters["nonce"] == nonce, user == nil || user == givenUser
        else { return false }
        let algorithm = (parameters["algorithm"] ?? "MD5").uppercased()
        guard algorithm == "MD5" || algorithm == "MD5-SESS" else { return false }
        let qop = parameters["qop"]
        if let qop, !qop.equalsIgnoringCase("auth") { return false }
        if qop != nil, parameters["nc"] == nil || parameters["cnonce"] == nil { return false }
        let expected = DigestComputation.response(
            user: givenUser, realm: parameters["realm"] ?? realm, password: password, algorithm: algorithm, nonce: nonce,
            nc: parameters["nc"] ?? "", cnonce: parameters["cnonce"] ?? "", qop: qop.map { _ in "auth" }, method: method, uri: uri)
        return constantTimeEqual(expected, response.lowercased())
    }
}

private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
