import JSON

/// What an ingest worker tells its supervisor about its stream, one JSON line on its standard output each time it
/// changes: `{"status":"running","input":"udp://239.0.0.1:1234","retry_count":0,"last_error":null}`. Frames, bytes
/// and the generation are not in it: the supervisor reads those from the ring.
public struct IngestReport: Equatable, Sendable {
    public var status: InputStatus

    public init(status: InputStatus) { self.status = status }

    public var line: String {
        JSONValue.object([
            ("status", .string(status.state.rawValue)),
            ("input", status.input.map(JSONValue.string) ?? .null),
            ("retry_count", .int(status.retryCount)),
            ("last_error", status.lastError.map(JSONValue.string) ?? .null),
        ]).serialized()
    }
}
