/// A session that can send media (a playing server session, a publishing client session): the one method each
/// implements, and conveniences on top of it.
public protocol RTMPMediaSender {
    /// Appends one audio (8), video (9) or data (18) message to `out`, a buffer the caller reuses. False, writing
    /// nothing, when the session is not in a state to send media.
    @discardableResult
    mutating func sendMedia(typeID: UInt8, timestamp: UInt32, payload: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool
}

extension RTMPMediaSender {
    /// `sendMedia` for a message in hand (its stream id is ignored: the session's own is used).
    @discardableResult
    public mutating func sendMedia(_ message: RTMPMessage, into out: inout [UInt8]) -> Bool {
        message.payload.withUnsafeBytes {
            sendMedia(typeID: message.typeID, timestamp: message.timestamp, payload: $0, into: &out)
        }
    }
}

extension RTMPChunkEncoder {
    /// Chunks a media or data message onto the chunk stream of its kind (`RTMPChunkStreamID.forMessage`).
    mutating func appendMedia(_ payload: UnsafeRawBufferPointer, typeID: UInt8, streamID: UInt32, timestamp: UInt32,
                              to out: inout [UInt8]) {
        append(payload, typeID: typeID, streamID: streamID, timestamp: timestamp,
               csid: RTMPChunkStreamID.forMessage(typeID: typeID), to: &out)
    }
}
