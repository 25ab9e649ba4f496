import JSON

/// A message on a worker's channel (its descriptor 0, a socketpair with the supervisor), one JSON line each.
///
/// - supervisor -> worker: `{"config":"TEXT"}`, the config the worker runs with: first thing after the spawn, and
///   again on a reload that changes what an edge serves.
/// - edge -> supervisor: `{"ready":true}` once it accepts on its listening sockets.
/// - ingest -> supervisor: `{"ingest":{"status":"running","input":"udp://...","retry_count":0,"last_error":null}}`
///   whenever its state changes. Frames, bytes and the generation are not in it: the supervisor reads the ring.
public enum WorkerMessage: Equatable, Sendable {
    case config(String)
    case ready
    case ingest(IngestState)

    public struct IngestState: Equatable, Sendable {
        /// "running", "waiting" or "error" (`StreamStatus.State`).
        public var status: String
        /// The active input's URL.
        public var input: String?
        public var retryCount: Int
        public var lastError: String?

        public init(status: String, input: String?, retryCount: Int, lastError: String?) {
            self.status = status
            self.input = input
            self.retryCount = retryCount
            self.lastError = lastError
        }
    }

    /// The message as one line, newline included.
    public var line: String {
        let value: JSONValue
        switch self {
        case .config(let text): value = .object([("config", .string(text))])
        case .ready: value = .object([("ready", .bool(true))])
        case .ingest(let state):
            value = .object([("ingest", .object([
                ("status", .string(state.status)),
                ("input", state.input.map(JSONValue.string) ?? .null),
                ("retry_count", .int(state.retryCount)),
                ("last_error", state.lastError.map(JSONValue.string) ?? .null),
            ]))])
        }
        return value.serialized() + "\n"
    }

    public init(line: String) throws(ControlProtocolError) {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw ControlProtocolError("worker message: \(error)") }
        if let text = value["config"]?.stringValue {
            self = .config(text)
        } else if value["ready"]?.boolValue == true {
            self = .ready
        } else if let state = value["ingest"], let status = state["status"]?.stringValue,
                  let retries = state["retry_count"]?.intValue {
            self = .ingest(IngestState(status: status, input: state["input"]?.stringValue, retryCount: retries,
                                       lastError: state["last_error"]?.stringValue))
        } else {
            throw ControlProtocolError("worker message: not a config, ready or ingest message")
        }
    }
}
