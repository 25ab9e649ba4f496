/// An `rtsp://`, `rtsps://` or `rtsp2://` URL as a config line gives it:
/// `SCHEME://[user[:password]@]host[:port][/path][?query]`, the host a name, an IPv4 address or an IPv6 address in
/// brackets. `rtsp2://` is Sluice's own scheme: RTSP whose G.711 audio is to be transcoded to AAC; on the wire it is
/// `rtsp://`. User and password are percent-decoded; they never appear in `requestURL`.
///
/// `tracks=N[,M]` is a Sluice option of the config line, not of the camera's URL: when a query holds it, it is taken
/// out (`tracks`) and the rest of the query is kept.
public struct RTSPURL: Sendable, Equatable {
    public enum Scheme: String, Sendable {
        case rtsp
        case rtsps
        case rtsp2
    }

    public var scheme: Scheme
    public var user: String?
    public var password: String?
    /// Without brackets for IPv6.
    public var host: String
    public var port: Int
    /// Starts with `/` (just `/` when the URL had none), percent-encoding kept as written.
    public var path: String
    /// Without the `?`; nil when absent.
    public var query: String?
    /// 1-based SDP media indexes from `tracks=`; nil: the default selection.
    public var tracks: [Int]?

    public init(_ text: String) throws(RTSPError) {
        guard let schemeEnd = text.firstRange(of: "://") else { throw RTSPError(.badURL, "no scheme in \"\(text)\"") }
        guard let scheme = Scheme(rawValue: text[..<schemeEnd.lowerBound].lowercased()) else {
            throw RTSPError(.badURL, "not an rtsp:// URL: \"\(text)\"")
        }
        self.scheme = scheme
        var rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try percentDecoded(userInfo[..<colon])
                password = try percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                user = try percentDecoded(userInfo)
            }
        }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw RTSPError(.badURL, "unclosed IPv6 address in \"\(text)\"") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw RTSPError(.badURL, "junk after the IPv6 address in \"\(text)\"") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty, !host.contains(" ") else { throw RTSPError(.badURL, "no host in \"\(text)\"") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw RTSPError(.badURL, "bad port \"\(portText)\" in \"\(text)\"")
            }
            self.port = port
        } else {
            port = scheme == .rtsps ? 322 : 554
        }
        if let question = rest.firstIndex(of: "?") {
            path = String(rest[..<question])
            var items: [Substring] = []
            for item in rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false) {
                if item.hasPrefix("tracks=") {
                    tracks = try RTSPURL.parseTracks(String(item.dropFirst(7)))
                } else {
                    items.append(item)
                }
            }
            query = items.isEmpty ? nil : items.joined(separator: "&")
        } else {
            path = String(rest)
        }
        if path.isEmpty { path = "/" }
    }

    /// `1,2` → [1, 2]: 1-based, positive, no repeats.
    public static func parseTracks(_ text: String) throws(RTSPError) -> [Int] {
        var tracks: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let track = Int(item.trimmedSpaces), track >= 1, !tracks.contains(track) else {
                throw RTSPError(.badURL, "bad tracks=\"\(text)\" (1-based track numbers, comma-separated)")
            }
            tracks.append(track)
        }
        return tracks
    }

    /// `host` as it goes in a URL: IPv6 in brackets.
    public var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    /// What goes on the request line: no credentials, no `tracks=`, `rtsp2` written `rtsp`, the port only when it
    /// is not the scheme's default.
    public var requestURL: String {
        let wireScheme = scheme == .rtsps ? "rtsps" : "rtsp"
        let defaultPort = scheme == .rtsps ? 322 : 554
        var text = "\(wireScheme)://\(hostForURL)"
        if port != defaultPort { text += ":\(port)" }
        text += path
        if let query { text += "?" + query }
        return text
    }

    public var credentials: RTSPCredentials? {
        user.map { RTSPCredentials(user: $0, password: password ?? "") }
    }
}

func percentDecoded(_ text: Substring) throws(RTSPError) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
        if byte == 0x25 {
            guard iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            else { throw RTSPError(.badURL, "bad percent-encoding in \"\(text)\"") }
            bytes.append(value)
            iterator = iterator.dropFirst(2)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Resolve a URL an RTSP peer gave (an SDP `a=control`, a `Location`) against a base (RFC 2326 C.1.1: Content-Base,
/// else Content-Location, else the request URL). Absolute URLs stand; `*` and empty give the base; `/x` replaces the
/// base's path; anything else is appended to the base after a `/`. The last rule is not RFC 3986's (which would
/// replace the base's last segment): it is what ffmpeg, live555 and gortsplib do, and what cameras expect
/// (Dahua's base `.../realmonitor?channel=1&subtype=0/` with `trackID=0`; bases without a trailing slash).
public func resolveRTSPURL(_ reference: String, against base: String) -> String {
    let reference = reference.trimmedSpaces
    if reference.isEmpty || reference == "*" { return base }
    if let schemeEnd = reference.firstRange(of: "://"), reference[..<schemeEnd.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" }) {
        return reference
    }
    if reference.hasPrefix("/") {
        guard let schemeEnd = base.firstRange(of: "://") else { return reference }
        let authorityEnd = base[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? base.endIndex
        return String(base[..<authorityEnd]) + reference
    }
    return base.hasSuffix("/") ? base + reference : base + "/" + reference
}
