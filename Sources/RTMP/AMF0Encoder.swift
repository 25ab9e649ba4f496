/// Writes AMF0 values (AMF0 specification section 2) into a buffer the caller reuses. Strings over 65535 bytes are
/// written as long strings; object keys over 65535 bytes are cut (no key in RTMP comes close).
public enum AMF0Encoder {
    /// The markers of section 2.1.
    enum Marker {
        static let number: UInt8 = 0x00
        static let boolean: UInt8 = 0x01
        static let string: UInt8 = 0x02
        static let object: UInt8 = 0x03
        static let movieClip: UInt8 = 0x04
        static let null: UInt8 = 0x05
        static let undefined: UInt8 = 0x06
        static let reference: UInt8 = 0x07
        static let ecmaArray: UInt8 = 0x08
        static let objectEnd: UInt8 = 0x09
        static let strictArray: UInt8 = 0x0A
        static let date: UInt8 = 0x0B
        static let longString: UInt8 = 0x0C
        static let unsupported: UInt8 = 0x0D
        static let recordSet: UInt8 = 0x0E
        static let xmlDocument: UInt8 = 0x0F
        static let typedObject: UInt8 = 0x10
        static let avmPlus: UInt8 = 0x11
    }

    /// The values one after the other, as a command or data message's payload.
    public static func encode(_ values: [AMF0Value]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values { append(value, to: &out) }
        return out
    }

    public static func append(_ value: AMF0Value, to out: inout [UInt8]) {
        switch value {
        case .number(let n):
            out.append(Marker.number)
            out.appendUInt64(n.bitPattern)
        case .boolean(let b):
            out.append(Marker.boolean)
            out.append(b ? 1 : 0)
        case .string(let s):
            let utf8 = Array(s.utf8)
            if utf8.count > 0xFFFF {
                out.append(Marker.longString)
                out.appendLengthPrefixed(utf8)
            } else {
                out.append(Marker.string)
                appendShortString(utf8, to: &out)
            }
        case .object(let properties):
            out.append(Marker.object)
            appendProperties(properties, to: &out)
        case .null:
            out.append(Marker.null)
        case .undefined:
            out.append(Marker.undefined)
        case .reference(let index):
            out.append(Marker.reference)
            out.appendUInt16(index)
        case .ecmaArray(let properties):
            out.append(Marker.ecmaArray)
            out.appendUInt32(UInt32(properties.count))
            appendProperties(properties, to: &out)
        case .strictArray(let values):
            out.append(Marker.strictArray)
            out.appendUInt32(UInt32(values.count))
            for value in values { append(value, to: &out) }
        case .date(let milliseconds, let timeZone):
            out.append(Marker.date)
            out.appendUInt64(milliseconds.bitPattern)
            out.appendUInt16(UInt16(bitPattern: timeZone))
        case .longString(let s):
            out.append(Marker.longString)
            out.appendLengthPrefixed(Array(s.utf8))
        case .xmlDocument(let s):
            out.append(Marker.xmlDocument)
            out.appendLengthPrefixed(Array(s.utf8))
        case .typedObject(let className, let properties):
            out.append(Marker.typedObject)
            appendShortString(Array(className.utf8), to: &out)
            appendProperties(properties, to: &out)
        }
    }

    private static func appendShortString(_ utf8: [UInt8], to out: inout [UInt8]) {
        let bytes = utf8.prefix(0xFFFF)
        out.appendUInt16(UInt16(bytes.count))
        out.append(contentsOf: bytes)
    }

    /// Key/value pairs, then the empty key and the object-end marker.
    private static func appendProperties(_ properties: [AMF0Property], to out: inout [UInt8]) {
        for property in properties {
            appendShortString(Array(property.key.utf8), to: &out)
            append(property.value, to: &out)
        }
        out += [0, 0, Marker.objectEnd]
    }
}
