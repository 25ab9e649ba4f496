import Foundation

/// Certificates for TLS tests, made with the `openssl` command (apt openssl) in a new temporary directory, P-256
/// keys valid for two days: an authority (`authority`), a server certificate it signed for `localhost` and
/// 127.0.0.1 (`certificate`, `key`), and one for the same names signed by another authority that nothing trusts
/// (`strangerCertificate`, `strangerKey`).
public struct TestCertificates: Sendable {
    public let directory: URL
    public var authority: String { path("authority.pem") }
    public var certificate: String { path("server.pem") }
    public var key: String { path("server.key") }
    public var strangerCertificate: String { path("stranger.pem") }
    public var strangerKey: String { path("stranger.key") }

    public init() throws {
        directory = try ExternalTool.temporaryDirectory()
        try makeAuthority("authority", name: "Sluice Test Authority")
        try makeAuthority("other-authority", name: "Untrusted Test Authority")
        try makeServer("server", signedBy: "authority", serial: 2)
        try makeServer("stranger", signedBy: "other-authority", serial: 3)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func makeAuthority(_ name: String, name commonName: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2", "-subj", "/CN=\(commonName)"])
    }

    private func makeServer(_ name: String, signedBy authority: String, serial: Int) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(authority).pem"),
                     "-CAkey", path("\(authority).key"), "-set_serial", String(serial), "-days", "2",
                     "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try ExternalTool.run(["openssl"] + arguments)
        guard result.status == 0 else { throw Failure(description: "openssl \(arguments[0]): \(result.stderr)") }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
