/// The status line and headers of an HTTP/1.x response.
public struct HTTPResponseHead: Equatable, Sendable {
    public var version: String
    public var status: Int
    public var reason: String
    /// In received order; names as sent. Look up with `header(_:)`.
    public var headers: [(name: String, value: String)]

    public init(version: String, status: Int, reason: String, headers: [(name: String, value: String)]) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.version == b.version && a.status == b.status && a.reason == b.reason
            && a.headers.elementsEqual(b.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}
