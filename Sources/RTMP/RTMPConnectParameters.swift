/// The command object of `connect` (RTMP 1.0 section 7.2.1.1): the properties in order as the client sent them,
/// with the ones a server needs read out. Arguments after the object (some clients add auth strings) are kept.
public struct RTMPConnectParameters: Equatable, Sendable {
    public var properties: [AMF0Property]
    public var arguments: [AMF0Value]

    public init(properties: [AMF0Property], arguments: [AMF0Value] = []) {
        self.properties = properties
        self.arguments = arguments
    }

    /// What a client sends, after ffmpeg's connect: app, type, flashVer, tcUrl, then for a player the capabilities
    /// that make servers send H.264 and AAC.
    public init(app: String, tcUrl: String, flashVer: String = "FMLE/3.0 (compatible; Sluice)", forPlay: Bool) {
        var properties = [
            AMF0Property("app", .string(app)), AMF0Property("type", .string("nonprivate")),
            AMF0Property("flashVer", .string(flashVer)), AMF0Property("tcUrl", .string(tcUrl)),
        ]
        if forPlay {
            properties += [
                AMF0Property("fpad", .boolean(false)), AMF0Property("capabilities", .number(15)),
                AMF0Property("audioCodecs", .number(4071)), AMF0Property("videoCodecs", .number(252)),
                AMF0Property("videoFunction", .number(1)),
            ]
        }
        self.init(properties: properties)
    }

    private func string(_ key: String) -> String? {
        properties.first { $0.key == key }?.value.stringValue
    }

    /// The application, as the client split it from its URL (may hold a query or further path).
    public var app: String { string("app") ?? "" }
    public var tcUrl: String? { string("tcUrl") }
    public var flashVer: String? { string("flashVer") }
    public var swfUrl: String? { string("swfUrl") }
    public var pageUrl: String? { string("pageUrl") }
    /// 0 for AMF0, 3 for AMF3 (which this module answers in AMF0 all the same: clients that ask accept it).
    public var objectEncoding: Double { properties.first { $0.key == "objectEncoding" }?.value.numberValue ?? 0 }
}
