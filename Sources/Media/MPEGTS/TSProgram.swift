/// A program of a multiplex as its PAT, PMT and SDT describe it: what `sluice inspect` lists and what the
/// demuxer's selection (`program=`, `pids=`) chooses from.
public struct TSProgram: Hashable, Sendable {
    /// program_number (the DVB service_id).
    public var number: Int
    public var pmtPID: Int
    /// Nil until the program's PMT has been read.
    public var pcrPID: Int?
    /// service_name and service_provider_name from the SDT's service descriptor, if the stream has one.
    public var name: String?
    public var provider: String?
    /// The elementary streams in PMT order, including those Sluice does not turn into tracks.
    public var streams: [TSElementaryStream]

    public init(number: Int, pmtPID: Int, pcrPID: Int? = nil, name: String? = nil, provider: String? = nil,
                streams: [TSElementaryStream] = []) {
        self.number = number
        self.pmtPID = pmtPID
        self.pcrPID = pcrPID
        self.name = name
        self.provider = provider
        self.streams = streams
    }
}

/// One entry of a PMT's elementary stream loop.
public struct TSElementaryStream: Hashable, Sendable {
    public var pid: Int
    /// stream_type (0x1B H.264, 0x24 H.265, 0x0F AAC, 0x03/0x04 MPEG audio, 0x81 AC-3, 0x87 E-AC-3, ...).
    public var streamType: Int
    /// The codec Sluice reads it as; nil when it does not (the stream is listed, not demuxed). MPEG audio is
    /// listed as MP2 until a frame header says it is MP3.
    public var codec: Codec?
    /// The track it feeds, when selected.
    public var trackID: Int?
    /// ISO 639 language code (descriptor 0x0A).
    public var language: String?

    public init(pid: Int, streamType: Int, codec: Codec?, trackID: Int? = nil, language: String? = nil) {
        self.pid = pid
        self.streamType = streamType
        self.codec = codec
        self.trackID = trackID
        self.language = language
    }
}
