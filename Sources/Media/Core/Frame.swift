/// Per-frame flags, as stored in the ring.
public struct FrameFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A video frame a decoder can start from (IDR, or an H.265 IRAP). Audio frames always carry it.
    public static let keyframe = FrameFlags(rawValue: 1 << 0)
    /// The track's decoder configuration (parameter sets, AudioSpecificConfig) changed with this frame.
    public static let configChange = FrameFlags(rawValue: 1 << 1)
    /// Timestamps do not continue from the previous frame of the stream (source restart, timestamp jump, CC loss).
    public static let discontinuity = FrameFlags(rawValue: 1 << 2)
    /// The first frame of an HLS segment. The ingest worker sets it where its segment cutter starts a segment, and
    /// the ring then enters the segment in its segment table (docs/ring-format.md); edge workers cut segments there.
    public static let segmentStart = FrameFlags(rawValue: 1 << 3)
}

/// Everything about a frame but its bytes. Hot paths pass this beside a borrowed payload buffer, so that no
/// frame costs an allocation.
public struct FrameInfo: Hashable, Sendable {
    /// The track's `Track.id`.
    public var track: Int
    public var flags: FrameFlags
    /// Decode timestamp in 90 kHz ticks (`MediaTime`), unwrapped: it never wraps, and only jumps where the
    /// frame is flagged `.discontinuity`.
    public var dts: Int64
    /// Presentation timestamp, same timebase; `pts >= dts`.
    public var pts: Int64

    public init(track: Int, flags: FrameFlags = [], dts: Int64, pts: Int64) {
        self.track = track
        self.flags = flags
        self.dts = dts
        self.pts = pts
    }

    public var isKeyframe: Bool { flags.contains(.keyframe) }
}

/// An access unit with its own bytes: a copy, for tests and for code off the hot path.
///
/// Payload forms (the one canonical form per codec, see docs/media.md):
/// - H.264 / H.265: the access unit's NAL units, each preceded by a 4-byte big-endian length. Parameter sets
///   (VPS/SPS/PPS) and access unit delimiters are not in the payload: they live in the `Track`.
/// - AAC: one raw AAC frame (no ADTS header); the AudioSpecificConfig lives in the `Track`.
/// - MP2, MP3, AC-3, E-AC-3: one frame as it is on the wire, header included.
/// - G.711: the samples.
public struct Frame: Hashable, Sendable {
    public var info: FrameInfo
    public var payload: [UInt8]

    public init(info: FrameInfo, payload: [UInt8]) {
        self.info = info
        self.payload = payload
    }
}
