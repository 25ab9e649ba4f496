/// Reassembles RTMP messages from the chunk stream (RTMP 1.0 section 5.3), pure and incremental: feed it what the
/// connection reads, in any split, and it hands over each complete message. It handles basic headers of 1, 2 and 3
/// bytes (chunk stream ids 2 to 65599), message headers of type 0 to 3, extended timestamps (also repeated in type-3
/// chunks, as the specification and ffmpeg/librtmp do), messages interleaved across chunk streams, and applies the
/// peer's Set Chunk Size (1), Abort (2) and Window Acknowledgement Size (5) itself before handing them on.
///
/// Timestamps: a type-0 header sets the message's absolute time and also the delta a following type-3 header
/// repeats (the reading of ffmpeg, librtmp and SRS); types 1 and 2 add their delta.
///
/// Costs: each payload is copied once, from the input into an array reserved at the message's length that becomes
/// the message's payload. Memory is bounded by `maxMessageSize` per message, `maxBufferedBytes` of data over all
/// unfinished messages, and `maxChunkStreams`: a peer announcing a message over the limit gets an error, not an
/// allocation. A large reservation is address space until bytes arrive (malloc maps large blocks lazily).
///
/// Errors (`RTMPError`): a chunk size of 0 or over 0x7FFFFFFF, a header of type 1, 2 or 3 for a chunk stream never
/// opened with type 0, a new message header while a message is unfinished on that chunk stream, a message over the
/// limit, too many chunk streams. After a throw the decoder is spent: close the connection.
public struct RTMPChunkDecoder: Sendable {
    /// What a message handler wants next.
    public enum Next: Sendable {
        case proceed
        /// Stop right after this message; `feed` returns how many bytes it used and the rest waits for a later call.
        case pause
    }

    public static let defaultChunkSize = 128
    public static let maxChunkSize = 0x7FFF_FFFF

    /// The state of one chunk stream: the last header's fields, and the message being assembled.
    struct ChunkStream: Equatable, Sendable {
        var csid: Int
        var timestamp: UInt32 = 0
        var delta: UInt32 = 0
        var length = 0
        var typeID: UInt8 = 0
        var streamID: UInt32 = 0
        /// The last header carried an extended timestamp, so type-3 chunks repeat one.
        var extended = false
        /// A message is being assembled (some of its chunks have arrived).
        var assembling = false
        var payload: [UInt8] = []
    }

    private enum Phase: Equatable, Sendable {
        case header
        /// Payload bytes of the current chunk, for the chunk stream at `index`.
        case payload(index: Int, remaining: Int)
    }

    public let maxMessageSize: Int
    public let maxChunkStreams: Int
    public let maxBufferedBytes: Int
    public private(set) var chunkSize = defaultChunkSize
    /// The peer's Window Acknowledgement Size (0 until it sends one): acknowledge after this many bytes.
    public private(set) var windowAcknowledgementSize: UInt32 = 0
    /// Bytes fed and used so far.
    public private(set) var bytesReceived: UInt64 = 0
    private var acknowledgedBytes: UInt64 = 0
    private var streams: [ChunkStream] = []
    private var streamIndex: [Int: Int] = [:]
    private var phase = Phase.header
    private var header: [UInt8] = []
    private var bufferedBytes = 0
    private var failure: RTMPError?

    /// - Parameters:
    ///   - maxMessageSize: the largest message accepted (8 MiB: a keyframe of a 4K stream at a high rate fits).
    ///   - maxChunkStreams: distinct chunk stream ids a peer may use (encoders use 3 to 8).
    ///   - maxBufferedBytes: bytes held in unfinished messages over all chunk streams (default twice the largest
    ///     message: one video frame plus interleaved audio).
    public init(maxMessageSize: Int = 8 << 20, maxChunkStreams: Int = 64, maxBufferedBytes: Int? = nil) {
        self.maxMessageSize = maxMessageSize
        self.maxChunkStreams = maxChunkStreams
        self.maxBufferedBytes = maxBufferedBytes ?? 2 * maxMessageSize
    }

    /// No chunk is half-read: the peer stopped at a message boundary.
    public var isIdle: Bool { phase == .header && header.isEmpty && !streams.contains { $0.assembling } }

