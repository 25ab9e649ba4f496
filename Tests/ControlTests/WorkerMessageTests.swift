import Testing
@testable import Control

@Suite struct WorkerMessageTests {
    @Test(arguments: [
        WorkerMessage.config("http 8080;\nstream a {\n  input \"fake://fake\";\n}\n"),
        .ready,
        .ingest(.init(status: "running", input: "udp://239.0.0.1:1234", retryCount: 2, lastError: nil)),
        .ingest(.init(status: "error", input: nil, retryCount: 10, lastError: "connect: refused\nsecond line")),
    ])
    func roundTrip(message: WorkerMessage) throws {
        let line = message.line
        #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil)
        #expect(try WorkerMessage(line: String(line.dropLast())) == message)
    }

    @Test func refusesOtherLines() {
        for line in ["", "[]", "{}", "{\"ready\":false}", "{\"ingest\":{}}", "not json"] {
            #expect(throws: ControlProtocolError.self) { try WorkerMessage(line: line) }
        }
    }
}
