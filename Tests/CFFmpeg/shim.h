// FFmpeg's libavcodec and libavutil linked into the tests: the reference codecs of Tests/TranscodeTests (G.711
// encoders and decoders, the AAC decoder). Sluice itself loads them on demand (Sources/CAVCodec).
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mem.h>

// AVERROR(EAGAIN) and AVERROR_EOF are macros Swift cannot import.
static inline int cffmpeg_error_again(void) { return AVERROR(EAGAIN); }
static inline int cffmpeg_error_eof(void) { return AVERROR_EOF; }
