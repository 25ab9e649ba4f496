import Foundation

/// socat as a TLS server in front of a plain TCP port on loopback (a Sluice instance's RTMP or HTTP port, a test's
/// HTTP backend): `OPENSSL-LISTEN` with a test certificate, a child per connection that decrypts and forwards.
/// Stopped when released; its children end with their connections.
final class TLSFront {
    let port = Sluice.freePort()
    private let process: Process

    init(forwardingTo target: Int, certificate: String, key: String) throws {
        process = try Sluice.start("/usr/bin/socat", [
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(certificate),key=\(key),verify=0",
            "TCP:127.0.0.1:\(target)",
        ])
        // A probe connection is closed at once: socat's child for it gives up the handshake.
        try waitUntil(seconds: 10, "socat listens on \(port)") { Sluice.connectLoopback(port).map { close($0) } != nil }
    }

    deinit { Sluice.stop(process) }
}
