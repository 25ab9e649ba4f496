import Media

/// The frames the cross-process tests write and check: frame `index` has a known track, flags, timestamps and
/// payload, so a reader in another process can verify every byte it got.
///
/// Every fourth frame is audio (track 2, always a keyframe); the others are video (track 1), a keyframe every
/// `keyframeInterval` frames. Payload sizes vary from 16 bytes to about 12 KB.
public enum FramePattern {
    public static func info(_ index: Int, keyframeInterval: Int) -> FrameInfo {
        let dts = Int64(index) * 3000
        if index % 4 == 3 { return FrameInfo(track: 2, flags: .keyframe, dts: dts, pts: dts) }
        let flags: FrameFlags = index % keyframeInterval == 0 ? .keyframe : []
        return FrameInfo(track: 1, flags: flags, dts: dts, pts: dts + 6000)
    }

    /// The frame number a pattern frame carries in its DTS.
    public static func index(of info: FrameInfo) -> Int { Int(info.dts / 3000) }

    public static func fill(_ index: Int, into payload: inout [UInt8]) {
        payload.removeAll(keepingCapacity: true)
        let length = 16 + (index &* 7919) % 12000
        for j in 0..<length { payload.append(byte(index, j)) }
    }

    public static func matches(_ index: Int, _ payload: [UInt8]) -> Bool {
        guard payload.count == 16 + (index &* 7919) % 12000 else { return false }
        for (j, value) in payload.enumerated() where value != byte(index, j) { return false }
        return true
    }

    @inline(__always)
    private static func byte(_ index: Int, _ j: Int) -> UInt8 { UInt8(truncatingIfNeeded: index &* 131 &+ j &* 7 &+ j >> 8) }
}
