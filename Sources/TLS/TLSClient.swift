internal import COpenSSL

/// One TLS client connection without a socket (OpenSSL over two memory BIOs): the caller carries ciphertext
/// between it and the network. `start` once connected, `receive` with what the network delivers (the handshake
/// advances, plaintext comes out), `send` once `established` (ciphertext goes in the outgoing queue), `close` for
/// close_notify; after each of these, `drainOutgoing` hands over what is queued for the network.
///
/// Checks, during the handshake: the server's certificate chain against the context's authorities, and the
/// certificate's names against `serverName` (a DNS name, no partial wildcards; or an IPv4/IPv6 address matched
/// against its IP addresses). The name goes in the ClientHello (SNI) unless it is an address.
///
/// Costs per connection: OpenSSL's connection state with its read and write record buffers (about 17 KB each), the
/// two memory BIOs (as large as the most ciphertext that waited in each), a 16 KB plaintext buffer (one record), and
/// an outgoing buffer as large as the largest write's ciphertext, all reused: nothing is allocated per read or write
/// once they have grown. Not thread-safe: one event loop owns it.
public final class TLSClient {
    public enum State: Equatable, Sendable {
        /// Until the server's Finished; nothing can be sent meanwhile.
        case handshaking
        case established
        /// The server's close_notify arrived, or `close` sent ours: nothing more either way.
        case closed
        /// A handshake, certificate or record error (the error was thrown once; everything after is ignored).
        case failed
    }

    public private(set) var state = State.handshaking
    /// The name checked against the certificate, and named in errors.
    public let serverName: String
    private let openSSL: copenssl_functions
    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    private let plaintext: UnsafeMutableRawBufferPointer
    private var ciphertext = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// The largest plaintext a TLS record carries, and so the most one `SSL_read` returns.
    private static let recordSize = 16_384

    public init(context: TLSContext, serverName: String) throws(TLSError) {
        self.serverName = serverName
        let openSSL = context.openSSL
        self.openSSL = openSSL
        openSSL.ERR_clear_error()
        guard let ssl = openSSL.SSL_new(context.context) else { throw .openSSL("SSL_new for \(serverName)", openSSL) }
        guard let incoming = openSSL.BIO_new(openSSL.BIO_s_mem()), let outgoing = openSSL.BIO_new(openSSL.BIO_s_mem()) else {
            openSSL.SSL_free(ssl)
            throw .openSSL("BIO_new for \(serverName)", openSSL)
        }
        openSSL.SSL_set_bio(ssl, incoming, outgoing)  // the SSL owns both BIOs from here
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        plaintext = .allocate(byteCount: Self.recordSize, alignment: 16)
        openSSL.SSL_set_connect_state(ssl)
        // An address is checked against the certificate's IP addresses and never sent as SNI (RFC 6066 section 3).
        if openSSL.X509_VERIFY_PARAM_set1_ip_asc(openSSL.SSL_get0_param(ssl), serverName) != 1 {
            openSSL.SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            let named = withUnsafePointer(to: openSSL) { copenssl_set_server_name($0, ssl, serverName) }
            guard openSSL.SSL_set1_host(ssl, serverName) == 1, named == 1 else {
                throw .openSSL("TLS server name '\(serverName)'", openSSL)
            }
        }
    }

    deinit {
        openSSL.SSL_free(ssl)
        plaintext.deallocate()
        ciphertext.deallocate()
    }

    /// Begins the handshake: the ClientHello is then queued for the network.
    public func start() throws(TLSError) {
        guard state == .handshaking else { return }
        try handshake()
    }

    /// Takes ciphertext from the network (any split), advances the handshake, and hands each piece of plaintext it
    /// decrypts to `deliver` (borrowed, valid during the call). `deliver` may `close` this client: nothing more is
    /// delivered then. Throws a handshake, certificate or record error (once; the state is `failed` after it).
    /// Ignored once closed or failed.
    public func receive(_ bytes: UnsafeRawBufferPointer, deliver: (UnsafeRawBufferPointer) -> Void) throws(TLSError) {
        guard state == .handshaking || state == .established else { return }
        if let base = bytes.baseAddress, bytes.count > 0 {
            guard openSSL.BIO_write(incoming, base, Int32(bytes.count)) == Int32(bytes.count) else {
                throw fail("TLS input from \(serverName)")
            }
        }
        if state == .handshaking {
            try handshake()
        }
        while state == .established {
            openSSL.ERR_clear_error()
            let count = openSSL.SSL_read(ssl, plaintext.baseAddress, Int32(plaintext.count))
            if count > 0 {
                deliver(UnsafeRawBufferPointer(start: plaintext.baseAddress, count: Int(count)))
                continue
            }
            switch openSSL.SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ: return
            case SSL_ERROR_ZERO_RETURN: state = .closed
            default: throw fail("TLS read from \(serverName)")
            }
        }
    }

    /// Encrypts `bytes` into the outgoing queue. Throws unless `established`.
    public func send(_ bytes: UnsafeRawBufferPointer) throws(TLSError) {
        guard state == .established else {
            throw TLSError("TLS connection with \(serverName): cannot send while \(state)")
        }
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {  // a memory BIO takes everything: one pass, unless the write passes 2 GB
            openSSL.ERR_clear_error()
            let count = openSSL.SSL_write(ssl, base + offset, Int32(Swift.min(bytes.count - offset, Int(Int32.max))))
            guard count > 0 else { throw fail("TLS write to \(serverName)") }
            offset += Int(count)
        }
    }

    /// Queues close_notify (when the handshake is done) and ends the connection; nothing is sent or delivered after.
    public func close() {
        if state == .established {
            openSSL.ERR_clear_error()
            _ = openSSL.SSL_shutdown(ssl)
        }
        if state != .failed { state = .closed }
    }

    /// The network connection ended (the server closed its side): nil when the server said so first with
    /// close_notify; otherwise why the end is an error, since the data may have been cut short.
    public func endOfInput() -> TLSError? {
        defer { if state != .closed { state = .failed } }
        switch state {
        case .closed, .failed: return nil
        case .handshaking: return TLSError("\(serverName) closed the connection during the TLS handshake")
        case .established: return TLSError("\(serverName) closed the connection without a TLS close_notify")
        }
    }

    /// Hands what is queued for the network to `write` (borrowed, valid during the call), when there is anything.
    public func drainOutgoing(_ write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let pending = Int(openSSL.BIO_ctrl_pending(outgoing))
        guard pending > 0 else { return }
        if ciphertext.count < pending {
            ciphertext.deallocate()
            var size = Swift.max(ciphertext.count, 4096)
            while size < pending { size *= 2 }
            ciphertext = .allocate(byteCount: size, alignment: 16)
        }
        let count = openSSL.BIO_read(outgoing, ciphertext.baseAddress, Int32(pending))
        guard count > 0 else { return }
        try write(UnsafeRawBufferPointer(start: ciphertext.baseAddress, count: Int(count)))
    }

    private func handshake() throws(TLSError) {
        openSSL.ERR_clear_error()
        let result = openSSL.SSL_do_handshake(ssl)
        if result == 1 {
            state = .established
            return
        }
        guard openSSL.SSL_get_error(ssl, result) == SSL_ERROR_WANT_READ else { throw fail("TLS handshake with \(serverName)") }
    }

    /// The error of the failed call, with OpenSSL's reasons; the client is failed from now on.
    private func fail(_ what: String) -> TLSError {
        state = .failed
        return .openSSL(what, openSSL, verifyResult: openSSL.SSL_get_verify_result(ssl))
    }
}
