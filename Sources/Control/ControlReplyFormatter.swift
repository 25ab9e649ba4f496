import JSON

/// What `sluice ctl` prints for a reply: with `--json` the reply's `data` as is (pretty), else aligned tables for
/// `streams` and `workers`, a few lines for `status`, the message for `reload` and `restart`. A failure, or a reply
/// whose data does not have the shape of its command, goes to stderr with exit code 1.
public struct ControlReplyFormatter: Sendable {
    public struct Output: Hashable, Sendable {
        /// Ends with a newline.
        public var text: String
        public var toStandardError: Bool
        public var exitCode: Int32
    }

    public var json: Bool

    public init(json: Bool) {
        self.json = json
    }

    public func format(_ response: ControlResponse, for request: ControlRequest) -> Output {
        switch response {
        case .failure(let message):
            if json { return Output(text: response.json.serialized(pretty: true) + "\n", toStandardError: false, exitCode: 1) }
            return Output(text: "sluice ctl: \(request.command): \(message)\n", toStandardError: true, exitCode: 1)
        case .success(let data):
            if json { return Output(text: data.serialized(pretty: true) + "\n", toStandardError: false, exitCode: 0) }
            do throws(ControlProtocolError) {
                return Output(text: try text(of: data, for: request), toStandardError: false, exitCode: 0)
            } catch {
                return Output(text: "sluice ctl: \(request.command): unexpected reply: \(error)\n", toStandardError: true, exitCode: 1)
            }
        }
    }

    private func text(of data: JSONValue, for request: ControlRequest) throws(ControlProtocolError) -> String {
        switch request {
        case .streams: return Self.streamsTable(try Self.items(data).map { (item) throws(ControlProtocolError) in try StreamStatus(json: item) })
        case .workers: return Self.workersTable(try Self.items(data).map { (item) throws(ControlProtocolError) in try WorkerStatus(json: item) })
        case .status: return Self.statusText(try ServerStatus(json: data))
        case .reload, .restart: return (data["message"]?.stringValue ?? "ok") + "\n"
        }
    }

    private static func items(_ data: JSONValue) throws(ControlProtocolError) -> [JSONValue] {
        guard let items = data.arrayValue else { throw ControlProtocolError("expected an array, got \(data.serialized())") }
        return items
    }

    public static func streamsTable(_ streams: [StreamStatus]) -> String {
        let table = TextTable(
            columns: [
                .init("NAME"), .init("STATUS"), .init("INPUT"), .init("BITRATE", .right), .init("FRAMES", .right),
                .init("LAST FRAME", .right), .init("RETRIES", .right), .init("GEN", .right),
            ],
            rows: streams.map { stream in
                [
                    stream.name, stream.status.rawValue + (stream.error.map { " (\($0))" } ?? ""), stream.input ?? "-",
                    HumanUnits.bitrate(stream.bitrate), String(stream.frames), HumanUnits.duration(milliseconds: stream.lastFrameAgeMs),
                    String(stream.retryCount), String(stream.generation),
                ]
            })
        return table.rendered()
    }

    public static func workersTable(_ workers: [WorkerStatus]) -> String {
        let table = TextTable(
            columns: [
                .init("PID", .right), .init("ROLE"), .init("STREAM"), .init("STATE"), .init("RESTARTS", .right),
                .init("UPTIME", .right), .init("LAST EXIT"),
            ],
            rows: workers.map { worker in
                [
                    worker.pid == 0 ? "-" : String(worker.pid), worker.role, worker.stream ?? "-", worker.state,
                    String(worker.restarts), HumanUnits.duration(milliseconds: worker.uptimeMs), worker.lastExit ?? "-",
                ]
            })
        return table.rendered()
    }

    public static func statusText(_ status: ServerStatus) -> String {
        var lines = [
            "sluice \(status.version), pid \(status.pid), up \(HumanUnits.duration(milliseconds: status.uptimeMs))",
            "config: \(status.configFile)",
            "streams: \(status.streams) (\(status.streamsRunning) running), workers: \(status.workers)",
        ]
        if let reload = status.lastReload {
            let age = HumanUnits.duration(milliseconds: reload.ageMs)
            lines.append(reload.ok ? "last reload: ok, \(age) ago: \(reload.message)" : "last reload: FAILED \(age) ago: \(reload.message)")
        } else {
            lines.append("last reload: none since start")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
