#if canImport(Glibc)
import Glibc
#endif
import Config
import Control
import EventLoop
import HLS
import Log
import Media
import Ring

/// The ingest worker role (`sluice worker ingest --stream NAME`): the one writer of a stream's ring. It pulls the
/// stream's inputs with failover (`InputSelector`), keeps timestamps continuous across source restarts
/// (`GenerationRebaser`), decides HLS segments (`SegmentCutter`) and writes frames, tracks and segment starts to the
/// ring. It reports its state to the supervisor on its channel (`WorkerMessage.ingest`).
public final class IngestWorker {
    private let loop: EventLoop
    private let stream: StreamConfig
    private let log: Logger
    private let ring: RingWriter
    private var selector: InputSelector
    private var rebaser: GenerationRebaser
    private var cutter: SegmentCutter?
    private var inputs: [Int: IngestInput] = [:]
    /// The tracks written to the ring's table, by id (a handful: a linear search, no hashing or copies per frame).
    private var tracks: [Track] = []
    /// Whether `tracks` holds a video track.
    private var hasVideo = false
    private var fake: FakeSource?
    private var handles: [Handle] = []
    /// Wakes the worker for the selector's next timeout or retry (`InputSelector.nextTick`), not every few hundred
    /// milliseconds: while frames flow, that is a source timeout away.
    private var tick: Timer?
    private let segmentDuration: Int
    /// The state last sent to the supervisor (the line is built only when it changes).
    private var lastReport: InputStatus?
    /// The first audio DTS of a generation that has shown no video yet.
    private var firstAudioDTS: Int64?
    /// The channel to the supervisor (descriptor 0, IPC mode: publishers' connections come on it).
    private let channel: Pipe
    private var channelLines = ControlLineSplitter(maximumLineLength: 1 << 20)
    private var receivedConnections: [TCPConnection] = []

    public init(stream: StreamConfig, ring: RingWriter, lastDTS: Int64?, channelFD: Int32, log: Logger) throws {
        self.loop = try EventLoop()
        self.channel = try Pipe(loop: loop, ipc: true, fileDescriptor: channelFD)
        self.stream = stream
        self.ring = ring
        self.log = log
        self.selector = InputSelector(settings: stream.settings, kind: stream.kind)
        self.rebaser = GenerationRebaser(lastWrittenDTS: lastDTS)
        self.segmentDuration = stream.settings.segmentDuration ?? MediaPlaylist.defaultSegmentDuration
        ring.window = RingWindowSizer(windowSeconds: Self.ringWindowSeconds(stream), maximum: ring.dataCapacity)
    }

