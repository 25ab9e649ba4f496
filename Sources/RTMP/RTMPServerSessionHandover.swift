/// A server session paused right after `.publish`, packed so that another process can resume it: the edge worker
/// that accepted a publisher passes the socket (SCM_RIGHTS) and `serialized()` to the stream's ingest worker, which
/// calls `RTMPServerSession(resuming: RTMPServerSessionHandover(serialized:))` and then `accept()` or `reject`.
///
/// It holds what the next bytes depend on: the incoming chunk size, every chunk stream's last header and unfinished
/// message (the publisher's next chunks compress against them), the acknowledgement counters, the outgoing chunk
/// size already announced, the next message stream id, the request, and `leftover`: bytes read from the socket
/// but not processed yet (the socket holds the rest). Not carried: the connect command's other properties.
///
/// The binary form is versioned (`SLRH`, 1) and checked when read: a wrong or cut blob is an `RTMPError(.badHandover)`.
public struct RTMPServerSessionHandover: Equatable, Sendable {
    static let magic: [UInt8] = Array("SLRH".utf8)
    static let version: UInt8 = 1

    var decoder: RTMPChunkDecoder.Snapshot
    public var outgoingChunkSize: Int
    public var request: RTMPStreamRequest
    public var nextStreamID: UInt32
    public var consumedBytes: UInt64
    /// Input read but not yet processed: the first bytes the resumed session handles.
    public var leftover: [UInt8]

    public func serialized() -> [UInt8] {
        var out = Self.magic + [Self.version]
        out.appendUInt32(UInt32(decoder.chunkSize))
        out.appendUInt32(decoder.windowAcknowledgementSize)
        out.appendUInt64(decoder.bytesReceived)
        out.appendUInt64(decoder.acknowledgedBytes)
        out.appendUInt32(UInt32(decoder.streams.count))
        for stream in decoder.streams {
            out.appendUInt32(UInt32(stream.csid))
            out.appendUInt32(stream.timestamp)
            out.appendUInt32(stream.delta)
            out.appendUInt32(UInt32(stream.length))
            out.append(stream.typeID)
            out.appendUInt32(stream.streamID)
            out.append((stream.extended ? 1 : 0) | (stream.assembling ? 2 : 0))
            out.appendLengthPrefixed(stream.payload)
        }
        out.appendUInt32(UInt32(outgoingChunkSize))
        out.appendUInt32(nextStreamID)
        out.appendUInt64(consumedBytes)
        switch request.kind {
        case .publish(let type):
            out.append(0)
            out.appendLengthPrefixed(Array(type.utf8))
        case .play(let start, let duration, let reset):
            out.append(1)
            out.appendUInt64(start.bitPattern)
            out.appendUInt64(duration.bitPattern)
            out.append(reset ? 1 : 0)
        }
        out.appendLengthPrefixed(Array(request.rawApp.utf8))
        out.appendLengthPrefixed(Array(request.rawName.utf8))
        out.appendLengthPrefixed(Array(request.tcUrl.utf8))
        out.appendUInt32(request.messageStreamID)
        out.appendUInt64(request.transactionID.bitPattern)
        out.appendLengthPrefixed(leftover)
        return out
    }

    init(decoder: RTMPChunkDecoder.Snapshot, outgoingChunkSize: Int, request: RTMPStreamRequest, nextStreamID: UInt32,
         consumedBytes: UInt64, leftover: [UInt8]) {
        self.decoder = decoder
        self.outgoingChunkSize = outgoingChunkSize
        self.request = request
        self.nextStreamID = nextStreamID
        self.consumedBytes = consumedBytes
        self.leftover = leftover
    }

    public init(serialized bytes: [UInt8]) throws {
        do {
            try self.init(reading: bytes)
        } catch let error as RTMPError where error.kind != .badHandover {
            throw RTMPError(.badHandover, error.description)
        }
    }

    private init(reading bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        guard Array(try r.readBytes(4, "magic")) == Self.magic else { throw RTMPError(.badHandover, "not a handover") }
        let version = try r.readUInt8("version")
        guard version == Self.version else { throw RTMPError(.badHandover, "version \(version), expected \(Self.version)") }
        func chunkSize(_ what: String) throws -> Int {
            let size = Int(try r.readUInt32(what))
            guard size >= 1, size <= RTMPChunkDecoder.maxChunkSize else { throw RTMPError(.badHandover, "\(what) \(size)") }
            return size
        }
        let inChunkSize = try chunkSize("incoming chunk size")
        let window = try r.readUInt32("window")
        let received = try r.readUInt64("bytes received")
        let acknowledged = try r.readUInt64("bytes acknowledged")
        let count = Int(try r.readUInt32("chunk stream count"))
        guard count <= 65600 else { throw RTMPError(.badHandover, "\(count) chunk streams") }
        var streams: [RTMPChunkDecoder.ChunkStream] = []
        for _ in 0..<count {
            var stream = RTMPChunkDecoder.ChunkStream(csid: Int(try r.readUInt32("csid")))
            stream.timestamp = try r.readUInt32("timestamp")
            stream.delta = try r.readUInt32("delta")
            stream.length = Int(try r.readUInt32("length"))
            stream.typeID = try r.readUInt8("type")
            stream.streamID = try r.readUInt32("stream id")
            let flags = try r.readUInt8("flags")
            stream.extended = flags & 1 != 0
            stream.assembling = flags & 2 != 0
            stream.payload = try r.readLengthPrefixed("payload")
            guard (2...65599).contains(stream.csid), stream.payload.count <= stream.length,
                  stream.assembling || stream.payload.isEmpty, !streams.contains(where: { $0.csid == stream.csid })
            else { throw RTMPError(.badHandover, "chunk stream \(stream.csid) inconsistent") }
            streams.append(stream)
        }
        decoder = RTMPChunkDecoder.Snapshot(chunkSize: inChunkSize, windowAcknowledgementSize: window,
                                            bytesReceived: received, acknowledgedBytes: acknowledged, streams: streams)
        outgoingChunkSize = try chunkSize("outgoing chunk size")
        nextStreamID = try r.readUInt32("next stream id")
        consumedBytes = try r.readUInt64("consumed bytes")
        let kind: RTMPStreamRequest.Kind
        switch try r.readUInt8("request kind") {
        case 0:
            kind = .publish(type: String(decoding: try r.readLengthPrefixed("publish type"), as: UTF8.self))
        case 1:
            kind = .play(start: Double(bitPattern: try r.readUInt64("start")),
                         duration: Double(bitPattern: try r.readUInt64("duration")), reset: try r.readUInt8("reset") != 0)
        case let other:
            throw RTMPError(.badHandover, "request kind \(other)")
        }
        let app = String(decoding: try r.readLengthPrefixed("app"), as: UTF8.self)
        let name = String(decoding: try r.readLengthPrefixed("name"), as: UTF8.self)
        let tcUrl = String(decoding: try r.readLengthPrefixed("tcUrl"), as: UTF8.self)
        let messageStreamID = try r.readUInt32("message stream id")
        let tx = Double(bitPattern: try r.readUInt64("transaction id"))
        request = RTMPStreamRequest(kind: kind, app: app, name: name, tcUrl: tcUrl, messageStreamID: messageStreamID,
                                    transactionID: tx)
        leftover = try r.readLengthPrefixed("leftover")
        guard r.isAtEnd else { throw RTMPError(.badHandover, "\(r.remaining) bytes after the end") }
    }
}
