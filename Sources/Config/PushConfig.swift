/// One `push URL [options];` line: the stream re-sent to a UDP group or an RTMP/SRT server.
public struct PushConfig: Hashable, Sendable {
    /// The schemes `push` accepts.
    public static let schemes: Set<String> = ["udp", "rtmp", "rtmps", "srt"]

    public var url: InputURL
    /// UDP: `ttl=N` (alias `multicast_ttl=`).
    public var ttl: Int?
    /// UDP: `bitrate=KBPS` (alias `cbr=`): constant bitrate padded with null packets, in kbit/s.
    public var bitrate: Int?
    /// UDP: `multicast_loop`: deliver the group to this host too.
    public var multicastLoop: Bool
    /// UDP: `pnr=N`: the MPEG-TS program number to send.
    public var pnr: Int?
    /// RTMP/SRT: `retry_timeout=S`, in seconds, between reconnect attempts.
    public var retryTimeout: Int?
    /// Every other option, in the order written.
    public var options: [URLOption]

    public init(
        url: InputURL, ttl: Int? = nil, bitrate: Int? = nil, multicastLoop: Bool = false, pnr: Int? = nil,
        retryTimeout: Int? = nil, options: [URLOption] = []
    ) {
        self.url = url
        self.ttl = ttl
        self.bitrate = bitrate
        self.multicastLoop = multicastLoop
        self.pnr = pnr
        self.retryTimeout = retryTimeout
        self.options = options
    }
}
