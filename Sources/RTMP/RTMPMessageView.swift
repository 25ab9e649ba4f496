/// An RTMP message as `RTMPChunkDecoder` hands it over: the header's fields, and the payload borrowed for the call,
/// from the decoder's reassembly buffer (reused from message to message) or, for a message that came in one chunk of
/// one read, straight from the caller's input. `RTMPMessage(_:)` copies it into a message of its own.
public struct RTMPMessageView {
    public let typeID: UInt8
    public let streamID: UInt32
    public let timestamp: UInt32
    public let payload: UnsafeRawBufferPointer

    public init(typeID: UInt8, streamID: UInt32, timestamp: UInt32, payload: UnsafeRawBufferPointer) {
        self.typeID = typeID
        self.streamID = streamID
        self.timestamp = timestamp
        self.payload = payload
    }
}

extension RTMPMessage {
    /// Copies a borrowed message.
    public init(_ view: RTMPMessageView) {
        self.init(typeID: view.typeID, streamID: view.streamID, timestamp: view.timestamp, payload: Array(view.payload))
    }
}
