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
