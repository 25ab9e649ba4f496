/// The command line of `sluice`, parsed without a package: the binary is re-executed as every worker, and
/// swift-argument-parser would load FoundationEssentials into each of them (measured: PSS 12.9 MB instead of
/// 5.6 MB for a bare Glibc binary).
struct CommandSpec {
    struct Option {
        var name: String
        /// Nil for a flag.
        var value: String?
        var help: String
    }

    var name: String
    var usage: String
    var summary: String
    var options: [Option]
    /// How many positional arguments the command takes.
    var positionals: ClosedRange<Int>
    var discussion: String = ""

    var help: String {
        var lines = ["usage: sluice \(name) \(usage)", "", summary]
        if !options.isEmpty {
            lines.append("")
            lines.append("options:")
            let labels = options.map { "  --\($0.name)" + ($0.value.map { " \($0)" } ?? "") }
            let width = labels.map(\.count).max() ?? 0
            for (label, option) in zip(labels, options) {
                lines.append(label + String(repeating: " ", count: width - label.count + 2) + option.help)
            }
        }
        if !discussion.isEmpty { lines += ["", discussion] }
        return lines.joined(separator: "\n")
    }

    /// Parses `arguments` (after the command name): `--name value`, `--name=value`, flags, positionals, and
    /// `--` to end options. Throws a `UsageError` naming what is wrong.
    func parse(_ arguments: ArraySlice<String>) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var rest = arguments[...]
        var optionsEnded = false
        while let argument = rest.popFirst() {
            guard !optionsEnded, argument.hasPrefix("--") else {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if name == "help" { throw UsageError(message: nil, help: help) }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError(message: "unknown option --\(name)", help: help)
            }
            if option.value == nil {
                guard inline == nil else { throw UsageError(message: "--\(name) takes no value", help: help) }
                parsed.flags.insert(name)
            } else if let value = inline ?? rest.popFirst() {
                parsed.options[name] = value
            } else {
                throw UsageError(message: "--\(name) needs a value", help: help)
            }
        }
        guard positionals.contains(parsed.positionals.count) else {
            throw UsageError(message: "expected \(usage)", help: help)
        }
        return parsed
    }
}

struct ParsedArguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// The value of `--name` as a number; throws a usage error naming the option when it is not one.
    func number<T: LosslessStringConvertible>(_ name: String, as: T.Type, help: String) throws -> T? {
        guard let text = options[name] else { return nil }
        guard let value = T(text) else { throw UsageError(message: "--\(name) \(text): not a number", help: help) }
        return value
    }
}

/// A wrong command line: the message (nil when help was asked for) and the command's help.
struct UsageError: Error {
    var message: String?
    var help: String
}
