#if canImport(Glibc)
import Glibc
#endif
import EventLoop

/// A fan-out viewer as `ViewerFleet` sees it: a connection that says when it plays. Once playing, a viewer should
/// only count bytes (`BenchConnection.bytesReceived`) and wake for `lowWater` bytes at a time.
protocol FleetViewer: BenchConnection {
    var playing: Bool { get }
    /// Called once, when the server has said that the stream plays.
    var onPlaying: (() -> Void)? { get set }
}

/// The fan-out load of `rtmp-viewers` and `rtsp-viewers`: COUNT viewers of one stream from this one process, on
/// one libuv loop, measured over SECONDS. It must cost little next to the server it loads (they share the machine),
/// hence one loop, no decoding and the viewers' low-water mark (see RTMPViewers.swift for why it matters).
///
/// Viewers connect at most `connectWindow` at a time (a new one starts when one is playing or has failed), so that
/// the server's accept backlog copes. Once every viewer plays or failed (or after 120 s), the measurement starts.
/// Output on stdout, NAME being `rtmp_viewers` or `rtsp_viewers`:
///   NAME_started playing P failed F seconds S       once every viewer plays or failed (S: how long it took)
///   NAME N playing P failed F bytes B seconds S mbps_per_viewer X [COUNTER K] cpu_s C least_mbps L
/// the second after SECONDS more, where B counts the bytes of those SECONDS only, K is the optional counter's
/// growth over them (RTMP acknowledgements), C is this process's own CPU over them, and L the bitrate of the
/// viewer that received least (a server that skipped frames for some would show). The five commonest failures go
/// to stderr.
final class ViewerFleet {
    /// A count the viewers keep (acknowledgements sent), reported over the measured seconds.
    struct Counter {
        let name: String
        let value: () -> Int
    }

    private let name: String
    private let count: Int
    private let seconds: Int
    private let connectWindow: Int
    private let counter: Counter?
    private let make: () throws -> any FleetViewer
    private let loop: EventLoop
    private let ticker: Timer
    private let deadline: Timer
    private var viewers: [any FleetViewer] = []
    private var connecting = 0
    private var playingCount = 0
    private var failedCount = 0
    private var reasons: [String: Int] = [:]
    private let started = now()
    private var measuring = false
    private var bytesBefore: [UInt64] = []
    private var counterBefore = 0
    private var cpuBefore = 0.0

    /// `make` builds one viewer, not yet connected; `name` is the output's first word (`rtsp_viewers`).
    init(name: String, count: Int, seconds: Int, loop: EventLoop, connectWindow: Int = 50, counter: Counter? = nil,
         make: @escaping () throws -> any FleetViewer) throws {
        self.name = name
        self.count = count
        self.seconds = seconds
        self.connectWindow = connectWindow
        self.counter = counter
        self.make = make
        self.loop = loop
        ticker = try Timer(loop: loop)
        deadline = try Timer(loop: loop)
        viewers.reserveCapacity(count)
    }

    /// Connects the viewers to `address` and runs the loop until the measurement ends the process.
    func run(connectingTo address: SocketAddress) -> Never {
        signal(SIGPIPE, SIG_IGN)
        startMore(address)
        // Viewers that never answer must not hold the measurement back for ever.
        try! deadline.start(after: 120_000) { [unowned self] in
            guard !measuring else { return }
            writeLine("\(label): \(connecting) viewers still starting after 120 s, measuring without them", to: 2)
            startMeasuring()
        }
        _ = loop.run()
        die("\(label): the loop ended before the measurement")
    }

    /// Every viewer's time to act (keep-alives), about once a second: `body` gets those playing.
    func everySecond(_ body: @escaping ([any FleetViewer]) -> Void) throws {
        let timer = try Timer(loop: loop)
        try timer.start(after: 1000, repeating: 1000) { [unowned self] in
            body(viewers.filter { $0.playing && $0.failure == nil })
        }
    }

    private var label: String { String(name.map { $0 == "_" ? "-" : $0 }) }

    /// Starts viewers until `connectWindow` are on their way; once all have played or failed, the measurement starts.
    private func startMore(_ address: SocketAddress) {
        while connecting < connectWindow, viewers.count < count {
            let viewer: any FleetViewer
            do { viewer = try make() } catch { die("\(label): \(error)") }
            connecting += 1
            viewer.onPlaying = { [unowned self] in
                connecting -= 1
                playingCount += 1
                startMore(address)
            }
            viewer.onFailure = { [unowned self] client, reason in
                failedCount += 1
                reasons[reason, default: 0] += 1
                if !(client as! any FleetViewer).playing {
                    connecting -= 1
                    startMore(address)
                }
            }
            viewers.append(viewer)
            viewer.connect(to: address)
        }
        if !measuring, connecting == 0, viewers.count == count { startMeasuring() }
    }

    private func startMeasuring() {
        measuring = true
        writeLine("\(name)_started playing \(playingCount) failed \(failedCount) seconds \(String(format1: now() - started))")
        bytesBefore = viewers.map(\.bytesReceived)
        counterBefore = counter?.value() ?? 0
        cpuBefore = processCPUSeconds()
        try! ticker.start(after: UInt64(seconds) * 1000) { [unowned self] in report() }
    }

    private func report() -> Never {
        let cpu = processCPUSeconds() - cpuBefore
        var bytes: UInt64 = 0
        var least: UInt64?
        var playing = 0
        for (viewer, before) in zip(viewers, bytesBefore) {
            let received = viewer.bytesReceived - before
            bytes += received
            guard viewer.playing, viewer.failure == nil else { continue }
            playing += 1
            least = min(least ?? received, received)
        }
        func mbit(_ bytes: UInt64, per viewers: Int) -> Double {
            viewers > 0 ? Double(bytes) * 8 / Double(seconds) / 1e6 / Double(viewers) : 0
        }
        for (reason, times) in reasons.sorted(by: { $0.value > $1.value }).prefix(5) {
            writeLine("\(label): \(times) x \(reason)", to: 2)
        }
        let counted = counter.map { "\($0.name) \($0.value() - counterBefore) " } ?? ""
        writeLine("\(name) \(count) playing \(playing) failed \(failedCount) bytes \(bytes) seconds \(seconds) "
            + "mbps_per_viewer \(String(format2: mbit(bytes, per: playing))) \(counted)"
            + "cpu_s \(String(format2: cpu)) least_mbps \(String(format2: mbit(least ?? 0, per: 1)))")
        exit(0)
    }
}
