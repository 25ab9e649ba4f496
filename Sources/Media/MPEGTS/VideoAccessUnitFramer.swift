/// Turns the PES payload of an H.264 or H.265 stream in MPEG-TS (one access unit in Annex B) into Sluice's
/// canonical video frame: the NAL units length-prefixed, without access unit delimiters and parameter sets.
///
/// Parameter sets found in the access unit go into the track (`Track.applyParameterSets`); when they differ
/// from the track's, the next delivered frame is flagged `.configChange`. Frames before the first keyframe
/// (H.264 IDR, H.265 IRAP) for which the parameter sets are known are not delivered: no decoder can use them.
/// The payload buffer is reused from frame to frame.
public struct VideoAccessUnitFramer: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// `payload` holds a frame with these flags (`.keyframe`, `.configChange`).
        case frame(FrameFlags)
        /// The access unit came before the first usable keyframe.
        case beforeKeyframe
        /// The access unit held no picture data (only delimiters or parameter sets).
        case empty
    }

    /// The last frame's payload, valid until the next call.
    public private(set) var payload: [UInt8] = []
    private var started = false
    private var configChanged = false

    public init() {}

    /// Frames one access unit of `track` (H.264 or H.265). Throws when the parameter sets it carries do not
    /// parse; the track is then left as it was.
    public mutating func frame(_ accessUnit: UnsafeRawBufferPointer, track: inout Track) throws -> Outcome {
        payload.removeAll(keepingCapacity: true)
        var found = ParameterSets()
        var keyframe = false
        let hevc = track.codec == .h265
        AnnexB.forEachNAL(in: accessUnit) { nal in
            guard let first = nal.first else { return }
            if hevc {
                let type = H265.nalType(first)
                switch type {
                case H265.aud: return
                case H265.vps: found.vps.append(Array(nal))
                case H265.sps: found.sps.append(Array(nal))
                case H265.pps: found.pps.append(Array(nal))
                default:
                    if H265.isIRAP(type) { keyframe = true }
                    LengthPrefixed.append(nal, to: &payload)
                }
            } else {
                let type = H264.nalType(first)
                switch type {
                case H264.aud: return
                case H264.sps: found.sps.append(Array(nal))
                case H264.pps: found.pps.append(Array(nal))
                default:
                    if type == H264.idr { keyframe = true }
                    LengthPrefixed.append(nal, to: &payload)
                }
            }
        }
        if !found.isEmpty { try update(&track, with: found) }
        if !started {
            let sets = track.parameterSets
            guard keyframe && !sets.sps.isEmpty && !sets.pps.isEmpty && (!hevc || !sets.vps.isEmpty) else {
                let hadPicture = !payload.isEmpty
                payload.removeAll(keepingCapacity: true)
                return hadPicture ? .beforeKeyframe : .empty
            }
            started = true
        }
        guard !payload.isEmpty else { return .empty }
        var flags: FrameFlags = keyframe ? .keyframe : []
        if configChanged {
            flags.insert(.configChange)
            configChanged = false
        }
        return .frame(flags)
    }

    /// Merges the sets of one access unit into the track's: a kind of set present in the access unit
    /// replaces the track's sets of that kind.
    private mutating func update(_ track: inout Track, with found: ParameterSets) throws {
        var sets = track.parameterSets
        if !found.vps.isEmpty { sets.vps = found.vps }
        if !found.sps.isEmpty { sets.sps = found.sps }
        if !found.pps.isEmpty { sets.pps = found.pps }
        guard sets != track.parameterSets else { return }
        if sets.sps.isEmpty {
            track.parameterSets = sets
        } else {
            try track.applyParameterSets(sets)
        }
        configChanged = true
    }
}
