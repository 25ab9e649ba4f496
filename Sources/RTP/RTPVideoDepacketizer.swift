import Media

/// Rebuilds H.264 (RFC 6184) and H.265 (RFC 7798) access units from RTP payloads, in order (after
/// `RTPSequenceTracker`). The access unit is built in one reused buffer as NAL units behind 4-byte lengths, ready
/// for `VideoAccessUnitFramer` (which moves parameter sets into the track and finds keyframes).
///
/// Taken: H.264 single NAL units (1...23), STAP-A (24), FU-A (28); H.265 single NAL units, AP (48), FU (49).
/// Refused with an error: STAP-B, MTAP16/24, FU-B (interleaved mode), H.265 PACI (50) and anything reserved;
/// DONL (`sprop-max-don-diff` > 0) is refused when the depacketizer is made. An access unit ends on the marker
/// bit or on a timestamp change. A lost packet, a payload that does not parse or a fragment out of order marks
/// the access unit `broken`: it is still handed out, so that the caller can count it and wait for a keyframe.
public struct RTPVideoDepacketizer: Sendable {
    /// The sink: the access unit (4-byte length-prefixed NAL units), its RTP timestamp, whether a piece is missing.
    public typealias Emit = (UnsafeRawBufferPointer, _ timestamp: UInt32, _ broken: Bool) -> Void

    public let codec: Codec
    private var au: [UInt8] = []
    private var timestamp: UInt32?
    private var broken = false
    /// Offset in `au` of the 4-byte length of the NAL unit a fragmentation unit is building.
    private var fragmentStart: Int?

    /// `fmtp` is checked for what cannot be taken (H.265 DONL).
    public init(codec: Codec, fmtp: [String: String] = [:]) throws(MediaError) {
        precondition(codec == .h264 || codec == .h265)
        self.codec = codec
        if codec == .h265, try RTPFormatParameters.integer("sprop-max-don-diff", in: fmtp, default: 0) > 0 {
            throw MediaError("H.265 RTP", "sprop-max-don-diff > 0: DONL fields are not supported")
        }
    }

    /// Takes one packet's payload. Throws when it does not parse (the access unit in progress is then marked
    /// broken; the error is for counting and the log).
    public mutating func push(_ payload: UnsafeRawBufferPointer, timestamp ts: UInt32, marker: Bool, lostBefore: Int,
                              _ emit: Emit) throws(MediaError) {
        // A loss while an access unit is open took its middle or its tail; it may also have taken the start of
        // the next one: both are broken.
        if lostBefore > 0 && timestamp != nil { broken = true }
        if let current = timestamp, current != ts { finish(emit) }
        if lostBefore > 0 {
            abortFragment()
            broken = true
        }
        timestamp = ts
        do throws(MediaError) {
            if codec == .h264 { try h264(payload) } else { try h265(payload) }
        } catch {
            broken = true
            abortFragment()
            if marker { finish(emit) }
            throw error
        }
        if marker { finish(emit) }
    }

    /// Hands out the access unit in progress, if any (end of input, or before a gap that ends it).
    public mutating func finish(_ emit: Emit) {
        if fragmentStart != nil {
            broken = true
            abortFragment()
        }
        if let ts = timestamp, !au.isEmpty || broken {
            au.withUnsafeBytes { emit($0, ts, broken) }
        }
        au.removeAll(keepingCapacity: true)
        timestamp = nil
        broken = false
    }

    private mutating func h264(_ p: UnsafeRawBufferPointer) throws(MediaError) {
        guard let header = p.first else { throw MediaError("H.264 RTP payload", "empty") }
        guard header & 0x80 == 0 else { throw MediaError("H.264 RTP payload", "forbidden_zero_bit set") }
        let type = header & 0x1F
        switch type {
        case 1...23:
            endStrayFragment()
            append(p)
        case 24:
            endStrayFragment()
            try aggregate(p, headerSize: 1, what: "H.264 STAP-A")
        case 28:
            guard p.count >= 2 else { throw MediaError("H.264 FU-A", "\(p.count) bytes") }
            let fu = p[1]
            try fragment(start: fu & 0x80 != 0, end: fu & 0x40 != 0, header: (header & 0xE0 | fu & 0x1F, nil),
                         data: UnsafeRawBufferPointer(rebasing: p[2...]), what: "H.264 FU-A")
        case 25, 26, 27, 29:
            throw MediaError("H.264 RTP payload", "NAL unit type \(type) (interleaved mode) is not supported")
        default:
            throw MediaError("H.264 RTP payload", "reserved NAL unit type \(type)")
        }
    }

