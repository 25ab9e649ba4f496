import Media
import Ring

/// The frames the cross-process tests write and check: frame `index` has a known track, flags, timestamps and
/// payload, so a reader in another process can verify every byte it got.
///
/// Every fourth frame is audio (track 2, always a keyframe); the others are video (track 1), a keyframe every
/// `keyframeInterval` frames, and every second keyframe starts a segment (the first one discontinuous, with a
/// wall clock derived from the index). Payload sizes vary from 16 bytes to about 12 KB.
public enum FramePattern {
    /// The wall clock of frame 0's segment (2027-01-15T08:00:00Z): segment starts are this plus 40 ms a frame.
    public static let wallClockBase: Int64 = 1_800_000_000_000

    public static func info(_ index: Int, keyframeInterval: Int) -> FrameInfo {
        let dts = Int64(index) * 3000
        if index % 4 == 3 { return FrameInfo(track: 2, flags: .keyframe, dts: dts, pts: dts) }
        var flags: FrameFlags = index % keyframeInterval == 0 ? .keyframe : []
        if segment(index, keyframeInterval: keyframeInterval) != nil { flags.insert(.segmentStart) }
        return FrameInfo(track: 1, flags: flags, dts: dts, pts: dts + 6000)
    }

    /// What the writer says about the segment frame `index` starts, nil when it starts none.
    public static func segment(_ index: Int, keyframeInterval: Int) -> RingSegmentStart? {
        guard index % (2 * keyframeInterval) == 0 else { return nil }
        return RingSegmentStart(isDiscontinuity: index == 0, wallClockMs: wallClockBase + Int64(index) * 40)
    }

    /// The frame number a pattern frame carries in its DTS.
    public static func index(of info: FrameInfo) -> Int { Int(info.dts / 3000) }

    public static func fill(_ index: Int, into payload: inout [UInt8]) {
        payload.removeAll(keepingCapacity: true)
        let count = words(index)
        payload.append(contentsOf: repeatElement(0, count: count * 8))
        payload.withUnsafeMutableBytes { bytes in
            for j in 0..<count { bytes.storeBytes(of: word(index, j), toByteOffset: j * 8, as: UInt64.self) }
        }
    }

    public static func matches(_ index: Int, _ payload: [UInt8]) -> Bool {
        let count = words(index)
        guard payload.count == count * 8 else { return false }
        return payload.withUnsafeBytes { bytes in
            (0..<count).allSatisfy { bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) == word(index, $0) }
        }
    }

    /// Payloads are whole 64-bit words (cheap to fill and check even in debug builds): 16 bytes to about 12 KB.
    @inline(__always)
    private static func words(_ index: Int) -> Int { 2 + (index &* 7919) % 1500 }

    @inline(__always)
    private static func word(_ index: Int, _ j: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: j)
    }
}
