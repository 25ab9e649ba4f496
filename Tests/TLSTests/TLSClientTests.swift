import Testing
import TestSupport
@testable import TLS

/// `TLSClient` against an OpenSSL server in memory (`TLSLink`), ciphertext fed whole, byte by byte and in random
/// reads: the handshake, data both ways, close_notify, and the refusals of a wrong name and an untrusted certificate.
@Suite struct TLSClientTests {
    private let request = Array("GET /live/mpegts HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)

    @Test(arguments: Split.all)
    func handshakeThenDataBothWays(split: Split) throws {
        let link = try TLSLink(split: split)
        #expect(throws: TLSError("TLS connection with localhost: cannot send while handshaking")) {
            try request.withUnsafeBytes { try link.client.send($0) }
        }
        link.connect()
        #expect(link.clientError == nil)
        #expect(link.client.state == .established && link.server.isEstablished)
        #expect(link.server.requestedName == "localhost")
        try request.withUnsafeBytes { try link.client.send($0) }
        link.pump()
        #expect(link.server.received == request)

        var generator = SplitMix64(seed: 5)
        let answer = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }  // several records
        link.server.send(answer)
        link.pump()
        #expect(link.clientReceived == answer)
        let more = [UInt8](repeating: 7, count: 40_000)
        try more.withUnsafeBytes { try link.client.send($0) }
        link.pump()
        #expect(link.server.received == request + more)
    }

    @Test(arguments: Split.all)
    func serverCloseNotifyEndsCleanly(split: Split) throws {
        let link = try TLSLink(split: split)
        link.connect()
        link.server.send(request)
        link.server.close()
        link.pump()
        #expect(link.clientReceived == request)  // what came before close_notify is delivered
        #expect(link.client.state == .closed && link.clientError == nil)
        #expect(link.client.endOfInput() == nil)
        #expect(throws: TLSError.self) { try request.withUnsafeBytes { try link.client.send($0) } }
    }

    @Test func clientCloseSendsCloseNotify() throws {
        let link = try TLSLink()
        link.connect()
        link.client.close()
        link.pump()
        #expect(link.server.sawCloseNotify && link.client.state == .closed)
    }

    @Test func anEndWithoutCloseNotifyIsAnError() throws {
        let link = try TLSLink()
        link.connect()
        #expect(link.client.endOfInput()?.message == "localhost closed the connection without a TLS close_notify")
        #expect(link.client.state == .failed)
        let early = try TLSLink()
        try early.client.start()
        #expect(early.client.endOfInput()?.message == "localhost closed the connection during the TLS handshake")
    }

    @Test(arguments: [Split.whole, .byteByByte])
    func aNameTheCertificateDoesNotCarryIsRefused(split: Split) throws {
        let link = try TLSLink(serverName: "example.org", split: split)
        link.connect()
        let error = try #require(link.clientError)
        #expect(error.message.hasPrefix("TLS handshake with example.org: error:"))
        #expect(error.message.hasSuffix("certificate verify failed (hostname mismatch)"))
        #expect(link.client.state == .failed && !link.server.isEstablished)
        #expect(link.server.failed)  // the client's alert
    }

    @Test func anAddressIsCheckedAgainstTheCertificatesAddresses() throws {
        let link = try TLSLink(serverName: "127.0.0.1")
        link.connect()
        #expect(link.clientError == nil && link.client.state == .established)
        #expect(link.server.requestedName == nil)  // no SNI for an address (RFC 6066)
        let wrong = try TLSLink(serverName: "127.0.0.2")
        wrong.connect()
        #expect(wrong.clientError?.message.hasSuffix("certificate verify failed (IP address mismatch)") == true)
    }

    @Test(arguments: [Split.whole, .byteByByte])
    func anUntrustedCertificateIsRefused(split: Split) throws {
        let link = try TLSLink(stranger: true, split: split)
        link.connect()
        let error = try #require(link.clientError)
        #expect(error.message.hasPrefix("TLS handshake with localhost: error:"))
        #expect(error.message.hasSuffix("certificate verify failed (unable to get local issuer certificate)"))
        #expect(!link.server.isEstablished)
    }

    /// The process's context verifies against the system's authorities, which do not include the test's.
    @Test func theSharedContextVerifiesAgainstTheSystemStore() throws {
        let link = try TLSLink(context: try TLSContext.shared.get())
        link.connect()
        #expect(link.clientError?.message.hasSuffix("(unable to get local issuer certificate)") == true)
    }
}
