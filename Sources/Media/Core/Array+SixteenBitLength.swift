extension Array where Element == UInt8 {
    /// Appends `field` after its 16-bit big-endian length, as records such as avcC and hvcC store parameter
    /// sets. Throws, naming `what`, when it is longer than 65535 bytes.
    mutating func appendWithSixteenBitLength(_ field: [UInt8], of what: String) throws {
        guard field.count <= 0xFFFF else { throw MediaError(what, "field of \(field.count) bytes (at most 65535)") }
        append(UInt8(field.count >> 8))
        append(UInt8(field.count & 0xFF))
        append(contentsOf: field)
    }
}
