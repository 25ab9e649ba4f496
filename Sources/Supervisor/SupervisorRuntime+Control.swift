#if canImport(Glibc)
import Glibc
#endif
import Control
import EventLoop
import JSON

/// The control socket (`control.sock` in the runtime directory): JSON lines, one request and one reply each
/// (docs/control.md), answered from the supervisor's own state and the rings.
extension SupervisorRuntime {
    func startControlServer() throws {
        unlink(runtime.controlSocket)
        let server = try Pipe(loop: loop)
        try server.bind(path: runtime.controlSocket)
        chmod(runtime.controlSocket, 0o660)
        try server.listen { [unowned self] result in
            guard case .success(let client) = result else { return }
            var lines = ControlLineSplitter(maximumLineLength: 64 * 1024)
            do {
                try client.startReading(onData: { [unowned self, unowned client] bytes in
                    lines.append(bytes)
                    while let line = lines.next() {
                        let response: ControlResponse
                        switch line {
                        case .line(let text):
                            do { response = answer(try ControlRequest(line: text)) } catch { response = .failure("\(error)") }
                        case .tooLong:
                            response = .failure("request over 64 KiB")
                        }
                        try? client.write(Array(response.line.utf8))
                    }
                }, onEnd: { [unowned client] _ in client.close() })
            } catch {
                client.close()
            }
        }
        controlServer = server
    }

    func answer(_ request: ControlRequest) -> ControlResponse {
        let now = Self.now()
        switch request {
        case .status:
            let streams = streamStatuses()
            let status = ServerStatus(
                version: SluiceVersion.text, pid: getpid(), uptimeMs: Int(now.milliseconds(since: startedAt)), configFile: configPath,
                lastReload: lastReload.map { var r = $0.result; r.ageMs = Int(now.milliseconds(since: $0.at)); return r },
                streams: streams.count, streamsRunning: streams.filter { $0.status == .running }.count,
                workers: supervision.workers.count)
            return .success(status.json)
        case .streams:
            return .success(.array(streamStatuses().map(\.json)))
        case .workers:
            return .success(.array(supervision.workerStatuses(supervisorPID: getpid(), startedAt: startedAt, now: now).map(\.json)))
        case .reload:
            let result = reload(reason: "sluice ctl reload")
            return result.ok ? .message(result.message) : .failure(result.message)
        case .restart(let stream):
            do {
                perform(try supervision.restart(stream: stream, now: now))
                return .message("restarting \(stream)")
            } catch {
                return .failure("\(error)")
            }
        }
    }

    private func streamStatuses() -> [StreamStatus] {
        supervision.streamNames.map { name in
            let ring = statistics.read(name)
            let ingest = ingestStates[name]
            let receiving = (ring?.lastFrameAgeMs).map { $0 < 5000 } ?? false
            var state = supervision.streamState(name, receivingFrames: receiving)
            if state == .running, let reported = ingest.flatMap({ StreamStatus.State(rawValue: $0.status) }), reported != .running {
                state = reported
            }
            return StreamStatus(name: name, status: state, input: ingest?.input, bitrate: ring?.bitrate ?? 0,
                                frames: ring?.frames ?? 0, lastFrameAgeMs: ring?.lastFrameAgeMs,
                                retryCount: ingest?.retryCount ?? 0, generation: ring?.generation ?? 0,
                                error: state == .running ? nil : ingest?.lastError, lastError: ingest?.lastError,
                                pushes: pushStates[name] ?? [])
        }
    }
}
