/// The kinds of FLV tag, which are also the RTMP message type ids that carry FLV tag bodies.
public enum FLVTagType: UInt8, Hashable, Sendable {
    case audio = 8
    case video = 9
    /// AMF0 script data: onMetaData, @setDataFrame. Read by the RTMP module, not by the media path.
    case scriptData = 18
}

/// One FLV tag with its own bytes: for files, fixtures and tests, not the hot path (which passes the body borrowed).
public struct FLVTag: Hashable, Sendable {
    public var type: FLVTagType
    /// Milliseconds, as in the FLV tag header and the RTMP message header (32 bits, wrapping).
    public var timestamp: UInt32
    public var body: [UInt8]

    public init(type: FLVTagType, timestamp: UInt32, body: [UInt8]) {
        self.type = type
        self.timestamp = timestamp
        self.body = body
    }
}
