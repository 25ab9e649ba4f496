#if canImport(Glibc)
import Glibc
#endif
import Media
import Ring

// The ring hop (issue 3): time from a frame's write to its reader in another process. This process creates a ring,
// opens a reader on it, and starts a copy of itself as the writer (`ringhop-writer`, posix_spawn of /proc/self/exe:
// Swift processes do not fork without exec). The writer stamps CLOCK_MONOTONIC into each payload just before
// writing it, at a steady rate; the reader sleeps in `wait(timeoutMs:)` between frames, as an edge worker does, and
// records now minus the stamp for every frame.

func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The reader side: prints `ringhop_frames N lost N p50_us X p99_us X max_us X`.
func benchRingHop(framesPerSecond: Int, seconds: Int, payloadBytes: Int) {
    let instance = "bench\(getpid())"
    let name = try! RingName(instance: instance, stream: "ringhop")
    try! Ring.create(name, capacity: 16 << 20)
    defer { try? Ring.remove(name) }
    let reader = try! RingReader(open: name)
    let writer = spawnSelf(["ringhop-writer", instance, "\(framesPerSecond)", "\(seconds)", "\(payloadBytes)"])
    let total = framesPerSecond * seconds
    var latencies: [UInt64] = []
    latencies.reserveCapacity(total)
    var payload: [UInt8] = []
    payload.reserveCapacity(payloadBytes)
    let deadline = monotonicNanos() + UInt64(seconds + 10) * 1_000_000_000
    while latencies.count < total, monotonicNanos() < deadline {
        guard let event = reader.next(into: &payload) else {
            reader.wait(timeoutMs: 100)
            continue
        }
        let now = monotonicNanos()
        guard case .frame = event, payload.count >= 8 else { continue }
        let stamp = payload.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        latencies.append(now >= stamp ? now - stamp : 0)
    }
    var status: Int32 = 0
    waitpid(writer, &status, 0)
    guard !latencies.isEmpty else { fatalError("ringhop: no frame arrived (writer status \(status))") }
    latencies.sort()
    func percentile(_ p: Double) -> UInt64 { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print("ringhop_frames \(latencies.count) lost \(reader.lostFrames) p50_us \(percentile(0.50) / 1000) "
          + "p99_us \(percentile(0.99) / 1000) max_us \(latencies.last! / 1000)")
}

/// The writer side, in the child: `framesPerSecond` frames of `payloadBytes` for `seconds`, on an absolute
/// schedule (a late frame does not shift the next ones).
func ringHopWriter(instance: String, framesPerSecond: Int, seconds: Int, payloadBytes: Int) {
    let writer = try! RingWriter(open: RingName(instance: instance, stream: "ringhop"))
    var payload = [UInt8](repeating: 0x5A, count: max(payloadBytes, 8))
    let interval = 1_000_000_000 / UInt64(max(framesPerSecond, 1))
    let start = monotonicNanos()
    for index in 0..<framesPerSecond * seconds {
        var due = timespec()
        let at = start + UInt64(index) * interval
        due.tv_sec = Int(at / 1_000_000_000)
        due.tv_nsec = Int(at % 1_000_000_000)
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nil) == EINTR {}
        let info = FrameInfo(track: 1, flags: index % 50 == 0 ? .keyframe : [], dts: Int64(index) * 1800,
                             pts: Int64(index) * 1800)
        payload.withUnsafeMutableBytes { $0.storeBytes(of: monotonicNanos(), as: UInt64.self) }
        try! writer.write(info, payload: payload)
    }
}

/// Starts this executable again with `arguments`; returns its pid.
func spawnSelf(_ arguments: [String]) -> pid_t {
    var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    guard length > 0 else { fatalError("readlink(/proc/self/exe): \(String(cString: strerror(errno)))") }
    let executable = String(decoding: path[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, nil, nil, &argv, environ)
    guard result == 0 else { fatalError("posix_spawn(\(executable)): \(String(cString: strerror(result)))") }
    return pid
}
