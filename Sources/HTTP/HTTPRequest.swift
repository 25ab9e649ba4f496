/// A request head as a server receives it, with its target already taken apart: the path percent-decoded and
/// checked, the query split into decoded items.
public struct HTTPRequest: Sendable {
    public enum Version: String, Sendable {
        case http10 = "HTTP/1.0"
        case http11 = "HTTP/1.1"
    }

    public var method: String
    /// As received (percent-encoded, with its query).
    public let target: String
    /// Percent-decoded, starting with `/` (`*` for `OPTIONS *`). Never holds a `.` or `..` segment or a NUL.
    public let path: String
    /// Decoded query items in order (`+` read as a space); an item without `=` has an empty value.
    public let query: [(name: String, value: String)]
    public var version: Version
    public var headers: HTTPHeaders

    /// Takes `target` apart: origin form (`/a/b?c=d`), absolute form (`http://host/a/b`, the host ignored), or `*`
    /// for OPTIONS. Throws `.badTarget` for any other form, a fragment, bad percent-encoding, or a `.`/`..` segment,
    /// which could otherwise escape a directory or slip past a per-path rule.
    public init(method: String, target: String, version: Version = .http11, headers: HTTPHeaders = HTTPHeaders()) throws {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        var rest = Substring(target)
        if target == "*" && method == "OPTIONS" {
            path = "*"
            query = []
            return
        }
        if !rest.hasPrefix("/") {
            guard let scheme = ["http://", "https://"].first(where: { HTTPHeaders.namesMatch(rest.prefix($0.count), $0) }) else {
                throw HTTPParseError(.badTarget, "\"\(HTTPSyntax.quote(target.utf8))\" is neither a path nor an http URL")
            }
            rest = rest.dropFirst(scheme.count)
            rest = rest[(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)...]
        }
        guard !rest.contains("#") else { throw HTTPParseError(.badTarget, "fragment in \"\(HTTPSyntax.quote(target.utf8))\"") }
        let question = rest.firstIndex(of: "?")
        let rawPath = question.map { rest[..<$0] } ?? rest
        guard let decoded = PercentDecoding.decode(rawPath.isEmpty ? "/" : rawPath, plusIsSpace: false) else {
            throw HTTPParseError(.badTarget, "bad percent-encoding in \"\(HTTPSyntax.quote(rawPath.utf8))\"")
        }
        if decoded.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            throw HTTPParseError(.badTarget, "dot segment in \"\(HTTPSyntax.quote(target.utf8))\"")
        }
        path = decoded
        var items: [(name: String, value: String)] = []
        if let question {
            for item in rest[rest.index(after: question)...].split(separator: "&") {
                let equals = item.firstIndex(of: "=")
                guard let name = PercentDecoding.decode(item[..<(equals ?? item.endIndex)], plusIsSpace: true),
                      let value = PercentDecoding.decode(equals.map { item[item.index(after: $0)...] } ?? "", plusIsSpace: true) else {
                    throw HTTPParseError(.badTarget, "bad percent-encoding in query item \"\(HTTPSyntax.quote(item.utf8))\"")
                }
                items.append((name, value))
            }
        }
        query = items
    }

    /// The first value of a query item, matched exactly.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`; HTTP/1.0 only
    /// with `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.contains("Connection", token: "close") { return false }
        return version == .http11 || headers.contains("Connection", token: "keep-alive")
    }

    /// A HEAD request: answer with the head GET would get, and no body.
    public var isHead: Bool { method == "HEAD" }
}
