/// One transport specification of a `Transport` header (RFC 2326 12.39): `RTP/AVP[/UDP]` or `RTP/AVP/TCP`,
/// unicast or multicast, the ports or interleaved channels, `ssrc`, `mode`. A header may list several,
/// comma-separated, in the client's order of preference (`RTSPTransport.parseList`). Parameters this type does not
/// know are kept in `otherParameters` and written back.
public struct RTSPTransport: Sendable, Equatable {
    public enum LowerTransport: String, Sendable, Equatable {
        case udp = "UDP"
        case tcp = "TCP"
    }

    /// `RTP/AVP`, `RTP/SAVP`...: the part before the lower transport.
    public var profile: String
    public var lowerTransport: LowerTransport
    public var unicast: Bool
    public var clientPort: (rtp: Int, rtcp: Int)?
    public var serverPort: (rtp: Int, rtcp: Int)?
    public var interleaved: (rtp: Int, rtcp: Int)?
    public var ssrc: UInt32?
    /// `PLAY` or `RECORD` (`receive` is read as RECORD), upper-cased and unquoted; nil when absent (PLAY).
    public var mode: String?
    public var destination: String?
    public var source: String?
    public var otherParameters: [String] = []

    public init(
        profile: String = "RTP/AVP", lowerTransport: LowerTransport, unicast: Bool = true,
        clientPort: (Int, Int)? = nil, serverPort: (Int, Int)? = nil, interleaved: (Int, Int)? = nil,
        ssrc: UInt32? = nil, mode: String? = nil
    ) {
        self.profile = profile
        self.lowerTransport = lowerTransport
        self.unicast = unicast
        self.clientPort = clientPort.map { (rtp: $0.0, rtcp: $0.1) }
        self.serverPort = serverPort.map { (rtp: $0.0, rtcp: $0.1) }
        self.interleaved = interleaved.map { (rtp: $0.0, rtcp: $0.1) }
        self.ssrc = ssrc
        self.mode = mode
    }

    public static func == (lhs: RTSPTransport, rhs: RTSPTransport) -> Bool {
        lhs.headerValue == rhs.headerValue
    }

    /// Every specification of a header; throws on the first bad one.
    public static func parseList(_ header: String) throws(RTSPError) -> [RTSPTransport] {
        var transports: [RTSPTransport] = []
        for spec in header.splitOutsideQuotes(",") where !spec.trimmedSpaces.isEmpty {
            transports.append(try RTSPTransport(parsing: spec))
        }
        return transports
    }

    public init(parsing text: String) throws(RTSPError) {
        let parts = text.splitOutsideQuotes(";").map { $0.trimmedSpaces }
        let spec = parts[0].uppercased().split(separator: "/").map(String.init)
        guard spec.count >= 2, spec.count <= 3, !spec[0].isEmpty, !spec[1].isEmpty else {
            throw RTSPError(.badHeader, "Transport: \"\(text.trimmedSpaces)\"")
        }
        profile = spec[0] + "/" + spec[1]
        if spec.count == 3 {
            guard let lower = LowerTransport(rawValue: spec[2]) else {
                throw RTSPError(.badHeader, "Transport: unknown lower transport \"\(spec[2])\"")
            }
            lowerTransport = lower
        } else {
            lowerTransport = .udp
        }
        unicast = true
        for part in parts.dropFirst() where !part.isEmpty {
            let (key, value) = splitParameter(part)
            func pair() throws(RTSPError) -> (rtp: Int, rtcp: Int) {
                guard let value, let pair = parsePair(value), pair.0 < 65536, pair.1 < 65536 else {
                    throw RTSPError(.badHeader, "Transport: bad \(key) \"\(value ?? "")\"")
                }
                return (rtp: pair.0, rtcp: pair.1)
            }
            switch key.lowercased() {
            case "unicast": unicast = true
            case "multicast": unicast = false
            case "client_port": clientPort = try pair()
            case "server_port": serverPort = try pair()
            case "interleaved":
                let channels = try pair()
                guard channels.rtp < 256, channels.rtcp < 256 else {
                    throw RTSPError(.badHeader, "Transport: interleaved channel above 255 in \"\(part)\"")
                }
                interleaved = channels
            case "ssrc":
                // Some cameras write fewer than 8 digits, some pad; anything not hex is ignored (it is advisory).
                ssrc = value.flatMap { UInt32($0, radix: 16) }
            case "mode":
                let mode = (value ?? "").uppercased()
                self.mode = mode == "RECEIVE" ? "RECORD" : mode
            case "destination": destination = value
            case "source": source = value
            default: otherParameters.append(part)
            }
        }
    }

    public var headerValue: String {
        var text = profile + (lowerTransport == .tcp ? "/TCP" : "")
        text += unicast ? ";unicast" : ";multicast"
        if let destination { text += ";destination=\(destination)" }
        if let source { text += ";source=\(source)" }
        if let interleaved { text += ";interleaved=\(interleaved.rtp)-\(interleaved.rtcp)" }
        if let clientPort { text += ";client_port=\(clientPort.rtp)-\(clientPort.rtcp)" }
        if let serverPort { text += ";server_port=\(serverPort.rtp)-\(serverPort.rtcp)" }
        if let ssrc { text += ";ssrc=" + hex8(ssrc) }
        if let mode { text += ";mode=\(mode)" }
        for other in otherParameters { text += ";" + other }
        return text
    }
}

func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
