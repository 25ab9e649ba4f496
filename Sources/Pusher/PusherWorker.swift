#if canImport(Glibc)
import Glibc
#endif
import Config
import Control
import EventLoop
import Log
import Ring

/// The pusher role (`sluice worker pusher --stream NAME`): sends one stream to its `push rtmp://` targets, each read
/// from the stream's ring at its own pace (`RTMPPushTarget`), in a process of its own so that a dead or slow target
/// never stalls ingest or viewers (DESIGN.md section 1). It runs when the ring is written (`RingWakeups`: the loop is
/// woken, every connected target takes what the ring has, and the wake-up thread watches again), not on a clock: a
/// stream without frames, or with no target connected, wakes it only for its report. It reports its targets to the
/// supervisor on its channel (`WorkerMessage.pushes`) when one changes state, and every 2 s while bytes flow.
public final class PusherWorker {
    private let loop: EventLoop
    private let channel: Pipe
    private let log: Logger
    /// Wakes the loop when the ring is written, while a target reads it.
    private let wakeups: RingWakeups
    private var targets: [RTMPPushTarget] = []
    private var handles: [Handle] = []
    private var lastReport: [PushStatus] = []

    public init(stream: StreamConfig, pushes: [PushConfig], instance: String, channelFD: Int32, log: Logger) throws {
        self.loop = try EventLoop()
        self.channel = try Pipe(loop: loop, ipc: true, fileDescriptor: channelFD)
        self.log = log
        self.wakeups = try RingWakeups(loop: loop)
        let ringName = try RingName(instance: instance, stream: stream.name)
        targets = try pushes.map {
            try RTMPPushTarget(config: $0, stream: stream.name, ringName: ringName, loop: loop, wakeups: wakeups, log: log,
                               onStateChange: { [unowned self] in report() })
        }
    }

    /// Runs until SIGTERM or SIGINT (or the supervisor goes); returns the exit status.
    public func run() throws -> Int32 {
        wakeups.onNews { [unowned self] in
            for target in targets { target.pump() }
            wakeups.rearm()
        }
        // A state change is reported at once (`onStateChange`); byte counts wait for this.
        let reporter = try Timer(loop: loop)
        try reporter.start(after: 2000, repeating: 2000) { [unowned self] in
            if targets.map(\.status) != lastReport { report() }
        }
        handles = [reporter]
        for number in [SIGTERM, SIGINT] {
            let signal = try Signal(loop: loop)
            try signal.start(number) { [unowned self] _ in stop() }
            handles.append(signal)
        }
        try channel.startReading(onData: { _ in }, onEnd: { [unowned self] _ in
            log.notice("supervisor channel closed")
            stop()
        })
        try channel.write(Array(WorkerMessage.ready.line.utf8))
        for target in targets { target.start() }
        log.info("pushing to \(targets.count) target(s)")
        report()
        _ = loop.run()
        return 0
    }

    private func report() {
        lastReport = targets.map(\.status)
        do { try channel.write(Array(WorkerMessage.pushes(lastReport).line.utf8)) } catch { log.error("supervisor channel: \(error)") }
    }

    private func stop() {
        log.info("stopping")
        for target in targets { target.stop() }
        wakeups.stop()
        for handle in handles { handle.close() }
        channel.close()
    }
}
