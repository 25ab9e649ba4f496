import Media

/// Media descriptions for Sluice's own RTSP server, built from a track's parameters: H.264 (RFC 6184), H.265
/// (RFC 7798), AAC (RFC 3640 `mpeg4-generic`, AAC-hbr), G.711 (RFC 3551 PCMU 0 / PCMA 8). `control` is the track's
/// URL relative to the stream's (`trackID=N`, which `RTSPServerSession` reads back in SETUP).
extension MediaDescription {
    /// `sps` and `pps` without start codes; `profile-level-id` is taken from the SPS's bytes 1...3.
    public static func h264(payloadType: UInt8 = 96, sps: [UInt8], pps: [UInt8], control: String) -> MediaDescription {
        var parameters = "\(payloadType) packetization-mode=1"
        if sps.count >= 4 { parameters += ";profile-level-id=" + sps[1...3].map(hex2).joined() }
        parameters += ";sprop-parameter-sets=\(Base64.encode(sps)),\(Base64.encode(pps))"
        return MediaDescription(type: "video", formats: ["\(payloadType)"], attributes: [
            SDPAttribute("rtpmap", "\(payloadType) H264/90000"), SDPAttribute("fmtp", parameters), SDPAttribute("control", control),
        ])
    }

    public static func h265(payloadType: UInt8 = 96, vps: [UInt8], sps: [UInt8], pps: [UInt8], control: String) -> MediaDescription {
        let parameters = "\(payloadType) sprop-vps=\(Base64.encode(vps));sprop-sps=\(Base64.encode(sps));sprop-pps=\(Base64.encode(pps))"
        return MediaDescription(type: "video", formats: ["\(payloadType)"], attributes: [
            SDPAttribute("rtpmap", "\(payloadType) H265/90000"), SDPAttribute("fmtp", parameters), SDPAttribute("control", control),
        ])
    }

    /// `audioSpecificConfig` as in the track table (2+ bytes); the RTP clock is the sample rate.
    public static func aac(payloadType: UInt8 = 97, sampleRate: Int, channels: Int, audioSpecificConfig: [UInt8], control: String) -> MediaDescription {
        let config = audioSpecificConfig.map(hex2).joined()
        let parameters = "\(payloadType) profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=\(config)"
        return MediaDescription(type: "audio", formats: ["\(payloadType)"], attributes: [
            SDPAttribute("rtpmap", "\(payloadType) MPEG4-GENERIC/\(sampleRate)/\(channels)"), SDPAttribute("fmtp", parameters),
            SDPAttribute("control", control),
        ])
    }

    /// A-law (PCMA, payload type 8) or mu-law (PCMU, 0), 8 kHz mono.
    public static func g711(aLaw: Bool, control: String) -> MediaDescription {
        let payloadType = aLaw ? 8 : 0
        return MediaDescription(type: "audio", formats: ["\(payloadType)"], attributes: [
            SDPAttribute("rtpmap", "\(payloadType) \(aLaw ? "PCMA" : "PCMU")/8000"), SDPAttribute("control", control),
        ])
    }
}

extension SessionDescription {
    /// A live stream's description as Sluice serves it: `a=control:*`, `a=range:npt=0-`, the media in track order.
    public static func live(name: String, serverAddress: String = "0.0.0.0", media: [MediaDescription]) -> SessionDescription {
        var description = SessionDescription(
            sessionName: name, origin: "- 0 0 IN IP4 \(serverAddress)",
            attributes: [SDPAttribute("tool", "Sluice"), SDPAttribute("range", "npt=0-"), SDPAttribute("control", "*")], media: media)
        description.connection = "IN IP4 0.0.0.0"
        return description
    }
}

func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