    /// Seconds of the stream its ring must hold: the HLS window (`MediaPlaylist.ringWindowSeconds`). The supervisor
    /// sizes the ring's data area for them at a generous bitrate; the writer uses what the measured bitrate needs.
    public static func ringWindowSeconds(_ stream: StreamConfig) -> Int {
        MediaPlaylist(stream: stream.name, segmentDuration: stream.settings.segmentDuration,
                      segmentCount: stream.settings.segmentCount).ringWindowSeconds
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status.
    public func run() throws -> Int32 {
        let tick = try Timer(loop: loop)
        self.tick = tick
        handles.append(tick)
        for number in [SIGTERM, SIGINT] {
            let signal = try Signal(loop: loop)
            try signal.start(number) { [unowned self] _ in stop() }
            handles.append(signal)
        }
        try channel.startReading(onData: { [unowned self] bytes in fromSupervisor(bytes) }, onEnd: { [unowned self] _ in
            log.notice("supervisor channel closed")
            stop()
        })
        perform(selector.start(now: now))
        send(.ready)
        report()
        _ = loop.run()
        return 0
    }

    private var now: Int64 { Int64(loop.now) }

    /// Messages from the supervisor: publishers handed over by edges, each with its connection.
    private func fromSupervisor(_ bytes: UnsafeRawBufferPointer) {
        while channel.pendingHandleCount > 0 {
            do { receivedConnections.append(try channel.acceptPendingConnection()) } catch {
                log.error("supervisor channel: \(error)")
                break
            }
        }
        channelLines.append(bytes)
        while let line = channelLines.next() {
            guard case .line(let text) = line, let message = try? WorkerMessage(line: text) else {
                log.error("unexpected message from the supervisor")
                continue
            }
            switch message {
            case .handoff(let handoff):
                guard !receivedConnections.isEmpty else {
                    log.error("a \(handoff.proto) publisher came without its connection")
                    continue
                }
                publisherArrived(receivedConnections.removeFirst(), handoff)
            case .config, .ready, .ingest, .pushes, .demand:
                log.error("unexpected message from the supervisor")
            }
        }
    }

    /// A publisher handed over by an edge worker goes to the stream's `publish://` input, opened at once if it was
    /// waiting out a backoff.
    private func publisherArrived(_ connection: TCPConnection, _ handoff: WorkerMessage.Handoff) {
        guard handoff.proto == "rtmp" || handoff.proto == "rtsp",
              let index = selector.inputs.firstIndex(where: { $0.url.scheme == "publish" }) else {
            log.error("a \(handoff.proto) publisher came, and the stream takes none; disconnected")
            return connection.close()
        }
        if inputs[index] == nil { perform(selector.retryNow(index, now: now)) }
        guard let input = inputs[index] as? PublishInput else {
            log.error("a publisher came, and the publish input is not open; disconnected")
            return connection.close()
        }
        input.attach(proto: handoff.proto, connection: connection, state: handoff.state)
    }

    private func stop() {
        log.info("stopping")
        channel.close()
        for connection in receivedConnections { connection.close() }
        receivedConnections.removeAll()
        for input in inputs.values { input.stop() }
        inputs.removeAll()
        for handle in handles { handle.close() }
    }

    private func perform(_ actions: [InputSelector.Action]) {
        for action in actions {
            switch action {
            case .open(let index), .probe(let index):
                open(index)
            case .close(let index):
                inputs.removeValue(forKey: index)?.stop()
            case .switchTo(let index):
                log.notice("switching to input \(selector.inputs[index].url.redacted)")
            case .newGeneration:
                let generation = ring.bumpGeneration()
                rebaser.startGeneration()
                tracks.removeAll()
                hasVideo = false
                cutter = nil
                firstAudioDTS = nil
                log.info("source (re)started, generation \(generation)")
            case .event(let name, let index, let reason):
                let url = selector.inputs.indices.contains(index) ? selector.inputs[index].url.redacted : "?"
                log.notice("\(name.rawValue) url=\(url)" + (reason.map { " reason=\($0)" } ?? ""))
            case .giveUp(let reason):
                log.error("giving up: \(reason)")
            }
        }
        report()
        scheduleTick()
    }

    /// Sets the timer for the selector's next tick, after an event may have moved it. A frame only moves it later:
    /// the timer then fires early, the tick does nothing, and the timer is set again.
    private func scheduleTick() {
        guard let tick, !tick.isClosing else { return }
        guard let next = selector.nextTick else { return tick.stop() }
        do {
            try tick.start(after: UInt64(max(next - now, 1))) { [unowned self] in perform(selector.tick(now: now)) }
        } catch {
            log.error("selector timer: \(error)")
        }
    }

    private func open(_ index: Int) {
        let config = selector.inputs[index]
        var events = IngestInputEvents(
            opened: { [unowned self] in perform(selector.opened(index, now: now)) },
            frame: { [unowned self] track, info, payload in received(index, track, info, payload) },
            failed: { [unowned self] reason in perform(selector.failed(index, reason: reason, now: now)) })
        if config.url.scheme == "rtsp2" { events = AudioTranscoding(events, log: log).events }
        // Transport stream inputs get their own demuxer (`program=` and `pids=` of the input line).
        var demuxer = TSDemuxer(options: TSDemuxer.Options(program: config.program, pids: config.pids.map(Set.init)))
        let transport = TransportStreamEvents(opened: events.opened,
                                              bytes: { demuxer.feed($0, withTrack: events.frame) }, failed: events.failed,
                                              notice: { [unowned self] in log.notice($0) })
        let input: IngestInput
        switch config.url.scheme {
        case "udp": input = UDPInput(url: config.url, loop: loop, events: transport)
        case "tshttp", "tshttps": input = HTTPInput(url: config.url, loop: loop, events: transport)
        case "rtmp", "rtmps": input = RTMPInput(url: config.url, loop: loop, events: events)
        case "rtsp", "rtsp2": input = RTSPInput(config: config, transport: stream.settings.rtp, loop: loop, events: events, log: log)
        case "publish": input = PublishInput(stream: stream, events: events, log: log)
        case "fake":
            do {
                let source = try fake ?? FakeSource()
                fake = source
                input = FakeInput(source: source, loop: loop, events: events)
            } catch {
                return perform(selector.failed(index, reason: "fake clip: \(error)", now: now))
            }
        default:
            return perform(selector.failed(index, reason: "\(config.url.scheme):// inputs are not built yet", now: now))
        }
        inputs[index] = input
        do {
            try input.start()
        } catch {
            inputs[index] = nil
            input.stop()
            perform(selector.failed(index, reason: "\(error)", now: now))
        }
    }

    private func received(_ index: Int, _ track: Track, _ info: FrameInfo, _ payload: UnsafeRawBufferPointer) {
        let startsHere = info.isKeyframe && (track.kind == .video || !hasVideo)
        let actions = selector.frame(index, isKeyframe: startsHere, now: now)
        if !actions.isEmpty { perform(actions) }
        guard selector.active == index else { return }
        do {
            var info = info
            if try updateTracks(with: track) {
                info.flags.insert(.configChange)  // readers re-read the track table at this frame
            }
            let rebased = rebaser.rebase(info)
            startCutter(track, rebased)
            // The first segment after a (re)start breaks from what the ring already holds.
            let segment = cutter?.cut(rebased, generation: ring.generation).map {
                RingSegmentStart(isDiscontinuity: $0.isDiscontinuity || ($0.reason == .first && ring.nextSegmentNumber > 0),
                                 wallClockMs: Self.wallClockMs())
            }
            try ring.write(rebased, payload: payload, segment: segment)
        } catch {
            log.error("ring write: \(error)")
        }
    }

    /// Writes the ring's track table when `track` is new or differs from the one written; true when it did.
    private func updateTracks(with track: Track) throws -> Bool {
        if let i = tracks.firstIndex(where: { $0.id == track.id }) {
            if tracks[i] == track { return false }
            tracks[i] = track
        } else {
            tracks.append(track)
            tracks.sort { $0.id < $1.id }
        }
        hasVideo = tracks.contains { $0.kind == .video }
        try ring.setTracks(tracks)
        return true
    }

    /// Segments of a generation start at its first video keyframe; frames before it belong to no segment. A
    /// source that shows no video for 2 seconds of audio is cut as audio only.
    private func startCutter(_ track: Track, _ frame: FrameInfo) {
        guard cutter == nil else { return }
        if track.kind == .video {
            guard frame.isKeyframe else { return }
            cutter = SegmentCutter(segmentDuration: segmentDuration, videoTrack: track.id)
        } else {
            guard !hasVideo else { return }
            let first = firstAudioDTS ?? frame.dts
            firstAudioDTS = first
            if frame.dts - first >= 2 * MediaTime.hz {
                cutter = SegmentCutter(segmentDuration: segmentDuration, videoTrack: nil)
            }
        }
    }

    /// Tells the supervisor the stream's state when it changed, on the channel (descriptor 0). Called after every
    /// selector tick: the message is built only when the state differs from the last one sent.
    private func report() {
        let status = selector.status
        guard status != lastReport else { return }
        lastReport = status
        send(.ingest(.init(status: status.state.rawValue, input: status.input, retryCount: status.retryCount,
                           lastError: status.lastError)))
    }

    private func send(_ message: WorkerMessage) { send(message.line) }

    /// A line to the supervisor on the channel.
    private func send(_ line: String) {
        do { try channel.write(Array(line.utf8)) } catch { log.error("supervisor channel: \(error)") }
    }

    private static func wallClockMs() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
