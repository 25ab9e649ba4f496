/// Number writing straight into an output buffer, so that response heads and chunk headers need no String.
extension Array where Element == UInt8 {
    /// Appends `value` (non-negative) in decimal.
    mutating func appendDecimal(_ value: Int) {
        appendDigits(of: value, radix: 10)
    }

    /// Appends `value` (non-negative) in upper-case hexadecimal, as chunk sizes are written.
    mutating func appendHex(_ value: Int) {
        appendDigits(of: value, radix: 16)
    }

    private mutating func appendDigits(of value: Int, radix: Int) {
        precondition(value >= 0, "negative number in an HTTP field")
        var divisor = 1
        while value / divisor >= radix { divisor *= radix }
        var rest = value
        while divisor > 0 {
            let digit = rest / divisor
            append(digit < 10 ? UInt8(ascii: "0") + UInt8(digit) : UInt8(ascii: "A") + UInt8(digit - 10))
            rest -= digit * divisor
            divisor /= radix
        }
    }
}
