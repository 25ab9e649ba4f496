import Testing
import JSON
@testable import Control

@Suite struct ControlReplyFormatterTests {
    static let workers = [
        WorkerStatus(pid: 100, role: "supervisor", state: "running", uptimeMs: 7_384_000),
        WorkerStatus(pid: 101, role: "edge", state: "running", restarts: 0, uptimeMs: 65_000),
        WorkerStatus(pid: 0, role: "ingest", stream: "news", state: "backoff", restarts: 12, lastExit: "signal 9"),
    ]

    @Test func workersTableIsAligned() {
        let reply = ControlResponse.success(.array(Self.workers.map(\.json)))
        let output = ControlReplyFormatter(json: false).format(reply, for: .workers)
        #expect(output.exitCode == 0 && !output.toStandardError)
        #expect(output.text == """
            PID  ROLE        STREAM  STATE    RESTARTS  UPTIME  LAST EXIT
            100  supervisor  -       running         0  2h 03m  -
            101  edge        -       running         0  1m 05s  -
              -  ingest      news    backoff        12       -  signal 9

            """)
    }

    @Test func streamsTableIsAligned() {
        let streams = [
            StreamStatus(name: "news", status: .running, input: "udp://239.0.0.1:1234", bitrate: 4_215_000, frames: 98_765,
                         lastFrameAgeMs: 40, retryCount: 0, generation: 1),
            StreamStatus(name: "cam", status: .error, retryCount: 5, generation: 5, error: "retry_limit 5 reached"),
        ]
        let output = ControlReplyFormatter(json: false).format(.success(.array(streams.map(\.json))), for: .streams)
        #expect(output.text == """
            NAME  STATUS                         INPUT                     BITRATE  FRAMES  LAST FRAME  RETRIES  GEN
            news  running                        udp://239.0.0.1:1234  4.21 Mbit/s   98765        40ms        0    1
            cam   error (retry_limit 5 reached)  -                         0 bit/s       0           -        5    5

            """)
    }

    @Test func statusIsShort() {
        let status = ServerStatus(
            version: "0.3.0", pid: 7, uptimeMs: 4_200, configFile: "/etc/sluice/sluice.conf",
            lastReload: ReloadResult(ok: false, message: "a.conf:3:7: error: unknown directive \"strem\"", file: "a.conf",
                                     line: 3, column: 7, ageMs: 125_000),
            streams: 2, streamsRunning: 1, workers: 4)
        let output = ControlReplyFormatter(json: false).format(.success(status.json), for: .status)
        #expect(output.text == """
            sluice 0.3.0, pid 7, up 4.2s
            config: /etc/sluice/sluice.conf
            streams: 2 (1 running), workers: 4
            last reload: FAILED 2m 05s ago: a.conf:3:7: error: unknown directive "strem"

            """)
    }

    @Test func jsonPrintsTheDataAsIs() throws {
        let data = JSONValue.array(Self.workers.map(\.json))
        let output = ControlReplyFormatter(json: true).format(.success(data), for: .workers)
        #expect(try JSONValue.parse(output.text) == data)
        let failure = ControlReplyFormatter(json: true).format(.failure("unknown stream \"x\""), for: .restart(stream: "x"))
        #expect(failure.exitCode == 1 && !failure.toStandardError)
        #expect(try JSONValue.parse(failure.text)["error"] == .string("unknown stream \"x\""))
    }

    @Test func failuresAndMalformedRepliesGoToStandardError() {
        let formatter = ControlReplyFormatter(json: false)
        let failure = formatter.format(.failure("unknown stream \"x\""), for: .restart(stream: "x"))
        #expect(failure == .init(text: "sluice ctl: restart: unknown stream \"x\"\n", toStandardError: true, exitCode: 1))
        let wrongShape = formatter.format(.success(.object([])), for: .streams)
        #expect(wrongShape.exitCode == 1 && wrongShape.toStandardError && wrongShape.text.contains("expected an array"))
        let missingField = formatter.format(.success(.array([.object([("name", .string("a"))])])), for: .streams)
        #expect(missingField.text.contains("stream: missing \"status\""))
        #expect(formatter.format(.message("restarting news"), for: .restart(stream: "news")).text == "restarting news\n")
    }

    @Test func humanUnits() {
        #expect(HumanUnits.bitrate(999) == "999 bit/s")
        #expect(HumanUnits.bitrate(12_500) == "12.5 kbit/s")
        #expect(HumanUnits.bitrate(4_005_000) == "4.00 Mbit/s")
        #expect(HumanUnits.bitrate(1_050_000_000) == "1.05 Gbit/s")
        #expect(HumanUnits.duration(milliseconds: 999) == "999ms")
        #expect(HumanUnits.duration(milliseconds: 59_999) == "59.9s")
        #expect(HumanUnits.duration(milliseconds: 3 * 86_400_000 + 4 * 3_600_000) == "3d 04h")
    }
}
