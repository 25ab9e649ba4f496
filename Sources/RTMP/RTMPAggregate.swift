/// Aggregate messages (type 22, RTMP 1.0 section 7.1.6), which FMS and Wowza send to save headers: a run of
/// sub-messages in FLV tag form (type 1, size 3, time 3 + 1 high byte, stream id 3, data, back pointer 4). Each
/// sub-message's time is shifted so that the first one has the aggregate's own time.
public enum RTMPAggregate {
    public static func split(_ message: RTMPMessage) throws -> [RTMPMessage] {
        var reader = ByteReader(message.payload)
        var parts: [RTMPMessage] = []
        var firstTime: UInt32?
        while !reader.isAtEnd {
            let type = try reader.readUInt8("aggregate sub-message type")
            let size = Int(try reader.readUInt24("aggregate sub-message size"))
            let low = try reader.readUInt24("aggregate sub-message time")
            let time = UInt32(try reader.readUInt8("aggregate sub-message time")) << 24 | low
            _ = try reader.readUInt24("aggregate sub-message stream id")
            let data = try reader.readBytes(size, "aggregate sub-message data")
            _ = try reader.readUInt32("aggregate back pointer")
            let base = firstTime ?? time
            firstTime = base
            parts.append(RTMPMessage(typeID: type, streamID: message.streamID,
                                     timestamp: message.timestamp &+ (time &- base), payload: Array(data)))
        }
        return parts
    }
}
