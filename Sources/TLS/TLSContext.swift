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
    /// The functions its connections call.
    let openSSL: copenssl_functions

    /// The process's context, or why it could not be made (the error is reported by each connection that needs it).
    public static let shared = Result<TLSContext, TLSError> { () throws(TLSError) in try TLSContext() }

    /// `authorities`: a PEM file of the only authorities to trust, for tests; nil for the system's.
    init(authorities: String? = nil) throws(TLSError) {
        let openSSL = try OpenSSL.functions.get()
        openSSL.ERR_clear_error()
        guard let context = openSSL.SSL_CTX_new(openSSL.TLS_client_method()) else { throw .openSSL("SSL_CTX_new", openSSL) }
        self.context = context
        self.openSSL = openSSL
        openSSL.SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard withUnsafePointer(to: openSSL, { copenssl_set_min_protocol($0, context, TLS1_2_VERSION) }) == 1 else {
            throw .openSSL("SSL_CTX_set_min_proto_version", openSSL)
        }
        if let authorities {
            guard openSSL.SSL_CTX_load_verify_locations(context, authorities, nil) == 1 else {
                throw .openSSL("SSL_CTX_load_verify_locations(\(authorities))", openSSL)
            }
        } else {
            guard openSSL.SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .openSSL("SSL_CTX_set_default_verify_paths", openSSL)
            }
        }
    }

    deinit {
        openSSL.SSL_CTX_free(context)
    }
}
