/* pl-test-synth.h: synthetic captures for the render tests and benchmarks,
 * as classic pcaps in memory: one long TCP stream (handshake, a bulk
 * transfer with an ACK every other segment, FIN teardown), or many
 * streams of one SYN each. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* About n_frames frames (at least 8).  Frames carry headers only (snapped
 * at 40 bytes of raw IPv4) so a million of them take 56 MB.  Every
 * pause_every frames (0: never) the sender pauses for one second. */
GBytes *pl_test_synth_stream (guint n_frames,
                              guint pause_every);

/* Handshake, n_segments data segments from the server with no ACK
 * between them (one arrow each), FIN teardown. */
GBytes *pl_test_synth_segments (guint n_segments);

/* n_streams SYNs, each from another client (10.x.y.z, ports from 10000)
 * to 192.168.1.1:8080: one lifeline per stream, as a SYN flood or a port
 * scan makes.  Fifty thousand make a ladder wider than cairo can draw. */
GBytes *pl_test_synth_syns   (guint n_streams);

G_END_DECLS
