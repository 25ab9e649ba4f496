/// A track the client session set up: its SDP media description (payload type, clock rate, encoding, fmtp: what
/// the RTP depacketizer needs), its resolved control URL, the transport the camera agreed to (interleaved channels
/// on the RTSP connection, or the UDP ports), and the camera's `RTP-Info` for it when PLAY gave one.
public struct RTSPTrack: Sendable, Equatable {
    /// 1-based, in SDP order (what `tracks=` counts).
    public var index: Int
    public var media: MediaDescription
    public var controlURL: String
    public var transport: RTSPTransport
    public var rtpInfo: RTPInfo?

    public init(index: Int, media: MediaDescription, controlURL: String, transport: RTSPTransport, rtpInfo: RTPInfo? = nil) {
        self.index = index
        self.media = media
        self.controlURL = controlURL
        self.transport = transport
        self.rtpInfo = rtpInfo
    }

    public var payloadType: UInt8? { media.payloadType }
    public var encodingName: String? { media.encodingName }
    public var clockRate: Int? { media.clockRate }
    /// RTP and RTCP channels when interleaved on the TCP connection.
    public var interleavedChannels: (rtp: Int, rtcp: Int)? { transport.lowerTransport == .tcp ? transport.interleaved : nil }
}
