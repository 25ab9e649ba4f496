extension BitReader {
    /// ue(v) for a syntax element whose legal values are `range`; anything else throws, naming the element,
    /// so that a hostile value never drives a loop count or a size.
    mutating func ue(_ field: String, in range: ClosedRange<Int>, of what: String) throws -> Int {
        let value = try ue()
        guard range.contains(value) else { throw MediaError(what, "\(field) \(value) outside \(range)") }
        return value
    }
}
