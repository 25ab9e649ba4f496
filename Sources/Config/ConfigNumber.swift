/// The numeric value forms of the config language. Every function returns nil for anything malformed or too large
/// for an `Int` (never traps), so the caller can report the value with its location.
///
/// - integers: `42`, `0x1F`, `16#1F` (hexadecimal as in `mpegts_pids`);
/// - durations, in seconds: `10`, `10s`, `5m`, `20h`, `5d` (lowercase units);
/// - sizes, in bytes (binary units): `500K`, `500M`, `10G`, `2T` (`k`, `g`, `t` too; a lowercase `m` is minutes);
/// - percentages: `90%`.
enum ConfigNumber {
    /// A decimal or hexadecimal (`0x`, `16#`) non-negative integer.
    static func integer(_ text: String) -> Int? {
        if text.hasPrefix("16#") { return digits(text.utf8.dropFirst(3), radix: 16) }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return digits(text.utf8.dropFirst(2), radix: 16) }
        return digits(text.utf8[...], radix: 10)
    }

    static func duration(_ text: String) -> Int? {
        scaled(text) { unit in
            switch unit {
            case UInt8(ascii: "s"): 1
            case UInt8(ascii: "m"): 60
            case UInt8(ascii: "h"): 3600
            case UInt8(ascii: "d"): 86_400
            default: nil
            }
        }
    }

    static func size(_ text: String) -> Int? {
        scaled(text) { unit in
            switch unit {
            case UInt8(ascii: "K"), UInt8(ascii: "k"): 1 << 10
            case UInt8(ascii: "M"): 1 << 20
            case UInt8(ascii: "G"), UInt8(ascii: "g"): 1 << 30
            case UInt8(ascii: "T"), UInt8(ascii: "t"): 1 << 40
            default: nil
            }
        }
    }

    /// Whether `text` ends in a size unit (so `dvr /s 10G 1d` can tell a size limit from a depth).
    static func hasSizeUnit(_ text: String) -> Bool {
        guard let last = text.utf8.last else { return false }
        return "KkMGgTt".utf8.contains(last)
    }

    static func percent(_ text: String) -> Int? {
        guard text.utf8.last == UInt8(ascii: "%") else { return nil }
        return digits(text.utf8.dropLast(), radix: 10)
    }

    /// A duration written with its largest exact unit, for the writer: `432000` -> `5d`, `90` -> `90`.
    static func durationText(_ seconds: Int) -> String {
        for (unit, factor) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds > 0 && seconds % factor == 0 {
            return "\(seconds / factor)\(unit)"
        }
        return "\(seconds)"
    }

    /// A size written with its largest exact unit, for the writer: `10737418240` -> `10G`.
    static func sizeText(_ bytes: Int) -> String {
        for (unit, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] where bytes > 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }

    private static func scaled(_ text: String, factor: (UInt8) -> Int?) -> Int? {
        guard let last = text.utf8.last else { return nil }
        if last >= UInt8(ascii: "0") && last <= UInt8(ascii: "9") { return digits(text.utf8[...], radix: 10) }
        guard let multiplier = factor(last), let value = digits(text.utf8.dropLast(), radix: 10) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    private static func digits(_ bytes: Substring.UTF8View, radix: Int) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = Int(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }
}
