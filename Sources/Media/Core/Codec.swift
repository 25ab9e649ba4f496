/// A codec Sluice knows by name. The raw value is the name used in `sluice inspect --json`, the API and logs.
public enum Codec: String, Hashable, Sendable, CaseIterable {
    case h264
    case h265
    case aac
    /// MPEG-1/2 audio layer I or II (DVB's usual audio).
    case mp2
    /// MPEG-1/2 audio layer III.
    case mp3
    case ac3
    case eac3
    /// G.711 A-law and mu-law (IP cameras).
    case pcma
    case pcmu

    public enum Kind: String, Sendable { case video, audio }

    public var kind: Kind {
        switch self {
        case .h264, .h265: return .video
        case .aac, .mp2, .mp3, .ac3, .eac3, .pcma, .pcmu: return .audio
        }
    }
}
