internal import COpenSSL

/// The TLS client settings every outgoing connection of a process shares (an OpenSSL `SSL_CTX`): TLS 1.2 or newer,
/// and the server's certificate chain checked against the system's trusted authorities
/// (`SSL_CTX_set_default_verify_paths`: Debian's /etc/ssl/certs, or the files named by `SSL_CERT_FILE` and
/// `SSL_CERT_DIR` when they are set in the environment). There is no way to turn the check off: the config
/// language has no option for it (spec/reference.md).
///
/// Made once per process (`shared`) at the first TLS connection and reused by all: loading the authorities reads
/// the system's bundle (about 140 certificates on Debian). A worker that never makes a TLS connection never loads
/// it. Safe to share: it is not changed after it is made.
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    /// The process's context, or why it could not be made (the error is reported by each connection that needs it).
    public static let shared = Result<TLSContext, TLSError> { () throws(TLSError) in try TLSContext() }

    /// `authorities`: a PEM file of the only authorities to trust, for tests; nil for the system's.
    init(authorities: String? = nil) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .openSSL("SSL_CTX_new") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard copenssl_set_min_protocol(context, TLS1_2_VERSION) == 1 else { throw .openSSL("SSL_CTX_set_min_proto_version") }
        if let authorities {
            guard SSL_CTX_load_verify_locations(context, authorities, nil) == 1 else {
                throw .openSSL("SSL_CTX_load_verify_locations(\(authorities))")
            }
        } else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else { throw .openSSL("SSL_CTX_set_default_verify_paths") }
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}
