import Foundation
import Media
import Ring
import RingTestWriter
import Testing

/// One writer process (RingTestWriter, writing `FramePattern` frames) and readers on threads of the test process.
@Suite struct RingCrossProcessTests {
    /// The RingTestWriter built beside the running test bundle (whatever `--scratch-path` built both), else
    /// `.build/debug/RingTestWriter`.
    static let writerBinary: String = {
        let tests = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let beside = URL(fileURLWithPath: tests).deletingLastPathComponent().appendingPathComponent("RingTestWriter").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside
            : URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/RingTestWriter").path
    }()
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

    @Test func segmentsWrittenInAnotherProcessReadBackExactly() throws {
        try withRingName { name in
            try Ring.create(name, capacity: 16 << 20)
            let writer = try spawnWriter(name, frames: 600, intervalMicros: 0)
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
            let reader = try RingReader(open: name)
            let segments = reader.segments()
            // A segment every second keyframe: frames 0, 24, ... 576.
            #expect(segments.map(\.number) == Array(0..<25))
            #expect(segments.map(\.sequence) == (0..<25).map { UInt64($0 * 2 * Self.gop) })
            #expect(segments.map(\.wallClockMs) == segments.map { FramePattern.wallClockBase + Int64($0.sequence) * 40 })
            #expect(segments.map(\.isDiscontinuity) == [true] + Array(repeating: false, count: 24))
            #expect(segments.allSatisfy { $0.generation == 1 && $0.discontinuitySequence == 1 })
            for segment in segments {
                var indices: [Int] = []
                let result = reader.readSegment(segment) { frame, payload in
                    let index = FramePattern.index(of: frame.info)
                    #expect(frame.info == FramePattern.info(index, keyframeInterval: Self.gop))
                    #expect(FramePattern.matches(index, Array(payload)))
                    indices.append(index)
                }
                let first = Int(segment.sequence)
                let count = segment.end == nil ? 600 - first : 2 * Self.gop
                #expect(result == (segment.end == nil ? .partial(frames: count) : .complete(frames: count)))
                #expect(indices == Array(first..<first + count))
            }
        }
    }

    @Test func segmentNumberingCarriesOnAfterTheWriterIsKilled() throws {
        try withRingName { name in
            try Ring.create(name, capacity: 16 << 20)
            let reader = try RingReader(open: name)
            let first = try spawnWriter(name, frames: 1_000_000, intervalMicros: 1000)
            let deadline = Date().addingTimeInterval(20)
            while reader.status().segments < 3, Date() < deadline { reader.wait(timeoutMs: 100) }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(first.terminationReason == .uncaughtSignal)
            let before = reader.status()
            try #require(before.segments >= 3)
            let second = try spawnWriter(name, frames: 100, intervalMicros: 0)
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)

            let segments = reader.segments()
            #expect(segments.map(\.number) == Array(0..<before.segments + 5))
            let resumed = try #require(segments.first { $0.generation == 2 })
            #expect(resumed.number == before.segments)
            #expect(resumed.sequence == before.nextSequence)
            #expect(resumed.isDiscontinuity)
            #expect(resumed.discontinuitySequence == 2)
            #expect(segments.filter { $0.generation == 1 }.count == Int(before.segments))
            // The killed writer's last segment ends where its successor's first begins, and reads complete: every
            // frame, but the one the writer may have numbered without publishing when it was killed.
            let cut = segments[Int(before.segments) - 1]
            #expect(cut.end?.sequence == resumed.sequence)
            let numbered = Int(try #require(cut.frameCount))
            let read = reader.readSegment(cut) { _, _ in }
            #expect(read == .complete(frames: numbered) || read == .complete(frames: numbered - 1))
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
