import ArgumentParser
import Config

/// `sluice check-config FILE`: validates a config like `nginx -t`. Exit 0 with a one-line summary, or 1 with every
/// error as `file:line:column: error: message`.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file and print every error with its file:line:column."
    )

    @Argument(help: "The config file.") var file: String

    func run() throws {
        let text: String
        do { text = try readTextFile(file) } catch { printError("sluice check-config: \(error)"); throw ExitCode(2) }
        let result = ConfigParser.parse(text, file: file)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        guard let config = result.config else {
            let count = result.diagnostics.filter { $0.severity == .error }.count
            printError("\(file): \(count) error\(count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        print("\(file): ok: \(config.summary)")
    }
}
