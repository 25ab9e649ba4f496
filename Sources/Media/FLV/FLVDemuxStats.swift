/// What an `FLVTagDemuxer` was given and what it had to put aside: for logs, `sluice ctl streams` and tests.
public struct FLVDemuxStats: Hashable, Sendable {
    /// Tags fed, and the bytes of their bodies.
    public var tags = 0
    public var bytes = 0
    /// Frames delivered to the sink.
    public var frames = 0
    /// Decoder configurations taken (AVC/HEVC sequence headers, AAC AudioSpecificConfigs).
    public var sequenceHeaders = 0
    /// Coded frames of a track whose sequence header had not come (or had not parsed): dropped.
    public var droppedBeforeSequenceHeader = 0
    /// Video frames before the first keyframe: dropped (no decoder could use them).
    public var droppedBeforeKeyframe = 0
    /// Tags cut short, with reserved values, absurd NAL lengths or a decoder configuration that does not parse.
    public var malformedTags = 0
    /// Tags of codecs or features Sluice does not take (see `FLVError.Kind.unsupported`).
    public var unsupportedTags = 0
    /// Tags with nothing for the media path: script data, video commands and metadata, end of sequence, empty
    /// frames, multichannel configurations.
    public var ignoredTags = 0
    /// Timestamp jumps absorbed by the normaliser (each one flags a frame `.discontinuity`).
    public var timestampJumps = 0

    public init() {}
}
