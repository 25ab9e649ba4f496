import EventLoop
import Testing

/// A socket read on an `AlignedTicker` instead of on arrival (`UDPSocket.startReceiving(pacedEvery:...)`).
@Suite("UDP paced receive")
struct UDPPacedReceiveTests {
    /// Datagrams sent between ticks, more than one recvmmsg batch of them, all come at the next tick, in order, and
    /// what is sent after that comes at a later one.
    @Test func receivesEverythingQueuedAtEachTickInOrder() throws {
        let loop = try EventLoop()
        let (receiver, sender, destination) = try loopbackUDPPair(loop)
        try receiver.setReceiveBufferSize(1 << 20)
        var ended: [String] = []
        try receiveQueuedThenLater(loop, receiver: receiver, sender: sender, destination: destination) { handler in
            try receiver.startReceiving(pacedEvery: 5, onDatagram: handler, onError: { Issue.record($0) },
                                        onPacingEnded: { ended.append($0) })
        }
        #expect(ended.isEmpty)
    }

    /// A batch larger than a quarter of the receive buffer ends pacing: the socket says why once, and goes on
    /// receiving, now on arrival.
    @Test func aBatchTooLargeForTheBufferSwitchesToReadingOnArrival() throws {
        let loop = try EventLoop()
        let (receiver, sender, destination) = try loopbackUDPPair(loop)
        let buffer = Int(try receiver.setReceiveBufferSize(64 << 10))
        let datagram = [UInt8](repeating: 0x47, count: 1316)
        // More payload than the limit, well within what the buffer holds.
        let burst = buffer / 4 / datagram.count + 2
        var received = 0
        var ended: [String] = []
        try receiver.startReceiving(pacedEvery: 5, onDatagram: { _ in
            received += 1
            if received == burst {
                loop.execute { _ = try? datagram.withUnsafeBytes { try sender.trySend($0, to: destination) } }
            } else if received == burst + 1 {
                receiver.close()
                sender.close()
            }
        }, onError: { Issue.record($0) }, onPacingEnded: { ended.append($0) })
        for _ in 0..<burst {
            let sent = try datagram.withUnsafeBytes { try sender.trySend($0, to: destination) }
            #expect(sent)
        }
        try runLoop(loop)
        #expect(received == burst + 1)
        #expect(ended.count == 1)
        #expect(ended.first?.contains("reading each datagram as it arrives") == true)
    }

    @Test func theTickerTicksUntilStoppedAndClosesWithoutTicking() throws {
        let loop = try EventLoop()
        let ticker = try AlignedTicker(loop: loop)
        var ticks = 0
        try ticker.start(periodMs: 2) {
            ticks += 1
            if ticks == 3 {
                ticker.stop()
                // A stopped ticker would keep the loop alive if it still watched its timer: closing ends the run.
                ticker.close()
            }
        }
        try runLoop(loop)
        #expect(ticks == 3)
    }
}

@Suite("UDP receive pacing")
struct UDPReceivePacingTests {
    @Test func keepsPacingUpToAQuarterOfTheBuffer() {
        let pacing = UDPReceivePacing(periodMs: 40, bufferBytes: 8 << 20)
        #expect(pacing.batchLimit == 2 << 20)
        #expect(pacing.keepsPacing(afterBatchOf: 0))
        #expect(pacing.keepsPacing(afterBatchOf: 2 << 20))
        #expect(!pacing.keepsPacing(afterBatchOf: (2 << 20) + 1))
    }

    @Test func saysWhyPacingEnded() {
        let pacing = UDPReceivePacing(periodMs: 40, bufferBytes: 425_984)
        #expect(pacing.endReason(afterBatchOf: 120_832) == "a 40 ms batch brought 118 KiB, more than a quarter of the "
            + "416 KiB receive buffer (raise net.core.rmem_max for this bitrate): reading each datagram as it arrives")
    }
}
