/* pl-stream-page.h: the stream table with its summary line, and the
 * stream filter: text matched against addresses, ports and the HTTP
 * summaries, and the same text as a BPF expression run by core in a worker
 * thread.  The HTTP and problem summaries of the rows come from core in a
 * worker thread too, once the capture has loaded. */
#pragma once

#include <gtk/gtk.h>

#include "pl-frame-filter.h"
#include "pl-stream-list.h"

G_BEGIN_DECLS

#define PL_TYPE_STREAM_PAGE (pl_stream_page_get_type ())

G_DECLARE_FINAL_TYPE (PlStreamPage, pl_stream_page, PL, STREAM_PAGE, GtkWidget)

/* The capture to list (NULL: none).  One still loading is listed as it
 * grows (pl_stream_page_add_new_streams()); once loaded, its summaries
 * are computed and the filter applied again. */
void           pl_stream_page_set_capture      (PlStreamPage *self,
                                                PlCapture    *capture);
void           pl_stream_page_add_new_streams  (PlStreamPage *self);
/* While loading: the summary line says how far. */
void           pl_stream_page_set_progress     (PlStreamPage *self,
                                                double        fraction);

/* Applies the filter; "filter-changed" is emitted once it has been (the
 * BPF part runs in a worker thread). */
void           pl_stream_page_set_filter       (PlStreamPage *self,
                                                const char   *text);
const char    *pl_stream_page_get_filter       (PlStreamPage *self);
/* The frames the filter accepts as a BPF expression, or NULL. */
PlFrameFilter *pl_stream_page_get_frame_filter (PlStreamPage *self);
/* libpcap's message when the text reads as a BPF expression that does not
 * compile and nothing matched it as text; NULL otherwise. */
const char    *pl_stream_page_get_filter_error (PlStreamPage *self);
/* Why nothing matched, in a sentence, or NULL. */
char          *pl_stream_page_dup_no_match     (PlStreamPage *self);
/* TRUE while the filter or the summaries are being computed. */
gboolean       pl_stream_page_is_busy          (PlStreamPage *self);

PlStreamList  *pl_stream_page_get_list         (PlStreamPage *self);
const char    *pl_stream_page_get_summary      (PlStreamPage *self);

G_END_DECLS
