import COpenSSL
import Testing

/// The other end of a `TLSClient` in tests: an OpenSSL server over memory BIOs, with a certificate and key from
/// `TestCertificates`. It takes ciphertext, keeps the plaintext it decrypts, and queues its answers.
final class TestTLSServer {
    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    /// Plaintext received so far.
    private(set) var received: [UInt8] = []
    /// The client's close_notify arrived.
    private(set) var sawCloseNotify = false
    /// The handshake or a record failed (the client sent an alert).
    private(set) var failed = false

    init(certificate: String, key: String) throws {
        let context = try #require(SSL_CTX_new(TLS_server_method()))
        defer { SSL_CTX_free(context) }  // the SSL keeps its own reference
        try #require(SSL_CTX_use_certificate_chain_file(context, certificate) == 1)
        try #require(SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1)
        ssl = try #require(SSL_new(context))
        incoming = try #require(BIO_new(BIO_s_mem()))
        outgoing = try #require(BIO_new(BIO_s_mem()))
        SSL_set_bio(ssl, incoming, outgoing)
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    var isEstablished: Bool { SSL_is_init_finished(ssl) == 1 }

    /// The name the client sent in its ClientHello (SNI).
    var requestedName: String? { SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) } }

    /// Feeds ciphertext; runs the handshake and decrypts what it can.
    func receive(_ bytes: ArraySlice<UInt8>) {
        _ = bytes.withUnsafeBytes { BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while !failed && !sawCloseNotify {
            let count = SSL_read(ssl, &buffer, Int32(buffer.count))
            if count > 0 {
                received += buffer[..<Int(count)]
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ: return
            case SSL_ERROR_ZERO_RETURN: sawCloseNotify = true
            default: failed = true
            }
        }
    }

    func send(_ bytes: [UInt8]) {
        precondition(SSL_write(ssl, bytes, Int32(bytes.count)) == Int32(bytes.count))
    }

    /// Queues close_notify.
    func close() {
        SSL_shutdown(ssl)
    }

    /// The ciphertext queued for the client.
    func takeOutgoing() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(outgoing)))
        if !bytes.isEmpty { _ = BIO_read(outgoing, &bytes, Int32(bytes.count)) }
        return bytes
    }
}
