import EventLoop
import Foundation
import Synchronization
import Testing

@Suite("Async")
struct AsyncTests {
    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    /// Wakes sent from another thread run the handler on the loop's thread, and the last one is never lost: the
    /// handler sees what the thread did before it.
    @Test func wakesFromAnotherThreadRunOnTheLoop() throws {
        let loop = try EventLoop()
        let async = try Async(loop: loop)
        let loopThread = pthread_self()
        let waker = async.waker
        let done = Flag()
        var calls = 0
        async.onWake {
            calls += 1
            #expect(pthread_equal(pthread_self(), loopThread) != 0)
            // libuv finishes a send before the loop runs its wake, so the sender is done with the handle here.
            if done.value.load(ordering: .sequentiallyConsistent) { async.close() }
        }
        let sender = Thread {
            for _ in 0..<100 { waker() }
            done.value.store(true, ordering: .sequentiallyConsistent)
            waker()
        }
        sender.start()
        try runLoop(loop)
        #expect(calls >= 1)
        #expect(async.isClosing)
    }
}
