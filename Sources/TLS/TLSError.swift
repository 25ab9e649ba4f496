internal import COpenSSL

/// A TLS failure as text for logs and status: what was being done and with whom, then OpenSSL's reasons
/// (`ERR_error_string_n`), and the certificate check's own reason when that is what failed:
/// `TLS handshake with localhost: error:0A000086:SSL routines::certificate verify failed (unable to get local
/// issuer certificate)`.
public struct TLSError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// `what`, then every error in this thread's OpenSSL queue (which it empties), then the reason of a failed
    /// certificate check (`verifyResult`, from `SSL_get_verify_result`).
    static func openSSL(_ what: String, _ openSSL: copenssl_functions, verifyResult: Int = Int(X509_V_OK)) -> TLSError {
        var reasons: [String] = []
        var text = [CChar](repeating: 0, count: 256)
        while case let code = openSSL.ERR_get_error(), code != 0 {
            openSSL.ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        var message = what + ": " + (reasons.isEmpty ? "failed" : reasons.joined(separator: "; "))
        if verifyResult != Int(X509_V_OK), let reason = openSSL.X509_verify_cert_error_string(verifyResult) {
            message += " (\(String(cString: reason)))"
        }
        return TLSError(message)
    }
}
