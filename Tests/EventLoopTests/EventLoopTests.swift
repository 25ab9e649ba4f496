import EventLoop
import Testing

@Suite("EventLoop")
struct EventLoopTests {
    @Test func executeRunsClosuresInOrderOnTheNextIteration() throws {
        let loop = try EventLoop()
        var order: [Int] = []
        loop.execute { order.append(1) }
        loop.execute {
            order.append(2)
            loop.execute { order.append(4) }
        }
        loop.execute { order.append(3) }
        #expect(order.isEmpty)
        try runLoop(loop)
        #expect(order == [1, 2, 3, 4])
    }

    @Test func runReturnsAtOnceWithNothingToDo() throws {
        let loop = try EventLoop()
        #expect(loop.run() == false)
    }

    @Test func stopEndsRunWhileHandlesAreActive() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        var fired = 0
        try timer.start(after: 1, repeating: 1) {
            fired += 1
            loop.stop()
        }
        #expect(loop.run() == true)
        #expect(fired == 1)
        timer.close()
        try runLoop(loop)
    }

    @Test func nowAdvancesWithTheLoop() throws {
        let loop = try EventLoop()
        let start = loop.now
        let timer = try Timer(loop: loop)
        try timer.start(after: 30) { timer.close() }
        try runLoop(loop)
        #expect(loop.now >= start + 30)
    }

    @Test func closeAllHandlesClosesEveryOpenHandle() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        let udp = try UDPSocket(loop: loop)
        try timer.start(after: 60_000) {}
        try udp.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        try udp.startReceiving(onDatagram: { _, _ in }, onError: { Issue.record($0) })
        var closed = 0
        timer.close { closed += 1 }
        loop.closeAllHandles()
        loop.run()
        #expect(timer.isClosing && udp.isClosing)
        #expect(closed == 1)
    }
}
