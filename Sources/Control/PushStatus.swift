import JSON

/// One `push` target of a stream, as its pusher worker reports it (`WorkerMessage.pushes`) and `ctl streams --json`
/// shows it under `pushes`.
public struct PushStatus: Hashable, Sendable {
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Connecting, handshaking, or asking to publish.
        case connecting
        /// Publishing: frames are being sent.
        case connected
        /// Waiting out the delay before the next attempt, after a failure.
        case retrying
    }

    public var url: String
    public var state: State
    /// Bytes written to the target over the pusher's life.
    public var bytes: Int
    /// Failed attempts and lost connections over the pusher's life.
    public var errors: Int
    public var lastError: String?

    public init(url: String, state: State, bytes: Int = 0, errors: Int = 0, lastError: String? = nil) {
        self.url = url
        self.state = state
        self.bytes = bytes
        self.errors = errors
        self.lastError = lastError
    }

    public var json: JSONValue {
        .object([
            ("url", .string(url)), ("state", .string(state.rawValue)), ("bytes", .int(bytes)), ("errors", .int(errors)),
            ("last_error", lastError.map(JSONValue.string) ?? .null),
        ])
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let what = "push"
        let stateText = try json.required("state", \.stringValue, in: what)
        guard let state = State(rawValue: stateText) else { throw ControlProtocolError("push: unknown state \"\(stateText)\"") }
        self.init(url: try json.required("url", \.stringValue, in: what), state: state,
                  bytes: try json.required("bytes", \.intValue, in: what), errors: try json.required("errors", \.intValue, in: what),
                  lastError: json["last_error"]?.stringValue)
    }
}
