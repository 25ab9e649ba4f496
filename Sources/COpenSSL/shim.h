// Debian's OpenSSL 3 (libssl-dev) for the TLS module: its headers, and its functions loaded at run time.
//
// Not linked: a process that links libssl and libcrypto pays about 450 KB of private memory for their relocations
// whether it uses them or not (measured in an edge worker), and every Sluice worker is the same binary while few
// make TLS connections. `copenssl_load` opens libssl (which brings libcrypto) at the first TLS connection and
// resolves the functions the TLS module calls; their prototypes come from the headers (`__typeof__`), so a call
// through the table is checked like a direct call.
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define COPENSSL_FUNCTIONS(X) \
    X(BIO_ctrl_pending) X(BIO_new) X(BIO_read) X(BIO_s_mem) X(BIO_write) \
    X(ERR_clear_error) X(ERR_error_string_n) X(ERR_get_error) \
    X(SSL_CTX_ctrl) X(SSL_CTX_free) X(SSL_CTX_load_verify_locations) X(SSL_CTX_new) \
    X(SSL_CTX_set_default_verify_paths) X(SSL_CTX_set_verify) \
    X(SSL_ctrl) X(SSL_do_handshake) X(SSL_free) X(SSL_get0_param) X(SSL_get_error) X(SSL_get_verify_result) \
    X(SSL_new) X(SSL_read) X(SSL_set1_host) X(SSL_set_bio) X(SSL_set_connect_state) X(SSL_set_hostflags) \
    X(SSL_shutdown) X(SSL_write) X(TLS_client_method) X(X509_VERIFY_PARAM_set1_ip_asc) \
    X(X509_verify_cert_error_string)

#pragma clang assume_nonnull begin
/// One pointer per function of COPENSSL_FUNCTIONS, named like it.
typedef struct {
#define COPENSSL_FIELD(name) __typeof__(name) *name;
    COPENSSL_FUNCTIONS(COPENSSL_FIELD)
#undef COPENSSL_FIELD
} copenssl_functions;
#pragma clang assume_nonnull end

#define COPENSSL_TEXT(x) COPENSSL_TEXT_(x)
#define COPENSSL_TEXT_(x) #x

/// Opens libssl.so.3 (the soname of the headers' version) and fills the table: the table, or NULL with `*error`
/// set to dlerror's text. Call it once per process (the TLS module does, from one place).
static inline const copenssl_functions *copenssl_load(const char **error) {
    static copenssl_functions functions;
    void *library = dlopen("libssl.so." COPENSSL_TEXT(OPENSSL_SHLIB_VERSION), RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        *error = dlerror();
        return NULL;
    }
#define COPENSSL_RESOLVE(name) \
    if ((functions.name = (__typeof__(name) *)dlsym(library, #name)) == NULL) { \
        *error = dlerror(); \
        return NULL; \
    }
    COPENSSL_FUNCTIONS(COPENSSL_RESOLVE)
#undef COPENSSL_RESOLVE
    return &functions;
}

/// SSL_set_tlsext_host_name: the server name sent in the ClientHello (SNI), a macro over SSL_ctrl.
static inline int copenssl_set_server_name(const copenssl_functions *functions, SSL *ssl, const char *name) {
    return (int)functions->SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name);
}

/// SSL_CTX_set_min_proto_version: the oldest protocol version the context accepts, a macro over SSL_CTX_ctrl.
static inline int copenssl_set_min_protocol(const copenssl_functions *functions, SSL_CTX *context, int version) {
    return (int)functions->SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, version, NULL);
}
