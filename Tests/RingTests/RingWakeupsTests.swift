import EventLoop
import Foundation
import Media
import Synchronization
import Testing
@testable import Ring

/// Counts calls from the wake-up threads.
final class WakeCounter: Sendable {
    let count = Atomic<Int>(0)

    func wake() { count.add(1, ordering: .sequentiallyConsistent) }

    /// Waits (polling, 10 s at most) until the count reaches `target`; false if it never does.
    func reaches(_ target: Int) -> Bool {
        for _ in 0..<10_000 {
            if count.load(ordering: .sequentiallyConsistent) >= target { return true }
            usleep(1000)
        }
        return false
    }
}

/// The wake-up threads against real rings: a write wakes the loop (or its stand-in), and a write while the loop
/// drains is never lost.
@Suite struct RingWakeupsTests {
    func frame(_ index: Int) -> (FrameInfo, [UInt8]) {
        let dts = Int64(index) * 3600
        return (FrameInfo(track: 1, flags: index == 0 ? .keyframe : [], dts: dts, pts: dts), [UInt8](repeating: 1, count: 100))
    }

    @Test(arguments: [true, false]) func aWriteWakesAndOneDuringTheDrainWakesAgain(useWaitv: Bool) throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            let counter = WakeCounter()
            let wakeups = RingWakeups(wake: { counter.wake() }, useWaitv: useWaitv)
            defer { wakeups.stop() }
            let reader = try RingReader(open: name)
            let watch = try wakeups.watch(reader)
            try writer.write(frame(0).0, payload: frame(0).1)
            #expect(counter.reaches(1))
            // Written after the thread woke the loop, before the loop's drain ended: the next wait returns at once.
            try writer.write(frame(1).0, payload: frame(1).1)
            var payload: [UInt8] = []
            while reader.next(into: &payload) != nil {}
            wakeups.rearm()
            #expect(counter.reaches(2))
            withExtendedLifetime(watch) {}
        }
    }

    /// A loop's reader (an edge's live channel, a pusher's target) runs only when its ring is written: a quiet ring
    /// wakes nothing (as a 10 ms poll would, 20 times here), then one frame runs `onNews` on the loop, where the reader
    /// takes it. The quiet time is a window to look in, not a figure checked: on a slow machine the test only looks
    /// less long.
    @Test(arguments: [true, false]) func aLoopIsWokenByWritesAlone(useWaitv: Bool) throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            let loop = try EventLoop()
            let wakeups = try RingWakeups(loop: loop, useWaitv: useWaitv)
            let reader = try RingReader(open: name)
            let watch = try wakeups.watch(reader)
            let quiet = try Timer(loop: loop)
            let watchdog = try Timer(loop: loop)
            var news = 0
            var framesRead = 0
            var payload: [UInt8] = []
            func finish() {
                wakeups.stop()
                quiet.close()
                watchdog.close()
            }
            wakeups.onNews {
                news += 1
                while reader.next(into: &payload) != nil { framesRead += 1 }
                wakeups.rearm()
                finish()
            }
            try quiet.start(after: 200) {
                #expect(news == 0)
                do { try writer.write(frame(0).0, payload: frame(0).1) } catch { Issue.record(error) }
            }
            try watchdog.start(after: 10_000) {
                Issue.record("no news of the write")
                finish()
            }
            loop.run()
            #expect(news == 1)
            #expect(framesRead == 1)
            withExtendedLifetime(watch) {}
        }
    }

    /// 130 rings take two threads; a write to the last one wakes the loop, and so does one to a ring watched after a
    /// watch was released.
    @Test func moreRingsThanOneThreadWatches() throws {
        let instance = "test\(getpid())w\(UInt32.random(in: 0...UInt32.max))"
        let names = try (0..<131).map { try RingName(instance: instance, stream: "s\($0)") }
        defer { for name in names { unlink(name.path) } }
        let writers = try names.map { try RingWriter(create: $0, capacity: 1 << 16) }
        let counter = WakeCounter()
        let wakeups = RingWakeups(wake: { counter.wake() })
        defer { wakeups.stop() }
        var watches = try names.prefix(130).map { try wakeups.watch(RingReader(open: $0)) }
        try writers[129].write(frame(0).0, payload: frame(0).1)
        #expect(counter.reaches(1))
        wakeups.rearm()
        watches.removeFirst()
        watches.append(try wakeups.watch(RingReader(open: names[130])))
        try writers[130].write(frame(0).0, payload: frame(0).1)
        #expect(counter.reaches(2))
    }
}
