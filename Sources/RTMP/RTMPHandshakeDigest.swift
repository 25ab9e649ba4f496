/// The digest ("complex") handshake of Flash Player 9+ and Flash Media Server, which some players and encoders
/// require (with the plain echo they stall or, for H.264 in old Flash players, refuse to play). Not in the RTMP 1.0
/// specification; the layout is the one librtmp (handshake.h) and nginx-rtmp (ngx_rtmp_handshake.c) agree on:
///
/// - C1/S1: time (4), version (4, non-zero: that is how a digest C1 is told from a plain one), then random bytes
///   holding a 32-byte digest. Its offset comes from four bytes of the packet: scheme 0 sums bytes 8...11 and puts
///   the digest at `sum % 728 + 12`; scheme 1 sums bytes 772...775 and puts it at `sum % 728 + 776`.
/// - The digest is HMAC-SHA-256 over the 1504 other bytes, keyed with the first 30 bytes of the player key
///   ("Genuine Adobe Flash Player 001") for C1, the first 36 of the server key ("Genuine Adobe Flash Media Server
///   001") for S1.
/// - S2 (and C2) are random, their last 32 bytes being HMAC-SHA-256 of the first 1504 under a key that is itself
///   HMAC-SHA-256 of the peer's digest keyed with the full 68-byte server key (62-byte player key for C2): the
///   key's text plus a 32-byte tail.
enum RTMPHandshakeDigest {
    static let digestSize = 32
    /// Bytes signed in an S2/C2 response: all but the trailing signature.
    static let responseSignedBytes = RTMPHandshake.packetSize - digestSize

    private static let keyTail: [UInt8] = [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ]
    /// 62 bytes; its first 30 sign C1.
    static let playerKey = Array("Genuine Adobe Flash Player 001".utf8) + keyTail
    /// 68 bytes; its first 36 sign S1.
    static let serverKey = Array("Genuine Adobe Flash Media Server 001".utf8) + keyTail
    static var playerPartialKey: [UInt8] { Array(playerKey.prefix(30)) }
    static var serverPartialKey: [UInt8] { Array(serverKey.prefix(36)) }

    /// Where the digest of a C1 or S1 sits.
    enum Scheme: Int, Sendable, CaseIterable {
        /// Offset from bytes 8...11 (FMS 3 and most encoders).
        case zero = 0
        /// Offset from bytes 772...775 (Flash Player 10 and later).
        case one = 1

        var offsetBase: Int { self == .zero ? 8 : 772 }
    }

    static func digestOffset(in packet: [UInt8], scheme: Scheme) -> Int {
        let base = scheme.offsetBase
        let sum = Int(packet[base]) + Int(packet[base + 1]) + Int(packet[base + 2]) + Int(packet[base + 3])
        return sum % 728 + base + 4
    }

    /// HMAC-SHA-256 of `packet` without the 32 bytes at `offset`.
    static func digest(of packet: [UInt8], skipping offset: Int, key: [UInt8]) -> [UInt8] {
        var hmac = HMACSHA256(key: key)
        hmac.update(packet[..<offset])
        hmac.update(packet[(offset + digestSize)...])
        return hmac.finalize()
    }

    /// The scheme and digest of a C1 (with the player key) or S1 (with the server key), or nil when it has none.
    static func findDigest(in packet: [UInt8], key: [UInt8]) -> (scheme: Scheme, digest: [UInt8])? {
        for scheme in Scheme.allCases {
            let offset = digestOffset(in: packet, scheme: scheme)
            let expected = digest(of: packet, skipping: offset, key: key)
            if packet[offset..<(offset + digestSize)].elementsEqual(expected) { return (scheme, expected) }
        }
        return nil
    }

    /// Signs a C1 or S1 whose time, version and random bytes are in place; returns the digest written.
    @discardableResult
    static func writeDigest(into packet: inout [UInt8], scheme: Scheme, key: [UInt8]) -> [UInt8] {
        let offset = digestOffset(in: packet, scheme: scheme)
        let value = digest(of: packet, skipping: offset, key: key)
        packet.replaceSubrange(offset..<(offset + digestSize), with: value)
        return value
    }

    /// The trailing 32 bytes of an S2 (with the server key) or C2 (with the player key) answering `peerDigest`.
    static func responseSignature(of packet: [UInt8], peerDigest: [UInt8], key: [UInt8]) -> [UInt8] {
        let responseKey = HMACSHA256.authenticationCode(key: key, message: peerDigest)
        return HMACSHA256.authenticationCode(key: responseKey, message: Array(packet[..<responseSignedBytes]))
    }

    /// Signs a random S2 or C2 in place.
    static func signResponse(_ packet: inout [UInt8], peerDigest: [UInt8], key: [UInt8]) {
        let signature = responseSignature(of: packet, peerDigest: peerDigest, key: key)
        packet.replaceSubrange(responseSignedBytes..., with: signature)
    }

    static func isSignedResponse(_ packet: [UInt8], peerDigest: [UInt8], key: [UInt8]) -> Bool {
        packet[responseSignedBytes...].elementsEqual(responseSignature(of: packet, peerDigest: peerDigest, key: key))
    }
}
