/// The client side of the RTMP handshake (for pulling and pushing) as a pure state machine: `start()` gives C0+C1,
/// `receive` takes S0+S1+S2 and answers C2 as soon as S1 is in.
///
/// With `digest: false` (the default, as ffmpeg without FP9 emulation and librtmp do) C1 is plain (zero version) and
/// C2 echoes S1. With `digest: true`, C1 carries a scheme-0 digest and, when S1 carries a valid server digest, C2 is
/// the signed response; a server that answers plainly still gets an echo. S2 is never refused (servers differ in
/// what they put there); `peerVerified` tells whether it was the expected echo or signature.
public struct RTMPClientHandshake: Sendable {
    /// The player version a digest C1 carries (9.0.124.2, as ffmpeg sends it).
    static let playerVersion: [UInt8] = [9, 0, 124, 2]

    private var reader = RTMPHandshakeReader()
    private var started = false
    private var random: HandshakeRandom
    private let epoch: UInt32
    public let digest: Bool
    private var c1: [UInt8] = []
    private var c1Digest: [UInt8] = []
    /// S2 echoed C1, or carried the signature of C1's digest.
    public private(set) var peerVerified = false

    public init(digest: Bool = false, epoch: UInt32 = 0, seed: UInt64? = nil) {
        self.digest = digest
        self.epoch = epoch
        random = HandshakeRandom(seed: seed)
    }

    public var isDone: Bool { reader.isDone }

    /// C0 + C1, to send first. Call once.
    public mutating func start() -> [UInt8] {
        precondition(c1.isEmpty, "RTMPClientHandshake.start called twice")
        c1.reserveCapacity(RTMPHandshake.packetSize)
        c1.appendUInt32(epoch)
        c1 += digest ? Self.playerVersion : [0, 0, 0, 0]
        c1 += random.bytes(RTMPHandshake.packetSize - 8)
        if digest {
            c1Digest = RTMPHandshakeDigest.writeDigest(into: &c1, scheme: .zero, key: RTMPHandshakeDigest.playerPartialKey)
        }
        started = true
        return [RTMPHandshake.version] + c1
    }

    public mutating func receive(_ bytes: [UInt8]) -> [RTMPHandshake.Action] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [RTMPHandshake.Action] {
        guard started else {
            let error = RTMPError(.protocolViolation, "server bytes before C0+C1 was sent")
            reader.fail(error)
            return [.fail(error)]
        }
        return reader.receive(bytes).map { event in
            switch event {
            case .first(let s1):
                return .send(answer(s1))
            case .second(let s2, let leftover):
                peerVerified = peerVerified || s2 == c1 || (digest
                    && RTMPHandshakeDigest.isSignedResponse(s2, peerDigest: c1Digest, key: RTMPHandshakeDigest.serverKey))
                return .done(leftover: leftover)
            case .fail(let error):
                return .fail(error)
            }
        }
    }

    /// C2 for this S1.
    private mutating func answer(_ s1: [UInt8]) -> [UInt8] {
        guard digest, s1[4..<8].contains(where: { $0 != 0 }),
              let serverDigest = RTMPHandshakeDigest.findDigest(in: s1, key: RTMPHandshakeDigest.serverPartialKey)
        else { return s1 }
        var c2 = random.bytes(RTMPHandshake.packetSize)
        RTMPHandshakeDigest.signResponse(&c2, peerDigest: serverDigest.digest, key: RTMPHandshakeDigest.playerKey)
        return c2
    }
}
