#ifndef CFAKECLIP_H
#define CFAKECLIP_H

#include <stddef.h>

// The clip behind `fake://fake` (Sources/Ingest/FakeSource.swift): an MPEG-TS file made by scripts/make-fixtures.sh
// and embedded in the binary with C23 `#embed`, because SwiftPM resources would need Foundation's Bundle to find
// them at run time and Swift has no way to include a file's bytes at compile time. The bytes are read-only and
// shared by every process running the binary.

/// The first byte of the embedded MPEG-TS clip.
const unsigned char *cfakeclip_data(void);
/// The clip's length in bytes.
size_t cfakeclip_size(void);

#endif
