/// The information object of an onStatus message, and of the _result/_error of connect: `level` ("status",
/// "warning" or "error"), `code` (one of `Code`), a human `description`, and any further properties (`details`,
/// `clientid`, `objectEncoding`...) in order.
public struct RTMPStatus: Equatable, Sendable {
    public var level: String
    public var code: String
    public var description: String
    public var extra: [AMF0Property]

    public init(level: String, code: String, description: String, extra: [AMF0Property] = []) {
        self.level = level
        self.code = code
        self.description = description
        self.extra = extra
    }

    public static func status(_ code: String, _ description: String, extra: [AMF0Property] = []) -> RTMPStatus {
        RTMPStatus(level: "status", code: code, description: description, extra: extra)
    }

    public static func error(_ code: String, _ description: String, extra: [AMF0Property] = []) -> RTMPStatus {
        RTMPStatus(level: "error", code: code, description: description, extra: extra)
    }

    /// Reads an information object; missing fields read as empty strings.
    public init(_ value: AMF0Value?) {
        level = value?["level"]?.stringValue ?? ""
        code = value?["code"]?.stringValue ?? ""
        description = value?["description"]?.stringValue ?? ""
        extra = (value?.properties ?? []).filter { !["level", "code", "description"].contains($0.key) }
    }

    public var isError: Bool { level == "error" }

    public var value: AMF0Value {
        .object([AMF0Property("level", .string(level)), AMF0Property("code", .string(code)),
                 AMF0Property("description", .string(description))] + extra)
    }

    /// The codes a server sends and a client acts on.
    public enum Code {
        public static let connectSuccess = "NetConnection.Connect.Success"
        public static let connectRejected = "NetConnection.Connect.Rejected"
        public static let connectClosed = "NetConnection.Connect.Closed"
        public static let publishStart = "NetStream.Publish.Start"
        /// The name is invalid or already being published.
        public static let publishBadName = "NetStream.Publish.BadName"
        /// Not allowed: wrong password, a backend's 403.
        public static let publishDenied = "NetStream.Publish.Denied"
        public static let unpublishSuccess = "NetStream.Unpublish.Success"
        public static let playStart = "NetStream.Play.Start"
        public static let playReset = "NetStream.Play.Reset"
        public static let playStop = "NetStream.Play.Stop"
        public static let playStreamNotFound = "NetStream.Play.StreamNotFound"
        public static let playFailed = "NetStream.Play.Failed"
        public static let playPublishNotify = "NetStream.Play.PublishNotify"
        public static let playUnpublishNotify = "NetStream.Play.UnpublishNotify"
    }
}
