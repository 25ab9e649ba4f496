/// What a client asked to publish or play, as the server session reports it (`.publish`, `.play`) and the caller
/// decides on: the connect's `app` and `tcUrl`, the name of the publish/play command, both without their query,
/// the query items of both, and `streamName`, the Sluice stream this resolves to (spec reference.md section 3).
///
/// Resolution: the app's path and the name's path are joined, and a leading `static` is dropped:
/// `rtmp://HOST/static/NAME` (app `static`, name `NAME`) is `NAME`; `rtmp://HOST/chats/room-15` is `chats/room-15`.
/// Encoders split URLs differently, and all of these come out the same: ffmpeg (`rtmp://HOST/static/NAME?password=x`
/// gives app `static`, name `NAME?password=x`), OBS (server `rtmp://HOST/static`, key `NAME?password=x`), a server
/// URL carrying the query (app `static?password=x`, name `NAME`), or the whole path as the app with an empty name
/// (app `static/NAME`). Empty path segments are ignored. An empty `streamName` is refused by the session.
public struct RTMPStreamRequest: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `type`: "live", "record" or "append", as the client said.
        case publish(type: String)
        case play(start: Double, duration: Double, reset: Bool)
    }

    public var kind: Kind
    /// The app without its query.
    public var app: String
    /// The publish/play name without its query.
    public var name: String
    /// The app's query items, then the name's, percent-decoded (`+` is a space).
    public var query: [(name: String, value: String)]
    public var tcUrl: String
    /// The message stream the command came on (the one createStream gave).
    public var messageStreamID: UInt32
    /// The publish or play command's transaction id.
    public var transactionID: Double
    /// The app and name as received, queries included: what a handover carries.
    let rawApp: String
    let rawName: String

    public init(kind: Kind, app rawApp: String, name rawName: String, tcUrl: String, messageStreamID: UInt32 = 1,
                transactionID: Double = 0) {
        self.kind = kind
        self.rawApp = rawApp
        self.rawName = rawName
        self.tcUrl = tcUrl
        self.messageStreamID = messageStreamID
        self.transactionID = transactionID
        let (app, appQuery) = Self.splitQuery(rawApp)
        let (name, nameQuery) = Self.splitQuery(rawName)
        self.app = app
        self.name = name
        query = Self.parseQuery(appQuery) + Self.parseQuery(nameQuery)
    }

    public static func == (a: RTMPStreamRequest, b: RTMPStreamRequest) -> Bool {
        a.kind == b.kind && a.rawApp == b.rawApp && a.rawName == b.rawName && a.tcUrl == b.tcUrl
            && a.messageStreamID == b.messageStreamID && a.transactionID == b.transactionID
    }

    public var isPublish: Bool { if case .publish = kind { true } else { false } }

    /// The stream this request is for (see the type's comment).
    public var streamName: String {
        var segments = (app.split(separator: "/") + name.split(separator: "/")).map(String.init)
        if segments.count > 1, segments[0] == "static" { segments.removeFirst() }
        return segments.joined(separator: "/")
    }

    /// The first query item named `key`.
    public func queryValue(_ key: String) -> String? {
        query.first { $0.name == key }?.value
    }

    /// `?password=...` of the URL.
    public var password: String? { queryValue("password") }

    private static func splitQuery(_ text: String) -> (String, Substring) {
        guard let mark = text.firstIndex(of: "?") else { return (text, "") }
        return (String(text[..<mark]), text[text.index(after: mark)...])
    }

    private static func parseQuery(_ query: Substring) -> [(name: String, value: String)] {
        query.split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(pair[0]), pair.count > 1 ? decode(pair[1]) : "")
        }
    }

    /// Percent-decoding, lenient: a `%` without two hex digits after it stays as it is (a password may hold one).
    static func decode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == 0x25 || $0 == 0x2B }) else { return String(text) }
        func hexValue(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count,
               let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
                continue
            }
            out.append(bytes[i] == 0x2B ? 0x20 : bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
