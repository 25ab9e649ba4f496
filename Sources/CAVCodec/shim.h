// Debian's FFmpeg (libavcodec-dev, libswresample-dev, libavutil-dev) for the Transcode module (`rtsp2://`): its
// headers, and its functions loaded at run time.
//
// Not linked: the `sluice` binary is re-executed as every worker, and a process that links libavcodec loads it with
// its ~95 dependent libraries (x264, x265, vpx, dav1d...) whether it uses them or not: measured, +3.0 MB of private
// dirty memory per process (an edge worker went from 1.0 to 4.0 MB) and about 25 ms more per exec. Only ingest
// workers with G.711 on an `rtsp2://` input need it. `cavcodec_load` opens the three libraries at the first
// transcoding chain and resolves the functions the Transcode module calls; their prototypes come from the headers
// (`__typeof__`), so a call through the table is checked like a direct call.
#include <dlfcn.h>
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>

// X(library, function): the library's handle in `cavcodec_load`, and the function.
#define CAVCODEC_FUNCTIONS(X) \
    X(avutil, av_channel_layout_copy) X(avutil, av_channel_layout_default) X(avutil, av_channel_layout_uninit) \
    X(avutil, av_frame_alloc) X(avutil, av_frame_free) X(avutil, av_frame_get_buffer) \
    X(avutil, av_frame_make_writable) X(avutil, av_strerror) \
    X(avcodec, av_packet_alloc) X(avcodec, av_packet_free) X(avcodec, av_packet_unref) \
    X(avcodec, avcodec_alloc_context3) X(avcodec, avcodec_find_encoder_by_name) X(avcodec, avcodec_free_context) \
    X(avcodec, avcodec_open2) X(avcodec, avcodec_receive_packet) X(avcodec, avcodec_send_frame) \
    X(swresample, swr_alloc_set_opts2) X(swresample, swr_convert) X(swresample, swr_free) \
    X(swresample, swr_get_out_samples) X(swresample, swr_init)

#pragma clang assume_nonnull begin
/// One pointer per function of CAVCODEC_FUNCTIONS, named like it.
typedef struct {
#define CAVCODEC_FIELD(library, name) __typeof__(name) *name;
    CAVCODEC_FUNCTIONS(CAVCODEC_FIELD)
#undef CAVCODEC_FIELD
} cavcodec_functions;
#pragma clang assume_nonnull end

/// Opens libavutil, libswresample and libavcodec (the sonames of the headers' major versions) and fills the table:
/// the table, or NULL with `*error` set to dlerror's text. Call it once per process (the Transcode module does, from
/// one place).
static inline const cavcodec_functions *cavcodec_load(const char **error) {
    static cavcodec_functions functions;
    const int mode = RTLD_NOW | RTLD_LOCAL;
    void *avutil = dlopen("libavutil.so." AV_STRINGIFY(LIBAVUTIL_VERSION_MAJOR), mode);
    void *swresample = avutil ? dlopen("libswresample.so." AV_STRINGIFY(LIBSWRESAMPLE_VERSION_MAJOR), mode) : NULL;
    void *avcodec = swresample ? dlopen("libavcodec.so." AV_STRINGIFY(LIBAVCODEC_VERSION_MAJOR), mode) : NULL;
    if (avcodec == NULL) {
        *error = dlerror();
        return NULL;
    }
#define CAVCODEC_RESOLVE(library, name) \
    if ((functions.name = (__typeof__(name) *)dlsym(library, #name)) == NULL) { \
        *error = dlerror(); \
        return NULL; \
    }
    CAVCODEC_FUNCTIONS(CAVCODEC_RESOLVE)
#undef CAVCODEC_RESOLVE
    return &functions;
}

// AVERROR(EAGAIN) and AVERROR_EOF are macros Swift cannot import (a function-like macro, and one built from
// FFERRTAG's shifts and casts): the two results of avcodec_receive_packet/avcodec_receive_frame that are not errors.
static inline int cavcodec_error_again(void) { return AVERROR(EAGAIN); }
static inline int cavcodec_error_eof(void) { return AVERROR_EOF; }
