import Media

/// One SDP media section (`m=` and the lines after it): what the RTP layer needs to receive or send a track.
/// `payloadType`, `encodingName`, `clockRate`, `channels` come from the first format and its `a=rtpmap` (or, for
/// static payload types without one, RFC 3551's table); `formatParameters` from its `a=fmtp`; `control` from
/// `a=control` (resolve it with `resolveRTSPURL` against the DESCRIBE's base).
public struct MediaDescription: Sendable, Equatable {
    /// `video`, `audio`, `application`...
    public var type: String
    public var port: Int
    /// `RTP/AVP`, `RTP/AVP/TCP`, `RTP/SAVP`...
    public var proto: String
    /// Payload types (or other formats) as written, in order.
    public var formats: [String]
    public var information: String?
    public var connection: String?
    public var bandwidths: [SDPAttribute] = []
    public var attributes: [SDPAttribute] = []

    public init(type: String, port: Int = 0, proto: String = "RTP/AVP", formats: [String], attributes: [SDPAttribute] = []) {
        self.type = type
        self.port = port
        self.proto = proto
        self.formats = formats
        self.attributes = attributes
    }

    init(mediaLine: String, lineNumber: Int) throws(RTSPError) {
        let fields = mediaLine.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 4 else {
            // Some cameras write `m=application 0 RTP/AVP` without formats; keep it readable rather than refuse.
            guard fields.count == 3 else { throw RTSPError(.badSDP, "line \(lineNumber): bad m= line \"\(mediaLine.prefix(60))\"") }
            type = fields[0]
            port = try MediaDescription.port(fields[1], lineNumber)
            proto = fields[2]
            formats = []
            return
        }
        type = fields[0]
        port = try MediaDescription.port(fields[1], lineNumber)
        proto = fields[2]
        formats = Array(fields[3...])
    }

    private static func port(_ text: String, _ lineNumber: Int) throws(RTSPError) -> Int {
        let portText = text.split(separator: "/").first.map(String.init) ?? ""
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw RTSPError(.badSDP, "line \(lineNumber): bad port \"\(text)\" in m=")
        }
        return port
    }

    mutating func addLine(type: Character, value: String, lineNumber: Int) throws(RTSPError) {
        switch type {
        case "i": information = value
        case "c": connection = value
        case "b": bandwidths.append(SDPAttribute(parsing: value, separator: ":"))
        case "a":
            let attribute = SDPAttribute(parsing: value, separator: ":")
            if attribute.name == "rtpmap", parseRTPMap(attribute.value ?? "") == nil {
                throw RTSPError(.badSDP, "line \(lineNumber): bad a=rtpmap \"\(value.prefix(60))\"")
            }
            attributes.append(attribute)
        default: break
        }
    }

    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }.map { $0.value ?? "" } }

    public var control: String? { attribute("control") }

    /// The first format as an RTP payload type; nil when it is not a number below 128.
    public var payloadType: UInt8? { formats.first.flatMap { UInt8($0) }.flatMap { $0 < 128 ? $0 : nil } }

    /// The `a=rtpmap` of `payloadType` (`96 H264/90000`, `97 MPEG4-GENERIC/48000/2`).
    private var rtpmap: (payloadType: String, encoding: String, clockRate: Int, channels: Int?)? {
        for attribute in attributes where attribute.name == "rtpmap" {
            if let map = parseRTPMap(attribute.value ?? ""), map.payloadType == formats.first { return map }
        }
        return nil
    }

    /// Upper-cased: `H264`, `H265`, `MPEG4-GENERIC`, `PCMA`, `PCMU`...; for static payload types without an rtpmap,
    /// RFC 3551's name (0 PCMU, 8 PCMA, 14 MPA, 26 JPEG, 33 MP2T).
    public var encodingName: String? {
        if let rtpmap { return rtpmap.encoding.uppercased() }
        return payloadType.flatMap { MediaDescription.staticTypes[$0]?.0 }
    }

    public var clockRate: Int? {
        if let rtpmap { return rtpmap.clockRate }
        return payloadType.flatMap { MediaDescription.staticTypes[$0]?.1 }
    }

    /// Audio channels (rtpmap's third field); 1 when absent for audio, nil for video.
    public var channels: Int? {
        if let channels = rtpmap?.channels { return channels }
        return type == "audio" ? 1 : nil
    }

    private static let staticTypes: [UInt8: (String, Int)] = [
        0: ("PCMU", 8000), 8: ("PCMA", 8000), 14: ("MPA", 90000), 26: ("JPEG", 90000), 32: ("MPV", 90000), 33: ("MP2T", 90000),
    ]

    /// The `a=fmtp` parameters of `payloadType`, names lower-cased, in order (`packetization-mode`,
    /// `sprop-parameter-sets`, `profile-level-id`, `config`, `sizelength`...). Values keep their case and any `=`
    /// (base64 padding).
    public var formatParameters: [SDPAttribute] {
        for attribute in attributes where attribute.name == "fmtp" {
            let value = attribute.value ?? ""
            let space = value.firstIndex(of: " ") ?? value.endIndex
            guard value[..<space] == formats.first ?? "" else { continue }
            return value[space...].split(separator: ";").compactMap { item in
                let (key, parameter) = splitParameter(String(item))
                return key.isEmpty ? nil : SDPAttribute(key.lowercased(), parameter)
            }
        }
        return []
    }

    public func formatParameter(_ name: String) -> String? {
        formatParameters.first { $0.name == name.lowercased() }.map { $0.value ?? "" }
    }

    /// `a=framerate` in frames per second.
    public var frameRate: Double? { attribute("framerate").flatMap { Double($0) } }
    public var range: RTSPRange? { attribute("range").flatMap { RTSPRange(parsing: $0) } }
    /// `b=AS` in kilobits per second.
    public var bandwidthAS: Int? { bandwidths.first { $0.name == "AS" }?.value.flatMap { Int($0) } }

    /// H.264 `sprop-parameter-sets` (SPS, PPS...) decoded; empty when absent or not base64.
    public var parameterSets: [[UInt8]] {
        (formatParameter("sprop-parameter-sets") ?? "").split(separator: ",").compactMap { Base64.decode(String($0)) }
    }

    var lines: [String] {
        var lines = ["m=\(type) \(port) \(proto) \(formats.joined(separator: " "))"]
        if let information { lines.append("i=\(information)") }
        if let connection { lines.append("c=\(connection)") }
        lines += bandwidths.map { "b=" + $0.text(separator: ":") }
        lines += attributes.map { "a=" + $0.text(separator: ":") }
        return lines
    }
}

/// `96 H264/90000[/2]`; nil when malformed.
func parseRTPMap(_ value: String) -> (payloadType: String, encoding: String, clockRate: Int, channels: Int?)? {
    let parts = value.split(separator: " ", maxSplits: 1).map { $0.trimmedSpaces }
    guard parts.count == 2, let type = Int(parts[0]), (0..<128).contains(type) else { return nil }
    let fields = parts[1].split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmedSpaces }
    guard fields.count >= 2, fields.count <= 3, !fields[0].isEmpty, let rate = Int(fields[1]), rate > 0 else { return nil }
    var channels: Int?
    if fields.count == 3 {
        guard let count = Int(fields[2]), count > 0 else { return nil }
        channels = count
    }
    return (parts[0], fields[0], rate, channels)
}
