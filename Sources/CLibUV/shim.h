// Debian's libuv (libuv1-dev), imported whole: Swift calls it directly, so no C helper is needed.
#include <uv.h>
