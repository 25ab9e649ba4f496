import Testing
@testable import RTMP

/// Runs a server and a client handshake against each other, every write delivered in `feed`'s reads.
private struct HandshakePair {
    var server: RTMPServerHandshake
    var client: RTMPClientHandshake
    var serverLeftover: [UInt8]?
    var clientLeftover: [UInt8]?
    var serverSent: [UInt8] = []
    var clientSent: [UInt8] = []

    init(digest: Bool) {
        server = RTMPServerHandshake(epoch: 1000, seed: 1)
        client = RTMPClientHandshake(digest: digest, seed: 2)
    }

    mutating func run(_ feed: Feed, clientExtra: [UInt8] = [], serverExtra: [UInt8] = []) throws {
        var toServer = client.start()
        clientSent = toServer
        var toClient: [UInt8] = []
        var rounds = 0
        while serverLeftover == nil || clientLeftover == nil {
            rounds += 1
            try #require(rounds < 10, "the handshake does not finish")
            if serverLeftover == nil, client.isDone { toServer += clientExtra }
            let forServer = toServer
            toServer = []
            deliver(forServer, feed, "server", to: { server.receive($0) }, sent: &serverSent, out: &toClient, leftover: &serverLeftover)
            if server.isDone, clientLeftover == nil, toClient.count > 0 { toClient += serverExtra }
            let forClient = toClient
            toClient = []
            deliver(forClient, feed, "client", to: { client.receive($0) }, sent: &clientSent, out: &toServer, leftover: &clientLeftover)
        }
    }

    /// Feeds `bytes` to one side in `feed`'s reads, collecting what it sends and what it leaves over.
    private func deliver(_ bytes: [UInt8], _ feed: Feed, _ side: String, to receive: ([UInt8]) -> [RTMPHandshake.Action],
                         sent: inout [UInt8], out: inout [UInt8], leftover: inout [UInt8]?) {
        for piece in feed.pieces(bytes) {
            for action in receive(piece) {
                switch action {
                case .send(let answer): out += answer; sent += answer
                case .done(let rest): leftover = (leftover ?? []) + rest
                case .fail(let error): Issue.record("\(side): \(error)")
                }
            }
        }
    }
}

@Suite struct HandshakeTests {
    @Test(arguments: Feed.all) func plain(feed: Feed) throws {
        var pair = HandshakePair(digest: false)
        try pair.run(feed, clientExtra: [1, 2, 3])
        #expect(!pair.server.usedDigest && pair.client.peerVerified)
        #expect(pair.serverLeftover == [1, 2, 3] && pair.clientLeftover == [])
        // RTMP 1.0 section 5.2.2-5.2.4: S0 = 3, S1 = time + zero + random, S2 = C1 echoed; C2 = S1 echoed.
        let c1 = Array(pair.clientSent[1...1536])
        #expect(pair.clientSent[0] == 3 && c1[4..<8].allSatisfy { $0 == 0 })
        #expect(pair.serverSent.count == 1 + 2 * 1536 && pair.serverSent[0] == 3)
        #expect(Array(pair.serverSent[1..<5]) == [0, 0, 0x03, 0xE8] && pair.serverSent[5..<9].allSatisfy { $0 == 0 })
        #expect(Array(pair.serverSent[1537...]) == c1)
        #expect(Array(pair.clientSent[1537...]) == Array(pair.serverSent[1...1536]))
    }

    @Test(arguments: Feed.all) func digest(feed: Feed) throws {
        var pair = HandshakePair(digest: true)
        try pair.run(feed, clientExtra: Array("connect".utf8))
        #expect(pair.server.usedDigest && pair.client.peerVerified)
        #expect(pair.serverLeftover == Array("connect".utf8))
        let s1 = Array(pair.serverSent[1...1536])
        #expect(Array(s1[4..<8]) == RTMPServerHandshake.serverVersion)
        let found = try #require(RTMPHandshakeDigest.findDigest(in: s1, key: RTMPHandshakeDigest.serverPartialKey))
        #expect(found.scheme == .zero)
        // C2 answers S1's digest (not an echo).
        let c2 = Array(pair.clientSent[1537...])
        #expect(c2 != s1)
        #expect(RTMPHandshakeDigest.isSignedResponse(c2, peerDigest: found.digest, key: RTMPHandshakeDigest.playerKey))
    }

