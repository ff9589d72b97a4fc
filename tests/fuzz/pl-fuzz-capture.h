/* pl-fuzz-capture.h: walks a loaded capture as the application would read
 * it, aborting on a broken invariant (see pl-fuzz-capture.c). */
#pragma once

#include "pl-capture.h"

G_BEGIN_DECLS

/* The capture a fuzz input stands for: the input itself when it starts
 * with a pcap or pcapng magic, otherwise a pcap synthesized from it (byte
 * 0 picks the link type, then 16-bit big-endian lengths each followed by a
 * frame).  NULL for an empty input.  May point into data. */
GBytes *pl_fuzz_capture_bytes (const guint8 *data,
                               gsize         size);

void    pl_fuzz_check_capture (PlCapture    *capture);

G_END_DECLS
