import EventLoop
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Process")
struct ProcessTests {
    @Test func reportsTheExitStatus() throws {
        let loop = try EventLoop()
        var exit: (Int64, Int32)?
        let process = try Process(loop: loop, executable: "/bin/sh", arguments: ["-c", "exit 3"]) { status, signal in
            exit = (status, signal)
        }
        #expect(process.pid > 0)
        try runLoop(loop)
        #expect(exit?.0 == 3)
        #expect(exit?.1 == 0)
        process.close()
        try runLoop(loop)
    }

    @Test func reportsTheSignalThatKilledIt() throws {
        let loop = try EventLoop()
        var exit: (Int64, Int32)?
        let process = try Process(loop: loop, executable: "/bin/sleep", arguments: ["30"]) { status, signal in
            exit = (status, signal)
        }
        loop.execute {
            do { try process.kill(SIGTERM) } catch { Issue.record(error) }
        }
        try runLoop(loop)
        #expect(exit?.1 == SIGTERM)
        process.close()
        try runLoop(loop)
    }

    @Test func readsTheChildOutputThroughAPipeWithTheGivenEnvironment() throws {
        let loop = try EventLoop()
        let output = try Pipe(loop: loop)
        var text: [UInt8] = []
        var status: Int64 = -1
        let process = try Process(loop: loop, executable: "/bin/sh", arguments: ["-c", "echo \"$ROLE\" in \"$PWD\""],
                                  environment: ["ROLE=ingest"], workingDirectory: "/tmp",
                                  stdio: [.ignore, .pipe(output), .inherit]) { code, _ in status = code }
        try output.startReading(onData: { text.append(contentsOf: $0) }, onEnd: { _ in output.close() })
        try runLoop(loop)
        #expect(status == 0)
        #expect(String(decoding: text, as: UTF8.self) == "ingest in /tmp\n")
        process.close()
        try runLoop(loop)
    }

    @Test func handsADescriptorToTheChildAtAChosenNumber() throws {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        let loop = try EventLoop()
        let parentEnd = try Pipe(loop: loop, fileDescriptor: fds[0])
        var status: Int64 = -1
        let process = try Process(loop: loop, executable: "/bin/sh", arguments: ["-c", "echo worker >&3"],
                                  stdio: [.ignore, .inherit, .inherit, .fileDescriptor(fds[1])]) { code, _ in
            status = code
        }
        // The child holds its own copy now; closing ours lets the parent end see end of stream when the child exits.
        close(fds[1])
        var text: [UInt8] = []
        try parentEnd.startReading(onData: { text.append(contentsOf: $0) }, onEnd: { _ in parentEnd.close() })
        try runLoop(loop)
        #expect(status == 0)
        #expect(String(decoding: text, as: UTF8.self) == "worker\n")
        process.close()
        try runLoop(loop)
    }

    @Test func aMissingExecutableFailsNamingIt() throws {
        let loop = try EventLoop()
        let error = try #require(throws: LibUVError.self) {
            try Process(loop: loop, executable: "/nonexistent/sluice", arguments: []) { _, _ in
                Issue.record("a process that never started exited")
            }
        }
        #expect(error.call == "uv_spawn(/nonexistent/sluice)")
        #expect(error.name == "ENOENT")
        try runLoop(loop)
    }
}
