/// The `Session` header: an opaque id and the server's `timeout` in seconds (RFC 2326 12.37; 60 when absent).
/// Cameras put the timeout here only; keep-alives go out at half of it.
public struct RTSPSessionHeader: Sendable, Equatable {
    public var id: String
    /// Seconds; nil when the header had none (the default of 60 applies).
    public var timeout: Int?

    public init(id: String, timeout: Int? = nil) {
        self.id = id
        self.timeout = timeout
    }

    /// nil for an empty id. Unknown parameters are ignored; a bad timeout is treated as absent.
    public init?(parsing text: String) {
        let parts = text.split(separator: ";").map { String($0) }
        guard let first = parts.first?.trimmedSpaces, !first.isEmpty else { return nil }
        id = first
        timeout = nil
        for part in parts.dropFirst() {
            let (key, value) = splitParameter(part)
            if key.equalsIgnoringCase("timeout"), let value, let seconds = Int(value), seconds > 0 { timeout = seconds }
        }
    }

    public var headerValue: String { timeout.map { "\(id);timeout=\($0)" } ?? id }
}
