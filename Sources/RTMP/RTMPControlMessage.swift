/// Protocol control messages (RTMP 1.0 section 5.4, types 1, 2, 3, 5, 6) and User Control (type 4), typed. They
/// travel on chunk stream 2, message stream 0, time 0. `RTMPChunkDecoder` already applies the peer's Set Chunk
/// Size, Abort and Window Acknowledgement Size; the sessions act on the rest.
public enum RTMPControlMessage: Equatable, Sendable {
    case setChunkSize(UInt32)
    /// Drop the unfinished message on this chunk stream.
    case abort(chunkStreamID: UInt32)
    /// Bytes received so far (the sequence number), sent each time a window has passed.
    case acknowledgement(sequenceNumber: UInt32)
    case userControl(RTMPUserControlEvent)
    case windowAcknowledgementSize(UInt32)
    /// Limit type: 0 hard, 1 soft, 2 dynamic.
    case setPeerBandwidth(UInt32, limitType: UInt8)

    /// The typed message, or nil when `message` is not a control message.
    public init?(_ message: RTMPMessage) throws {
        var reader = ByteReader(message.payload)
        switch message.typeID {
        case RTMPMessageType.setChunkSize: self = .setChunkSize(try reader.readUInt32("Set Chunk Size"))
        case RTMPMessageType.abort: self = .abort(chunkStreamID: try reader.readUInt32("Abort Message"))
        case RTMPMessageType.acknowledgement: self = .acknowledgement(sequenceNumber: try reader.readUInt32("Acknowledgement"))
        case RTMPMessageType.userControl: self = .userControl(try RTMPUserControlEvent(payload: message.payload))
        case RTMPMessageType.windowAcknowledgementSize:
            self = .windowAcknowledgementSize(try reader.readUInt32("Window Acknowledgement Size"))
        case RTMPMessageType.setPeerBandwidth:
            self = .setPeerBandwidth(try reader.readUInt32("Set Peer Bandwidth"), limitType: try reader.readUInt8("Set Peer Bandwidth"))
        default: return nil
        }
    }

    public var typeID: UInt8 {
        switch self {
        case .setChunkSize: RTMPMessageType.setChunkSize
        case .abort: RTMPMessageType.abort
        case .acknowledgement: RTMPMessageType.acknowledgement
        case .userControl: RTMPMessageType.userControl
        case .windowAcknowledgementSize: RTMPMessageType.windowAcknowledgementSize
        case .setPeerBandwidth: RTMPMessageType.setPeerBandwidth
        }
    }

    public var payload: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .setChunkSize(let size): out.appendUInt32(size)
        case .abort(let csid): out.appendUInt32(csid)
        case .acknowledgement(let sequence): out.appendUInt32(sequence)
        case .userControl(let event): out = event.payload
        case .windowAcknowledgementSize(let size): out.appendUInt32(size)
        case .setPeerBandwidth(let size, let limit): out.appendUInt32(size); out.append(limit)
        }
        return out
    }

    public var message: RTMPMessage {
        RTMPMessage(typeID: typeID, streamID: 0, timestamp: 0, payload: payload)
    }

    /// Chunks the message onto chunk stream 2. A Set Chunk Size also switches `encoder` to the new size, after
    /// the message itself went out with the old one.
    public func append(with encoder: inout RTMPChunkEncoder, to out: inout [UInt8]) {
        encoder.append(message, csid: RTMPChunkStreamID.control, to: &out)
        if case .setChunkSize(let size) = self { encoder.setChunkSize(Int(size)) }
    }
}
