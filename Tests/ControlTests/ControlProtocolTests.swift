import Testing
import JSON
@testable import Control

@Suite struct ControlProtocolTests {
    static let requests: [ControlRequest] = [.status, .streams, .workers, .reload, .restart(stream: "news \"hd\"")]

    @Test(arguments: requests) func requestsRoundTripAsOneLine(request: ControlRequest) throws {
        let line = request.line
        #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil)
        #expect(try ControlRequest(line: String(line.dropLast())) == request)
    }

    @Test func requestWireForm() throws {
        #expect(ControlRequest.restart(stream: "news").line == #"{"command":"restart","stream":"news"}"# + "\n")
        #expect(ControlRequest.status.line == #"{"command":"status"}"# + "\n")
        #expect(try ControlRequest(line: #" {"stream":"x","command":"restart","extra":1} "#) == .restart(stream: "x"))
    }

    @Test func requestsFromCommandWords() throws {
        #expect(try ControlRequest(words: ["workers"]) == .workers)
        #expect(try ControlRequest(words: ["restart", "news"]) == .restart(stream: "news"))
        #expect(throws: ControlProtocolError("usage: restart NAME")) { try ControlRequest(words: ["restart"]) }
        #expect(throws: ControlProtocolError.self) { try ControlRequest(words: ["status", "x"]) }
        #expect(throws: ControlProtocolError.self) { try ControlRequest(words: ["stop"]) }
        #expect(throws: ControlProtocolError.self) { try ControlRequest(words: []) }
    }

    @Test(arguments: [
        ("", "request is not JSON: JSON: byte 0"),
        ("status", "request is not JSON"),
        ("[1]", "request is not a JSON object"),
        ("{}", "request needs a string \"command\""),
        (#"{"command":7}"#, "request needs a string \"command\""),
        (#"{"command":"stop"}"#, "unknown command \"stop\""),
        (#"{"command":"restart"}"#, "restart needs a non-empty string \"stream\""),
        (#"{"command":"restart","stream":""}"#, "restart needs a non-empty string \"stream\""),
        (#"{"command":"restart","stream":["a"]}"#, "restart needs a non-empty string \"stream\""),
        (#"{"command":"status""#, "request is not JSON"),
    ])
    func badRequestsBecomeErrorsNamingTheProblem(line: String, fragment: String) throws {
        let error = #expect(throws: ControlProtocolError.self) { try ControlRequest(line: line) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        // What the server sends back.
        let reply = ControlResponse.failure(try #require(error).description)
        #expect(try ControlResponse(line: String(reply.line.dropLast())) == reply)
    }

    @Test func responsesRoundTrip() throws {
        let replies: [ControlResponse] = [
            .success(.array([WorkerStatus(pid: 12, role: "supervisor", state: "running").json])),
            .success(.null), .message("restarting news"), .failure("unknown stream \"x\""),
        ]
        for reply in replies {
            #expect(try ControlResponse(line: String(reply.line.dropLast())) == reply)
        }
        #expect(ControlResponse.failure("no").line == #"{"ok":false,"error":"no"}"# + "\n")
        #expect(ControlResponse.message("done").line == #"{"ok":true,"data":{"message":"done"}}"# + "\n")
        #expect(throws: ControlProtocolError("reply: missing \"ok\"")) { try ControlResponse(line: #"{"data":1}"#) }
        #expect(throws: ControlProtocolError.self) { try ControlResponse(line: #"{"ok":false}"#) }
        #expect(throws: ControlProtocolError.self) { try ControlResponse(line: #"{"ok":"yes"}"#) }
    }

    @Test func replyShapesTheIssueFixes() throws {
        let worker = WorkerStatus(pid: 42, role: "ingest", stream: "news", state: "backoff", restarts: 3, uptimeMs: nil, lastExit: "signal 9")
        let workerJSON = worker.json
        for key in ["pid", "role", "stream", "state", "restarts"] { #expect(workerJSON[key] != nil, "\(key)") }
        #expect(try WorkerStatus(json: workerJSON) == worker)

        let stream = StreamStatus(
            name: "news", status: .running, input: "udp://239.0.0.1:1234", bitrate: 4_000_000, frames: 1234,
            lastFrameAgeMs: 12, retryCount: 1, generation: 2, lastError: "udp://239.0.0.1:1234: no frame for 60 s")
        let streamJSON = stream.json
        for key in ["name", "status", "input", "bitrate", "frames", "last_frame_age_ms", "retry_count", "generation", "last_error"] {
            #expect(streamJSON[key] != nil, "\(key)")
        }
        #expect(streamJSON["status"] == .string("running"))
        #expect(try StreamStatus(json: streamJSON) == stream)

        let status = ServerStatus(
            version: "0.3.0", pid: 7, uptimeMs: 5_000, configFile: "/etc/sluice/sluice.conf",
            lastReload: ReloadResult(ok: false, message: "a.conf:3:7: error: unknown directive", file: "a.conf", line: 3, column: 7),
            streams: 2, streamsRunning: 1, workers: 4)
        #expect(try ServerStatus(json: status.json) == status)
        #expect(status.json["last_reload"]?["line"] == .int(3))
        #expect(throws: ControlProtocolError.self) { try StreamStatus(json: streamJSON.replacing("status", with: .string("odd"))) }
        #expect(throws: ControlProtocolError("worker: \"pid\" has the wrong type: \"x\"")) {
            try WorkerStatus(json: workerJSON.replacing("pid", with: .string("x")))
        }
    }
}

extension JSONValue {
    func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        .object((objectValue ?? []).map { $0.0 == key ? ($0.0, value) : $0 })
    }
}
