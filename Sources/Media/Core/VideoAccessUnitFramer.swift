/// Turns one H.264 or H.265 access unit, as a source frames it, into Sluice's canonical video frame: the NAL units
/// behind 4-byte lengths, without access unit delimiters and parameter sets. Shared by the demuxers: MPEG-TS
/// (Annex B start codes, `frame(_:track:)`) and FLV/RTMP (1-, 2- or 4-byte lengths, `frame(lengthPrefixed:...)`).
///
/// Parameter sets found in the access unit go into the track (`Track.applyParameterSets`), as do those of a
/// container's decoder configuration record (`replaceParameterSets`); when they differ from the track's, the
/// next delivered frame is flagged `.configChange`. Frames before the first keyframe (H.264 IDR, H.265 IRAP)
/// for which the parameter sets are known are not delivered: no decoder can use them. The payload buffer is
/// reused from frame to frame; a length-prefixed access unit that is already canonical is passed on as it is.
public struct VideoAccessUnitFramer: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// The access unit makes a frame with these flags (`.keyframe`, `.configChange`).
        case frame(FrameFlags)
        /// The access unit came before the first usable keyframe.
        case beforeKeyframe
        /// The access unit held no picture data (only delimiters or parameter sets).
        case empty
    }

    /// The last frame's payload as built (see `withPayload(of:_:)` for length-prefixed input), valid until the
    /// next call.
    public private(set) var payload: [UInt8] = []
    /// The last length-prefixed access unit was canonical already: it is the payload.
    private var passedThrough = false
    private var started = false
    private var configChanged = false

    public init() {}

    /// Frames one access unit of `track` (H.264 or H.265) in Annex B form; the frame is left in `payload`.
    /// Throws when the parameter sets it carries do not parse; the track is then left as it was.
    public mutating func frame(_ accessUnit: UnsafeRawBufferPointer, track: inout Track) throws -> Outcome {
        payload.removeAll(keepingCapacity: true)
        passedThrough = false
        var scan = NALScan(codec: track.codec)
        AnnexB.forEachNAL(in: accessUnit) { nal in
            if scan.add(nal) { LengthPrefixed.append(nal, to: &payload) }
        }
        let outcome = try finish(scan, track: &track)
        if outcome == .beforeKeyframe { payload.removeAll(keepingCapacity: true) }
        return outcome
    }

    /// Frames one access unit of `track` whose NAL units stand behind `lengthSize`-byte (1...4) big-endian
    /// lengths, as in FLV tags and MP4 samples. On `.frame`, `withPayload(of:_:)` gives the canonical payload:
    /// with 4-byte lengths and nothing to take out, that is `accessUnit` itself (no copy), else `payload`.
    /// Throws when a length runs past the end (checked before anything else is done), or when in-band parameter
    /// sets do not parse (the track is then left as it was).
    public mutating func frame(lengthPrefixed accessUnit: UnsafeRawBufferPointer, lengthSize: Int,
                               track: inout Track) throws -> Outcome {
        payload.removeAll(keepingCapacity: true)
        passedThrough = false
        var scan = NALScan(codec: track.codec)
        var canonical = lengthSize == 4
        try LengthPrefixed.forEachNAL(in: accessUnit, lengthSize: lengthSize) { nal in
            if !scan.add(nal) { canonical = false }
        }
        let outcome = try finish(scan, track: &track)
        guard case .frame = outcome else { return outcome }
        if canonical {
            passedThrough = true
        } else {
            try LengthPrefixed.forEachNAL(in: accessUnit, lengthSize: lengthSize) { nal in
                if NALScan.isPicturePart(nal, codec: track.codec) { LengthPrefixed.append(nal, to: &payload) }
            }
        }
        return outcome
    }

    /// Calls `body` with the payload of the last `.frame` of `frame(lengthPrefixed:lengthSize:track:)`, whose
    /// input must be passed again as `accessUnit`.
    public func withPayload<R>(of accessUnit: UnsafeRawBufferPointer,
                               _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if passedThrough { return try body(accessUnit) }
        return try payload.withUnsafeBytes(body)
    }

    /// Replaces the track's parameter sets with those of a decoder configuration record (avcC, hvcC), as a
    /// container's sequence header brings them; the next frame is flagged `.configChange` when they differ.
    /// Throws, leaving the track unchanged, when the SPS does not parse.
    public mutating func replaceParameterSets(_ sets: ParameterSets, track: inout Track) throws {
        guard sets != track.parameterSets else { return }
        try track.applyParameterSets(sets)
        configChanged = true
    }

    /// Forgets that the stream started: the next frame delivered is a keyframe again (after a codec change).
    public mutating func restart() {
        started = false
        configChanged = true
    }

    /// Updates the track from what the scan found and decides about the frame.
    private mutating func finish(_ scan: NALScan, track: inout Track) throws -> Outcome {
        if !scan.found.isEmpty { try update(&track, with: scan.found) }
        if !started {
            let sets = track.parameterSets
            guard scan.keyframe && !sets.sps.isEmpty && !sets.pps.isEmpty && (track.codec != .h265 || !sets.vps.isEmpty)
            else {
                return scan.pictureParts > 0 ? .beforeKeyframe : .empty
            }
            started = true
        }
        guard scan.pictureParts > 0 else { return .empty }
        var flags: FrameFlags = scan.keyframe ? .keyframe : []
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

/// What one pass over an access unit's NAL units found: the parameter sets (copied: they are rare), whether a
/// keyframe slice is there, and how many NAL units belong in the canonical payload.
private struct NALScan {
    let hevc: Bool
    var found = ParameterSets()
    var keyframe = false
    var pictureParts = 0

    init(codec: Codec) { hevc = codec == .h265 }

    /// Takes one NAL unit; true when it belongs in the payload (not empty, not a delimiter or parameter set).
    mutating func add(_ nal: UnsafeRawBufferPointer) -> Bool {
        guard let first = nal.first else { return false }
        if hevc {
            let type = H265.nalType(first)
            switch type {
            case H265.aud: return false
            case H265.vps: found.vps.append(Array(nal)); return false
            case H265.sps: found.sps.append(Array(nal)); return false
            case H265.pps: found.pps.append(Array(nal)); return false
            default: if H265.isIRAP(type) { keyframe = true }
            }
        } else {
            let type = H264.nalType(first)
            switch type {
            case H264.aud: return false
            case H264.sps: found.sps.append(Array(nal)); return false
            case H264.pps: found.pps.append(Array(nal)); return false
            default: if type == H264.idr { keyframe = true }
            }
        }
        pictureParts += 1
        return true
    }

    /// The test of `add` without its side effects.
    static func isPicturePart(_ nal: UnsafeRawBufferPointer, codec: Codec) -> Bool {
        guard let first = nal.first else { return false }
        if codec == .h265 {
            let type = H265.nalType(first)
            return type != H265.aud && type != H265.vps && type != H265.sps && type != H265.pps
        }
        let type = H264.nalType(first)
        return type != H264.aud && type != H264.sps && type != H264.pps
    }
}