    /// A C1 signed by an independent implementation (Python's hmac, following the layout of librtmp's
    /// handshake.h): C1 = zero time, version 9.0.124.2, then byte i = (31 i + 7) mod 256; the digest overwrites
    /// 32 bytes at offset 450 (scheme 0) or 1486 (scheme 1).
    static func fixtureC1(scheme: Int) -> (c1: [UInt8], offset: Int, digest: [UInt8], s2Signature: [UInt8]) {
        var c1 = [UInt8](repeating: 0, count: 1536)
        c1[4...7] = [9, 0, 124, 2]
        for i in 8..<1536 { c1[i] = UInt8(truncatingIfNeeded: i * 31 + 7) }
        if scheme == 0 {
            return (c1, 450, hex("a3ba710c26a9f95974deaac20ae608dcad6f09c8e61b847f0e495845c49c4724"),
                    hex("7251ac183b386ff9fecd7d6e67d3604bc1dd036e2920a6467f8b567c12c0249a"))
        }
        return (c1, 1486, hex("620ff796e3863f5eed780742bdc0d799852194af9e008ae34ee7998e465bf0fa"),
                hex("51a00e074a4efff963fb509f229bf3b009f52670327f6d975e9174dc997165bd"))
    }

    @Test(arguments: [0, 1]) func serverFindsEitherScheme(scheme: Int) throws {
        var (c1, offset, digest, s2Signature) = Self.fixtureC1(scheme: scheme)
        c1.replaceSubrange(offset..<(offset + 32), with: digest)
        #expect(RTMPHandshakeDigest.digestOffset(in: c1, scheme: scheme == 0 ? .zero : .one) == offset)
        var server = RTMPServerHandshake(seed: 3)
        let actions = server.receive([3] + c1)
        guard case .send(let answer) = try #require(actions.first) else { Issue.record("no answer"); return }
        #expect(server.usedDigest)
        let s1 = Array(answer[1...1536])
        let found = try #require(RTMPHandshakeDigest.findDigest(in: s1, key: RTMPHandshakeDigest.serverPartialKey))
        #expect(found.scheme.rawValue == scheme)
        // The S2 signature depends only on C1's digest and S2's own bytes: check the key derivation against the
        // fixture with S2 = (13 i + 5) mod 256.
        let s2 = (0..<1536).map { UInt8(truncatingIfNeeded: $0 * 13 + 5) }
        #expect(RTMPHandshakeDigest.responseSignature(of: s2, peerDigest: digest, key: RTMPHandshakeDigest.serverKey)
            == s2Signature)
        #expect(RTMPHandshakeDigest.isSignedResponse(Array(answer[1537...]), peerDigest: digest,
                                                      key: RTMPHandshakeDigest.serverKey))
    }

    @Test func badDigestFallsBackToEcho() throws {
        let c1 = Self.fixtureC1(scheme: 0).c1  // version set, digest missing
        var server = RTMPServerHandshake(seed: 4)
        let actions = server.receive([3] + c1)
        guard case .send(let answer) = try #require(actions.first) else { Issue.record("no answer"); return }
        #expect(!server.usedDigest && Array(answer[1537...]) == c1)
    }

    @Test(arguments: [
        (UInt8(6), RTMPError.Kind.encryptedHandshake), (8, .encryptedHandshake), (0x47, .notRTMP), (0x16, .unsupportedVersion),
        (4, .unsupportedVersion), (0xFF, .notRTMP),
    ])
    func refusesVersions(first: UInt8, kind: RTMPError.Kind) {
        var server = RTMPServerHandshake()
        let actions = server.receive([first] + pattern(100))
        #expect(actions == [.fail(RTMPError(kind, RTMPHandshake.versionError(first).detail))])
        #expect(server.receive([3]) == actions)  // spent
        var client = RTMPClientHandshake()
        _ = client.start()
        #expect(failure(client.receive([first]))?.kind == kind)
    }

    @Test func rtmpeIsNamed() {
        var server = RTMPServerHandshake()
        #expect(failure(server.receive([6]))?.description.contains("RTMPE not supported") == true)
        #expect(failure(server.receive(Array("GET / HTTP/1.1\r\n".utf8)))?.kind == .encryptedHandshake)  // it stands
    }

    @Test func truncatedHandshakeWaits() {
        var server = RTMPServerHandshake()
        #expect(server.receive([3] + pattern(1535)).isEmpty)
        #expect(!server.isDone)
        let answer = server.receive([0])
        #expect(answer.count == 1 && !server.isDone)
        #expect(server.receive(pattern(1535)).isEmpty)
        #expect(server.receive([9, 9]) == [.done(leftover: [9])])
        #expect(server.receive([1, 2]) == [.done(leftover: [1, 2])])
    }

    @Test func garbageAfterVersionByteIsJustC1() {
        // Any 1536 bytes are a valid plain C1: garbage after a 3 costs one echo, then the chunk decoder refuses it.
        var server = RTMPServerHandshake()
        let actions = server.receive([3] + pattern(1536, multiplier: 97) + pattern(1536, multiplier: 5) + [0xFF])
        #expect(actions.count == 2 && actions.last == .done(leftover: [0xFF]))
    }
}

private func failure(_ actions: [RTMPHandshake.Action]) -> RTMPError? {
    for case .fail(let error) in actions { return error }
    return nil
}
