import CSupport
import Config
import Log
import Supervisor
import SystemCalls

/// `sluice run`: the supervisor in the foreground (DESIGN.md sections 1 and 3). Exit status 0 after SIGTERM or
/// SIGINT, 1 when the config does not parse or a port cannot be bound.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run", usage: "[--config FILE] [--runtime-dir DIR]", summary: "Run the server in the foreground.",
        options: [
            .init(name: "config", value: "FILE", help: "The config file (default /etc/sluice/sluice.conf)."),
            .init(name: "runtime-dir", value: "DIR",
                  help: "Control socket, pid file and ring names (default: runtime_dir of the config, else /run/sluice)."),
        ],
        positionals: 0...0
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        // A supervisor started from a test runner or a script may inherit blocked signals: it must see them all.
        _ = csupport_reset_signals()
        let path = arguments.options["config"] ?? "/etc/sluice/sluice.conf"
        let text = try readTextFile(path)
        let result = ConfigParser.parse(text, file: path)
        for diagnostic in result.diagnostics { printError(diagnostic.description) }
        guard let config = result.config else { return 1 }
        let level = config.logLevel.flatMap { Logger.Level(name: $0.rawValue) } ?? .info
        let log = Logger(role: "supervisor", minimum: level)
        do {
            let supervisor = try SupervisorRuntime(configPath: path, config: config,
                                                   runtimeDirectory: arguments.options["runtime-dir"], log: log)
            return try supervisor.run()
        } catch {
            log.error("cannot start: \(error)")
            return 1
        }
    }
}