    private mutating func h265(_ p: UnsafeRawBufferPointer) throws(MediaError) {
        guard p.count >= 2 else { throw MediaError("H.265 RTP payload", "\(p.count) bytes") }
        guard p[0] & 0x80 == 0 else { throw MediaError("H.265 RTP payload", "forbidden_zero_bit set") }
        let type = H265.nalType(p[0])
        switch type {
        case 0...47:
            endStrayFragment()
            append(p)
        case 48:
            endStrayFragment()
            try aggregate(p, headerSize: 2, what: "H.265 AP")
        case 49:
            guard p.count >= 3 else { throw MediaError("H.265 FU", "\(p.count) bytes") }
            let fu = p[2]
            try fragment(start: fu & 0x80 != 0, end: fu & 0x40 != 0, header: (p[0] & 0x81 | (fu & 0x3F) << 1, p[1]),
                         data: UnsafeRawBufferPointer(rebasing: p[3...]), what: "H.265 FU")
        case 50:
            throw MediaError("H.265 RTP payload", "PACI packets are not supported")
        default:
            throw MediaError("H.265 RTP payload", "reserved NAL unit type \(type)")
        }
    }

    /// STAP-A / AP: after the payload header, NAL units behind 16-bit sizes. Checked whole before anything is
    /// appended.
    private mutating func aggregate(_ p: UnsafeRawBufferPointer, headerSize: Int, what: String) throws(MediaError) {
        var o = headerSize
        var units = 0
        while o < p.count {
            guard o + 2 <= p.count else { throw MediaError(what, "stray byte at offset \(o)") }
            let size = Int(p[o]) << 8 | Int(p[o + 1])
            guard size > 0, o + 2 + size <= p.count else { throw MediaError(what, "NAL unit size \(size) past the end at offset \(o)") }
            o += 2 + size
            units += 1
        }
        guard units > 0 else { throw MediaError(what, "no NAL unit") }
        o = headerSize
        while o < p.count {
            let size = Int(p[o]) << 8 | Int(p[o + 1])
            append(UnsafeRawBufferPointer(rebasing: p[(o + 2)..<(o + 2 + size)]))
            o += 2 + size
        }
    }

    /// `header`: the NAL unit header the fragments left out (1 byte for H.264, 2 for H.265), rebuilt at the start;
    /// two bytes rather than an array, so that no packet allocates.
    private mutating func fragment(start: Bool, end: Bool, header: (UInt8, UInt8?), data: UnsafeRawBufferPointer,
                                   what: String) throws(MediaError) {
        if start {
            guard !end else { throw MediaError(what, "start and end bits both set") }
            endStrayFragment()
            fragmentStart = au.count
            for _ in 0..<4 { au.append(0) }  // the length, filled in at the end
            au.append(header.0)
            if let second = header.1 { au.append(second) }
            au.append(contentsOf: data)
            return
        }
        guard let begin = fragmentStart else { throw MediaError(what, "a fragment without its start") }
        au.append(contentsOf: data)
        if end {
            let n = au.count - begin - 4
            au[begin] = UInt8(truncatingIfNeeded: n >> 24)
            au[begin + 1] = UInt8(truncatingIfNeeded: n >> 16)
            au[begin + 2] = UInt8(truncatingIfNeeded: n >> 8)
            au[begin + 3] = UInt8(truncatingIfNeeded: n)
            fragmentStart = nil
        }
    }

    private mutating func append(_ nal: UnsafeRawBufferPointer) {
        LengthPrefixed.append(nal, to: &au)
    }

    /// A new NAL unit while a fragmented one has not ended: the fragmented one is lost.
    private mutating func endStrayFragment() {
        guard fragmentStart != nil else { return }
        broken = true
        abortFragment()
    }

    private mutating func abortFragment() {
        if let begin = fragmentStart { au.removeSubrange(begin...) }
        fragmentStart = nil
    }
}
