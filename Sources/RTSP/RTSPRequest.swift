/// An RTSP request: method, request URI, version, headers and body. `serialized()` writes it with CRLF line ends
/// and a `Content-Length` taken from the body (any given one is replaced).
public struct RTSPRequest: Sendable, Equatable {
    public var method: String
    public var uri: String
    public var version: String
    public var headers: RTSPHeaders
    public var body: [UInt8]

    public init(method: String, uri: String, version: String = "RTSP/1.0", headers: RTSPHeaders = RTSPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.version = version
        self.headers = headers
        self.body = body
    }

    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendASCII("\(method) \(uri) \(version)\r\n")
        appendHeadersAndBody(headers, body, to: &bytes)
        return bytes
    }
}

/// An RTSP response. `version` is what the peer wrote (`RTSP/1.0`, or `RTSP/2.0` from some cameras); Sluice writes
/// `RTSP/1.0`.
public struct RTSPResponse: Sendable, Equatable {
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: RTSPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, version: String = "RTSP/1.0", headers: RTSPHeaders = RTSPHeaders(), body: [UInt8] = []) {
        self.version = version
        self.status = status
        self.reason = reason ?? RTSPResponse.reasonPhrase(status)
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var isRedirect: Bool { (300..<400).contains(status) }

    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendASCII("\(version) \(status) \(reason)\r\n")
        appendHeadersAndBody(headers, body, to: &bytes)
        return bytes
    }

    /// The reason phrases of RFC 2326 section 7.1.1 for the statuses Sluice sends or meets.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Moved Temporarily"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 415: "Unsupported Media Type"
        case 454: "Session Not Found"
        case 455: "Method Not Valid in This State"
        case 459: "Aggregate Operation Not Allowed"
        case 461: "Unsupported Transport"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "RTSP Version Not Supported"
        default: "Status \(status)"
        }
    }
}

/// What the parser yields: a request, a response, or a binary frame interleaved on the TCP connection
/// (RFC 2326 10.12: `$`, channel, 16-bit big-endian length, payload).
public enum RTSPMessage: Sendable, Equatable {
    case request(RTSPRequest)
    case response(RTSPResponse)
    case interleaved(channel: UInt8, payload: [UInt8])
}

private func appendHeadersAndBody(_ headers: RTSPHeaders, _ body: [UInt8], to bytes: inout [UInt8]) {
    for field in headers where !field.name.equalsIgnoringCase("Content-Length") {
        bytes.appendASCII("\(field.name): \(field.value)\r\n")
    }
    if !body.isEmpty { bytes.appendASCII("Content-Length: \(body.count)\r\n") }
    bytes.appendASCII("\r\n")
    bytes.append(contentsOf: body)
}
