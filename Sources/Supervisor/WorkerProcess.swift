import Control
import EventLoop

/// A worker the supervisor started: its process handle and its channel (a socketpair on the worker's descriptor
/// 0), on which the supervisor sends the config and reads the worker's messages.
final class WorkerProcess {
    let id: WorkerID
    let process: Process
    let channel: Pipe
    private var lines = ControlLineSplitter(maximumLineLength: 1 << 20)

    init(id: WorkerID, process: Process, channel: Pipe) {
        self.id = id
        self.process = process
        self.channel = channel
    }

    var pid: Int32 { process.pid }

    /// Starts reading the worker's messages; `onMessage` gets each one, malformed lines are reported as errors.
    func listen(_ onMessage: @escaping (Result<WorkerMessage, ControlProtocolError>) -> Void) throws {
        try channel.startReading(onData: { [unowned self] bytes in
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

    func send(_ message: WorkerMessage) {
        try? channel.write(Array(message.line.utf8))
    }

    func close() {
        channel.close()
        process.close()
    }
}
