/// One elementary stream of a live stream, with everything a packager needs to describe it.
public struct Track: Hashable, Sendable {
    /// Stable, 1-based number of the track within its stream (the order the source declared them in).
    public var id: Int
    public var codec: Codec
    /// Video: the decoder configuration. Empty until the source has sent it.
    public var parameterSets: ParameterSets
    /// AAC: the decoder configuration. Nil for other codecs, or until known.
    public var audioConfig: AudioSpecificConfig?

    // What the bitstream says, for playlists, status and `sluice inspect`. Zero or nil when unknown.
    /// Codec profile (H.264 profile_idc, H.265 general_profile_idc, AAC audio object type).
    public var profile: Int
    /// H.264 level_idc, H.265 general_level_idc.
    public var level: Int
    public var width: Int
    public var height: Int
    /// Frames per second where the SPS signals timing.
    public var frameRate: Double?
    public var sampleRate: Int
    public var channels: Int
    /// ISO 639 language from the source (PMT descriptor, SDP), if any.
    public var language: String?

    public init(id: Int, codec: Codec) {
        self.id = id
        self.codec = codec
        self.parameterSets = ParameterSets()
        self.audioConfig = nil
        self.profile = 0
        self.level = 0
        self.width = 0
        self.height = 0
        self.frameRate = nil
        self.sampleRate = 0
        self.channels = 0
        self.language = nil
    }

    public var kind: Codec.Kind { codec.kind }
}
