/// Reading parsed values: each accessor is nil when the value is of another kind, so a reply or request of the
/// wrong shape reads as missing fields instead of crashing.
extension JSONValue {
    /// The member named `key` of an object (the first one when a key is repeated); nil for a missing key or a
    /// value that is not an object. A linear search: objects here are small.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The element at `index` of an array; nil out of bounds or for a value that is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// An `.int`, or a `.double` with an integral value that fits.
    public var intValue: Int? {
        switch self {
        case .int(let int): return int
        case .double(let double) where double == double.rounded() && double >= -0x1p63 && double < 0x1p63: return Int(double)
        default: return nil
        }
    }

    /// A `.double`, or an `.int` converted.
    public var doubleValue: Double? {
        switch self {
        case .double(let double): return double
        case .int(let int): return Double(int)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }

    public var arrayValue: [JSONValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    /// The members of an object, in order.
    public var objectValue: [(String, JSONValue)]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    public var isNull: Bool { self == .null }
}
