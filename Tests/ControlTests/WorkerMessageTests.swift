import Testing
@testable import Control

@Suite struct WorkerMessageTests {
    @Test(arguments: [
        WorkerMessage.config("http 8080;\nstream a {\n  input \"fake://fake\";\n}\n"),
        .ready,
        .ingest(.init(status: "running", input: "udp://239.0.0.1:1234", retryCount: 2, lastError: nil)),
        .ingest(.init(status: "error", input: nil, retryCount: 10, lastError: "connect: refused\nsecond line")),
        .handoff(.init(stream: "chats/room-15", proto: "rtmp", state: Array(0...255))),
        .handoff(.init(stream: "a", proto: "rtmp", state: [])),
        .demand("cams/gate \"1\""),
    ])
    func roundTrip(message: WorkerMessage) throws {
        let line = message.line
        #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil)
        #expect(try WorkerMessage(line: String(line.dropLast())) == message)
    }

    @Test func handoffStateIsHexEitherCase() throws {
        let message = try WorkerMessage(line: #"{"handoff":{"stream":"a","protocol":"rtmp","state":"00fFa5"}}"#)
        #expect(message == .handoff(.init(stream: "a", proto: "rtmp", state: [0x00, 0xFF, 0xA5])))
    }

    @Test func refusesOtherLines() {
        for line in ["", "[]", "{}", "{\"ready\":false}", "{\"ingest\":{}}", "not json",
                     #"{"handoff":{"stream":"a","protocol":"rtmp","state":"0g"}}"#,
                     #"{"handoff":{"stream":"a","protocol":"rtmp","state":"abc"}}"#,
                     #"{"handoff":{"stream":"a","state":"00"}}"#, #"{"demand":1}"#] {
            #expect(throws: ControlProtocolError.self) { try WorkerMessage(line: line) }
        }
    }
}
