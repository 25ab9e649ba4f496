/// Turns one H.264 or H.265 access unit, as a source frames it, into Sluice's canonical video frame: the NAL units
/// behind 4-byte lengths, without access unit delimiters and parameter sets. Shared by the demuxers: MPEG-TS
/// (Annex B start codes, fed piece by piece as packets arrive: `begin`, `append`, `finish`), RTP (Annex B,
/// `frame(_:track:)`) and FLV/RTMP (1-, 2- or 4-byte lengths, `frame(lengthPrefixed:...)`).
///
/// Parameter sets found in the access unit go into the track (`Track.applyParameterSets`), as do those of a
/// container's decoder configuration record (`replaceParameterSets`); when they differ from the track's, the
/// next delivered frame is flagged `.configChange`. Frames before the first keyframe (H.264 IDR, H.265 IRAP)
/// for which the parameter sets are known are not delivered: no decoder can use them. The payload buffer is
/// reused from frame to frame; a length-prefixed access unit that is already canonical is passed on as it is. An
/// Annex B access unit is converted as its pieces come: each byte is copied once, into the payload, while the
/// piece is still in the cache; nothing is collected before.
public struct VideoAccessUnitFramer: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// The access unit makes a frame with these flags (`.keyframe`, `.configChange`).
        case frame(FrameFlags)
        /// The access unit came before the first usable keyframe.
        case beforeKeyframe
        /// The access unit held no picture data (only delimiters or parameter sets).
        case empty
    }

    /// The last frame's payload as built: `bytes[0..<count]` (`withPayload`). The array only grows (to the largest
    /// access unit seen), so that appending is a copy into place.
    private var bytes: [UInt8] = []
    private var count = 0
    /// The last length-prefixed access unit was canonical already: it is the payload.
    private var passedThrough = false
    private var started = false
    private var configChanged = false
    /// The Annex B access unit being framed (`begin`...`finish`).
    private var splitter = AnnexBSplitter()
    private var scan = NALScan(codec: .h264)
    /// Where the current NAL unit goes, and for a picture part, the offset of its length in the payload.
    private var destination = Destination.nowhere
    /// The bytes of the parameter set being read (they are copied into the track's sets when it ends).
    private var parameterSet: [UInt8] = []

    private enum Destination {
        case nowhere
        case payload(lengthAt: Int)
        case parameterSet(NALScan.SetKind)
    }

    public init() {}

    /// Frames one access unit of `track` (H.264 or H.265) in Annex B form; `withPayload` gives the frame.
    /// Throws when the parameter sets it carries do not parse; the track is then left as it was.
    public mutating func frame(_ accessUnit: UnsafeRawBufferPointer, track: inout Track) throws -> Outcome {
        begin(codec: track.codec)
        append(accessUnit)
        return try finish(track: &track)
    }

    /// Starts an access unit in Annex B form that comes in pieces (`append`), such as the payloads of the TS
    /// packets of one PES packet. What an unfinished access unit left is dropped.
    public mutating func begin(codec: Codec) {
        count = 0
        parameterSet.removeAll(keepingCapacity: true)
        passedThrough = false
        splitter = AnnexBSplitter()
        scan = NALScan(codec: codec)
        destination = .nowhere
    }

    /// The next piece of the access unit begun with `begin`. Inlined into the MPEG-TS demuxer's packet loop,
    /// which calls it for every video packet.
    @inline(__always)
    public mutating func append(_ piece: UnsafeRawBufferPointer) {
        var splitter = self.splitter  // `take` changes the rest of self meanwhile
        splitter.feed(piece) { take($0) }
        self.splitter = splitter
    }

    /// Ends the access unit begun with `begin`: updates `track` and decides about the frame (`withPayload`).
    /// Throws when the parameter sets it carries do not parse; the track is then left as it was.
    public mutating func finish(track: inout Track) throws -> Outcome {
        var splitter = self.splitter
        splitter.finish { take($0) }
        self.splitter = splitter
        let outcome = try finish(scan, track: &track)
        if outcome == .beforeKeyframe { count = 0 }
        return outcome
    }

    /// One event of the splitter: a NAL unit's bytes go to the payload behind a length, to a parameter set, or
    /// nowhere (delimiters).
    @inline(__always)
    private mutating func take(_ event: AnnexBSplitter.Event) {
        switch event {
        case .bytes(let bytes, let first):
            if first {
                switch scan.classify(bytes[0]) {
                case .picturePart:
                    destination = .payload(lengthAt: count)
                    reserve(4)  // the length, set at the end
                    count += 4
                case .parameterSet(let kind):
                    destination = .parameterSet(kind)
                case .delimiter:
                    destination = .nowhere
                }
            }
            switch destination {
            case .payload: appendToPayload(bytes)
            case .parameterSet: parameterSet.append(contentsOf: bytes)
            case .nowhere: break
            }
        case .end:
            switch destination {
            case .payload(let at):
                setLength(count - at - 4, at: at)
            case .parameterSet(let kind):
                scan.add(parameterSet, kind)
                parameterSet.removeAll(keepingCapacity: true)
            case .nowhere:
                break
            }
            destination = .nowhere
        }
    }

    /// Frames one access unit of `track` whose NAL units stand behind `lengthSize`-byte (1...4) big-endian
    /// lengths, as in FLV tags and MP4 samples. On `.frame`, `withPayload(of:_:)` gives the canonical payload:
    /// with 4-byte lengths and nothing to take out, that is `accessUnit` itself (no copy), else the payload built.
    /// Throws when a length runs past the end (checked before anything else is done), or when in-band parameter
    /// sets do not parse (the track is then left as it was).
    public mutating func frame(lengthPrefixed accessUnit: UnsafeRawBufferPointer, lengthSize: Int,
                               track: inout Track) throws -> Outcome {
        count = 0
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
                if NALScan.isPicturePart(nal, codec: track.codec) {
                    reserve(4)
                    setLength(nal.count, at: count)
                    count += 4
                    appendToPayload(nal)
                }
            }
        }
        return outcome
    }

    /// Calls `body` with the payload of the last `.frame`. After `frame(lengthPrefixed:lengthSize:track:)`, its
    /// input must be passed again as `accessUnit` (it may be the payload itself).
    public func withPayload<R>(of accessUnit: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                               _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if passedThrough { return try body(accessUnit) }
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Makes room for `more` bytes after `count`.
    @inline(__always)
    private mutating func reserve(_ more: Int) {
        let needed = count + more
        if needed > bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(needed, 2 * bytes.count) - bytes.count)) }
    }

    @inline(__always)
    private mutating func appendToPayload(_ source: UnsafeRawBufferPointer) {
        guard let from = source.baseAddress else { return }
        reserve(source.count)
        let at = count
        bytes.withUnsafeMutableBytes { ($0.baseAddress! + at).copyMemory(from: from, byteCount: source.count) }
        count += source.count
    }

    /// Writes a NAL unit's 4-byte big-endian length at `at` (the room was reserved).
    @inline(__always)
    private mutating func setLength(_ length: Int, at: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt32(truncatingIfNeeded: length).bigEndian, toByteOffset: at, as: UInt32.self) }
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
    enum SetKind { case vps, sps, pps }
    enum Role { case picturePart, parameterSet(SetKind), delimiter }

    let hevc: Bool
    var found = ParameterSets()
    var keyframe = false
    var pictureParts = 0

    init(codec: Codec) { hevc = codec == .h265 }

    /// Classifies a NAL unit by its first header byte and counts it: picture parts (slices, SEI...) go in the
    /// payload; parameter sets into the track (`add`); access unit delimiters nowhere.
    mutating func classify(_ first: UInt8) -> Role {
        if hevc {
            let type = H265.nalType(first)
            switch type {
            case H265.aud: return .delimiter
            case H265.vps: return .parameterSet(.vps)
            case H265.sps: return .parameterSet(.sps)
            case H265.pps: return .parameterSet(.pps)
            default: if H265.isIRAP(type) { keyframe = true }
            }
        } else {
            let type = H264.nalType(first)
            switch type {
            case H264.aud: return .delimiter
            case H264.sps: return .parameterSet(.sps)
            case H264.pps: return .parameterSet(.pps)
            default: if type == H264.idr { keyframe = true }
            }
        }
        pictureParts += 1
        return .picturePart
    }

    /// Keeps a parameter set found in the access unit.
    mutating func add(_ nal: [UInt8], _ kind: SetKind) {
        switch kind {
        case .vps: found.vps.append(nal)
        case .sps: found.sps.append(nal)
        case .pps: found.pps.append(nal)
        }
    }

    /// Takes one whole NAL unit; true when it belongs in the payload (not empty, not a delimiter or parameter set).
    mutating func add(_ nal: UnsafeRawBufferPointer) -> Bool {
        guard let first = nal.first else { return false }
        switch classify(first) {
        case .picturePart: return true
        case .parameterSet(let kind): add(Array(nal), kind); return false
        case .delimiter: return false
        }
    }

    /// The test of `add` without its side effects.
    static func isPicturePart(_ nal: UnsafeRawBufferPointer, codec: Codec) -> Bool {
        guard let first = nal.first else { return false }
        var scan = NALScan(codec: codec)
        if case .picturePart = scan.classify(first) { return true }
        return false
    }
}
