/// Small text helpers the parsers share (no Foundation in Sources/): trimming, case-insensitive comparison,
/// splitting on a separator outside quotes, and `key=value` parameters.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and a trailing CR, which `\n`-only peers leave behind).
    var trimmedSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before] == " " || scalars[before] == "\t" || scalars[before] == "\r" else { break }
            end = before
        }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    func equalsIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }

    func hasPrefixIgnoringCase(_ prefix: String) -> Bool { lowercased().hasPrefix(prefix.lowercased()) }

    /// Split on `separator` where it is not inside double quotes (Digest parameters, Transport lists).
    func splitOutsideQuotes(_ separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in self {
            if character == "\"" { quoted.toggle() }
            if character == separator, !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}

/// `key=value` or `key` (value nil), the key trimmed, the value trimmed and unquoted.
func splitParameter(_ text: String) -> (key: String, value: String?) {
    guard let equals = text.firstIndex(of: "=") else { return (text.trimmedSpaces, nil) }
    let key = text[..<equals].trimmedSpaces
    var value = text[text.index(after: equals)...].trimmedSpaces
    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
        value = String(value.dropFirst().dropLast())
    }
    return (key, value)
}

/// `a-b` as two integers (ports, interleaved channels); `a` alone gives `(a, a + 1)`.
func parsePair(_ text: String) -> (Int, Int)? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard let first = Int(parts[0].trimmedSpaces), first >= 0 else { return nil }
    if parts.count == 1 { return (first, first + 1) }
    guard parts.count == 2, let second = Int(parts[1].trimmedSpaces), second >= 0 else { return nil }
    return (first, second)
}

extension Array where Element == UInt8 {
    mutating func appendASCII(_ text: String) { append(contentsOf: text.utf8) }
}
