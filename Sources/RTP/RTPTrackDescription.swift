import Media

/// What the SDP says about one RTP track, as plain values (the RTSP module parses the SDP): the payload type,
/// the `a=rtpmap` encoding name, clock rate and channels, and the `a=fmtp` parameters.
public struct RTPTrackDescription: Hashable, Sendable {
    public var codec: Codec
    public var payloadType: UInt8
    public var clockRate: Int
    public var channels: Int
    public var fmtp: [String: String]

    public init(codec: Codec, payloadType: UInt8, clockRate: Int, channels: Int = 1, fmtp: [String: String] = [:]) {
        self.codec = codec
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.channels = channels
        self.fmtp = fmtp
    }

    /// From an rtpmap encoding name (`H264`, `H265`, `MPEG4-GENERIC`, `PCMA`, `PCMU`, any case). Static payload
    /// types 0 and 8 need no rtpmap: pass `nil` and the clock rate 8000. Throws for other encodings.
    public init(encodingName: String?, payloadType: UInt8, clockRate: Int?, channels: Int? = nil,
                fmtp: [String: String] = [:]) throws(MediaError) {
        let codec: Codec
        switch (encodingName?.uppercased(), payloadType) {
        case ("H264", _): codec = .h264
        case ("H265", _), ("HEVC", _): codec = .h265
        case ("MPEG4-GENERIC", _): codec = .aac
        case ("PCMA", _), (nil, 8): codec = .pcma
        case ("PCMU", _), (nil, 0): codec = .pcmu
        default: throw MediaError("RTP track", "encoding \(encodingName ?? "nil") (payload type \(payloadType)) is not supported")
        }
        let rate = clockRate ?? (codec.kind == .video ? 90_000 : 8_000)
        guard rate > 0 else { throw MediaError("RTP track", "clock rate \(rate)") }
        self.init(codec: codec, payloadType: payloadType, clockRate: rate, channels: channels ?? 1, fmtp: fmtp)
    }
}
