/// Data messages (type 18, or 15 behind a 0x00 byte): stream metadata and the small notices a server sends a
/// player. A publisher sends `@setDataFrame`, `onMetaData`, {properties}; a player gets `onMetaData`, {properties}.
/// Media relays pass data payloads on as they are; these helpers are for reading the metadata and for the notices.
public enum RTMPDataMessage {
    /// The AMF0 values of a data message.
    public static func values(_ message: RTMPMessage) throws -> [AMF0Value] {
        switch message.typeID {
        case RTMPMessageType.dataAMF0: return try AMF0Decoder.decodeAll(message.payload)
        case RTMPMessageType.dataAMF3:
            guard message.payload.first == 0 else { throw RTMPError(.badMessage, "AMF3 data not starting with 0x00") }
            return try AMF0Decoder.decodeAll(message.payload, from: 1)
        default: throw RTMPError(.badMessage, "message type \(message.typeID) is not data")
        }
    }

    /// The properties of `[@setDataFrame,] onMetaData, {object or ECMA array}`, or nil for other data messages.
    public static func metadata(_ message: RTMPMessage) throws -> [AMF0Property]? {
        var values = try values(message)[...]
        if values.first?.stringValue == "@setDataFrame" { values = values.dropFirst() }
        guard values.first?.stringValue == "onMetaData", values.count > 1 else { return nil }
        return values[values.startIndex + 1].properties
    }

    /// The payload of `onMetaData` with `properties` as an ECMA array, as players get it.
    public static func onMetaData(_ properties: [AMF0Property]) -> [UInt8] {
        AMF0Encoder.encode([.string("onMetaData"), .ecmaArray(properties)])
    }

    /// A publisher's `@setDataFrame` payload without that first value: what to send on to players.
    public static func strippingSetDataFrame(_ payload: [UInt8]) -> [UInt8] {
        let marker = AMF0Encoder.encode([.string("@setDataFrame")])
        return payload.starts(with: marker) ? Array(payload[marker.count...]) : payload
    }

    /// `|RtmpSampleAccess`, true, true: lets Flash players read the decoded audio and video.
    public static let sampleAccess = AMF0Encoder.encode([.string("|RtmpSampleAccess"), .boolean(true), .boolean(true)])
}
