/* pl-stream-digest.h: one line of words per TCP stream, the same for the
 * window's stream list and `packet-ladder --list-streams`: the HTTP
 * exchanges ("GET / -> 200; GET /logo.jpg -> 206") and what went wrong
 * ("2 retransmissions, 1 duplicate ACK, reset").
 *
 * Computed in one pass over the frames and one over the HTTP table's
 * records of a loaded capture; only reads it, so a worker thread may compute it while
 * the main thread shows the capture.
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture.h"
#include "pl-http-message.h"

G_BEGIN_DECLS

typedef struct
{
  char  *http;        /* NULL: no HTTP message on the stream */
  char  *tls;         /* the TLS summary ("TLS 1.3 handshake, example.org, h2"), or NULL */
  char  *problems;    /* translated; NULL: nothing went wrong */
  guint  n_problems;  /* analysis flags counted, plus one for a reset */
} PlStreamDigest;

typedef struct _PlStreamDigests PlStreamDigests;

typedef enum
{
  PL_STREAM_DIGEST_HTTP     = 1 << 0,
  PL_STREAM_DIGEST_TLS      = 1 << 1,
  PL_STREAM_DIGEST_PROBLEMS = 1 << 2,  /* a pass over every frame */
  PL_STREAM_DIGEST_ALL      = 0x7,
} PlStreamDigestParts;

/* For every stream of a loaded capture.  NULL when cancelled. */
PlStreamDigests      *pl_stream_digests_compute      (PlCapture           *capture,
                                                      GCancellable        *cancellable);
/* Only the parts asked for (the others stay NULL and 0). */
PlStreamDigests      *pl_stream_digests_compute_parts (PlCapture           *capture,
                                                       PlStreamDigestParts  parts,
                                                       GCancellable        *cancellable);
/* The same in a worker thread. */
void                  pl_stream_digests_compute_async  (PlCapture           *capture,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
PlStreamDigests      *pl_stream_digests_compute_finish (PlCapture           *capture,
                                                        GAsyncResult        *result,
                                                        GError             **error);

guint                 pl_stream_digests_get_n_streams (PlStreamDigests *self);
const PlStreamDigest *pl_stream_digests_get          (PlStreamDigests     *self,
                                                      guint                stream);
void                  pl_stream_digests_free         (PlStreamDigests     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlStreamDigests, pl_stream_digests_free)

/* The HTTP message a frame carries part of (the one completed in it
 * first), or NULL: what the window's HTTP page shows for a selected frame. */
PlHttpMessage        *pl_capture_find_http_message   (PlCapture           *capture,
                                                      guint32              frame);

G_END_DECLS
