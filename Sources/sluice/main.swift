import ArgumentParser

/// The one `sluice` binary: operator commands, and (later) the supervisor and the worker roles it re-executes.
struct Sluice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A live streaming media server.",
        subcommands: [Run.self, CheckConfig.self, InspectCommand.self]
    )
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server in the foreground (not built yet).")

    @Option(help: "The config file.") var config = "/etc/sluice/sluice.conf"

    func run() throws {
        printError("sluice run: the supervisor is not built yet (issue 3); `sluice check-config \(config)` validates the config.")
        throw ExitCode(2)
    }
}

Sluice.main()