    /// Feeds received bytes; `handler` gets each complete message in order. Returns how many bytes were used: all of
    /// them unless the handler asked to pause, when the rest is to be fed again later.
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer,
                              _ handler: (RTMPMessage) throws -> Next) throws -> Int {
        if let failure { throw failure }
        do {
            return try feedChunks(bytes, handler)
        } catch let error as RTMPError {
            failure = error
            throw error
        }
    }

    @discardableResult
    public mutating func feed(_ bytes: [UInt8], _ handler: (RTMPMessage) throws -> Next) throws -> Int {
        try bytes.withUnsafeBytes { try feed($0, handler) }
    }

    /// The sequence number to send in an Acknowledgement when a window has passed since the last one (then it
    /// counts as sent), else nil. Call after each `feed`.
    public mutating func acknowledgementDue() -> UInt32? {
        guard windowAcknowledgementSize > 0, bytesReceived - acknowledgedBytes >= UInt64(windowAcknowledgementSize)
        else { return nil }
        acknowledgedBytes = bytesReceived
        return UInt32(truncatingIfNeeded: bytesReceived)
    }

    private mutating func feedChunks(_ bytes: UnsafeRawBufferPointer,
                                     _ handler: (RTMPMessage) throws -> Next) throws -> Int {
        var i = 0
        let n = bytes.count
        defer { bytesReceived += UInt64(i) }
        while i < n {
            switch phase {
            case .header:
                let wanted = try headerLength()
                if header.count < wanted {
                    let take = min(wanted - header.count, n - i)
                    header.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                    i += take
                    continue
                }
                if let message = try parseHeader() {
                    if try deliver(message, handler) == .pause { return i }
                }
            case .payload(let index, let remaining):
                let take = min(remaining, n - i)
                streams[index].payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                bufferedBytes += take
                guard bufferedBytes <= maxBufferedBytes else {
                    throw RTMPError(.messageTooLarge, "over \(maxBufferedBytes) bytes in unfinished messages")
                }
                i += take
                if take < remaining {
                    phase = .payload(index: index, remaining: remaining - take)
                } else {
                    phase = .header
                    if streams[index].payload.count == streams[index].length,
                       try deliver(finishMessage(index), handler) == .pause {
                        return i
                    }
                }
            }
        }
        // A header completed by the last byte: parse it now, so that a zero-length message is not left waiting.
        if phase == .header, !header.isEmpty, try header.count == headerLength(), let message = try parseHeader(),
           try deliver(message, handler) == .pause {
            return i
        }
        return i
    }

    /// Applies the control messages that concern this decoder, then hands the message on.
    private mutating func deliver(_ message: RTMPMessage, _ handler: (RTMPMessage) throws -> Next) throws -> Next {
        switch message.typeID {
        case RTMPMessageType.setChunkSize:
            var reader = ByteReader(message.payload)
            let size = try reader.readUInt32("Set Chunk Size")
            guard size >= 1, size <= UInt32(Self.maxChunkSize) else {
                throw RTMPError(.badChunkSize, "Set Chunk Size \(size): must be 1 to \(Self.maxChunkSize)")
            }
            chunkSize = Int(size)
        case RTMPMessageType.abort:
            var reader = ByteReader(message.payload)
            let csid = Int(try reader.readUInt32("Abort Message"))
            if let index = streamIndex[csid], streams[index].assembling {
                bufferedBytes -= streams[index].payload.count
                streams[index].payload = []
                streams[index].assembling = false
            }
        case RTMPMessageType.windowAcknowledgementSize:
            var reader = ByteReader(message.payload)
            windowAcknowledgementSize = try reader.readUInt32("Window Acknowledgement Size")
        default:
            break
        }
        return try handler(message)
    }

    /// How long the header in `header` is, as far as its bytes so far tell (at least one byte more than there is
    /// while that is unknown).
    private func headerLength() throws -> Int {
        guard let first = header.first else { return 1 }
        let fmt = Int(first >> 6)
        let basic = switch first & 0x3F { case 0: 2; case 1: 3; default: 1 }
        guard header.count >= basic else { return basic }
        let length = basic + [11, 7, 3, 0][fmt]
        guard header.count >= length else { return length }
        if fmt < 3 {
            let field = UInt32(header[basic]) << 16 | UInt32(header[basic + 1]) << 8 | UInt32(header[basic + 2])
            return field == 0xFF_FFFF ? length + 4 : length
        }
        let csid = chunkStreamID(basicLength: basic)
        guard let index = streamIndex[csid] else {
            throw RTMPError(.unknownChunkStream, "type-3 chunk on chunk stream \(csid), which never had a type-0 header")
        }
        return streams[index].extended ? length + 4 : length
    }

    private func chunkStreamID(basicLength: Int) -> Int {
        switch basicLength {
        case 1: Int(header[0] & 0x3F)
        case 2: 64 + Int(header[1])
        default: 64 + Int(header[1]) + 256 * Int(header[2])
        }
    }

    /// Applies the complete header in `header`; returns a message when it was a zero-length one (complete at once).
    private mutating func parseHeader() throws -> RTMPMessage? {
        defer { header.removeAll(keepingCapacity: true) }
        let fmt = Int(header[0] >> 6)
        let basic = switch header[0] & 0x3F { case 0: 2; case 1: 3; default: 1 }
        let csid = chunkStreamID(basicLength: basic)
        var p = basic
        func uint24() -> UInt32 {
            defer { p += 3 }
            return UInt32(header[p]) << 16 | UInt32(header[p + 1]) << 8 | UInt32(header[p + 2])
        }
        let index: Int
        if let known = streamIndex[csid] {
            index = known
        } else {
            guard fmt == 0 else {
                throw RTMPError(.unknownChunkStream, "type-\(fmt) chunk on chunk stream \(csid), which never had a type-0 header")
            }
            guard streams.count < maxChunkStreams else {
                throw RTMPError(.tooManyChunkStreams, "chunk stream \(csid) would be the \(maxChunkStreams + 1)th")
            }
            index = streams.count
            streams.append(ChunkStream(csid: csid))
            streamIndex[csid] = index
        }
        var stream = streams[index]
        if fmt < 3 {
            guard !stream.assembling else {
                throw RTMPError(.badChunk, "type-\(fmt) header on chunk stream \(csid) in the middle of a message "
                    + "(\(stream.payload.count) of \(stream.length) bytes)")
            }
            var field = uint24()
            if fmt <= 1 {
                stream.length = Int(uint24())
                stream.typeID = header[p]
                p += 1
            }
            if fmt == 0 {
                stream.streamID = UInt32(header[p]) | UInt32(header[p + 1]) << 8
                    | UInt32(header[p + 2]) << 16 | UInt32(header[p + 3]) << 24
                p += 4
            }
            stream.extended = field == 0xFF_FFFF
            if stream.extended {
                field = UInt32(header[p]) << 24 | UInt32(header[p + 1]) << 16 | UInt32(header[p + 2]) << 8 | UInt32(header[p + 3])
            }
            stream.delta = field
            stream.timestamp = fmt == 0 ? field : stream.timestamp &+ field
        } else if !stream.assembling {
            // A type-3 header starting a new message: same length, type and stream, time advanced by the last delta.
            stream.timestamp &+= stream.delta
        }
        if !stream.assembling {
            guard stream.length <= maxMessageSize else {
                throw RTMPError(.messageTooLarge, "\(stream.length) bytes (type \(stream.typeID)) on chunk stream "
                    + "\(csid), limit \(maxMessageSize)")
            }
            stream.assembling = true
            stream.payload.reserveCapacity(stream.length)
        }
        streams[index] = stream
        let remaining = stream.length - stream.payload.count
        if remaining == 0 { return finishMessage(index) }
        phase = .payload(index: index, remaining: min(chunkSize, remaining))
        return nil
    }

    /// Moves the assembled payload out (no copy) and readies the chunk stream for its next message.
    private mutating func finishMessage(_ index: Int) -> RTMPMessage {
        var payload: [UInt8] = []
        swap(&payload, &streams[index].payload)
        bufferedBytes -= payload.count
        streams[index].assembling = false
        let stream = streams[index]
        return RTMPMessage(typeID: stream.typeID, streamID: stream.streamID, timestamp: stream.timestamp, payload: payload)
    }
}

