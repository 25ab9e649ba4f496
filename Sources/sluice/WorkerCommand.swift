#if canImport(Glibc)
import Glibc
#endif
import CSupport
import Config
import Control
import Edge
import Ingest
import Log
import Pusher
import Ring
import Supervisor

/// `sluice worker ingest|edge ...`: a worker role, started only by the supervisor (DESIGN.md section 1), never by
/// hand. Descriptor 0 is the channel to the supervisor; the first line on it is the config to run with.
enum WorkerCommand {
    static let spec = CommandSpec(
        name: "worker", usage: "ingest|edge|pusher [options]", summary: "A worker role (started by the supervisor).",
        options: [
            .init(name: "stream", value: "NAME", help: "The stream an ingest worker writes, or a pusher sends."),
            .init(name: "index", value: "N", help: "The edge worker's number."),
            .init(name: "listeners", value: "PROTO,...", help: "The protocols (http, rtmp, rtsp) of the listening sockets passed as descriptors 3, 4, ..."),
            .init(name: "runtime-dir", value: "DIR", help: "The supervisor's runtime directory."),
            .init(name: "instance", value: "ID", help: "The server instance that names rings."),
        ],
        positionals: 1...1
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        // Workers die with the supervisor, and see the signals their parent's environment may have blocked.
        _ = csupport_reset_signals()
        _ = csupport_set_parent_death_signal(SIGTERM)
        signal(SIGHUP, SIG_IGN)  // reloads come over the channel
        if getppid() == 1 { return 1 }  // the supervisor died before the death signal was armed
        guard let instance = arguments.options["instance"] else {
            throw UsageError(message: "--instance is required", help: spec.help)
        }
        let config = try receiveConfig()
        let level = config.logLevel.flatMap { Logger.Level(name: $0.rawValue) } ?? .info
        switch arguments.positionals[0] {
        case "ingest":
            guard let name = arguments.options["stream"], let stream = config.stream(named: name) else {
                throw UsageError(message: "--stream names no stream of the config", help: spec.help)
            }
            let log = Logger(role: "ingest", stream: name, minimum: level)
            let ringName = try RingName(instance: instance, stream: name)
            let writer = try RingWriter(open: ringName)
            let last = try RingReader(open: ringName).status()
            let worker = try IngestWorker(stream: stream, ring: writer, lastDTS: last.frames > 0 ? last.lastFrameDts : nil,
                                          channelFD: 0, log: log)
            return try worker.run()
        case "pusher":
            guard let name = arguments.options["stream"], let stream = config.stream(named: name) else {
                throw UsageError(message: "--stream names no stream of the config", help: spec.help)
            }
            let log = Logger(role: "pusher", stream: name, minimum: level)
            let pushes = Supervision.pushesBuilt(stream)
            return try PusherWorker(stream: stream, pushes: pushes, instance: instance, channelFD: 0, log: log).run()
        case "edge":
            let protocols = (arguments.options["listeners"] ?? "").split(separator: ",").map(String.init)
            let log = Logger(role: "edge", stream: arguments.options["index"].map { "#\($0)" }, minimum: level)
            let worker = try EdgeWorker(config: config, instance: instance, listeners: protocols.enumerated().map { (fd: Int32(3 + $0.offset), proto: $0.element) },
                                        channelFD: 0, log: log)
            return try worker.run()
        default:
            throw UsageError(message: "unknown role \(arguments.positionals[0])", help: spec.help)
        }
    }

    /// The first line on the channel: `{"config":"..."}`. Blocking: nothing else can happen before it.
    private static func receiveConfig() throws -> ServerConfig {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { throw WorkerError("the supervisor's channel closed before the config came") }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
            guard line.count < 64 << 20 else { throw WorkerError("the config message is too large") }
        }
        guard case .config(let text) = try WorkerMessage(line: String(decoding: line, as: UTF8.self)) else {
            throw WorkerError("the supervisor's first message is not the config")
        }
        let result = ConfigParser.parse(text, file: "(from the supervisor)")
        guard let config = result.config else {
            throw WorkerError("the config from the supervisor does not parse: \(result.errors.first?.description ?? "")")
        }
        return config
    }
}

struct WorkerError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
