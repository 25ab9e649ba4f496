import EventLoop
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Signal")
struct SignalTests {
    @Test func sighupSentToSelfRunsTheHandlerOnTheLoop() throws {
        let loop = try EventLoop()
        let signal = try Signal(loop: loop)
        var received: [Int32] = []
        try signal.start(SIGHUP) { number in
            received.append(number)
            signal.close()
        }
        // Sent to the process, as `kill -HUP` does: raise() would target this thread, which the test runner's
        // thread pool may run with SIGHUP blocked.
        loop.execute { kill(getpid(), SIGHUP) }
        try runLoop(loop)
        #expect(received == [SIGHUP])
    }

    @Test func aSignalHandleThatDoesNotKeepTheLoopAliveLetsRunReturn() throws {
        let loop = try EventLoop()
        let signal = try Signal(loop: loop)
        try signal.start(SIGTERM) { _ in Issue.record("no SIGTERM was sent") }
        signal.setKeepsLoopAlive(false)
        #expect(signal.isActive)
        #expect(loop.run() == false)
        signal.close()
        try runLoop(loop)
    }
}
