import JSON

/// One command sent to the supervisor's control socket (`control.sock` in the runtime directory), one JSON object
/// per line: `{"command":"status"}`, `{"command":"restart","stream":"news"}`. The reply is one `ControlResponse` line.
public enum ControlRequest: Hashable, Sendable {
    /// Version, uptime, config file, last reload result, counts (`ServerStatus`).
    case status
    /// One `StreamStatus` per stream.
    case streams
    /// One `WorkerStatus` per process, the supervisor first.
    case workers
    /// Re-read the config file and apply it as a per-stream diff (as SIGHUP does).
    case reload
    /// Restart one stream's ingest worker.
    case restart(stream: String)

    /// The command words, as `sluice ctl` takes them: `restart NAME` or one of the others alone.
    public init(words: [String]) throws(ControlProtocolError) {
        switch words.first {
        case "restart"?:
            guard words.count == 2, !words[1].isEmpty else { throw ControlProtocolError("usage: restart NAME") }
            self = .restart(stream: words[1])
        case let word? where words.count == 1:
            guard let request = Self.simple[word] else { throw ControlProtocolError("unknown command \"\(word)\" (\(Self.commandList))") }
            self = request
        case let word?:
            throw ControlProtocolError("\(word) takes no argument (\(Self.commandList))")
        case nil:
            throw ControlProtocolError("a command is needed (\(Self.commandList))")
        }
    }

    /// Decodes one request line (without its newline). Unknown commands and missing fields are errors that name them.
    public init(line: String) throws(ControlProtocolError) {
        let object = try JSONValue.controlObject(line: line, what: "request")
        guard let command = object["command"]?.stringValue else {
            throw ControlProtocolError("request needs a string \"command\" (\(Self.commandList))")
        }
        if command == "restart" {
            guard let stream = object["stream"]?.stringValue, !stream.isEmpty else {
                throw ControlProtocolError("restart needs a non-empty string \"stream\"")
            }
            self = .restart(stream: stream)
        } else if let request = Self.simple[command] {
            self = request
        } else {
            throw ControlProtocolError("unknown command \"\(command)\" (\(Self.commandList))")
        }
    }

    public var command: String {
        switch self {
        case .status: "status"
        case .streams: "streams"
        case .workers: "workers"
        case .reload: "reload"
        case .restart: "restart"
        }
    }

    public var json: JSONValue {
        guard case .restart(let stream) = self else { return .object([("command", .string(command))]) }
        return .object([("command", .string(command)), ("stream", .string(stream))])
    }

    /// The request as sent: one line of JSON and its newline.
    public var line: String { json.serialized() + "\n" }

    private static let simple: [String: ControlRequest] = [
        "status": .status, "streams": .streams, "workers": .workers, "reload": .reload,
    ]
    private static let commandList = "status, streams, workers, reload, restart NAME"
}
