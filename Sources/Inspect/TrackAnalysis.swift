import Media

/// What `sluice inspect` measures of one track while frames pass: counts, timestamp span, keyframe spacing.
struct TrackAnalysis {
    var frames = 0
    var bytes = 0
    var keyframes = 0
    var firstDTS: Int64?
    var lastDTS: Int64 = 0
    private var lastKeyframeDTS: Int64?
    private var keyframeGapSum: Int64 = 0
    private var keyframeGaps = 0
    private var framesSinceKeyframe = 0
    private var gopFramesSum = 0
    private(set) var maxKeyframeGap: Int64 = 0

    mutating func add(_ info: FrameInfo, bytes count: Int) {
        frames += 1
        bytes += count
        if firstDTS == nil { firstDTS = info.dts }
        lastDTS = info.dts
        guard info.isKeyframe else { framesSinceKeyframe += 1; return }
        keyframes += 1
        if let previous = lastKeyframeDTS {
            let gap = info.dts - previous
            keyframeGapSum += gap
            keyframeGaps += 1
            gopFramesSum += framesSinceKeyframe + 1
            maxKeyframeGap = max(maxKeyframeGap, gap)
        }
        lastKeyframeDTS = info.dts
        framesSinceKeyframe = 0
    }

    /// DTS span covered, in 90 kHz ticks, counting the last frame as lasting one average frame.
    var span: Int64 {
        guard let first = firstDTS, frames > 1 else { return 0 }
        let covered = lastDTS - first
        return covered + covered / Int64(frames - 1)
    }

    /// Mean seconds between keyframes, nil before two were seen.
    var keyframeInterval: Double? {
        keyframeGaps == 0 ? nil : MediaTime.seconds(keyframeGapSum) / Double(keyframeGaps)
    }

    /// Mean frames per GOP, nil before two keyframes were seen.
    var gopFrames: Double? { keyframeGaps == 0 ? nil : Double(gopFramesSum) / Double(keyframeGaps) }

    /// Frames per second measured from timestamps.
    var measuredFrameRate: Double? {
        guard let first = firstDTS, frames > 1, lastDTS > first else { return nil }
        return Double(frames - 1) / MediaTime.seconds(lastDTS - first)
    }
}
