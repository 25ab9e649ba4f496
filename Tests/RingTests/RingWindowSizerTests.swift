import Foundation
import Media
import Testing
@testable import Ring

@Suite struct RingWindowSizerTests {
    private let second: UInt64 = 1_000_000_000

    @Test func usesTheWholeAreaUntilASecondHasBeenMeasured() {
        var sizer = RingWindowSizer(windowSeconds: 10, maximum: 50_000_000)
        #expect(sizer.wrapLimit == 50_000_000)
        sizer.record(bytes: 10_000, atNanos: 5 * second)
        sizer.record(bytes: 10_000, atNanos: 5 * second + second / 2)
        #expect(sizer.wrapLimit == 50_000_000)
    }

    @Test func extrapolatesTheFirstSecondsToTheWindow() {
        var sizer = RingWindowSizer(windowSeconds: 10, headroom: 1.5, maximum: 50_000_000)
        // 500,000 bytes a second (4 Mbit/s) for 2 s, one record every 10 ms.
        for tick in 0...200 { sizer.record(bytes: 5_000, atNanos: 100 * second + UInt64(tick) * second / 100) }
        // 201 records over 2 s: 502,500 bytes a second, 10 s of them, times 1.5.
        #expect(sizer.wrapLimit == 7_537_500)
    }

    @Test func followsTheRateOverTheLastWindow() {
        var sizer = RingWindowSizer(windowSeconds: 4, headroom: 1, maximum: 50_000_000)
        // 1,000,000 bytes a second for 10 s, then 250,000 a second for 10 s.
        for tick in 0..<1000 { sizer.record(bytes: 10_000, atNanos: UInt64(tick) * second / 100) }
        #expect(sizer.wrapLimit >= 3_900_000 && sizer.wrapLimit <= 4_000_000)
        for tick in 1000..<2000 { sizer.record(bytes: 2_500, atNanos: UInt64(tick) * second / 100) }
        // The window holds the last 3 whole seconds and the current one's start.
        #expect(sizer.wrapLimit >= 900_000 && sizer.wrapLimit <= 1_000_000)
    }

    @Test func aSilentStretchEmptiesTheWindowDownToTheMinimum() {
        var sizer = RingWindowSizer(windowSeconds: 4, headroom: 1, maximum: 50_000_000)
        for tick in 0..<500 { sizer.record(bytes: 10_000, atNanos: UInt64(tick) * second / 100) }
        sizer.record(bytes: 8, atNanos: 60 * second)
        #expect(sizer.wrapLimit == 64 * 1024)
    }

    @Test func staysWithinTheDataArea() {
        var sizer = RingWindowSizer(windowSeconds: 30, headroom: 2, maximum: 1_000_000)
        for tick in 0..<300 { sizer.record(bytes: 100_000, atNanos: UInt64(tick) * second / 100) }
        #expect(sizer.wrapLimit == 1_000_000)
        var tiny = RingWindowSizer(windowSeconds: 30, maximum: 32 * 1024)
        for tick in 0..<300 { tiny.record(bytes: 1, atNanos: UInt64(tick) * second / 100) }
        #expect(tiny.wrapLimit == 32 * 1024)
    }

    /// A writer with a window wraps where the window says, behind a padding record: readers read every frame in
    /// order across those early wraps, and the data area beyond the limit is never written.
    @Test func aWriterWrapsEarlyAndReadersFollow() throws {
        try withRingName { name in
            let capacity = 1 << 20
            let limit = 96 * 1024
            let writer = try RingWriter(create: name, capacity: capacity)
            // Less than a second of writing: the sizer's limit stays its maximum, here `limit`.
            writer.window = RingWindowSizer(windowSeconds: 10, maximum: limit)
            let reader = try RingReader(open: name)
            let next = try writeOddSizedFramesCheckingEach(2000, to: writer, readBy: reader)
            #expect(next == 2000)
            #expect(reader.lostFrames == 0)
            let status = reader.status()
            #expect(status.writePosition > UInt64(20 * capacity), "each early wrap skips to the next lap")
            // Nothing was written past the limit plus one record (3,040 bytes at most) and its padding header.
            let file = try #require(FileHandle(forReadingAtPath: name.path))
            defer { try? file.close() }
            try file.seek(toOffset: UInt64(RingLayout.dataOffset + limit + 4096))
            let untouched = try #require(try file.read(upToCount: capacity - limit - 4096))
            #expect(untouched.allSatisfy { $0 == 0 })
        }
    }
}
