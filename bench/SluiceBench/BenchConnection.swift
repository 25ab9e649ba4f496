#if canImport(Glibc)
import Glibc
#endif
import EventLoop

/// One client connection of the benchmarks (RTMP and RTSP players and publishers): a TCP connection that counts
/// what it receives and hands it to a protocol session (`RTMPBenchClient`, `RTSPBenchClient`), which subclasses
/// drive through `connected()` and `received(_:)`.
class BenchConnection {
    let connection: TCPConnection
    private(set) var failure: String?
    /// Every byte read on the connection so far (a fan-out viewer's measure).
    private(set) var bytesReceived: UInt64 = 0
    /// Called once, on the first failure (connect, protocol, end of stream).
    var onFailure: ((BenchConnection, String) -> Void)?

    init(loop: EventLoop) throws {
        connection = try TCPConnection(loop: loop)
    }

    func connect(to address: SocketAddress) {
        do {
            try connection.connect(to: address) { [unowned self] error in
                if let error { return fail("connect: \(error)") }
                do {
                    try connection.setNoDelay(true)
                    try connection.startReading(onData: { [unowned self] in
                        bytesReceived &+= UInt64($0.count)
                        received($0)
                    }, onEnd: { [unowned self] in fail("closed by the server" + ($0.map { ": \($0)" } ?? "")) })
                } catch {
                    return fail("\(error)")
                }
                connected()
            }
        } catch {
            fail("connect: \(error)")
        }
    }

    /// The connection is up: the session's first bytes go out.
    func connected() {}

    /// What the server sent, borrowed for the call.
    func received(_ bytes: UnsafeRawBufferPointer) {}

    func write(_ bytes: [UInt8]) {
        do { try connection.write(bytes) } catch { fail("write: \(error)") }
    }

    func fail(_ reason: String) {
        guard failure == nil else { return }
        failure = reason
        connection.close()
        onFailure?(self, reason)
    }

    /// Asks the kernel (SO_RCVLOWAT) to wake this reader only once `bytes` have arrived, rather than for every
    /// segment the server writes; the kernel holds the bytes meanwhile. 0 or 1 leaves the default (every arrival).
    func wakeForLowWater(_ bytes: Int) {
        guard bytes > 1, let descriptor = try? connection.fileDescriptor() else { return }
        var value = Int32(bytes)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVLOWAT, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The address of a server (resolved once: `EventLoop.resolve` blocks).
    static func resolve(host: String, port: Int, on loop: EventLoop) -> SocketAddress {
        do { return try loop.resolve(host: host, port: port) } catch { die("\(host): \(error)") }
    }
}
