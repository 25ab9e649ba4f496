import JSON

/// The supervisor's answer to one `ControlRequest`, one JSON line: `{"ok":true,"data":...}` or
/// `{"ok":false,"error":"..."}`. `data` is what `sluice ctl --json` prints: an array of `WorkerStatus` or
/// `StreamStatus` objects, a `ServerStatus` object, or a `{"message":...}` object for `reload` and `restart`.
public enum ControlResponse: Equatable, Sendable {
    case success(JSONValue)
    case failure(String)

    /// A success carrying only a message, for `reload` and `restart`.
    public static func message(_ text: String) -> ControlResponse { .success(.object([("message", .string(text))])) }

    /// Decodes one reply line (without its newline).
    public init(line: String) throws(ControlProtocolError) {
        let object = try JSONValue.controlObject(line: line, what: "reply")
        let ok = try object.required("ok", \.boolValue, in: "reply")
        if ok {
            self = .success(object["data"] ?? .null)
        } else {
            self = .failure(try object.required("error", \.stringValue, in: "reply"))
        }
    }

    public var json: JSONValue {
        switch self {
        case .success(let data): .object([("ok", .bool(true)), ("data", data)])
        case .failure(let error): .object([("ok", .bool(false)), ("error", .string(error))])
        }
    }

    /// The reply as sent: one line of JSON and its newline.
    public var line: String { json.serialized() + "\n" }
}
