import Media

/// Timestamps for audio that a codec re-frames (G.711 frames of any size in, AAC frames of 1024 samples out): they
/// follow the input's timestamps by counting samples, so they neither drift from the source's clock nor jitter.
///
/// Two sample clocks run from the transcoder's start: the input's (samples fed to the resampler, at `inputRate`)
/// and the output's (samples out of it, at `outputRate`; output sample `k` stands for input time
/// `k / outputRate`). A timeline anchors one input position to one input timestamp; an output position then has
/// the timestamp `anchor + (position - anchor position) / outputRate`.
///
/// Each input frame is checked against the timeline (`admit`): where its timestamp says it starts, against the
/// samples fed so far. Within `tolerance` (2 ms, a source stamping in milliseconds) nothing changes; a gap up to
/// `maximumCorrection` (100 ms: a lost packet or two) is filled with silence, an overlap up to it is dropped from the
/// frame, so sound stays where its timestamps put it; anything further, or a frame flagged `discontinuity`,
/// starts a new timeline, and the first output frame on it is flagged `discontinuity`. Output frames still in the
/// codec when a timeline starts (up to about two frames) keep the timestamps of the timeline they came from.
struct AudioTimeline {
    /// A gap or overlap the timeline takes up without starting anew: 100 ms.
    static let maximumCorrection = MediaTime.hz / 10
    /// Timestamp differences left alone: 2 ms.
    static let tolerance = MediaTime.hz / 500

    /// One stretch of continuous timestamps.
    private struct Anchor {
        /// The input timestamp at the input position `inputPosition`.
        var dts: Int64
        var inputPosition: Int64
        /// The timestamp of output position 0 on this timeline.
        var origin: Int64
        /// The output position where this timeline starts.
        var outputPosition: Int64
    }

    /// What `admit` asks of its caller before the frame's samples.
    struct Admission: Equatable {
        /// Silent samples to feed first.
        var silence: Int
        /// Samples to drop from the start of the frame.
        var skip: Int
    }

    let inputRate: Int64
    let outputRate: Int64
    /// Input samples fed so far (the input clock), silence included.
    private(set) var fed: Int64 = 0
    private var current: Anchor?
    private var previous: Anchor?
    private var discontinuityDue = false

    init(inputRate: Int, outputRate: Int) {
        self.inputRate = Int64(inputRate)
        self.outputRate = Int64(outputRate)
    }

    /// Places an input frame of `count` samples stamped `dts`, and counts the samples it says to feed.
    mutating func admit(dts: Int64, count: Int, discontinuity: Bool) -> Admission {
        var admission = Admission(silence: 0, skip: 0)
        if let current, !discontinuity {
            let offset = dts - (current.dts + MediaTime.from(fed - current.inputPosition, rate: inputRate))
            if abs(offset) > Self.maximumCorrection {
                start(at: dts)
            } else if abs(offset) > Self.tolerance {
                let samples = Int(Self.divideRounding(offset * inputRate, by: MediaTime.hz))
                if samples > 0 { admission.silence = samples } else { admission.skip = min(-samples, count) }
            }
        } else {
            start(at: dts)
        }
        fed += Int64(admission.silence + count - admission.skip)
        return admission
    }

    /// The timestamp of the output frame starting at output position `position`, and whether it is the first of a
    /// new timeline that follows another.
    mutating func timestamp(ofOutput position: Int64) -> (dts: Int64, discontinuity: Bool) {
        guard let current else { return (0, false) }
        if position < current.outputPosition, let previous {
            return (previous.origin + MediaTime.from(position, rate: outputRate), false)
        }
        defer { discontinuityDue = false }
        return (current.origin + MediaTime.from(position, rate: outputRate), discontinuityDue)
    }

    private mutating func start(at dts: Int64) {
        previous = current
        discontinuityDue = current != nil
        let outputPosition = fed * outputRate / inputRate
        current = Anchor(dts: dts, inputPosition: fed, origin: dts - MediaTime.from(outputPosition, rate: outputRate),
                         outputPosition: outputPosition)
    }

    /// `value / divisor` rounded to the nearest, halves away from zero.
    private static func divideRounding(_ value: Int64, by divisor: Int64) -> Int64 {
        value >= 0 ? (value + divisor / 2) / divisor : -((-value + divisor / 2) / divisor)
    }
}
