/// Reads AMF0 values (AMF0 specification section 2) from a message payload. Strict: a value cut short, an unknown
/// or reserved marker (movie clip, record set), an AMF3 switch (0x11) or an object without its end marker is an
/// `RTMPError`, never a partial value. Containers nest at most `maxDepth` deep, so hostile nesting costs neither
/// the stack nor much time; counts are checked against the bytes left before anything is reserved.
public struct AMF0Decoder {
    public static let defaultMaxDepth = 32

    private var reader: ByteReader
    public let maxDepth: Int

    public init(_ bytes: [UInt8], from start: Int = 0, maxDepth: Int = defaultMaxDepth) {
        reader = ByteReader(bytes, from: start)
        self.maxDepth = maxDepth
    }

    public var isAtEnd: Bool { reader.isAtEnd }
    /// Where the next value starts.
    public var position: Int { reader.position }

    /// All values to the end of the bytes.
    public static func decodeAll(_ bytes: [UInt8], from start: Int = 0, maxDepth: Int = defaultMaxDepth) throws -> [AMF0Value] {
        var decoder = AMF0Decoder(bytes, from: start, maxDepth: maxDepth)
        var values: [AMF0Value] = []
        while !decoder.isAtEnd { values.append(try decoder.decode()) }
        return values
    }

    public mutating func decode() throws -> AMF0Value {
        try decode(depth: 0)
    }

    private mutating func decode(depth: Int) throws -> AMF0Value {
        let marker = try reader.readUInt8("AMF0 marker")
        typealias Marker = AMF0Encoder.Marker
        switch marker {
        case Marker.number:
            return .number(Double(bitPattern: try reader.readUInt64("AMF0 number")))
        case Marker.boolean:
            return .boolean(try reader.readUInt8("AMF0 boolean") != 0)
        case Marker.string:
            return .string(try readShortString("AMF0 string"))
        case Marker.object:
            return .object(try readProperties(depth: depth + 1))
        case Marker.null:
            return .null
        case Marker.undefined, Marker.unsupported:
            return .undefined
        case Marker.reference:
            return .reference(try reader.readUInt16("AMF0 reference"))
        case Marker.ecmaArray:
            _ = try reader.readUInt32("AMF0 ECMA array count")
            return .ecmaArray(try readProperties(depth: depth + 1))
        case Marker.strictArray:
            let count = Int(try reader.readUInt32("AMF0 strict array count"))
            guard count <= reader.remaining else {
                throw RTMPError(.truncated, "AMF0 strict array of \(count) values in \(reader.remaining) bytes")
            }
            try checkDepth(depth + 1)
            var values: [AMF0Value] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try decode(depth: depth + 1)) }
            return .strictArray(values)
        case Marker.date:
            let milliseconds = Double(bitPattern: try reader.readUInt64("AMF0 date"))
            return .date(milliseconds: milliseconds, timeZone: Int16(bitPattern: try reader.readUInt16("AMF0 date")))
        case Marker.longString:
            return .longString(String(decoding: try reader.readLengthPrefixed("AMF0 long string"), as: UTF8.self))
        case Marker.xmlDocument:
            return .xmlDocument(String(decoding: try reader.readLengthPrefixed("AMF0 XML document"), as: UTF8.self))
        case Marker.typedObject:
            let className = try readShortString("AMF0 typed object class name")
            return .typedObject(className: className, try readProperties(depth: depth + 1))
        case Marker.avmPlus:
            throw RTMPError(.badAMF, "AMF3 value (marker 0x11) inside AMF0, not supported")
        default:
            throw RTMPError(.badAMF, "marker 0x\(String(marker, radix: 16)) at byte \(reader.position - 1)")
        }
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth <= maxDepth else { throw RTMPError(.nestingTooDeep, "over \(maxDepth) levels") }
    }

    private mutating func readShortString(_ what: String) throws -> String {
        let length = Int(try reader.readUInt16(what))
        return String(decoding: try reader.readBytes(length, what), as: UTF8.self)
    }

    /// Key/value pairs up to the empty key and the object-end marker.
    private mutating func readProperties(depth: Int) throws -> [AMF0Property] {
        try checkDepth(depth)
        var properties: [AMF0Property] = []
        while true {
            let key = try readShortString("AMF0 property name")
            if key.isEmpty {
                let end = try reader.readUInt8("AMF0 object end")
                guard end == AMF0Encoder.Marker.objectEnd else {
                    throw RTMPError(.badAMF, "empty property name without the object-end marker (0x\(String(end, radix: 16)))")
                }
                return properties
            }
            properties.append(AMF0Property(key, try decode(depth: depth)))
        }
    }
}
