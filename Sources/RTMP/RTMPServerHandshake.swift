/// The server side of the RTMP handshake as a pure state machine: feed it what the connection reads, perform the
/// actions it returns. It answers C0+C1 with S0+S1+S2 at once (as nginx-rtmp and FMS do), then waits for C2, which
/// it does not check (players send both echoes and digests, and nothing depends on it).
///
/// A C1 with a valid digest (either scheme) gets a digest S1 in the same scheme and a signed S2; any other C1 gets
/// the plain answer: S1 with a zero version and S2 an exact echo of C1. A version byte other than 3 fails at once
/// (RTMPE by name). Costs: about 3 KB of buffers and up to five HMACs over 1.5 KB per connection.
public struct RTMPServerHandshake: Sendable {
    /// The server version an S1 with a digest carries (FMS 3.5's, as nginx-rtmp sends it).
    static let serverVersion: [UInt8] = [0x0D, 0x0E, 0x0A, 0x0D]

    private var reader = RTMPHandshakeReader()
    private var random: HandshakeRandom
    private let epoch: UInt32
    /// Whether the client's C1 carried a valid digest (known once S1 is sent).
    public private(set) var usedDigest = false

    /// - Parameters:
    ///   - epoch: the time field of S1 (milliseconds of the server's own clock; 0 is common).
    ///   - seed: seeds the random filler; nil takes one from the system (tests pass a fixed one).
    public init(epoch: UInt32 = 0, seed: UInt64? = nil) {
        self.epoch = epoch
        random = HandshakeRandom(seed: seed)
    }

    public var isDone: Bool { reader.isDone }

    public mutating func receive(_ bytes: [UInt8]) -> [RTMPHandshake.Action] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [RTMPHandshake.Action] {
        reader.receive(bytes).map { event in
            switch event {
            case .first(let c1): .send(answer(c1))
            case .second(_, let leftover): .done(leftover: leftover)
            case .fail(let error): .fail(error)
            }
        }
    }

    /// S0 + S1 + S2 for this C1.
    private mutating func answer(_ c1: [UInt8]) -> [UInt8] {
        var s1: [UInt8] = []
        s1.reserveCapacity(RTMPHandshake.packetSize)
        s1.appendUInt32(epoch)
        let digestC1 = c1[4..<8].contains { $0 != 0 }
            ? RTMPHandshakeDigest.findDigest(in: c1, key: RTMPHandshakeDigest.playerPartialKey) : nil
        usedDigest = digestC1 != nil
        s1 += digestC1 == nil ? [0, 0, 0, 0] : Self.serverVersion
        s1 += random.bytes(RTMPHandshake.packetSize - 8)
        var out: [UInt8] = [RTMPHandshake.version]
        out.reserveCapacity(1 + 2 * RTMPHandshake.packetSize)
        if let digestC1 {
            RTMPHandshakeDigest.writeDigest(into: &s1, scheme: digestC1.scheme, key: RTMPHandshakeDigest.serverPartialKey)
            var s2 = random.bytes(RTMPHandshake.packetSize)
            RTMPHandshakeDigest.signResponse(&s2, peerDigest: digestC1.digest, key: RTMPHandshakeDigest.serverKey)
            out += s1
            out += s2
        } else {
            out += s1
            out += c1
        }
        return out
    }
}
