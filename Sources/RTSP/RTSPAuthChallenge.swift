/// A `WWW-Authenticate` challenge (RFC 2617 / RFC 7616 for Digest, RFC 7617 for Basic): the scheme and its
/// parameters (`realm`, `nonce`, `qop`, `algorithm`, `opaque`, `stale`), names lower-cased, values unquoted.
/// Cameras send one header per scheme; `preferred` picks the strongest one Sluice can answer (Digest MD5 over Basic).
public struct RTSPAuthChallenge: Sendable, Equatable {
    public enum Scheme: String, Sendable {
        case basic = "Basic"
        case digest = "Digest"
    }

    public var scheme: Scheme
    public var parameters: [String: String]

    public init(scheme: Scheme, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    /// nil for another scheme (Bearer, NTLM...) or a header without one.
    public init?(parsing text: String) {
        let trimmed = text.trimmedSpaces
        let space = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
        let name = trimmed[..<space]
        if name.equalsIgnoringCase("basic") {
            scheme = .basic
        } else if name.equalsIgnoringCase("digest") {
            scheme = .digest
        } else {
            return nil
        }
        parameters = parseAuthParameters(String(trimmed[space...]))
    }

    public var realm: String { parameters["realm"] ?? "" }
    public var nonce: String? { parameters["nonce"] }
    public var opaque: String? { parameters["opaque"] }
    /// The algorithm, upper-cased; MD5 when absent.
    public var algorithm: String { (parameters["algorithm"] ?? "MD5").uppercased() }
    /// Whether `qop` offers `auth` (Sluice does not do `auth-int`).
    public var offersQopAuth: Bool {
        (parameters["qop"] ?? "").split(separator: ",").contains { $0.trimmedSpaces.equalsIgnoringCase("auth") }
    }
    public var stale: Bool { (parameters["stale"] ?? "").equalsIgnoringCase("true") }

    /// Whether Sluice can answer it: Basic, or Digest with MD5 / MD5-sess and a nonce. SHA-256 (RFC 7616) is not
    /// built (no camera seen in the field requires it).
    public var isSupported: Bool {
        scheme == .basic || (nonce != nil && (algorithm == "MD5" || algorithm == "MD5-SESS"))
    }

    /// The strongest supported challenge among a response's `WWW-Authenticate` values.
    public static func preferred(_ values: [String]) -> RTSPAuthChallenge? {
        let challenges = values.compactMap { RTSPAuthChallenge(parsing: $0) }.filter(\.isSupported)
        return challenges.first { $0.scheme == .digest } ?? challenges.first
    }

    public var headerValue: String {
        let order = ["realm", "nonce", "qop", "algorithm", "opaque", "stale"]
        let known = order.compactMap { key in parameters[key].map { (key, $0) } }
        let others = parameters.filter { !order.contains($0.key) }.sorted { $0.key < $1.key }
        let items = (known + others.map { ($0.key, $0.value) }).map { key, value in
            key == "algorithm" || key == "stale" ? "\(key)=\(value)" : "\(key)=\"\(value)\""
        }
        return items.isEmpty ? scheme.rawValue : scheme.rawValue + " " + items.joined(separator: ", ")
    }
}

/// `a="x", b=y` into a dictionary, names lower-cased; commas inside quotes kept.
func parseAuthParameters(_ text: String) -> [String: String] {
    var parameters: [String: String] = [:]
    for item in text.splitOutsideQuotes(",") {
        let (key, value) = splitParameter(item)
        if !key.isEmpty { parameters[key.lowercased()] = value ?? "" }
    }
    return parameters
}
