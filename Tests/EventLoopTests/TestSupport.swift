import EventLoop
import Testing

/// Runs `loop` until it has nothing left to do. If it still runs after `timeoutMs`, records an issue, closes every
/// handle and lets the loop finish, so a broken test fails instead of hanging.
func runLoop(_ loop: EventLoop, timeoutMs: UInt64 = 10_000, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let watchdog = try Timer(loop: loop)
    watchdog.setKeepsLoopAlive(false)
    try watchdog.start(after: timeoutMs) {
        Issue.record("the loop still ran after \(timeoutMs) ms", sourceLocation: sourceLocation)
        loop.closeAllHandles()
    }
    loop.run()
    watchdog.close()
    loop.run()
}

/// The accepted handle of a listener callback; a failure is recorded as an issue.
func accepted<T>(_ result: Result<T, LibUVError>, sourceLocation: SourceLocation = #_sourceLocation) -> T? {
    switch result {
    case .success(let handle):
        return handle
    case .failure(let error):
        Issue.record(error, sourceLocation: sourceLocation)
        return nil
    }
}

/// Two UDP sockets bound on loopback, and the address that reaches the receiver.
func loopbackUDPPair(_ loop: EventLoop) throws -> (receiver: UDPSocket, sender: UDPSocket, destination: SocketAddress) {
    let receiver = try UDPSocket(loop: loop)
    try receiver.bind(SocketAddress(ip: "127.0.0.1", port: 0))
    let sender = try UDPSocket(loop: loop)
    try sender.bind(SocketAddress(ip: "127.0.0.1", port: 0))
    return (receiver, sender, try receiver.localAddress())
}

/// Sends one two-byte datagram per number (the number's low byte, then 0x47), expecting the kernel to take each.
func sendNumbered(_ numbers: Range<Int>, from sender: UDPSocket, to destination: SocketAddress,
                  sourceLocation: SourceLocation = #_sourceLocation) throws {
    for n in numbers {
        let sent = try [UInt8(truncatingIfNeeded: n), 0x47].withUnsafeBytes { try sender.trySend($0, to: destination) }
        #expect(sent, sourceLocation: sourceLocation)
    }
}

/// Sends two recvmmsg batches and 3 numbered datagrams before the loop runs, and 5 more once those arrived (the
/// socket must then be woken again), closing both sockets after the last; expects every number, in order.
/// `start` starts `receiver` with the handler it is given.
func receiveQueuedThenLater(_ loop: EventLoop, receiver: UDPSocket, sender: UDPSocket, destination: SocketAddress,
                            start: (@escaping (UnsafeRawBufferPointer) -> Void) throws -> Void) throws {
    let first = 2 * UDPSocket.batch + 3
    var received: [Int] = []
    try start { bytes in
        received.append(Int(bytes[0]))
        if received.count == first {
            loop.execute { try? sendNumbered(first..<(first + 5), from: sender, to: destination) }
        } else if received.count == first + 5 {
            receiver.close()
            sender.close()
        }
    }
    try sendNumbered(0..<first, from: sender, to: destination)
    try runLoop(loop)
    #expect(Array(0..<(first + 5)) == received)
}
