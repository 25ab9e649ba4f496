import Config
import SystemCalls

/// `sluice check-config FILE`: validates a config like `nginx -t`. Exit 0 with a one-line summary, 1 with every
/// error as `file:line:column: error: message`, 2 when the file cannot be read.
enum CheckConfigCommand {
    static let spec = CommandSpec(
        name: "check-config", usage: "FILE",
        summary: "Validate a config file and print every error with its file:line:column.",
        options: [], positionals: 1...1
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        let file = arguments.positionals[0]
        let text: String
        do { text = try readTextFile(file) } catch { printError("sluice check-config: \(error)"); return 2 }
        let result = ConfigParser.parse(text, file: file)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        guard let config = result.config else {
            let count = result.errors.count
            printError("\(file): \(count) error\(count == 1 ? "" : "s")")
            return 1
        }
        print("\(file): ok: \(config.summary)")
        return 0
    }
}
