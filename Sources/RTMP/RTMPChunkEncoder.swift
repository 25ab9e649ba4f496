/// Splits messages into chunks (RTMP 1.0 section 5.3), appending to a buffer the caller reuses, so that sending a
/// message allocates nothing beyond the buffer's growth. Per chunk stream it picks the smallest header that says
/// enough: type 0 for a chunk stream's first message, another message stream or a timestamp going back; type 1
/// when length or type changed; type 2 when only the time advanced; type 3 when the delta repeats too (never right
/// after a type 0, whose delta readers disagree on). Timestamps and deltas from 0xFFFFFF up go in an extended
/// field, repeated in every type-3 chunk of the message.
///
/// The caller keeps chunk streams apart by kind (`RTMPChunkStreamID`); a message is written whole, so messages on
/// different chunk streams never interleave in one buffer.
public struct RTMPChunkEncoder: Sendable {
    private struct Last: Sendable {
        var csid: Int
        var timestamp: UInt32
        var delta: UInt32
        /// `delta` may be repeated by a type-3 header (the last header was type 1, 2 or 3).
        var deltaRepeatable: Bool
        var length: Int
        var typeID: UInt8
        var streamID: UInt32
    }

    public private(set) var chunkSize = RTMPChunkDecoder.defaultChunkSize
    private var last: [Last] = []

    public init() {}

    /// Chunks from now on carry up to `size` payload bytes. Send the Set Chunk Size message (with the old size, as
    /// `RTMPControlMessage.setChunkSize` does) before calling this.
    public mutating func setChunkSize(_ size: Int) {
        precondition(size >= 1 && size <= RTMPChunkDecoder.maxChunkSize, "chunk size \(size) out of range")
        chunkSize = size
    }

    public mutating func append(_ message: RTMPMessage, csid: Int? = nil, to out: inout [UInt8]) {
        message.payload.withUnsafeBytes {
            append($0, typeID: message.typeID, streamID: message.streamID, timestamp: message.timestamp,
                   csid: csid ?? RTMPChunkStreamID.forMessage(typeID: message.typeID), to: &out)
        }
    }

    public mutating func append(_ payload: UnsafeRawBufferPointer, typeID: UInt8, streamID: UInt32, timestamp: UInt32,
                                csid: Int, to out: inout [UInt8]) {
        precondition(csid >= 2 && csid <= 65599, "chunk stream id \(csid) out of range")
        precondition(payload.count <= 0xFF_FFFF, "message of \(payload.count) bytes")
        let length = payload.count
        let index = last.firstIndex { $0.csid == csid }
        var fmt: UInt8 = 0
        var field = timestamp
        if let index, last[index].streamID == streamID, timestamp >= last[index].timestamp {
            let previous = last[index]
            let delta = timestamp &- previous.timestamp
            field = delta
            if previous.length != length || previous.typeID != typeID {
                fmt = 1
            } else if previous.deltaRepeatable && delta == previous.delta {
                fmt = 3
            } else {
                fmt = 2
            }
        }
        let entry = Last(csid: csid, timestamp: timestamp, delta: field, deltaRepeatable: fmt != 0,
                         length: length, typeID: typeID, streamID: streamID)
        if let index { last[index] = entry } else { last.append(entry) }

        Self.appendChunks(payload, fmt: fmt, field: field, typeID: typeID, streamID: streamID, csid: csid,
                          chunkSize: chunkSize, to: &out)
    }

    /// Appends a message that depends on nothing sent before it: a type-0 header with the absolute timestamp, then
    /// type-3 continuations. The same bytes are right for every peer whose chunk size is `chunkSize` and whose
    /// chunk stream `csid` carries nothing else (a live channel's one encoding shared by all its players). An
    /// encoder writing to the same peer must not use `csid` too: its next header there would be relative to its own
    /// last message, not to this one.
    public static func appendStandalone(_ payload: UnsafeRawBufferPointer, typeID: UInt8, streamID: UInt32,
                                        timestamp: UInt32, csid: Int, chunkSize: Int, to out: inout [UInt8]) {
        precondition(csid >= 2 && csid <= 65599, "chunk stream id \(csid) out of range")
        precondition(payload.count <= 0xFF_FFFF, "message of \(payload.count) bytes")
        appendChunks(payload, fmt: 0, field: timestamp, typeID: typeID, streamID: streamID, csid: csid,
                     chunkSize: chunkSize, to: &out)
    }

    /// The chunks of one message: its header of type `fmt` with `field` (timestamp or delta), then the payload in
    /// `chunkSize` pieces behind type-3 headers.
    private static func appendChunks(_ payload: UnsafeRawBufferPointer, fmt: UInt8, field: UInt32, typeID: UInt8,
                                     streamID: UInt32, csid: Int, chunkSize: Int, to out: inout [UInt8]) {
        let length = payload.count
        let extended = field >= 0xFF_FFFF
        appendBasicHeader(fmt: fmt, csid: csid, to: &out)
        if fmt < 3 { out.appendUInt24(extended ? 0xFF_FFFF : field) }
        if fmt < 2 {
            out.appendUInt24(UInt32(length))
            out.append(typeID)
        }
        if fmt == 0 { out.appendUInt32LE(streamID) }
        if extended { out.appendUInt32(field) }
        var offset = 0
        repeat {
            if offset > 0 {
                appendBasicHeader(fmt: 3, csid: csid, to: &out)
                if extended { out.appendUInt32(field) }
            }
            let take = min(chunkSize, length - offset)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[offset..<(offset + take)]))
            offset += take
        } while offset < length
    }

    private static func appendBasicHeader(fmt: UInt8, csid: Int, to out: inout [UInt8]) {
        switch csid {
        case 2...63:
            out.append(fmt << 6 | UInt8(csid))
        case 64...319:
            out.append(fmt << 6)
            out.append(UInt8(csid - 64))
        default:
            out.append(fmt << 6 | 1)
            out.append(UInt8(truncatingIfNeeded: csid - 64))
            out.append(UInt8(truncatingIfNeeded: (csid - 64) >> 8))
        }
    }
}
