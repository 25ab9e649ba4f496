#ifndef CAVCODEC_H
#define CAVCODEC_H

// FFmpeg's libavcodec, libswresample and libavutil (Debian's libavcodec-dev, libswresample-dev, libavutil-dev),
// loaded with dlopen when first needed rather than linked.
//
// Why: the `sluice` binary is re-executed as every worker, and linking libavcodec makes every process load it with
// its ~95 dependent libraries (x264, x265, vpx, dav1d...) at exec: measured +3.0 MB of private dirty memory per
// process (an edge worker went from 1.0 to 4.0 MB) and about 25 ms per exec. Only ingest workers with `rtsp2://`
// inputs use it, and only they pay for it.
//
// The headers are included for their types and constants only. Swift calls the functions through the
// `cavcodec_`-prefixed wrappers below, after `cavcodec_load`; calling an unprefixed one would not link.

#include <stddef.h>
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>

/// Loads the three libraries (the major versions of the headers built against) and resolves every function of
/// `CAVCODEC_FUNCTIONS`, once per process, safely from any thread. Returns 0 when they are usable; else -1 with
/// dlerror's text in `error` (NUL-terminated, cut to `capacity`), the same on every later call.
int cavcodec_load(char *error, size_t capacity);

// The functions Sources/Transcode calls: VALUE(library, result type, name, parameters, arguments) for those that
// return a value, VOID(...) for those that do not. Each gets a wrapper `cavcodec_NAME` with the same signature.
#define CAVCODEC_FUNCTIONS(VALUE, VOID) \
    VALUE(avutil, int, av_strerror, (int errnum, char *errbuf, size_t errbuf_size), (errnum, errbuf, errbuf_size)) \
    VALUE(avutil, AVFrame *, av_frame_alloc, (void), ()) \
    VOID(avutil, void, av_frame_free, (AVFrame **frame), (frame)) \
    VALUE(avutil, int, av_frame_get_buffer, (AVFrame *frame, int align), (frame, align)) \
    VALUE(avutil, int, av_frame_make_writable, (AVFrame *frame), (frame)) \
    VOID(avutil, void, av_channel_layout_default, (AVChannelLayout *layout, int channels), (layout, channels)) \
    VALUE(avutil, int, av_channel_layout_copy, (AVChannelLayout *destination, const AVChannelLayout *source), \
          (destination, source)) \
    VOID(avutil, void, av_channel_layout_uninit, (AVChannelLayout *layout), (layout)) \
    VALUE(avcodec, const AVCodec *, avcodec_find_encoder_by_name, (const char *name), (name)) \
    VALUE(avcodec, AVCodecContext *, avcodec_alloc_context3, (const AVCodec *codec), (codec)) \
    VOID(avcodec, void, avcodec_free_context, (AVCodecContext **context), (context)) \
    VALUE(avcodec, int, avcodec_open2, (AVCodecContext *context, const AVCodec *codec, AVDictionary **options), \
          (context, codec, options)) \
    VALUE(avcodec, int, avcodec_send_frame, (AVCodecContext *context, const AVFrame *frame), (context, frame)) \
    VALUE(avcodec, int, avcodec_receive_packet, (AVCodecContext *context, AVPacket *packet), (context, packet)) \
    VALUE(avcodec, AVPacket *, av_packet_alloc, (void), ()) \
    VOID(avcodec, void, av_packet_free, (AVPacket **packet), (packet)) \
    VOID(avcodec, void, av_packet_unref, (AVPacket *packet), (packet)) \
    VALUE(swresample, int, swr_alloc_set_opts2, \
          (struct SwrContext **context, const AVChannelLayout *output_layout, enum AVSampleFormat output_format, \
           int output_rate, const AVChannelLayout *input_layout, enum AVSampleFormat input_format, int input_rate, \
           int log_offset, void *log_context), \
          (context, output_layout, output_format, output_rate, input_layout, input_format, input_rate, log_offset, \
           log_context)) \
    VALUE(swresample, int, swr_init, (struct SwrContext *context), (context)) \
    VOID(swresample, void, swr_free, (struct SwrContext **context), (context)) \
    VALUE(swresample, int, swr_get_out_samples, (struct SwrContext *context, int input_samples), \
          (context, input_samples)) \
    VALUE(swresample, int, swr_convert, \
          (struct SwrContext *context, uint8_t **output, int output_count, const uint8_t **input, int input_count), \
          (context, output, output_count, input, input_count))

#define CAVCODEC_DECLARE(library, result, name, parameters, arguments) result cavcodec_##name parameters;
CAVCODEC_FUNCTIONS(CAVCODEC_DECLARE, CAVCODEC_DECLARE)
#undef CAVCODEC_DECLARE

// AVERROR(EAGAIN) and AVERROR_EOF are macros Swift cannot import (a function-like macro, and one built from
// FFERRTAG's shifts and casts): the two results of avcodec_receive_packet that are not errors.
static inline int cavcodec_error_again(void) { return AVERROR(EAGAIN); }
static inline int cavcodec_error_eof(void) { return AVERROR_EOF; }

#endif
