/// An `rtmp://host[:port]/app/name[?query]` or `rtmps://` URL, split the way ffmpeg splits it
/// (libavformat/rtmpproto.c), since that is what servers expect of a client: with two path segments the first is
/// the app and the second the name; with more, the first two are the app (`app/instance`) and the rest the name.
/// The query stays on the name (the "play path"), where servers look for `?password=`. `rtmpe` and `rtmpt` are
/// refused by name.
public struct RTMPURL: Equatable, Sendable {
    public static let defaultPort = 1935
    /// `rtmps://`'s port when the URL gives none: 443, as ffmpeg and the services that take RTMPS use.
    public static let defaultSecurePort = 443

    public var host: String
    public var port: Int
    /// `rtmps://`: RTMP over TLS. The session is the same; the connection is the caller's.
    public var isSecure: Bool
    public var app: String
    /// The publish or play name, with the URL's query.
    public var playPath: String
    /// `rtmp://host[:port]/app`, as connect sends it.
    public var tcUrl: String

    public init(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].hasPrefix("//") else { throw RTMPError(.badURL, "\"\(text)\": no scheme") }
        let scheme = parts[0].lowercased()
        guard scheme == "rtmp" || scheme == "rtmps" else {
            throw RTMPError(.badURL, "\"\(text)\": scheme \(scheme) not supported, only rtmp and rtmps")
        }
        isSecure = scheme == "rtmps"
        let rest = parts[1].dropFirst(2)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        var path = slash < rest.endIndex ? rest[rest.index(after: slash)...] : ""
        var query: Substring = ""
        if let mark = path.firstIndex(of: "?") {
            query = path[mark...]
            path = path[..<mark]
        }
        (host, port) = try Self.splitAuthority(authority, url: text, defaultPort: isSecure ? Self.defaultSecurePort : Self.defaultPort)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, !segments[0].isEmpty else {
            throw RTMPError(.badURL, "\"\(text)\": want rtmp://host/app/name")
        }
        let appCount = segments.count > 2 ? 2 : 1
        app = segments[..<appCount].joined(separator: "/")
        playPath = segments[appCount...].joined(separator: "/") + query
        guard !playPath.isEmpty, !playPath.hasPrefix("?") else {
            throw RTMPError(.badURL, "\"\(text)\": no stream name after the app")
        }
        tcUrl = "\(scheme)://\(authority)/\(app)"
    }

    private static func splitAuthority(_ authority: Substring, url: String, defaultPort: Int) throws -> (String, Int) {
        var host = authority
        var portText: Substring = ""
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {  // [IPv6]:port
            portText = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            guard portText.isEmpty || portText.hasPrefix(":") else { throw RTMPError(.badURL, "\"\(url)\": bad host") }
            portText = portText.dropFirst()
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains("@") else { throw RTMPError(.badURL, "\"\(url)\": bad host") }
        if portText.isEmpty { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw RTMPError(.badURL, "\"\(url)\": bad port \"\(portText)\"")
        }
        return (String(host), port)
    }
}
