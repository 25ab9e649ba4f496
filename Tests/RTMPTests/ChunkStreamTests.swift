import Testing
import TestSupport
@testable import RTMP

/// Decodes `bytes` delivered in `feed`'s reads; every message in order.
func decodeChunks(_ bytes: [UInt8], feed: Feed = .whole,
                  decoder: RTMPChunkDecoder = RTMPChunkDecoder()) throws -> [RTMPMessage] {
    var decoder = decoder
    var messages: [RTMPMessage] = []
    for piece in feed.pieces(bytes) {
        let used = try decoder.feed(piece) { messages.append($0); return .proceed }
        #expect(used == piece.count)
    }
    return messages
}

/// The error `bytes` are refused with, in every feed; a test failure when they are accepted.
func chunkRefusal(_ bytes: [UInt8], decoder: RTMPChunkDecoder = RTMPChunkDecoder(),
                  sourceLocation: SourceLocation = #_sourceLocation) -> RTMPError.Kind? {
    var kinds: [RTMPError.Kind] = []
    for feed in Feed.all {
        let error = #expect(throws: RTMPError.self, sourceLocation: sourceLocation) {
            _ = try decodeChunks(bytes, feed: feed, decoder: decoder)
        }
        if let error { kinds.append(error.kind) }
    }
    #expect(Set(kinds).count <= 1, "the same input is refused differently across feeds", sourceLocation: sourceLocation)
    return kinds.first
}

@Suite struct ChunkStreamTests {
    /// RTMP 1.0 section 5.3.2.1, Example 1: four 32-byte audio messages on chunk stream 3, message stream 12345,
    /// times 1000, 1020, 1040, 1060: a type-0 chunk, a type-2 chunk (delta 20), then two type-3 chunks.
    static let example1: [UInt8] =
        hex("03 0003E8 000020 08 39300000") + pattern(32, offset: 1)
        + hex("83 000014") + pattern(32, offset: 2)
        + [0xC3] + pattern(32, offset: 3)
        + [0xC3] + pattern(32, offset: 4)
    static let example1Messages = (0..<4).map {
        RTMPMessage(typeID: 8, streamID: 12345, timestamp: 1000 + 20 * UInt32($0), payload: pattern(32, offset: $0 + 1))
    }

    /// Section 5.3.2.2, Example 2: one 307-byte video message on chunk stream 4 at the default chunk size of 128:
    /// a type-0 chunk with 128 bytes, then type-3 chunks with 128 and 51.
    static let example2: [UInt8] =
        hex("04 0003E8 000133 09 3A300000") + Array(pattern(307)[0..<128])
        + [0xC4] + Array(pattern(307)[128..<256])
        + [0xC4] + Array(pattern(307)[256...])
    static let example2Message = RTMPMessage(typeID: 9, streamID: 12346, timestamp: 1000, payload: pattern(307))

    @Test(arguments: Feed.all) func decodesSpecificationExamples(feed: Feed) throws {
        #expect(try decodeChunks(Self.example1, feed: feed) == Self.example1Messages)
        #expect(try decodeChunks(Self.example2, feed: feed) == [Self.example2Message])
    }

    @Test func encodesSpecificationExamples() {
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        for message in Self.example1Messages { encoder.append(message, csid: 3, to: &out) }
        #expect(out == Self.example1)
        out.removeAll(keepingCapacity: true)
        encoder.append(Self.example2Message, csid: 4, to: &out)
        #expect(out == Self.example2)
    }

