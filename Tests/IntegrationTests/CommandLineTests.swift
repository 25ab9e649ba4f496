import Testing

@Suite struct CommandLineTests {
    @Test func noCommandPrintsTheOverview() throws {
        let result = try Sluice.sluice()
        #expect(result.status == 2)
        #expect(result.stdout.contains("check-config") && result.stdout.contains("inspect"))
    }

    @Test func unknownCommandAndOptionAreUsageErrors() throws {
        let command = try Sluice.sluice("transmogrify")
        #expect(command.status == 2 && command.stderr.contains("unknown command 'transmogrify'"))
        let option = try Sluice.sluice("inspect", "x.ts", "--bogus")
        #expect(option.status == 2 && option.stderr.contains("unknown option --bogus"))
        let value = try Sluice.sluice("inspect", "x.ts", "--seconds")
        #expect(value.status == 2 && value.stderr.contains("--seconds needs a value"))
        let number = try Sluice.sluice("inspect", "x.ts", "--seconds=soon")
        #expect(number.status == 2 && number.stderr.contains("--seconds soon: not a number"))
        let missing = try Sluice.sluice("check-config")
        #expect(missing.status == 2 && missing.stderr.contains("usage: sluice check-config FILE"))
    }

    @Test func helpIsNotAnError() throws {
        let result = try Sluice.sluice("inspect", "--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("--seconds N"))
    }

    @Test func runRefusesABrokenConfig() throws {
        let path = try Sluice.temporaryFile("run-broken.conf", "stream x {\n")
        let result = try Sluice.sluice("run", "--config", path, "--runtime-dir", "/tmp/sluice-test-unused")
        #expect(result.status == 1)
        #expect(result.stderr.contains("run-broken.conf:1:"))
    }
}
