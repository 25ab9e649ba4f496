/// A `Range` header or SDP `a=range` value (RFC 2326 12.29, 3.6): the unit (`npt`, `clock`, `smpte`) and the two
/// ends as written. Live sources are `npt=0-` or `npt=now-`; only npt times are read as seconds.
public struct RTSPRange: Sendable, Equatable {
    public var unit: String
    public var start: String
    public var end: String

    public init(unit: String = "npt", start: String = "0.000", end: String = "") {
        self.unit = unit
        self.start = start
        self.end = end
    }

    /// nil without a `unit=start-end` shape. A `;time=` suffix is ignored.
    public init?(parsing text: String) {
        let value = text.split(separator: ";").first.map(String.init) ?? ""
        guard let equals = value.firstIndex(of: "="), let dash = value[equals...].firstIndex(of: "-") else { return nil }
        unit = value[..<equals].trimmedSpaces.lowercased()
        start = value[value.index(after: equals)..<dash].trimmedSpaces
        end = value[value.index(after: dash)...].trimmedSpaces
        guard !unit.isEmpty else { return nil }
    }

    /// The npt start in seconds (`now` is 0); nil for other units or forms (`hh:mm:ss`).
    public var startSeconds: Double? { unit == "npt" ? (start == "now" ? 0 : Double(start)) : nil }
    /// The npt end in seconds; nil when open (live) or not npt.
    public var endSeconds: Double? { unit == "npt" ? Double(end) : nil }

    public var headerValue: String { "\(unit)=\(start)-\(end)" }
}
