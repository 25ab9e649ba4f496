/// Reassembles RTMP messages from the chunk stream (RTMP 1.0 section 5.3), pure and incremental: feed it what the
/// connection reads, in any split, and it hands over each complete message. It handles basic headers of 1, 2 and 3
/// bytes (chunk stream ids 2 to 65599), message headers of type 0 to 3, extended timestamps (also repeated in type-3
/// chunks, as the specification and ffmpeg/librtmp do), messages interleaved across chunk streams, and applies the
/// peer's Set Chunk Size (1), Abort (2) and Window Acknowledgement Size (5) itself before handing them on.
///
/// Timestamps: a type-0 header sets the message's absolute time and also the delta a following type-3 header
/// repeats (the reading of ffmpeg, librtmp and SRS); types 1 and 2 add their delta.
///
/// Costs: `decode` hands messages over borrowed (`RTMPMessageView`, valid during the handler's call). A message
/// that came whole in one chunk of one read is not copied at all; the others are copied once, from the input into
/// their chunk stream's reassembly buffer, which is kept for the next message (up to `retainedCapacity` bytes), so
/// that a steady stream allocates nothing per message. `feed(_:_:)` copies each message into an `RTMPMessage` of its
/// own, for callers that keep messages. Memory is bounded by `maxMessageSize` per message, `maxBufferedBytes` of data
/// over all unfinished messages, and `maxChunkStreams`: a peer announcing a message over the limit gets an error, not
/// an allocation. A large reservation is address space until bytes arrive (malloc maps large blocks lazily).
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
        /// The message being assembled; kept empty, with its capacity, between messages.
        var payload: [UInt8] = []

        func view(_ payload: UnsafeRawBufferPointer) -> RTMPMessageView {
            RTMPMessageView(typeID: typeID, streamID: streamID, timestamp: timestamp, payload: payload)
        }
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
    /// Searched by chunk stream id: a peer uses a handful (at most `maxChunkStreams`).
    private var streams: [ChunkStream] = []
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

    /// A reassembly buffer larger than this is freed after its message rather than kept for the next.
    public static let retainedCapacity = 1 << 20

    /// Feeds received bytes; `handler` gets each complete message in order, borrowed for the call. Returns how many
    /// bytes were used: all of them unless the handler asked to pause, when the rest is to be fed again later.
    @discardableResult
    public mutating func decode(_ bytes: UnsafeRawBufferPointer,
                                _ handler: (RTMPMessageView) throws -> Next) throws -> Int {
        if let failure { throw failure }
        do {
            return try feedChunks(bytes, handler)
        } catch let error as RTMPError {
            failure = error
            throw error
        }
    }

    /// `decode(_:_:)` with each message copied into an `RTMPMessage`, for callers that keep messages.
    @discardableResult
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handler: (RTMPMessage) throws -> Next) throws -> Int {
        try decode(bytes) { try handler(RTMPMessage($0)) }
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
                                     _ handler: (RTMPMessageView) throws -> Next) throws -> Int {
        var i = 0
        let n = bytes.count
        defer { bytesReceived += UInt64(i) }
        while i < n {
            switch phase {
            case .header:
                let parsed: ChunkHeader
                if header.isEmpty {
                    // Read where it is when the whole header came in this read (nearly always), else gathered.
                    let rest = UnsafeRawBufferPointer(rebasing: bytes[i...])
                    let wanted = try headerLength(rest)
                    guard wanted <= rest.count else {
                        header.append(contentsOf: rest)
                        i = n
                        continue
                    }
                    parsed = Self.readHeader(rest)
                    i += wanted
                } else {
                    let wanted = try header.withUnsafeBytes { try headerLength($0) }
                    if header.count < wanted {
                        let take = min(wanted - header.count, n - i)
                        header.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                        i += take
                        continue
                    }
                    parsed = header.withUnsafeBytes { Self.readHeader($0) }
                    header.removeAll(keepingCapacity: true)
                }
                if let index = try apply(parsed), try finishMessage(index, handler) == .pause { return i }
            case .payload(let index, let remaining):
                let take = min(remaining, n - i)
                if take == streams[index].length, streams[index].payload.isEmpty {
                    // The whole message in this chunk and this read: handed over from the input, not copied.
                    i += take
                    phase = .header
                    streams[index].assembling = false
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[(i - take)..<i])
                    if try deliver(streams[index].view(chunk), handler) == .pause { return i }
                    continue
                }
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
                       try finishMessage(index, handler) == .pause {
                        return i
                    }
                }
            }
        }
        // A header completed by the last byte: applied now, so that a zero-length message is not left waiting.
        if phase == .header, !header.isEmpty, try header.count == header.withUnsafeBytes({ try headerLength($0) }) {
            let parsed = header.withUnsafeBytes { Self.readHeader($0) }
            header.removeAll(keepingCapacity: true)
            if let index = try apply(parsed), try finishMessage(index, handler) == .pause { return i }
        }
        return i
    }

    /// Applies the control messages that concern this decoder, then hands the message on.
    private mutating func deliver(_ message: RTMPMessageView, _ handler: (RTMPMessageView) throws -> Next) throws -> Next {
        switch message.typeID {
        case RTMPMessageType.setChunkSize:
            let size = try Self.uint32(message.payload, "Set Chunk Size")
            guard size >= 1, size <= UInt32(Self.maxChunkSize) else {
                throw RTMPError(.badChunkSize, "Set Chunk Size \(size): must be 1 to \(Self.maxChunkSize)")
            }
            chunkSize = Int(size)
        case RTMPMessageType.abort:
            let csid = Int(try Self.uint32(message.payload, "Abort Message"))
            if let index = streamIndex(of: csid), streams[index].assembling {
                bufferedBytes -= streams[index].payload.count
                streams[index].payload.removeAll(keepingCapacity: true)
                streams[index].assembling = false
            }
        case RTMPMessageType.windowAcknowledgementSize:
            windowAcknowledgementSize = try Self.uint32(message.payload, "Window Acknowledgement Size")
        default:
            break
        }
        return try handler(message)
    }

    /// The big-endian number a control message's payload starts with.
    private static func uint32(_ payload: UnsafeRawBufferPointer, _ what: String) throws -> UInt32 {
        guard payload.count >= 4 else { throw RTMPError(.truncated, "\(what): 4 bytes wanted, \(payload.count) left") }
        return UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8 | UInt32(payload[3])
    }

    private func streamIndex(of csid: Int) -> Int? {
        streams.firstIndex { $0.csid == csid }
    }

    /// The fields of one chunk header (section 5.3.1), as far as its type carries them.
    private struct ChunkHeader {
        var fmt: Int
        var csid: Int
        /// The timestamp (type 0) or delta (types 1, 2), from the extended field when the 24-bit one is 0xFFFFFF.
        var time: UInt32 = 0
        var extended = false
        var length = 0
        var typeID: UInt8 = 0
        var streamID: UInt32 = 0
    }

    /// How long the header starting `bytes` is, as far as they tell (at least one byte more than there are while
    /// that is unknown).
    private func headerLength(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard let first = bytes.first else { return 1 }
        let fmt = Int(first >> 6)
        let basic = switch first & 0x3F { case 0: 2; case 1: 3; default: 1 }
        guard bytes.count >= basic else { return basic }
        let length = basic + [11, 7, 3, 0][fmt]
        guard bytes.count >= length else { return length }
        if fmt < 3 {
            let field = UInt32(bytes[basic]) << 16 | UInt32(bytes[basic + 1]) << 8 | UInt32(bytes[basic + 2])
            return field == 0xFF_FFFF ? length + 4 : length
        }
        let csid = Self.chunkStreamID(bytes, basicLength: basic)
        guard let index = streamIndex(of: csid) else {
            throw RTMPError(.unknownChunkStream, "type-3 chunk on chunk stream \(csid), which never had a type-0 header")
        }
        return streams[index].extended ? length + 4 : length
    }

    private static func chunkStreamID(_ bytes: UnsafeRawBufferPointer, basicLength: Int) -> Int {
        switch basicLength {
        case 1: Int(bytes[0] & 0x3F)
        case 2: 64 + Int(bytes[1])
        default: 64 + Int(bytes[1]) + 256 * Int(bytes[2])
        }
    }

    /// Reads a complete header (`headerLength` bytes).
    private static func readHeader(_ bytes: UnsafeRawBufferPointer) -> ChunkHeader {
        let fmt = Int(bytes[0] >> 6)
        let basic = switch bytes[0] & 0x3F { case 0: 2; case 1: 3; default: 1 }
        var header = ChunkHeader(fmt: fmt, csid: chunkStreamID(bytes, basicLength: basic))
        guard fmt < 3 else { return header }
        var p = basic
        func uint24() -> UInt32 {
            defer { p += 3 }
            return UInt32(bytes[p]) << 16 | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2])
        }
        header.time = uint24()
        if fmt <= 1 {
            header.length = Int(uint24())
            header.typeID = bytes[p]
            p += 1
        }
        if fmt == 0 {
            header.streamID = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16
                | UInt32(bytes[p + 3]) << 24
            p += 4
        }
        header.extended = header.time == 0xFF_FFFF
        if header.extended {
            header.time = UInt32(bytes[p]) << 24 | UInt32(bytes[p + 1]) << 16 | UInt32(bytes[p + 2]) << 8
                | UInt32(bytes[p + 3])
        }
        return header
    }

    /// Applies a header to its chunk stream; returns the stream's index when it starts a zero-length message
    /// (complete at once).
    private mutating func apply(_ header: ChunkHeader) throws -> Int? {
        let csid = header.csid
        let index: Int
        if let known = streamIndex(of: csid) {
            index = known
        } else {
            guard header.fmt == 0 else {
                throw RTMPError(.unknownChunkStream, "type-\(header.fmt) chunk on chunk stream \(csid), which never had a type-0 header")
            }
            guard streams.count < maxChunkStreams else {
                throw RTMPError(.tooManyChunkStreams, "chunk stream \(csid) would be the \(maxChunkStreams + 1)th")
            }
            index = streams.count
            streams.append(ChunkStream(csid: csid))
        }
        if header.fmt < 3 {
            guard !streams[index].assembling else {
                throw RTMPError(.badChunk, "type-\(header.fmt) header on chunk stream \(csid) in the middle of a message "
                    + "(\(streams[index].payload.count) of \(streams[index].length) bytes)")
            }
            if header.fmt <= 1 {
                streams[index].length = header.length
                streams[index].typeID = header.typeID
            }
            if header.fmt == 0 { streams[index].streamID = header.streamID }
            streams[index].extended = header.extended
            streams[index].delta = header.time
            streams[index].timestamp = header.fmt == 0 ? header.time : streams[index].timestamp &+ header.time
        } else if !streams[index].assembling {
            // A type-3 header starting a new message: same length, type and stream, time advanced by the last delta.
            streams[index].timestamp &+= streams[index].delta
        }
        let length = streams[index].length
        if !streams[index].assembling {
            guard length <= maxMessageSize else {
                throw RTMPError(.messageTooLarge, "\(length) bytes (type \(streams[index].typeID)) on chunk stream "
                    + "\(csid), limit \(maxMessageSize)")
            }
            streams[index].assembling = true
            if streams[index].payload.capacity < length { streams[index].payload.reserveCapacity(length) }
        }
        let remaining = length - streams[index].payload.count
        if remaining == 0 { return index }
        phase = .payload(index: index, remaining: min(chunkSize, remaining))
        return nil
    }

    /// Hands the assembled message over and readies the chunk stream for its next one, keeping the buffer.
    private mutating func finishMessage(_ index: Int, _ handler: (RTMPMessageView) throws -> Next) throws -> Next {
        // Taken out of the stream for the call: the handler's control messages may change the decoder meanwhile.
        var payload: [UInt8] = []
        swap(&payload, &streams[index].payload)
        bufferedBytes -= payload.count
        streams[index].assembling = false
        let stream = streams[index]
        defer {
            payload.removeAll(keepingCapacity: payload.capacity <= Self.retainedCapacity)
            swap(&payload, &streams[index].payload)
        }
        return try payload.withUnsafeBytes { try deliver(stream.view($0), handler) }
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
        for stream in streams { bufferedBytes += stream.payload.count }
    }
}
