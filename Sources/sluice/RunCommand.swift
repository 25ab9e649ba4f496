/// `sluice run`: the supervisor in the foreground. Not built yet (issue 3): says so and exits 2.
enum RunCommand {
    static let spec = CommandSpec(
        name: "run", usage: "[--config FILE]", summary: "Run the server in the foreground (not built yet).",
        options: [.init(name: "config", value: "FILE", help: "The config file (default /etc/sluice/sluice.conf).")],
        positionals: 0...0
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        let config = arguments.options["config"] ?? "/etc/sluice/sluice.conf"
        printError("sluice run: the supervisor is not built yet (issue 3); `sluice check-config \(config)` validates the config.")
        return 2
    }
}
