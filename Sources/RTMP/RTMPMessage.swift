/// One RTMP message as the chunk stream carries it (RTMP 1.0 section 6.1): the unit the decoder assembles and the
/// encoder splits. `timestamp` is in milliseconds and wraps at 2^32 (about 49.7 days): unwrap it where it matters.
/// `payload` is owned: the decoder builds it once from the chunks and moves it out, never copying it again.
public struct RTMPMessage: Equatable, Sendable {
    public var typeID: UInt8
    public var streamID: UInt32
    public var timestamp: UInt32
    public var payload: [UInt8]

    public init(typeID: UInt8, streamID: UInt32, timestamp: UInt32, payload: [UInt8]) {
        self.typeID = typeID
        self.streamID = streamID
        self.timestamp = timestamp
        self.payload = payload
    }
}

/// Message type ids (RTMP 1.0 sections 5.4, 6.2 and 7.1).
public enum RTMPMessageType {
    public static let setChunkSize: UInt8 = 1
    public static let abort: UInt8 = 2
    public static let acknowledgement: UInt8 = 3
    public static let userControl: UInt8 = 4
    public static let windowAcknowledgementSize: UInt8 = 5
    public static let setPeerBandwidth: UInt8 = 6
    public static let audio: UInt8 = 8
    public static let video: UInt8 = 9
    /// Data (AMF3): a 0x00 byte, then AMF0 in practice.
    public static let dataAMF3: UInt8 = 15
    public static let sharedObjectAMF3: UInt8 = 16
    /// Command (AMF3): a 0x00 byte, then the same AMF0 as type 20.
    public static let commandAMF3: UInt8 = 17
    /// Data (AMF0): @setDataFrame, onMetaData, |RtmpSampleAccess.
    public static let dataAMF0: UInt8 = 18
    public static let sharedObjectAMF0: UInt8 = 19
    public static let commandAMF0: UInt8 = 20
    /// Several audio/video/data messages in FLV tag form (section 7.1.6).
    public static let aggregate: UInt8 = 22
}

/// The chunk stream ids this module sends on (the same split nginx-rtmp uses, so that captures compare): protocol
/// control on 2 as the specification requires, commands on 3, stream status and data on 5, audio on 6, video on 7.
public enum RTMPChunkStreamID {
    public static let control = 2
    public static let command = 3
    public static let status = 5
    public static let audio = 6
    public static let video = 7

    /// Where a message of `typeID` goes.
    public static func forMessage(typeID: UInt8) -> Int {
        switch typeID {
        case RTMPMessageType.audio: audio
        case RTMPMessageType.video: video
        case RTMPMessageType.dataAMF0, RTMPMessageType.dataAMF3: status
        case 1...6: control
        default: command
        }
    }
}
