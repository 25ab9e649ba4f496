/// What the RTMP handshake state machines (`RTMPServerHandshake`, `RTMPClientHandshake`) ask their caller to do, and
/// the sizes they work in (RTMP 1.0 section 5.2). The handshake is: C0 (one version byte, 3), C1 (1536 bytes: time,
/// 4 bytes, random), each side echoing the other's packet as C2/S2. Flash Player 9 and later and FMS add a digest
/// scheme on top (`RTMPHandshakeDigest`); both sides here speak it and fall back to the plain echo.
///
/// The machines never time out: on truncated input they wait for more bytes. The caller applies a timeout.
public enum RTMPHandshake {
    /// C1, C2, S1 and S2 are this long; C0 and S0 one byte.
    public static let packetSize = 1536
    public static let version: UInt8 = 3

    public enum Action: Equatable, Sendable {
        /// Write these bytes to the peer.
        case send([UInt8])
        /// The handshake is over; `leftover` are bytes after it (the chunk stream's start), to be fed on.
        case done(leftover: [UInt8])
        /// Close the connection. Every later `receive` repeats this.
        case fail(RTMPError)
    }

    /// The error for a version byte other than 3: RTMPE (6, 8) is named, an ASCII letter is likely HTTP or TLS
    /// reaching the wrong port.
    static func versionError(_ byte: UInt8) -> RTMPError {
        switch byte {
        case 6, 8, 9:
            return RTMPError(.encryptedHandshake, "version byte \(byte) (RTMPE/RTMPTE)")
        case 0...31:
            return RTMPError(.unsupportedVersion, "version byte \(byte), only 3 is spoken")
        default:
            let ascii = byte >= 0x20 && byte < 0x7F ? " ('\(Character(Unicode.Scalar(byte)))')" : ""
            return RTMPError(.notRTMP, "first byte 0x\(String(byte, radix: 16))\(ascii)")
        }
    }
}

/// Cheap pseudo-random bytes for the handshake's filler: the handshake needs unpredictability from nobody (the
/// digest scheme is obfuscation, not security), so a SplitMix64 seeded once from the system generator serves, and
/// a fixed seed makes tests repeatable.
struct HandshakeRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64?) {
        var system = SystemRandomNumberGenerator()
        state = seed ?? system.next()
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: z >> UInt64(shift))) }
        }
        out.removeLast(out.count - count)
        return out
    }
}
