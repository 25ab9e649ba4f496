/// User Control messages (type 4, RTMP 1.0 section 7.1.7): a 2-byte event type and its data.
public enum RTMPUserControlEvent: Equatable, Sendable {
    /// The server starts sending a stream's media (sent on play).
    case streamBegin(streamID: UInt32)
    case streamEOF(streamID: UInt32)
    /// No more data on the stream for now.
    case streamDry(streamID: UInt32)
    /// The client's buffer, in milliseconds.
    case setBufferLength(streamID: UInt32, milliseconds: UInt32)
    case streamIsRecorded(streamID: UInt32)
    /// Answer with `pingResponse` carrying the same time.
    case pingRequest(timestamp: UInt32)
    case pingResponse(timestamp: UInt32)
    /// An event type this module does not know (SWF verification 26/27, buffer empty 31/32 ...), kept as is.
    case other(type: UInt16, data: [UInt8])

    public init(payload: [UInt8]) throws {
        var reader = ByteReader(payload)
        let type = try reader.readUInt16("User Control event type")
        switch type {
        case 0: self = .streamBegin(streamID: try reader.readUInt32("StreamBegin"))
        case 1: self = .streamEOF(streamID: try reader.readUInt32("StreamEOF"))
        case 2: self = .streamDry(streamID: try reader.readUInt32("StreamDry"))
        case 3:
            self = .setBufferLength(streamID: try reader.readUInt32("SetBufferLength"),
                                    milliseconds: try reader.readUInt32("SetBufferLength"))
        case 4: self = .streamIsRecorded(streamID: try reader.readUInt32("StreamIsRecorded"))
        case 6: self = .pingRequest(timestamp: try reader.readUInt32("PingRequest"))
        case 7: self = .pingResponse(timestamp: try reader.readUInt32("PingResponse"))
        default: self = .other(type: type, data: Array(payload.dropFirst(2)))
        }
    }

    public var payload: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .streamBegin(let id): out.appendUInt16(0); out.appendUInt32(id)
        case .streamEOF(let id): out.appendUInt16(1); out.appendUInt32(id)
        case .streamDry(let id): out.appendUInt16(2); out.appendUInt32(id)
        case .setBufferLength(let id, let ms): out.appendUInt16(3); out.appendUInt32(id); out.appendUInt32(ms)
        case .streamIsRecorded(let id): out.appendUInt16(4); out.appendUInt32(id)
        case .pingRequest(let time): out.appendUInt16(6); out.appendUInt32(time)
        case .pingResponse(let time): out.appendUInt16(7); out.appendUInt32(time)
        case .other(let type, let data): out.appendUInt16(type); out += data
        }
        return out
    }
}
