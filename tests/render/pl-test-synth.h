/* pl-test-synth.h: synthetic captures for the render tests and benchmarks:
 * one long TCP stream (handshake, a bulk transfer with an ACK every other
 * segment, FIN teardown) as a classic pcap in memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* About n_frames frames (at least 8).  Frames carry headers only (snapped
 * at 40 bytes of raw IPv4) so a million of them take 56 MB.  Every
 * pause_every frames (0: never) the sender pauses for one second. */
GBytes *pl_test_synth_stream (guint n_frames,
                              guint pause_every);

G_END_DECLS
