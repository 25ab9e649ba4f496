// Debian's OpenSSL 3 (libssl-dev), imported whole for the TLS module. Swift calls its functions directly; what
// OpenSSL defines as macros over SSL_ctrl/SSL_CTX_ctrl (which Swift does not import) is wrapped below.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/// SSL_set_tlsext_host_name: the server name sent in the ClientHello (SNI), a macro over SSL_ctrl.
static inline int copenssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// SSL_CTX_set_min_proto_version: the oldest protocol version the context accepts, a macro over SSL_CTX_ctrl.
static inline int copenssl_set_min_protocol(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}
