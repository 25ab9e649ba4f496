import Testing
import TestSupport
@testable import TLS

/// How the network cuts ciphertext into reads: all at once, one byte per read, or seeded random reads of 1 to 64
/// bytes, so that every record header straddles reads somewhere.
enum Split: Sendable, CustomTestStringConvertible {
    case whole, byteByByte, random(seed: UInt64)

    static let all: [Split] = [.whole, .byteByByte, .random(seed: 11), .random(seed: 12)]

    var testDescription: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "random reads, seed \(seed)"
        }
    }

    func pieces(of bytes: [UInt8], using generator: inout SplitMix64) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let size = switch self {
            case .whole: bytes.count
            case .byteByByte: 1
            case .random: Int.random(in: 1...64, using: &generator)
            }
            pieces.append(bytes[start..<min(bytes.count, start + size)])
            start += size
        }
        return pieces
    }
}

/// A `TLSClient` and a `TestTLSServer` joined in memory: `pump` carries what each queued to the other, in the
/// split's pieces, until neither has anything more to say.
final class TLSLink {
    let client: TLSClient
    let server: TestTLSServer
    let split: Split
    private var generator: SplitMix64
    /// Plaintext the client delivered.
    private(set) var clientReceived: [UInt8] = []
    /// The client's error, when it failed.
    private(set) var clientError: TLSError?

    /// The certificates every test shares, made once per process.
    static let certificates = Result { try TestCertificates() }

    /// `context`: the client's; by default one that trusts the test authority only.
    init(serverName: String = "localhost", stranger: Bool = false, split: Split = .whole, context: TLSContext? = nil) throws {
        let certificates = try Self.certificates.get()
        let context = try context ?? TLSContext(authorities: certificates.authority)
        client = try TLSClient(context: context, serverName: serverName)
        server = try TestTLSServer(certificate: stranger ? certificates.strangerCertificate : certificates.certificate,
                                   key: stranger ? certificates.strangerKey : certificates.key)
        self.split = split
        generator = SplitMix64(seed: { if case .random(let seed) = split { seed } else { 0 } }())
    }

    /// Starts the client's handshake and pumps.
    func connect() {
        do {
            try client.start()
        } catch {
            clientError = error
        }
        pump()
    }

    func pump() {
        var quiet = false
        while !quiet {
            var toServer: [UInt8] = []
            client.drainOutgoing { toServer += $0 }
            for piece in split.pieces(of: toServer, using: &generator) { server.receive(piece) }
            let toClient = server.takeOutgoing()
            for piece in split.pieces(of: toClient, using: &generator) {
                let result = piece.withUnsafeBytes { bytes in
                    Result { () throws(TLSError) in try client.receive(bytes) { clientReceived += $0 } }
                }
                if case .failure(let error) = result { clientError = error }
            }
            quiet = toServer.isEmpty && toClient.isEmpty
        }
    }
}