    /// Basic headers (section 5.3.1.1): ids 2-63 in one byte, 64-319 in two (id - 64), 320-65599 in three
    /// (id - 64, low byte first).
    @Test(arguments: [
        (2, [0x02]), (63, [0x3F]), (64, [0x00, 0x00]), (319, [0x00, 0xFF]), (320, [0x01, 0x00, 0x01]),
        (65599, [0x01, 0xFF, 0xFF]),
    ] as [(Int, [UInt8])])
    func basicHeaders(csid: Int, basic: [UInt8]) throws {
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        let message = RTMPMessage(typeID: 20, streamID: 0, timestamp: 5, payload: [1, 2, 3])
        encoder.append(message, csid: csid, to: &out)
        #expect(Array(out.prefix(basic.count)) == basic)
        #expect(out.count == basic.count + 11 + 3)
        for feed in Feed.all { #expect(try decodeChunks(out, feed: feed) == [message]) }
    }

    /// Section 5.3.1.3: a time of 0xFFFFFF or more goes in an extended field, which the type-3 chunks of the same
    /// message repeat.
    @Test(arguments: Feed.all) func extendedTimestamp(feed: Feed) throws {
        let payload = pattern(200)
        let wire = hex("06 FFFFFF 0000C8 08 01000000 12345678") + Array(payload[..<128])
            + hex("C6 12345678") + Array(payload[128...])
            // next message: type 2 with an extended delta, then a type 3 repeating that delta
            + hex("86 FFFFFF 01000000") + Array(payload[..<128]) + hex("C6 01000000") + Array(payload[128...])
            + hex("C6 01000000") + Array(payload[..<128]) + hex("C6 01000000") + Array(payload[128...])
        let messages = try decodeChunks(wire, feed: feed)
        #expect(messages.map(\.timestamp) == [0x1234_5678, 0x1334_5678, 0x1434_5678])
        #expect(messages.allSatisfy { $0.payload == payload && $0.streamID == 1 && $0.typeID == 8 })
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        for message in messages { encoder.append(message, csid: 6, to: &out) }
        #expect(out == wire)
    }

    /// Standalone messages (a live channel's, shared by all players) are type 0 each, with absolute timestamps
    /// (extended ones repeated in continuations): a decoder reads them back from any point on.
    @Test(arguments: Feed.all) func standaloneMessagesDecodeFromAnyOfThem(feed: Feed) throws {
        let messages = [
            RTMPMessage(typeID: 9, streamID: 1, timestamp: 1000, payload: pattern(300)),
            RTMPMessage(typeID: 9, streamID: 1, timestamp: 1040, payload: pattern(300)),
            RTMPMessage(typeID: 8, streamID: 1, timestamp: 1041, payload: pattern(20)),
            RTMPMessage(typeID: 9, streamID: 1, timestamp: 0x0100_0000, payload: pattern(260)),
            RTMPMessage(typeID: 9, streamID: 1, timestamp: 0x0100_0028, payload: []),
        ]
        var pieces: [[UInt8]] = []
        for message in messages {
            var out: [UInt8] = []
            message.payload.withUnsafeBytes {
                RTMPChunkEncoder.appendStandalone($0, typeID: message.typeID, streamID: message.streamID,
                                                  timestamp: message.timestamp,
                                                  csid: RTMPChunkStreamID.forMessage(typeID: message.typeID),
                                                  chunkSize: 128, to: &out)
            }
            #expect(out[0] >> 6 == 0, "a type-0 header")
            pieces.append(out)
        }
        for start in messages.indices {
            let decoded = try decodeChunks(Array(pieces[start...].joined()), feed: feed)
            #expect(decoded == Array(messages[start...]))
        }
    }

    /// A type-3 header starting a message after a type 0 repeats the type-0 time as its delta (ffmpeg, SRS).
    @Test func typeThreeAfterTypeZero() throws {
        let wire = hex("05 000064 000001 12 01000000 AA C5 BB")
        #expect(try decodeChunks(wire).map(\.timestamp) == [100, 200])
    }

    @Test(arguments: Feed.all) func interleavedChunkStreams(feed: Feed) throws {
        let video = pattern(300, offset: 9)
        let audio = pattern(20, offset: 3)
        let wire = hex("07 000000 00012C 09 01000000") + Array(video[..<128])
            + hex("06 000000 000014 08 01000000") + audio
            + [0xC7] + Array(video[128..<256])
            + hex("46 000015 000014 08") + audio  // type 1 on audio: delta 21
            + [0xC7] + Array(video[256...])
        let messages = try decodeChunks(wire, feed: feed)
        #expect(messages.map(\.typeID) == [8, 8, 9])
        #expect(messages.map(\.timestamp) == [0, 21, 0])
        #expect(messages[2].payload == video && messages[0].payload == audio)
    }

    @Test(arguments: Feed.all) func setChunkSizeAppliesToTheNextChunk(feed: Feed) throws {
        let big = pattern(5000)
        let wire = hex("02 000000 000004 01 00000000 00001000")  // Set Chunk Size 4096
            + hex("04 000000 001388 09 01000000") + Array(big[..<4096]) + [0xC4] + Array(big[4096...])
        var decoder = RTMPChunkDecoder()
        var messages: [RTMPMessage] = []
        for piece in feed.pieces(wire) { try decoder.feed(piece) { messages.append($0); return .proceed } }
        #expect(messages.count == 2 && messages[1].payload == big && decoder.chunkSize == 4096)
        #expect(try RTMPControlMessage(messages[0]) == .setChunkSize(4096))
    }

    @Test(arguments: Feed.all) func abortDropsTheUnfinishedMessage(feed: Feed) throws {
        let wire = hex("07 000000 0000C8 09 01000000") + pattern(128)
            + hex("02 000000 000004 02 00000000 00000007")  // Abort chunk stream 7
            + hex("07 000010 000002 09 01000000 ABCD")
        let messages = try decodeChunks(wire, feed: feed)
        #expect(messages.count == 2)
        #expect(messages[1] == RTMPMessage(typeID: 9, streamID: 1, timestamp: 16, payload: [0xAB, 0xCD]))
    }

    @Test func zeroLengthMessages() throws {
        let wire = hex("03 000001 000000 14 00000000") + [0xC3] + hex("03 000009 000001 14 00000000 77")
        #expect(try decodeChunks(wire).map(\.payload) == [[], [], [0x77]])
        for feed in Feed.all { #expect(try decodeChunks(wire, feed: feed).map(\.timestamp) == [1, 2, 9]) }
    }

    @Test func pauseStopsAtTheMessageBoundary() throws {
        var decoder = RTMPChunkDecoder()
        var seen = 0
        let used = try decoder.feed(Self.example1) { _ in seen += 1; return seen == 2 ? .pause : .proceed }
        #expect(seen == 2 && used == 44 + 36)
        let rest = try decoder.feed(Array(Self.example1[used...])) { _ in seen += 1; return .proceed }
        #expect(seen == 4 && rest == Self.example1.count - used)
    }

    @Test func acknowledgementWindow() throws {
        var decoder = RTMPChunkDecoder()
        let window = hex("02 000000 000004 05 00000000 00000064")  // 100 bytes
        try decoder.feed(window) { _ in .proceed }
        #expect(decoder.windowAcknowledgementSize == 100 && decoder.acknowledgementDue() == nil)
        try decoder.feed(Self.example1) { _ in .proceed }  // 44 + 36 + 33 + 33 = 146 bytes, 162 in all
        #expect(decoder.acknowledgementDue() == 162)
        #expect(decoder.acknowledgementDue() == nil)
    }

    /// Random messages on random chunk streams, chunk sizes changed on the way, times with jumps past 0xFFFFFF
    /// and back: what the encoder writes, the decoder reads back, in every feed.
    @Test(arguments: [UInt64(1), 2, 3]) func roundTrip(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var encoder = RTMPChunkEncoder()
        var wire: [UInt8] = []
        var sent: [RTMPMessage] = []
        var time: [Int: UInt32] = [:]
        for _ in 0..<300 {
            if Int.random(in: 0..<20, using: &random) == 0 {
                let size = [1, 60, 128, 1000, 4096, 65536].randomElement(using: &random)!
                let control = RTMPControlMessage.setChunkSize(UInt32(size))
                control.append(with: &encoder, to: &wire)
                sent.append(control.message)
            }
            let csid = [3, 4, 6, 7, 63, 64, 300, 320, 65599].randomElement(using: &random)!
            var t = time[csid, default: 0]
            switch Int.random(in: 0..<10, using: &random) {
            case 0: t = UInt32.random(in: 0...UInt32.max, using: &random)
            case 1: t = t &+ 0x0100_0000
            case 2: break
            default: t = t &+ UInt32.random(in: 0...40, using: &random)
            }
            time[csid] = t
            let length = [0, 1, 32, 127, 128, 129, 300, 5000].randomElement(using: &random)!
            let message = RTMPMessage(
                typeID: [8, 9, 18, 20].randomElement(using: &random)!, streamID: UInt32.random(in: 0...2, using: &random),
                timestamp: t, payload: (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
            encoder.append(message, csid: csid, to: &wire)
            sent.append(message)
        }
        for feed in Feed.all { #expect(try decodeChunks(wire, feed: feed) == sent, "\(feed.testDescription)") }
    }

    @Test func encoderReusesTheBuffer() {
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        let base = out.capacity
        for i in 0..<100 {
            out.removeAll(keepingCapacity: true)
            encoder.append(RTMPMessage(typeID: 9, streamID: 1, timestamp: UInt32(i * 40), payload: pattern(10_000)), csid: 7, to: &out)
        }
        #expect(out.capacity == base)
    }
}

/// Input from broken or hostile peers: each ends in an `RTMPError`, never a crash, a hang or a large allocation.
@Suite struct ChunkStreamHostileTests {
    @Test func chunkSizeZero() {
        #expect(chunkRefusal(hex("02 000000 000004 01 00000000 00000000")) == .badChunkSize)
    }

    @Test func chunkSizeTopBit() {
        #expect(chunkRefusal(hex("02 000000 000004 01 00000000 80000000")) == .badChunkSize)
    }

    @Test func chunkSizeMaximumIsAccepted() throws {
        let wire = hex("02 000000 000004 01 00000000 7FFFFFFF 04 000000 000003 09 01000000 010203")
        #expect(try decodeChunks(wire).last?.payload == [1, 2, 3])
    }

    @Test func shortSetChunkSize() {
        #expect(chunkRefusal(hex("02 000000 000002 01 00000000 0010")) == .truncated)
    }

    @Test func messageOverTheLimit() {
        #expect(chunkRefusal(hex("04 000000 FFFFFF 09 01000000") + pattern(200)) == .messageTooLarge)
        let small = RTMPChunkDecoder(maxMessageSize: 1000)
        #expect(chunkRefusal(hex("04 000000 0003E9 09 01000000"), decoder: small) == .messageTooLarge)
    }

    @Test func bufferedBytesOverTheLimit() {
        // Three unfinished 900-byte messages against a 2000-byte budget.
        let decoder = RTMPChunkDecoder(maxMessageSize: 1000, maxBufferedBytes: 2000)
        var wire: [UInt8] = []
        for csid: UInt8 in [4, 5, 6] {
            wire += [csid] + hex("000000 000384 09 01000000") + pattern(128)
            for _ in 0..<5 { wire += [0xC0 | csid] + pattern(128) }
        }
        #expect(chunkRefusal(wire, decoder: decoder) == .messageTooLarge)
    }

    @Test func tooManyChunkStreams() {
        var wire: [UInt8] = []
        for csid in 3..<40 { wire += [UInt8(csid)] + hex("000000 000001 09 01000000 00") }
        #expect(chunkRefusal(wire, decoder: RTMPChunkDecoder(maxChunkStreams: 16)) == .tooManyChunkStreams)
    }

    @Test(arguments: [hex("C3 00"), hex("43 000000 000001 09 00"), hex("83 000000 00"), hex("C0 05 00"), hex("C1 05 00 00")])
    func unknownChunkStream(wire: [UInt8]) {
        #expect(chunkRefusal(wire) == .unknownChunkStream)
    }

    @Test func newHeaderInTheMiddleOfAMessage() {
        #expect(chunkRefusal(hex("04 000000 0000C8 09 01000000") + pattern(128) + hex("04 000000 000001 09 01000000 00"))
            == .badChunk)
    }

    @Test func spentAfterAnError() throws {
        var decoder = RTMPChunkDecoder()
        #expect(throws: RTMPError.self) { try decoder.feed(hex("C3")) { _ in .proceed } }
        #expect(throws: RTMPError.self) { try decoder.feed(ChunkStreamTests.example1) { _ in .proceed } }
    }

    /// Random bytes: refused or waited on, never a crash; the memory a peer can make us hold stays bounded.
    @Test(arguments: [UInt64(11), 12, 13, 14]) func garbage(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            var decoder = RTMPChunkDecoder(maxMessageSize: 4096, maxChunkStreams: 8)
            _ = try? decoder.feed(bytes) { _ in .proceed }
        }
    }
}

/// `decode` lends each message's payload: straight from the input when it came whole in one chunk of one read, else
/// from its chunk stream's reassembly buffer, the same buffer from one message to the next.
@Suite struct ChunkDecoderLendingTests {
    /// Two 307-byte video messages (three chunks each at the default size of 128) around a 32-byte audio message.
    static let wire: [UInt8] = ChunkStreamTests.example2 + hex("03 0003E8 000020 08 39300000") + pattern(32, offset: 1)
        + hex("44 000028 000133 09") + Array(pattern(307, offset: 2)[0..<128])
        + [0xC4] + Array(pattern(307, offset: 2)[128..<256]) + [0xC4] + Array(pattern(307, offset: 2)[256...])

    @Test func payloadsAreLentWithoutCopies() throws {
        var decoder = RTMPChunkDecoder()
        var lent: [(base: UnsafeRawPointer?, payload: [UInt8])] = []
        try Self.wire.withUnsafeBytes { input in
            let used = try decoder.decode(input) { message in
                lent.append((message.payload.baseAddress, Array(message.payload)))
                return .proceed
            }
            #expect(used == input.count)
            try #require(lent.count == 3)
            let audio = try #require(lent[1].base)
            #expect(audio >= input.baseAddress! && audio + 32 <= input.baseAddress! + input.count, "not lent from the input")
        }
        #expect(lent.map(\.payload) == [pattern(307), pattern(32, offset: 1), pattern(307, offset: 2)])
        #expect(lent[0].base == lent[2].base, "the chunk stream's buffer is not reused")
    }

    /// Whole, byte by byte and in random reads, `decode` hands over what `feed` copies, and a message split across
    /// reads is never lent from the input.
    @Test(arguments: Feed.all) func lendsTheSameMessagesInEverySplit(feed: Feed) throws {
        var decoder = RTMPChunkDecoder()
        var messages: [RTMPMessage] = []
        for piece in feed.pieces(Self.wire) {
            try piece.withUnsafeBytes { input in
                _ = try decoder.decode(input) { message in
                    messages.append(RTMPMessage(message))
                    return .proceed
                }
            }
        }
        #expect(messages == (try decodeChunks(Self.wire)))
        #expect(messages.map(\.typeID) == [9, 8, 9] && messages[2].timestamp == 1040)
    }
}
