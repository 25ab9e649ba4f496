/// Turns the syntax tree into the typed `ServerConfig`, reporting every directive it cannot read (unknown names with
/// a "did you mean", wrong argument counts, malformed or out-of-range values) and reading on past each one.
///
/// The per-directive rules live here and in its extensions (global, stream, stream options); the rules that need the
/// whole config (duplicate names, UDP addresses used twice, undefined storages...) are `ConfigValidator`'s.
struct ConfigReader {
    let file: String
    var log: DiagnosticLog

    init(file: String, log: DiagnosticLog) {
        self.file = file
        self.log = log
    }

    /// Checks the argument count of `directive`; `usage` shows the expected form (`"http [ADDR:]PORT"`).
    mutating func expectArguments(_ directive: ConfigDirective, _ count: ClosedRange<Int>, usage: String) -> Bool {
        if directive.arguments.count < count.lowerBound {
            let needed = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "at least \(count.lowerBound)"
            log.error(
                directive.location,
                "'\(directive.name)' takes \(needed) argument\(count.lowerBound == 1 ? "" : "s"), got "
                    + "\(directive.arguments.count) (usage: \(usage))")
            return false
        }
        if directive.arguments.count > count.upperBound {
            let extra = directive.arguments[count.upperBound]
            log.error(
                extra.location,
                "too many arguments for '\(directive.name)': unexpected '\(extra.text)' (usage: \(usage))")
            return false
        }
        return true
    }

    /// Reports a block where a plain directive was expected.
    mutating func expectNoBlock(_ directive: ConfigDirective) -> Bool {
        guard directive.block != nil else { return true }
        log.error(directive.location, "'\(directive.name)' does not take a block: end it with ';'")
        return false
    }

    /// Reports an unknown directive, with the closest known name when there is one.
    mutating func unknownDirective(_ directive: ConfigDirective, in context: String, known: [String], hint: String? = nil) {
        var message = "unknown directive '\(directive.name)' in \(context)"
        if let suggestion = DidYouMean.suggestion(for: directive.name, among: known) {
            message += "; did you mean '\(suggestion)'?"
        } else if let hint {
            message += "; \(hint)"
        }
        log.error(directive.location, message)
    }

    /// Reports a directive written twice in a block where it may appear once.
    mutating func duplicate(_ directive: ConfigDirective, firstAt first: SourceLocation?) {
        let place = first.map { " at line \($0.line)" } ?? ""
        log.error(directive.location, "'\(directive.name)' is already set\(place); it may appear only once here")
    }

    /// A number (decimal, `0x`, `16#`) within `range`, or nil after reporting what was wrong.
    mutating func integer(_ text: String, at location: SourceLocation, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = ConfigNumber.integer(text) else {
            log.error(location, "\(what): expected a number, got '\(text)'")
            return nil
        }
        return checked(value, text, at: location, what, in: range)
    }

    /// A duration in seconds (`10`, `10s`, `5m`, `20h`, `5d`) within `range`, or nil after reporting what was wrong.
    mutating func duration(_ text: String, at location: SourceLocation, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = ConfigNumber.duration(text) else {
            log.error(location, "\(what): expected a duration such as 10, 10s, 5m, 20h or 5d, got '\(text)'")
            return nil
        }
        return checked(value, text, at: location, what, in: range)
    }

    /// A comma-separated list of numbers, each within `range` (`tracks=1,2`, `pids=256,0x101`).
    mutating func integerList(_ text: String, at location: SourceLocation, _ what: String, in range: ClosedRange<Int>) -> [Int]? {
        var values: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = integer(String(item), at: location, what, in: range) else { return nil }
            values.append(value)
        }
        return values
    }

    private mutating func checked(_ value: Int, _ text: String, at location: SourceLocation, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard range.contains(value) else {
            log.error(location, "\(what): \(text) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    /// Whether `name` is a valid stream name: Latin letters, digits, `.`, `-`, `_`, and `/` between non-empty parts
    /// when `slashes` (template names and prefixes).
    static func isValidName(_ name: String, slashes: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        var previous = UInt8(ascii: "/")
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: "/") where slashes && previous != UInt8(ascii: "/"):
                break
            default:
                return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: "/")
    }
}
