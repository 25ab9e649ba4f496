import Media
import RTP

extension RTPTrackDescription {
    /// What an SDP media section says of its RTP track (payload type, encoding, clock rate, channels, fmtp), for the
    /// RTP demuxer. Throws for a section without a payload type or with an encoding the RTP module does not take.
    public init(media: MediaDescription) throws(MediaError) {
        guard let payloadType = media.payloadType else {
            throw MediaError("SDP \(media.type) section", "no RTP payload type in \"\(media.formats.joined(separator: " "))\"")
        }
        var fmtp: [String: String] = [:]
        for parameter in media.formatParameters where fmtp[parameter.name] == nil { fmtp[parameter.name] = parameter.value ?? "" }
        try self.init(encodingName: media.encodingName, payloadType: payloadType, clockRate: media.clockRate,
                      channels: media.channels, fmtp: fmtp)
    }
}
