/// Percent-decoding of request paths and query components (RFC 3986 section 2.1).
enum PercentDecoding {
    /// The decoded text, or nil when a `%` is not followed by two hex digits, when the result is not UTF-8, or when
    /// it holds a NUL (no name Sluice serves has one, and C APIs would cut the string there). With `plusIsSpace`
    /// (query components, as HTML forms write them) `+` means a space.
    static func decode<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && utf8.contains(UInt8(ascii: "+"))) {
            return utf8.contains(0) ? nil : String(text)
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            i = utf8.index(after: i)
            if b == UInt8(ascii: "%") {
                guard i != utf8.endIndex else { return nil }
                let high = utf8[i]
                i = utf8.index(after: i)
                guard i != utf8.endIndex else { return nil }
                let low = utf8[i]
                i = utf8.index(after: i)
                guard high.isHexDigit, low.isHexDigit else { return nil }
                out.append(UInt8(high.hexValue * 16 + low.hexValue))
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(b)
            }
        }
        if out.contains(0) { return nil }
        return String(validating: out, as: UTF8.self)
    }
}
