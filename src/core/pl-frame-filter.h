/* pl-frame-filter.h: the TCP frames of a capture that a tcpdump (BPF)
 * expression accepts (pcap-filter(7), compiled by libpcap for each
 * interface's link type), as a bit mask over the frames and a count per
 * stream.  The window runs it in a worker thread: a million frames never
 * block the main loop; the command line runs the same code.
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture.h"

G_BEGIN_DECLS

typedef struct _PlFrameFilter PlFrameFilter;

/* NULL and an error (PL_BPF_ERROR_INVALID with libpcap's message, or
 * G_IO_ERROR_CANCELLED) when it cannot be done.  The capture must be
 * loaded. */
PlFrameFilter *pl_frame_filter_new           (PlCapture           *capture,
                                              const char          *expression,
                                              GCancellable        *cancellable,
                                              GError             **error);
void           pl_frame_filter_new_async     (PlCapture           *capture,
                                              const char          *expression,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PlFrameFilter *pl_frame_filter_new_finish    (PlCapture           *capture,
                                              GAsyncResult        *result,
                                              GError             **error);

PlFrameFilter *pl_frame_filter_ref           (PlFrameFilter *self);
void           pl_frame_filter_unref         (PlFrameFilter *self);

const char    *pl_frame_filter_get_expression (PlFrameFilter *self);
/* Bit f % 8 of byte f / 8 is set when frame f is accepted (the shape
 * pl_ladder_selection_set_frame_mask() takes). */
GBytes        *pl_frame_filter_get_mask      (PlFrameFilter *self);
gboolean       pl_frame_filter_matches       (PlFrameFilter *self,
                                              guint32        frame);
/* Frames accepted in all, and in one stream. */
guint          pl_frame_filter_get_n_matched (PlFrameFilter *self);
guint          pl_frame_filter_get_n_stream_matched (PlFrameFilter *self,
                                                     guint          stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlFrameFilter, pl_frame_filter_unref)

G_END_DECLS
