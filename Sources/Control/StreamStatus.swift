import JSON

/// One stream in the `streams` reply: what its ingest worker and its ring say about it.
public struct StreamStatus: Hashable, Sendable {
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Frames are arriving.
        case running
        /// Started (or on demand and not requested), no frames yet or the source is being retried.
        case waiting
        /// Given up (`retry_limit` reached) or failing to start.
        case error
    }

    public var name: String
    public var status: State
    /// The input URL in use; nil when none is open.
    public var input: String?
    /// Bits per second over the last seconds.
    public var bitrate: Int
    /// Frames written to the ring over its life.
    public var frames: Int
    /// Milliseconds since the newest frame; nil before the first.
    public var lastFrameAgeMs: Int?
    /// Times the source was restarted.
    public var retryCount: Int
    /// The ring's generation: grows by one each time the source restarts.
    public var generation: Int
    /// Why the stream is not running: its source's last failure (`URL: reason`, passwords masked), or why it gave up.
    public var error: String?
    /// The latest input failure, as `URL: reason` (a refused connection, an untrusted certificate...), kept while
    /// the stream retries and after it recovers; nil before any failure.
    public var lastError: String?
    /// Its `push` targets (empty when it has none, or before its pusher reported).
    public var pushes: [PushStatus]

    public init(
        name: String, status: State, input: String? = nil, bitrate: Int = 0, frames: Int = 0, lastFrameAgeMs: Int? = nil,
        retryCount: Int = 0, generation: Int = 0, error: String? = nil, lastError: String? = nil, pushes: [PushStatus] = []
    ) {
        self.name = name
        self.status = status
        self.input = input
        self.bitrate = bitrate
        self.frames = frames
        self.lastFrameAgeMs = lastFrameAgeMs
        self.retryCount = retryCount
        self.generation = generation
        self.error = error
        self.lastError = lastError
        self.pushes = pushes
    }

    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("status", .string(status.rawValue)), ("input", input.map(JSONValue.string) ?? .null),
            ("bitrate", .int(bitrate)), ("frames", .int(frames)), ("last_frame_age_ms", lastFrameAgeMs.map(JSONValue.int) ?? .null),
            ("retry_count", .int(retryCount)), ("generation", .int(generation)), ("error", error.map(JSONValue.string) ?? .null),
            ("last_error", lastError.map(JSONValue.string) ?? .null), ("pushes", .array(pushes.map(\.json))),
        ])
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let what = "stream"
        let statusText = try json.required("status", \.stringValue, in: what)
        guard let status = State(rawValue: statusText) else { throw ControlProtocolError("stream: unknown status \"\(statusText)\"") }
        self.init(
            name: try json.required("name", \.stringValue, in: what), status: status, input: json["input"]?.stringValue,
            bitrate: try json.required("bitrate", \.intValue, in: what), frames: try json.required("frames", \.intValue, in: what),
            lastFrameAgeMs: json["last_frame_age_ms"]?.intValue, retryCount: try json.required("retry_count", \.intValue, in: what),
            generation: try json.required("generation", \.intValue, in: what), error: json["error"]?.stringValue,
            lastError: json["last_error"]?.stringValue,
            pushes: try (json["pushes"]?.arrayValue ?? []).map { (item) throws(ControlProtocolError) in try PushStatus(json: item) })
    }
}
