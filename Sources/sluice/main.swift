#if canImport(Glibc)
import Glibc
#endif

/// The one `sluice` binary: operator commands, and (from issue 3) the supervisor and the worker roles it
/// re-executes. Exit status: 0 success, 1 failure of the command, 2 usage error.
let commands: [(spec: CommandSpec, run: @Sendable (ParsedArguments) throws -> Int32)] = [
    (RunCommand.spec, RunCommand.run),
    (CheckConfigCommand.spec, CheckConfigCommand.run),
    (InspectCommand.spec, InspectCommand.run),
    (CtlCommand.spec, CtlCommand.run),
    (WorkerCommand.spec, WorkerCommand.run),
]

func overview(_ commands: [(spec: CommandSpec, run: @Sendable (ParsedArguments) throws -> Int32)]) -> String {
    var lines = ["usage: sluice COMMAND [ARGUMENTS]", "", "A live streaming media server.", "", "commands:"]
    let width = commands.map(\.spec.name.count).max() ?? 0
    for (spec, _) in commands {
        lines.append("  " + spec.name + String(repeating: " ", count: width - spec.name.count + 2) + spec.summary)
    }
    lines.append("")
    lines.append("`sluice COMMAND --help` describes a command.")
    return lines.joined(separator: "\n")
}

let arguments = CommandLine.arguments.dropFirst()
guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
    print(overview(commands))
    exit(arguments.isEmpty ? 2 : 0)
}
guard let command = commands.first(where: { $0.spec.name == name }) else {
    printError("sluice: unknown command '\(name)'\n\n" + overview(commands))
    exit(2)
}
do {
    exit(try command.run(try command.spec.parse(arguments.dropFirst())))
} catch let usage as UsageError {
    if let message = usage.message {
        printError("sluice \(name): \(message)\n\n\(usage.help)")
        exit(2)
    }
    print(usage.help)
    exit(0)
} catch {
    printError("sluice \(name): \(error)")
    exit(1)
}
