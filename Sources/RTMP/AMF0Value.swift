/// A value in AMF0 (Adobe's Action Message Format 0, the AMF0 specification section 2), the encoding of RTMP
/// commands and metadata. Objects keep their properties in order, as they were on the wire, since some peers
/// care. Strings are decoded as UTF-8 (invalid sequences become U+FFFD, so bytes do not always round-trip).
public indirect enum AMF0Value: Equatable, Sendable {
    case number(Double)
    case boolean(Bool)
    /// Up to 65535 UTF-8 bytes; the encoder writes a longer one as a long string.
    case string(String)
    case object([AMF0Property])
    case null
    case undefined
    /// An index into the objects decoded earlier in the same message (section 2.9); kept as the index.
    case reference(UInt16)
    /// An associative array: properties, as an object's (its count on the wire is a hint and ignored).
    case ecmaArray([AMF0Property])
    case strictArray([AMF0Value])
    /// Milliseconds since 1970 UTC; the time zone is reserved and should be 0.
    case date(milliseconds: Double, timeZone: Int16)
    case longString(String)
    case xmlDocument(String)
    case typedObject(className: String, [AMF0Property])

    /// A property of an object, ECMA array or typed object; nil for anything else or a missing key.
    public subscript(key: String) -> AMF0Value? {
        switch self {
        case .object(let properties), .ecmaArray(let properties), .typedObject(_, let properties):
            properties.first { $0.key == key }?.value
        default:
            nil
        }
    }

    /// The properties of an object, ECMA array or typed object.
    public var properties: [AMF0Property]? {
        switch self {
        case .object(let properties), .ecmaArray(let properties), .typedObject(_, let properties): properties
        default: nil
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let s), .longString(let s): s
        default: nil
        }
    }

    public var numberValue: Double? {
        if case .number(let n) = self { n } else { nil }
    }

    public var booleanValue: Bool? {
        if case .boolean(let b) = self { b } else { nil }
    }
}

/// One key/value pair of an AMF0 object.
public struct AMF0Property: Equatable, Sendable {
    public var key: String
    public var value: AMF0Value

    public init(_ key: String, _ value: AMF0Value) {
        self.key = key
        self.value = value
    }
}