extension RTMPChunkDecoder {
    /// The whole decoder state between two messages, for handing a session to another process
    /// (`RTMPServerSessionHandover`): chunk size, acknowledgement counters, and every chunk stream's last header
    /// and unfinished message, since the peer's next chunks may compress against them.
    public struct Snapshot: Equatable, Sendable {
        var chunkSize: Int
        var windowAcknowledgementSize: UInt32
        var bytesReceived: UInt64
        var acknowledgedBytes: UInt64
        var streams: [ChunkStream]
    }

    /// The state to resume from; only between chunks (as after a `.pause`), else nil.
    public var snapshot: Snapshot? {
        guard phase == .header, header.isEmpty, failure == nil else { return nil }
        return Snapshot(chunkSize: chunkSize, windowAcknowledgementSize: windowAcknowledgementSize,
                        bytesReceived: bytesReceived, acknowledgedBytes: acknowledgedBytes, streams: streams)
    }

    public init(resuming snapshot: Snapshot, maxMessageSize: Int = 8 << 20, maxChunkStreams: Int = 64,
                maxBufferedBytes: Int? = nil) {
        self.init(maxMessageSize: maxMessageSize, maxChunkStreams: maxChunkStreams, maxBufferedBytes: maxBufferedBytes)
        chunkSize = snapshot.chunkSize
        windowAcknowledgementSize = snapshot.windowAcknowledgementSize
        bytesReceived = snapshot.bytesReceived
        acknowledgedBytes = snapshot.acknowledgedBytes
        streams = snapshot.streams
        for (index, stream) in streams.enumerated() {
            streamIndex[stream.csid] = index
            bufferedBytes += stream.payload.count
        }
    }
}
