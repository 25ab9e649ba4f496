/// Header fields in the order they came (or will be sent), names as written. Lookup ignores ASCII case; a repeated
/// field keeps every line, so `values(_:)` sees them all while `subscript` answers the first.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    public mutating func removeAll(keepingCapacity: Bool = false) {
        fields.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { Self.namesMatch($0.name, name) ? $0.value : nil }
    }

    /// Whether any value of `name`, read as a comma-separated list, holds `token` (both compared ignoring ASCII
    /// case): `Connection: keep-alive, Upgrade` contains `upgrade`.
    public func contains(_ name: String, token: String) -> Bool {
        fields.contains { field in
            Self.namesMatch(field.name, name)
                && field.value.split(separator: ",").contains { Self.namesMatch($0.trimmingSpaces, token) }
        }
    }

    /// ASCII case-insensitive equality, without allocating.
    static func namesMatch<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        a.utf8.elementsEqual(b.utf8) { x, y in x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) }
    }
}

extension HTTPHeaders: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.fields.elementsEqual(b.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
