import Control
import EventLoop

/// A worker the supervisor started: its process handle and its channel (a socketpair on the worker's descriptor
/// 0), on which the supervisor sends the config and reads the worker's messages.
final class WorkerProcess {
    let id: WorkerID
    let process: Process
    let channel: Pipe
    private var lines = ControlLineSplitter(maximumLineLength: 1 << 20)
    /// Connections that came with the worker's messages (a handoff's publisher), oldest first: each handoff line
    /// takes the oldest, which arrived with that line's first byte.
    private var receivedConnections: [TCPConnection] = []

    init(id: WorkerID, process: Process, channel: Pipe) {
        self.id = id
        self.process = process
        self.channel = channel
    }

    var pid: Int32 { process.pid }

    /// Starts reading the worker's messages; `onMessage` gets each one, malformed lines are reported as errors.
    func listen(_ onMessage: @escaping (Result<WorkerMessage, ControlProtocolError>) -> Void) throws {
        try channel.startReading(onData: { [unowned self] bytes in
            // Descriptors are accepted as they arrive, before the lines that refer to them are read.
            while channel.pendingHandleCount > 0 {
                do { receivedConnections.append(try channel.acceptPendingConnection()) } catch {
                    onMessage(.failure(ControlProtocolError("a descriptor that is not a TCP connection: \(error)")))
                    break
                }
            }
            lines.append(bytes)
            while let line = lines.next() {
                switch line {
                case .line(let text):
                    do throws(ControlProtocolError) {
                        onMessage(.success(try WorkerMessage(line: text)))
                    } catch {
                        onMessage(.failure(error))
                    }
                case .tooLong:
                    onMessage(.failure(ControlProtocolError("a message over 1 MiB")))
                }
            }
        }, onEnd: { _ in })
    }

    /// The oldest connection received and not yet taken.
    func takeReceivedConnection() -> TCPConnection? {
        receivedConnections.isEmpty ? nil : receivedConnections.removeFirst()
    }

    func send(_ message: WorkerMessage) {
        try? channel.write(Array(message.line.utf8))
    }

    /// Sends `message` with `connection`'s descriptor, then closes this process's copy of the connection.
    func send(_ message: WorkerMessage, passing connection: TCPConnection) throws {
        try channel.write(SharedBytes(Array(message.line.utf8)), passing: connection) { _ in connection.close() }
    }

    func close() {
        for connection in receivedConnections { connection.close() }
        receivedConnections.removeAll()
        channel.close()
        process.close()
    }
}
