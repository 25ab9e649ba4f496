#include "CFakeClip.h"

// `#embed` is C23; clang accepts it in older modes with this warning, which says nothing useful here.
#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char clip[] = {
#embed "fake_clip.ts"
};

const unsigned char *cfakeclip_data(void) { return clip; }

size_t cfakeclip_size(void) { return sizeof clip; }
