import Foundation
import Media
import Testing
@testable import Ring

/// Runs `body` with a fresh ring name in /dev/shm (unique per call) and removes the ring afterwards.
func withRingName<T>(_ body: (RingName) throws -> T) throws -> T {
    let instance = "test\(getpid())x\(UInt32.random(in: 0...UInt32.max))"
    let name = try RingName(instance: instance, stream: "s")
    defer { unlink(name.path) }
    return try body(name)
}

/// Frame `index` of the in-process tests: video every time, a keyframe every `gop` frames, a small distinct payload.
func testFrame(_ index: Int, gop: Int = 10, size: Int = 100) -> Frame {
    let dts = Int64(index) * 3600
    let payload = (0..<size).map { UInt8(truncatingIfNeeded: index &+ $0) }
    return Frame(info: FrameInfo(track: 1, flags: index % gop == 0 ? .keyframe : [], dts: dts, pts: dts + 3600),
                 payload: payload)
}

/// The frames (and lap reports) a reader has ready now, in order.
func drain(_ reader: RingReader, into payload: inout [UInt8]) -> [(RingEvent, [UInt8])] {
    var events: [(RingEvent, [UInt8])] = []
    while let event = reader.next(into: &payload) { events.append((event, payload)) }
    return events
}

extension RingEvent {
    var frame: RingFrame? {
        if case let .frame(frame) = self { return frame }
        return nil
    }
}

/// Writes `count` frames of odd sizes (so that records land at every alignment and padding is needed at the end of a
/// lap), draining `reader` every 5 frames and checking each frame it returns; returns how many it read.
func writeOddSizedFramesCheckingEach(_ count: Int, to writer: RingWriter, readBy reader: RingReader) throws -> Int {
    var payload: [UInt8] = []
    var next = 0
    for index in 0..<count {
        let frame = testFrame(index, size: 1 + (index * 37) % 3000)
        try writer.write(frame.info, payload: frame.payload)
        if index % 5 == 4 {
            for (event, bytes) in drain(reader, into: &payload) {
                let expected = testFrame(next, size: 1 + (next * 37) % 3000)
                #expect(event == .frame(RingFrame(info: expected.info, sequence: UInt64(next), generation: 0)))
                #expect(bytes == expected.payload)
                next += 1
            }
        }
    }
    return next
}
