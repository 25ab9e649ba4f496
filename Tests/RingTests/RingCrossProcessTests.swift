import Foundation
import Media
import Ring
import RingTestWriter
import Testing

/// One writer process (RingTestWriter, writing `FramePattern` frames) and readers on threads of the test process.
@Suite struct RingCrossProcessTests {
    static let writerBinary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/RingTestWriter").path
    static let gop = 12

    @Test func readersInOtherProcessGetEveryFrameIntact() throws {
        try withRingName { name in
            let frames = 1500
            // Big enough for every frame: no reader can be lapped, so every frame must arrive, verified.
            try Ring.create(name, capacity: 16 << 20)
            let readers = try startReaders(name, count: 3, frames: frames, delayMicros: 0)
            let writer = try spawnWriter(name, frames: frames, intervalMicros: 1000)
            let results = readers.join(seconds: 60)
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
            #expect(results.count == 3)
            for result in results {
                #expect(result.problems == [])
                #expect(result.received == frames)
                #expect(result.lost == 0)
            }
            let reader = try RingReader(open: name)
            #expect(try reader.tracks().map(\.codec) == [.h264, .aac])
            #expect(try reader.tracks().first?.width == 1280)
            let status = reader.status()
            #expect(status.frames == UInt64(frames))
            #expect(status.generation == 1)
            // Readers woke from the futex, not from their 100 ms timeout: the hop is milliseconds at most.
            let hops = results.flatMap(\.hopNanos).sorted()
            try #require(hops.count >= 10)
            let median = hops[hops.count / 2]
            #expect(median < 5_000_000)
        }
    }

    @Test func slowReaderIsLappedResynchronisesAtKeyframesAndCountsTheLoss() throws {
        try withRingName { name in
            let frames = 600
            // About 40 frames fit: a reader taking 5 ms a frame against a writer at 0.5 ms is lapped again and again.
            try Ring.create(name, capacity: 256 << 10)
            let readers = try startReaders(name, count: 2, frames: frames, delayMicros: 5000, fastReaders: 1)
            let start = Date()
            let writer = try spawnWriter(name, frames: frames, intervalMicros: 500)
            writer.waitUntilExit()
            // The writer never waited for the slow reader.
            #expect(Date().timeIntervalSince(start) < 10)
            #expect(writer.terminationStatus == 0)
            let results = readers.join(seconds: 60)
            #expect(results.count == 2)
            for result in results {
                #expect(result.problems == [])
                // Every frame is either received (and verified) or counted lost.
                #expect(UInt64(result.received) + result.lost == UInt64(frames))
            }
            let slow = try #require(results.first { $0.delayMicros > 0 })
            #expect(slow.laps > 0)
            #expect(slow.lost > 0)
        }
    }

    private func spawnWriter(_ name: RingName, frames: Int, intervalMicros: Int) throws -> Process {
        try #require(FileManager.default.isExecutableFile(atPath: Self.writerBinary), "build RingTestWriter first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.writerBinary)
        process.arguments = [RingName.defaultDirectory, name.instance, name.stream, "\(frames)", "\(intervalMicros)",
                             "\(Self.gop)"]
        try process.run()
        return process
    }

    /// Starts `count` reader threads (the first `fastReaders` with no delay, the rest taking `delayMicros` per
    /// frame), each with the ring opened before this returns, so that all of them start at frame 0.
    private func startReaders(_ name: RingName, count: Int, frames: Int, delayMicros: UInt32,
                              fastReaders: Int? = nil) throws -> ReaderThreads {
        let threads = ReaderThreads()
        for index in 0..<count {
            let delay = index < (fastReaders ?? count) ? 0 : delayMicros
            threads.start { try Self.read(name, frames: frames, delayMicros: delay) }
        }
        #expect(threads.waitUntilOpened(count, seconds: 10))
        return threads
    }

    /// Reads until frame `frames - 1`, checking every frame against `FramePattern`.
    private static func read(_ name: RingName, frames: Int, delayMicros: UInt32) throws -> () -> ReaderResult {
        let reader = try RingReader(open: name)
        return {
            var result = ReaderResult(delayMicros: delayMicros)
            var payload: [UInt8] = []
            var resynchronised = false
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                guard let event = reader.next(into: &payload) else {
                    if reader.wait(timeoutMs: 100) {
                        let now = monotonicNanos()
                        let written = reader.status().lastWriteNanos
                        if now >= written { result.hopNanos.append(now - written) }
                    }
                    continue
                }
                guard case let .frame(frame) = event else {
                    resynchronised = true
                    continue
                }
                let index = FramePattern.index(of: frame.info)
                if frame.info != FramePattern.info(index, keyframeInterval: gop) || frame.sequence != UInt64(index)
                    || frame.generation != 1 || !FramePattern.matches(index, payload) {
                    result.problems.append("frame \(frame.sequence): \(frame.info) does not match frame \(index)")
                }
                if resynchronised, !(frame.info.isKeyframe && frame.info.track == 1) {
                    result.problems.append("frame \(index) after a lap is not a video keyframe")
                }
                resynchronised = false
                result.received += 1
                if index == frames - 1 { break }
                if delayMicros > 0 { usleep(delayMicros) }
            }
            result.lost = reader.lostFrames
            result.laps = reader.laps
            return result
        }
    }

    private static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

struct ReaderResult: Sendable {
    var delayMicros: UInt32
    var received = 0
    var lost: UInt64 = 0
    var laps: UInt64 = 0
    var problems: [String] = []
    /// Time from a frame's write (the header's last write time) to a reader waking for it.
    var hopNanos: [UInt64] = []
}

/// Reader threads: each opens its reader (signalled), then reads; their results are collected when they finish.
final class ReaderThreads: @unchecked Sendable {
    private let lock = NSLock()
    private let opened = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    private var results: [ReaderResult] = []
    private var failures: [String] = []

    func start(_ open: @escaping @Sendable () throws -> () -> ReaderResult) {
        finished.enter()
        let thread = Thread { [self] in
            defer { finished.leave() }
            let body: () -> ReaderResult
            do {
                body = try open()
            } catch {
                lock.withLock { failures.append("\(error)") }
                opened.signal()
                return
            }
            opened.signal()
            let result = body()
            lock.withLock { results.append(result) }
        }
        thread.start()
    }

    func waitUntilOpened(_ count: Int, seconds: Double) -> Bool {
        (0..<count).allSatisfy { _ in opened.wait(timeout: .now() + seconds) == .success }
    }

    /// The results of the readers that finished within `seconds`; open failures become problems.
    func join(seconds: Double) -> [ReaderResult] {
        _ = finished.wait(timeout: .now() + seconds)
        return lock.withLock {
            results + failures.map { ReaderResult(delayMicros: 0, problems: ["open: \($0)"]) }
        }
    }
}
