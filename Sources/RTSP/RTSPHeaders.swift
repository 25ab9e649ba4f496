/// The header fields of an RTSP message, in the order received or added. Names compare case-insensitively
/// (`cseq` finds `CSeq`); a name may repeat (several `WWW-Authenticate`). Lookups are linear: a message has a
/// dozen fields.
public struct RTSPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        for (name, value) in fields { add(name, value) }
    }

    public static func == (lhs: RTSPHeaders, rhs: RTSPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name.lowercased() == $1.name.lowercased() && $0.value == $1.value }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.name.lowercased() == key }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        let key = name.lowercased()
        return fields.filter { $0.name.lowercased() == key }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every value of `name` with one.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        let key = name.lowercased()
        fields.removeAll { $0.name.lowercased() == key }
    }

    // Typed accessors for the fields every exchange uses.

    public var cseq: Int? { self["CSeq"].flatMap { Int($0.trimmedSpaces) } }
    public var contentLength: String? { self["Content-Length"] }
    public var contentType: String? { self["Content-Type"] }
    /// The base for relative `a=control` URLs (RFC 2326 C.1.1), and the next two in its order.
    public var contentBase: String? { self["Content-Base"]?.trimmedSpaces }
    public var contentLocation: String? { self["Content-Location"]?.trimmedSpaces }
    /// Where a 3xx sends the client.
    public var location: String? { self["Location"]?.trimmedSpaces }
    public var session: RTSPSessionHeader? { self["Session"].flatMap { RTSPSessionHeader(parsing: $0) } }
    /// The methods of a `Public` header (`OPTIONS, DESCRIBE, ...`), upper-cased; several headers are joined.
    public var publicMethods: [String] {
        values("Public").flatMap { $0.split(separator: ",") }.map { $0.trimmedSpaces.uppercased() }.filter { !$0.isEmpty }
    }
}
