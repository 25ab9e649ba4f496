import EventLoop
import Testing

@Suite("Timer")
struct TimerTests {
    @Test func firesOnceAfterItsTimeout() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        let start = loop.now
        var firedAt: [UInt64] = []
        try timer.start(after: 20) { firedAt.append(loop.now) }
        try runLoop(loop)
        #expect(firedAt.count == 1)
        #expect(try #require(firedAt.first) >= start + 20)
        #expect(!timer.isActive)
        timer.close()
        try runLoop(loop)
    }

    @Test func repeatsUntilStopped() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        var fired = 0
        try timer.start(after: 1, repeating: 5) {
            fired += 1
            if fired == 3 { timer.stop() }
        }
        #expect(timer.repeatInterval == 5)
        try runLoop(loop)
        #expect(fired == 3)
        timer.close()
        try runLoop(loop)
    }

    @Test func repeatIntervalChangedInTheCallbackTakesEffectAfterTheNextFiring() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        var fired = 0
        try timer.start(after: 1, repeating: 1) {
            fired += 1
            if fired == 2 { timer.repeatInterval = 0 }
        }
        try runLoop(loop)
        #expect(fired == 3)
        timer.close()
        try runLoop(loop)
    }
}
