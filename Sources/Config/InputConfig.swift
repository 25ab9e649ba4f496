/// One `input URL [options];` line of a stream (legacy spelling `url`): a source, tried in failover order.
public struct InputConfig: Hashable, Sendable {
    public var url: InputURL
    /// `priority=N`, 1 is the highest; nil means "by listing order".
    public var priority: Int?
    /// `source_timeout=` for this input, in seconds, overriding the stream's.
    public var sourceTimeout: Int?
    /// `tracks=1,2`: the source tracks to take (1-based).
    public var tracks: [Int]?
    /// `program=N`: the MPEG-TS program number to take.
    public var program: Int?
    /// `pids=N,M`: the MPEG-TS PIDs to take.
    public var pids: [Int]?
    /// Every other option, in the order written, for the module that opens the source.
    public var options: [URLOption]

    public init(
        url: InputURL, priority: Int? = nil, sourceTimeout: Int? = nil, tracks: [Int]? = nil, program: Int? = nil,
        pids: [Int]? = nil, options: [URLOption] = []
    ) {
        self.url = url
        self.priority = priority
        self.sourceTimeout = sourceTimeout
        self.tracks = tracks
        self.program = program
        self.pids = pids
        self.options = options
    }
}
