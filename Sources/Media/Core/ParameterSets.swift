/// An H.264 or H.265 track's decoder configuration in its canonical form: the parameter set NAL units
/// themselves (with their NAL headers, without start codes or emulation-prevention removal).
/// Records such as avcC and hvcC are built from these when a container needs them.
public struct ParameterSets: Hashable, Sendable {
    /// H.265 only.
    public var vps: [[UInt8]]
    public var sps: [[UInt8]]
    public var pps: [[UInt8]]

    public init(vps: [[UInt8]] = [], sps: [[UInt8]] = [], pps: [[UInt8]] = []) {
        self.vps = vps
        self.sps = sps
        self.pps = pps
    }

    public var isEmpty: Bool { vps.isEmpty && sps.isEmpty && pps.isEmpty }

    /// All sets in decoding order (VPS, SPS, PPS), as they go in band before a keyframe.
    public var all: [[UInt8]] { vps + sps + pps }
}
