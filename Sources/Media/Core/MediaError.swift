/// A malformed or unsupported piece of media. `what` names the structure being read (for example "H.264 SPS"),
/// `reason` says what was wrong with it.
public struct MediaError: Error, CustomStringConvertible, Equatable, Sendable {
    public var what: String
    public var reason: String

    public init(_ what: String, _ reason: String) {
        self.what = what
        self.reason = reason
    }

    public var description: String { "\(what): \(reason)" }
}
