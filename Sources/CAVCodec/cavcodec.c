#include "CAVCodec.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

enum library { avutil, swresample, avcodec, library_count };

// Sonames of the major versions the headers describe, so that the ABI loaded is the one compiled against.
static const char *const sonames[library_count] = {
    [avutil] = "libavutil.so." AV_STRINGIFY(LIBAVUTIL_VERSION_MAJOR),
    [swresample] = "libswresample.so." AV_STRINGIFY(LIBSWRESAMPLE_VERSION_MAJOR),
    [avcodec] = "libavcodec.so." AV_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
};

#define CAVCODEC_POINTER(library, result, name, parameters, arguments) static result(*pointer_##name) parameters;
CAVCODEC_FUNCTIONS(CAVCODEC_POINTER, CAVCODEC_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_result = -1;
static char load_error[512];

static void load(void) {
    void *handles[library_count];
    for (int i = 0; i < library_count; i++) {
        // Never closed: the process keeps them to its end, as it would linked libraries.
        handles[i] = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
        if (handles[i] == NULL) {
            snprintf(load_error, sizeof load_error, "dlopen: %s", dlerror());
            return;
        }
    }
#define CAVCODEC_RESOLVE(library, result, name, parameters, arguments)                                  \
    pointer_##name = (result(*) parameters)dlsym(handles[library], #name);                               \
    if (pointer_##name == NULL) {                                                                        \
        snprintf(load_error, sizeof load_error, "dlsym %s in %s: %s", #name, sonames[library], dlerror()); \
        return;                                                                                          \
    }
    CAVCODEC_FUNCTIONS(CAVCODEC_RESOLVE, CAVCODEC_RESOLVE)
    load_result = 0;
}

int cavcodec_load(char *error, size_t capacity) {
    pthread_once(&once, load);
    if (load_result != 0 && capacity > 0) snprintf(error, capacity, "%s", load_error);
    return load_result;
}

#define CAVCODEC_WRAP_VALUE(library, result, name, parameters, arguments) \
    result cavcodec_##name parameters { return pointer_##name arguments; }
#define CAVCODEC_WRAP_VOID(library, result, name, parameters, arguments) \
    void cavcodec_##name parameters { pointer_##name arguments; }
CAVCODEC_FUNCTIONS(CAVCODEC_WRAP_VALUE, CAVCODEC_WRAP_VOID)
