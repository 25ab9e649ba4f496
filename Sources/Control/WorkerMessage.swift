import JSON

/// A message on a worker's channel (its descriptor 0, a socketpair with the supervisor), one JSON line each.
///
/// - supervisor -> worker: `{"config":"TEXT"}`, the config the worker runs with: first thing after the spawn, and
///   again on a reload that changes what an edge serves.
/// - edge -> supervisor: `{"ready":true}` once it accepts on its listening sockets.
/// - ingest -> supervisor: `{"ingest":{"status":"running","input":"udp://...","retry_count":0,"last_error":null}}`
///   whenever its state changes. Frames, bytes and the generation are not in it: the supervisor reads the ring.
/// - edge -> supervisor -> ingest: `{"handoff":{"stream":"NAME","protocol":"rtmp","state":"HEX"}}` written together
///   with a publisher's TCP connection (SCM_RIGHTS): the edge that accepted a publisher hands it to the ingest worker of
///   its stream, the one writer of the ring (DESIGN.md section 1), through the supervisor. `state` is what the
///   protocol needs to carry the session on (bytes already read, the negotiated chunk size...), in hex.
/// - edge -> supervisor: `{"demand":"NAME"}` while an on-demand stream has viewers on that edge (a request, a live
///   viewer): at the first one at once, then about once a second. The supervisor starts the stream's ingest worker
///   and stops it `clients_timeout` after the last demand.
/// - pusher -> supervisor: `{"pushes":[{"url":"rtmp://...","state":"connected","bytes":N,"errors":N,"last_error":null}]}`
///   when a target's state changes, and every few seconds while bytes flow.
public enum WorkerMessage: Equatable, Sendable {
    case config(String)
    case ready
    case ingest(IngestState)
    case handoff(Handoff)
    case pushes([PushStatus])
    case demand(String)

    /// A publishing connection on its way to its stream's ingest worker; the descriptor travels with the line.
    public struct Handoff: Equatable, Sendable {
        public var stream: String
        /// "rtmp" or "rtsp".
        public var proto: String
        /// The protocol session's state at the handover, opaque to the supervisor.
        public var state: [UInt8]

        public init(stream: String, proto: String, state: [UInt8]) {
            self.stream = stream
            self.proto = proto
            self.state = state
        }
    }

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
        case .handoff(let handoff):
            value = .object([("handoff", .object([
                ("stream", .string(handoff.stream)),
                ("protocol", .string(handoff.proto)),
                ("state", .string(Self.hex(handoff.state))),
            ]))])
        case .pushes(let pushes):
            value = .object([("pushes", .array(pushes.map(\.json)))])
        case .demand(let stream):
            value = .object([("demand", .string(stream))])
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
        } else if let handoff = value["handoff"], let stream = handoff["stream"]?.stringValue,
                  let proto = handoff["protocol"]?.stringValue, let text = handoff["state"]?.stringValue {
            guard let state = Self.bytes(hex: text) else { throw ControlProtocolError("worker message: handoff state is not hex") }
            self = .handoff(Handoff(stream: stream, proto: proto, state: state))
        } else if let pushes = value["pushes"]?.arrayValue {
            self = .pushes(try pushes.map { (item) throws(ControlProtocolError) in try PushStatus(json: item) })
        } else if let stream = value["demand"]?.stringValue {
            self = .demand(stream)
        } else {
            throw ControlProtocolError("worker message: not a config, ready, ingest, handoff, pushes or demand message")
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func bytes(hex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
