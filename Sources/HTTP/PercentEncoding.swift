/// Percent-encoding of query components (RFC 3986 section 2.1), the inverse of `PercentDecoding`.
enum PercentEncoding {
    /// `text` as a query name or value: RFC 3986's unreserved bytes (`A-Z a-z 0-9 - . _ ~`) as they are, every
    /// other UTF-8 byte as `%XX` (upper-case hex). `&`, `=`, `+`, `/`, `?`, `#` and spaces are all encoded, so that
    /// any decoder (form style or not) reads back exactly `text`.
    static func encodeQueryComponent(_ text: String) -> String {
        if text.utf8.allSatisfy(isUnreserved) { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        for b in text.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
