/// An HTTP/1.1 request head as Sluice's clients send it (pulling tshttp:// and hls:// sources, calling backends).
public struct HTTPRequestHead: Sendable {
    public var method: String
    /// The request target: path and query, already percent-encoded.
    public var target: String
    /// In order; Host comes first and is always present.
    public var headers: [(name: String, value: String)]

    /// `host` is the Host header's value: the name, with `:port` when it is not the scheme's default.
    public init(method: String = "GET", target: String, host: String, headers: [(name: String, value: String)] = []) {
        self.method = method
        self.target = target.isEmpty ? "/" : target
        self.headers = [("Host", host)] + headers
    }

    /// The bytes on the wire. Refuses CR or LF inside any field, so a value from a config or a redirect cannot
    /// inject a header.
    public func serialized() throws -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let fields = [method, target] + headers.flatMap { [$0.name, $0.value] }
        if fields.contains(where: { $0.utf8.contains(13) || $0.utf8.contains(10) }) {
            throw HTTPParseError(.malformedHeader, "CR or LF inside a request field")
        }
        return Array(text.utf8)
    }
}
