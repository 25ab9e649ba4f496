/// Reads that check what the input claims before acting on it, for parsers of hostile input.
extension BitReader {
    /// ue(v) for a syntax element whose legal values are `range`; anything else throws, naming the element,
    /// so that a hostile value never drives a loop count or a size.
    mutating func ue(_ field: String, in range: ClosedRange<Int>, of what: String) throws -> Int {
        let value = try ue()
        guard range.contains(value) else { throw MediaError(what, "\(field) \(value) outside \(range)") }
        return value
    }

    /// The next `count` whole bytes (the reader must be byte-aligned), for length-prefixed fields such as the
    /// parameter sets of avcC and hvcC. Throws, naming `field`, when fewer bytes are left.
    mutating func byteArray(_ count: Int, _ field: String, of what: String) throws -> [UInt8] {
        precondition(isAligned)
        let start = position >> 3
        guard count <= bytes.count - start else {
            throw MediaError(what, "\(field) of \(count) bytes runs past the end (\(bytes.count - start) left)")
        }
        try skip(count * 8)
        return Array(bytes[start..<(start + count)])
    }
}
