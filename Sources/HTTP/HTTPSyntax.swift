/// The HTTP/1.1 grammar's byte classes (RFC 9110 section 5.6, RFC 9112 section 5) and the one header field line
/// reader that requests, trailers and the response writer's checks share.
enum HTTPSyntax {
    /// `tchar`: what method names and header field names are made of.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A byte a field value may hold: visible ASCII, obs-text (0x80-0xFF), space and tab; never CR, LF, NUL or
    /// another control byte.
    static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == 0x09 || (b >= 0x20 && b != 0x7F)
    }

    static func isToken<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isTokenByte)
    }

    static func isFieldValue<S: StringProtocol>(_ s: S) -> Bool {
        s.utf8.allSatisfy(isFieldValueByte)
    }

    /// Reads `name: value` (line end already removed). Refuses white space before the colon and a line that starts
    /// with white space (obsolete folding): both are request smuggling vectors (RFC 9112 sections 5.1 and 5.2).
    static func parseField(_ line: [UInt8]) throws -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              line[..<colon].allSatisfy(isTokenByte) else {
            throw HTTPParseError(.malformedHeader, quote(line))
        }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        guard line[start..<end].allSatisfy(isFieldValueByte) else {
            throw HTTPParseError(.malformedHeader, quote(line))
        }
        return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: line[start..<end], as: UTF8.self))
    }

    /// The first 80 bytes of what was refused, for an error's detail; control bytes shown as `?`.
    static func quote<C: Collection<UInt8>>(_ bytes: C) -> String {
        String(decoding: bytes.prefix(80).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
    }
}
