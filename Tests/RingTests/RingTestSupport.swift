import Foundation
import Media
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
