import JSON

/// One process in the `workers` reply: the supervisor itself, each ingest worker, each edge worker.
public struct WorkerStatus: Hashable, Sendable {
    /// 0 while a worker is not running (waiting out its backoff, or given up).
    public var pid: Int32
    /// "supervisor", "ingest", "edge".
    public var role: String
    /// The stream of a per-stream role (ingest); nil otherwise.
    public var stream: String?
    /// "starting", "running", "backoff", "stopping", "failed".
    public var state: String
    /// Times the worker was started again after its first start.
    public var restarts: Int
    /// Milliseconds since the current process started; nil when none runs.
    public var uptimeMs: Int?
    /// How the previous process ended, e.g. "exit 1" or "signal 9"; nil when none ended yet.
    public var lastExit: String?

    public init(pid: Int32, role: String, stream: String? = nil, state: String, restarts: Int = 0, uptimeMs: Int? = nil, lastExit: String? = nil) {
        self.pid = pid
        self.role = role
        self.stream = stream
        self.state = state
        self.restarts = restarts
        self.uptimeMs = uptimeMs
        self.lastExit = lastExit
    }

    public var json: JSONValue {
        .object([
            ("pid", .int(Int(pid))), ("role", .string(role)), ("stream", stream.map(JSONValue.string) ?? .null),
            ("state", .string(state)), ("restarts", .int(restarts)), ("uptime_ms", uptimeMs.map(JSONValue.int) ?? .null),
            ("last_exit", lastExit.map(JSONValue.string) ?? .null),
        ])
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let what = "worker"
        let pid = try json.required("pid", \.intValue, in: what)
        guard let pid32 = Int32(exactly: pid) else { throw ControlProtocolError("worker: pid \(pid) out of range") }
        self.init(
            pid: pid32, role: try json.required("role", \.stringValue, in: what), stream: json["stream"]?.stringValue,
            state: try json.required("state", \.stringValue, in: what), restarts: try json.required("restarts", \.intValue, in: what),
            uptimeMs: json["uptime_ms"]?.intValue, lastExit: json["last_exit"]?.stringValue)
    }
}
