/// A malformed or unsupported RTP or RTCP packet, or payload. `what` names the structure being read ("RTP header",
/// "H.264 FU-A", "AU-header section"), `reason` says what was wrong with it. Never fatal: receivers count these.
public struct RTPError: Error, CustomStringConvertible, Equatable, Sendable {
    public var what: String
    public var reason: String

    public init(_ what: String, _ reason: String) {
        self.what = what
        self.reason = reason
    }

    public var description: String { "\(what): \(reason)" }
}
