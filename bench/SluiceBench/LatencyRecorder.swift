#if canImport(Glibc)
import Glibc
#endif
import EventLoop

/// The measuring side of rtmp-latency and rtsp-latency: starts the player (again while the server does not have the
/// stream yet), takes the delay of every stamped frame (`LatencyStamp`) sent from one second after the first one
/// arrived, for SECONDS (a server's burst of the current group of pictures, and the frames that wait in an RTP
/// reorder window for its first packet, are over by then); then prints
/// `NAME frames N lost L p50_us X p99_us Y max_us Z` (lost: frame numbers missing between the first and last
/// counted), the five slowest frames on stderr, and ends the process.
final class LatencyRecorder {
    private let name: String
    private let seconds: Int
    private let retry: Timer
    private let end: Timer
    private var player: BenchConnection?
    private var attempts = 0
    /// Frames stamped before this are a server's leftovers from an earlier run (a ring kept while its source was
    /// away): they neither count nor start the measurement.
    private let created = monotonicNanos()
    private var measureFrom: UInt64 = .max
    private var latencies: [UInt64] = []
    private var numbers: (first: UInt32, last: UInt32)?
    private var slowest: [(latency: UInt64, number: UInt32, sent: UInt64)] = []

    /// `name`: the output's first word (`rtsp_latency`).
    init(name: String, seconds: Int, loop: EventLoop) throws {
        self.name = name
        self.seconds = seconds
        retry = try Timer(loop: loop)
        end = try Timer(loop: loop)
        latencies.reserveCapacity(seconds * 50)
    }

    private var label: String { String(name.map { $0 == "_" ? "-" : $0 }) }

    /// Connects a player made by `make` to `address`, and a new one 1 s after each failure before a stamped frame of
    /// this run came (a server that does not have the stream yet, or that drops its players when the source comes
    /// back), `attempts` times at most. The player calls `record` for each stamped frame.
    func play(_ address: SocketAddress, attempts limit: Int, make: @escaping () throws -> BenchConnection) {
        attempts += 1
        let candidate: BenchConnection
        do { candidate = try make() } catch { die("\(label): player: \(error)") }
        candidate.onFailure = { [unowned self] _, reason in
            guard measureFrom == .max, attempts < limit else { die("\(label): player: \(reason)") }
            writeLine("\(label): player: \(reason); again in 1 s", to: 2)
            try! retry.start(after: 1000) { [unowned self] in play(address, attempts: limit, make: make) }
        }
        player = candidate
        candidate.connect(to: address)
    }

    /// A stamped frame arrived at `arrived` (CLOCK_MONOTONIC nanoseconds).
    func record(number: UInt32, sent: UInt64, arrived: UInt64) {
        guard sent >= created else { return }
        if measureFrom == .max {
            measureFrom = arrived + 1_000_000_000
            try! end.start(after: 1000 + UInt64(seconds) * 1000) { [unowned self] in finish() }
        }
        guard sent >= measureFrom else { return }
        let latency = arrived >= sent ? arrived - sent : 0
        latencies.append(latency)
        if slowest.count < 5 || latency > slowest[slowest.count - 1].latency {
            slowest.append((latency, number, sent))
            slowest.sort { $0.latency > $1.latency }
            if slowest.count > 5 { slowest.removeLast() }
        }
        numbers = (numbers?.first ?? number, number)
    }

    private func finish() -> Never {
        guard !latencies.isEmpty, let numbers else { die("\(label): no stamped frame arrived") }
        latencies.sort()
        let described = slowest.map {
            "frame \($0.number) sent \(($0.sent - (measureFrom - 1_000_000_000)) / 1_000_000) ms after the first: \($0.latency / 1000) µs"
        }
        writeLine("\(label): slowest: \(described.joined(separator: "; "))", to: 2)
        func percentile(_ p: Double) -> UInt64 { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        let expected = Int(numbers.last &- numbers.first) + 1
        writeLine("\(name) frames \(latencies.count) lost \(max(0, expected - latencies.count)) "
            + "p50_us \(percentile(0.50) / 1000) p99_us \(percentile(0.99) / 1000) max_us \(latencies.last! / 1000)")
        exit(0)
    }
}
