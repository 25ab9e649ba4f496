/// The `RTP-Info` header of a PLAY response (RFC 2326 12.33): per stream, its URL and the sequence number and RTP
/// timestamp of the first packet the server sends. The RTP layer uses them to align tracks before the first RTCP
/// sender report. Cameras omit fields, and some put spaces after the commas.
public struct RTPInfo: Sendable, Equatable {
    public var url: String
    public var sequenceNumber: UInt16?
    public var rtpTime: UInt32?

    public init(url: String, sequenceNumber: UInt16? = nil, rtpTime: UInt32? = nil) {
        self.url = url
        self.sequenceNumber = sequenceNumber
        self.rtpTime = rtpTime
    }

    /// Entries without a `url` are dropped; unparsable numbers are read as absent.
    public static func parseList(_ header: String) -> [RTPInfo] {
        header.splitOutsideQuotes(",").compactMap { entry in
            var info = RTPInfo(url: "")
            for part in entry.split(separator: ";") {
                let (key, value) = splitParameter(String(part))
                guard let value else { continue }
                switch key.lowercased() {
                case "url": info.url = value
                case "seq": info.sequenceNumber = UInt16(value)
                case "rtptime": info.rtpTime = UInt32(value)
                default: break
                }
            }
            return info.url.isEmpty ? nil : info
        }
    }

    public static func headerValue(_ entries: [RTPInfo]) -> String {
        entries.map { entry in
            var text = "url=\(entry.url)"
            if let sequenceNumber = entry.sequenceNumber { text += ";seq=\(sequenceNumber)" }
            if let rtpTime = entry.rtpTime { text += ";rtptime=\(rtpTime)" }
            return text
        }.joined(separator: ",")
    }
}
