import JSON

/// The `status` reply: what runs, since when, from which config, and how the last reload went.
public struct ServerStatus: Hashable, Sendable {
    public var version: String
    /// The supervisor's pid.
    public var pid: Int32
    public var uptimeMs: Int
    public var configFile: String
    /// nil until the first reload after start.
    public var lastReload: ReloadResult?
    /// Streams that run an ingest worker (static ones, and on-demand ones while requested).
    public var streams: Int
    /// Of those, the ones receiving frames.
    public var streamsRunning: Int
    /// Worker processes, the supervisor not counted.
    public var workers: Int

    public init(
        version: String, pid: Int32, uptimeMs: Int, configFile: String, lastReload: ReloadResult? = nil,
        streams: Int, streamsRunning: Int, workers: Int
    ) {
        self.version = version
        self.pid = pid
        self.uptimeMs = uptimeMs
        self.configFile = configFile
        self.lastReload = lastReload
        self.streams = streams
        self.streamsRunning = streamsRunning
        self.workers = workers
    }

    public var json: JSONValue {
        .object([
            ("version", .string(version)), ("pid", .int(Int(pid))), ("uptime_ms", .int(uptimeMs)), ("config_file", .string(configFile)),
            ("last_reload", lastReload?.json ?? .null), ("streams", .int(streams)), ("streams_running", .int(streamsRunning)),
            ("workers", .int(workers)),
        ])
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let what = "status"
        let pid = try json.required("pid", \.intValue, in: what)
        guard let pid32 = Int32(exactly: pid) else { throw ControlProtocolError("status: pid \(pid) out of range") }
        var reload: ReloadResult?
        if let value = json["last_reload"], value != .null { reload = try ReloadResult(json: value) }
        self.init(
            version: try json.required("version", \.stringValue, in: what), pid: pid32,
            uptimeMs: try json.required("uptime_ms", \.intValue, in: what),
            configFile: try json.required("config_file", \.stringValue, in: what), lastReload: reload,
            streams: try json.required("streams", \.intValue, in: what),
            streamsRunning: try json.required("streams_running", \.intValue, in: what),
            workers: try json.required("workers", \.intValue, in: what))
    }
}
