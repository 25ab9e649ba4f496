/// Every option of one stream, ondemand stream or template, typed: durations in seconds, sizes in bytes, bitrates in
/// kbit/s. nil (or false, or empty) means "not written": the default applies (see docs/config.md).
///
/// The whole value is Equatable, and that equality is what the reload diff compares: a field added here takes part
/// in the diff with no further code.
public struct StreamSettings: Hashable, Sendable {
    /// `prefix P;` (templates only): the stream names this template makes, `P/...`.
    public var prefix: String?
    public var inputs: [InputConfig] = []
    public var pushes: [PushConfig] = []
    /// `dvr ...;` or `dvr_offline ...;`.
    public var dvr: DVRConfig?
    public var thumbnails: ThumbnailsConfig?
    /// `backup VODNAME/file.mp4;`: played while every input is down.
    public var backup: String?
    /// `on_play URL;`: the authorization backend for viewers.
    public var onPlay: String?
    /// `on_publish URL|script.lua;`: the authorization backend for publishers.
    public var onPublish: String?
    /// `password SECRET;`: required of publishers.
    public var password: String?
    /// `domains D...;`: allowed Referer domains (`*` for all).
    public var domains: [String]?
    /// `allowed_countries CC...;`: two-letter ISO codes.
    public var allowedCountries: [String]?
    public var maxSessions: Int?
    /// `max_bitrate KBPS;`: for published streams.
    public var maxBitrate: Int?
    /// `prepush off|N;`: seconds of buffer sent first to a new viewer; 0 is `off`.
    public var prepush: Int?
    public var logo: LogoConfig?
    public var mpegtsPids: MPEGTSPids?
    /// `meta KEY VALUE;` lines in order (e.g. `meta program_id 10;`).
    public var meta: [MetaEntry] = []
    /// `provider NAME;`: the MPEG-TS service provider.
    public var provider: String?
    public var segmentDuration: Int?
    public var segmentCount: Int?
    /// `url_prefix URL;`: this stream's own, else the global one (resolved for the diff by `effectiveStreams`).
    public var urlPrefix: String?
    public var addAudioOnly = false
    /// `group NAME;`.
    public var group: String?
    public var disabled = false
    public var retryLimit: Int?
    public var clientsTimeout: Int?
    public var sourceTimeout: Int?
    public var framesTimeout: Int?
    /// `rtp udp;` (or `rtp tcp;`): the RTSP transport to force.
    public var rtp: RTPTransport?

    public init() {}
}

/// One `meta KEY VALUE;` line.
public struct MetaEntry: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The RTP transport forced on RTSP sources by `rtp udp;`.
public enum RTPTransport: String, Hashable, Sendable, CaseIterable {
    case udp
    case tcp
}
