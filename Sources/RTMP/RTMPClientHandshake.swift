/// The client side of the RTMP handshake (for pulling and pushing) as a pure state machine: `start()` gives C0+C1,
/// `receive` takes S0+S1+S2 and answers C2 as soon as S1 is in.
///
/// With `digest: false` (the default, as ffmpeg without FP9 emulation and librtmp do) C1 is plain (zero version) and
/// C2 echoes S1. With `digest: true`, C1 carries a scheme-0 digest and, when S1 carries a valid server digest, C2 is
/// the signed response; a server that answers plainly still gets an echo. S2 is never refused (servers differ in
/// what they put there); `peerVerified` tells whether it was the expected echo or signature.
public struct RTMPClientHandshake: Sendable {
    private enum State {
        case initial
        case awaitingS0S1
        case awaitingS2
        case done
        case failed(RTMPError)
    }

    /// The player version a digest C1 carries (9.0.124.2, as ffmpeg sends it).
    static let playerVersion: [UInt8] = [9, 0, 124, 2]

    private var state = State.initial
    private var buffer: [UInt8] = []
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

    public var isDone: Bool { if case .done = state { true } else { false } }

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
        state = .awaitingS0S1
        return [RTMPHandshake.version] + c1
    }

    public mutating func receive(_ bytes: [UInt8]) -> [RTMPHandshake.Action] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public mutating func receive(_ bytes: UnsafeRawBufferPointer) -> [RTMPHandshake.Action] {
        switch state {
        case .failed(let error):
            return [.fail(error)]
        case .done:
            return [.done(leftover: Array(bytes))]
        case .initial:
            let error = RTMPError(.protocolViolation, "server bytes before C0+C1 was sent")
            state = .failed(error)
            return [.fail(error)]
        case .awaitingS0S1, .awaitingS2:
            break
        }
        if case .awaitingS0S1 = state, buffer.isEmpty, let first = bytes.first, first != RTMPHandshake.version {
            let error = RTMPHandshake.versionError(first)
            state = .failed(error)
            return [.fail(error)]
        }
        buffer.append(contentsOf: bytes)
        var actions: [RTMPHandshake.Action] = []
        if case .awaitingS0S1 = state, buffer.count >= 1 + RTMPHandshake.packetSize {
            let s1 = Array(buffer[1...RTMPHandshake.packetSize])
            buffer.removeFirst(1 + RTMPHandshake.packetSize)
            actions.append(.send(answer(s1)))
            state = .awaitingS2
        }
        if case .awaitingS2 = state, buffer.count >= RTMPHandshake.packetSize {
            let s2 = Array(buffer[..<RTMPHandshake.packetSize])
            let leftover = Array(buffer[RTMPHandshake.packetSize...])
            buffer = []
            peerVerified = s2 == c1 || (digest
                && RTMPHandshakeDigest.isSignedResponse(s2, peerDigest: c1Digest, key: RTMPHandshakeDigest.serverKey))
            state = .done
            actions.append(.done(leftover: leftover))
        }
        return actions
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
