internal import COpenSSL

/// OpenSSL's functions as this module calls them: loaded once per process, at the first TLS context, by
/// `copenssl_load` (libssl is opened at run time rather than linked: see Sources/COpenSSL/shim.h).
enum OpenSSL {
    static let functions = Result<copenssl_functions, TLSError> { () throws(TLSError) in
        var error: UnsafePointer<CChar>?
        guard let table = copenssl_load(&error) else {
            throw TLSError("cannot load OpenSSL: " + (error.map { String(cString: $0) } ?? "?"))
        }
        return table.pointee
    }
}
