import EventLoop
import Testing

@Suite("Handle lifetime")
struct HandleLifetimeTests {
    @Test func anOpenHandleStaysAliveWithoutReferencesAndIsFreedByClose() throws {
        let loop = try EventLoop()
        weak var weakTimer: Timer?
        var fired = false
        do {
            let timer = try Timer(loop: loop)
            weakTimer = timer
            // The callback captures its own handle: the cycle lasts only until the handle closes.
            try timer.start(after: 5) {
                fired = true
                timer.close()
            }
        }
        #expect(weakTimer != nil, "an open handle keeps itself alive")
        try runLoop(loop)
        #expect(fired)
        #expect(weakTimer == nil, "the close callback released the handle")
    }

    @Test func closingEveryKindOfHandleFreesIt() throws {
        let loop = try EventLoop()
        weak var timer: Timer?
        weak var signal: Signal?
        weak var listener: TCPListener?
        weak var connection: TCPConnection?
        weak var udp: UDPSocket?
        weak var pipe: Pipe?
        do {
            let handles: [Handle] = [try Timer(loop: loop), try Signal(loop: loop), try TCPListener(loop: loop),
                                     try TCPConnection(loop: loop), try UDPSocket(loop: loop), try Pipe(loop: loop)]
            timer = handles[0] as? Timer
            signal = handles[1] as? Signal
            listener = handles[2] as? TCPListener
            connection = handles[3] as? TCPConnection
            udp = handles[4] as? UDPSocket
            pipe = handles[5] as? Pipe
            for handle in handles { handle.close() }
            #expect(handles.allSatisfy { $0.isClosing })
        }
        #expect(timer != nil, "closed handles live until their close callback runs")
        try runLoop(loop)
        #expect(timer == nil && signal == nil && listener == nil)
        #expect(connection == nil && udp == nil && pipe == nil)
    }

    @Test func closeIsIdempotentAndCallsItsCompletionOnce() throws {
        let loop = try EventLoop()
        let timer = try Timer(loop: loop)
        var completions = 0
        timer.close { completions += 1 }
        timer.close { completions += 1 }
        try runLoop(loop)
        timer.close { completions += 1 }
        try runLoop(loop)
        #expect(completions == 1)
    }

    @Test func theLoopIsFreedAfterItsHandles() throws {
        weak var weakLoop: EventLoop?
        do {
            let loop = try EventLoop()
            weakLoop = loop
            let timer = try Timer(loop: loop)
            try timer.start(after: 1) { timer.close() }
            try runLoop(loop)
        }
        #expect(weakLoop == nil)
    }
}
