import JSON

/// How the last reload (SIGHUP or `ctl reload`) went, for the `status` reply. A failed reload changed nothing; its
/// error names the place in the config file when there is one (`file:line:column: error: message`).
public struct ReloadResult: Hashable, Sendable {
    public var ok: Bool
    /// What changed ("1 added, 2 changed, 1 removed, 3 unchanged") or, when it failed, the first error.
    public var message: String
    /// Where the error is; nil on success or for errors without a place (an unreadable file).
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// Milliseconds since the reload.
    public var ageMs: Int

    public init(ok: Bool, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil, ageMs: Int = 0) {
        self.ok = ok
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.ageMs = ageMs
    }

    public var json: JSONValue {
        .object([
            ("ok", .bool(ok)), ("message", .string(message)), ("file", file.map(JSONValue.string) ?? .null),
            ("line", line.map(JSONValue.int) ?? .null), ("column", column.map(JSONValue.int) ?? .null), ("age_ms", .int(ageMs)),
        ])
    }

    public init(json: JSONValue) throws(ControlProtocolError) {
        let what = "last reload"
        self.init(
            ok: try json.required("ok", \.boolValue, in: what), message: try json.required("message", \.stringValue, in: what),
            file: json["file"]?.stringValue, line: json["line"]?.intValue, column: json["column"]?.intValue,
            ageMs: json["age_ms"]?.intValue ?? 0)
    }
}
