/* pl-stream-list.h: the TCP streams of a capture as a sortable table.
 *
 * PlStreamItem is one row: a capture and a stream index, one object per
 * stream (never per packet).  PlStreamList shows them in a GtkColumnView.
 */
#pragma once

#include <gtk/gtk.h>

#include "pl-capture.h"
#include "pl-stream-digest.h"

G_BEGIN_DECLS

#define PL_TYPE_STREAM_ITEM (pl_stream_item_get_type ())

G_DECLARE_FINAL_TYPE (PlStreamItem, pl_stream_item, PL, STREAM_ITEM, GObject)

PlStreamItem      *pl_stream_item_new         (PlCapture    *capture,
                                               guint         index);
PlCapture         *pl_stream_item_get_capture (PlStreamItem *self);
guint              pl_stream_item_get_index   (PlStreamItem *self);
const PlTcpStream *pl_stream_item_get_stream  (PlStreamItem *self);
/* What went wrong (analysis flags counted, a reset), in words, or NULL. */
const char        *pl_stream_item_get_problems   (PlStreamItem *self);
guint              pl_stream_item_get_n_problems (PlStreamItem *self);
void               pl_stream_item_set_problems   (PlStreamItem *self,
                                                  guint         n_problems,
                                                  const char   *problems);
/* The HTTP exchanges in one line ("GET /logo.jpg → 200"), or NULL. */
const char        *pl_stream_item_get_http       (PlStreamItem *self);
void               pl_stream_item_set_http       (PlStreamItem *self,
                                                  const char   *http);

#define PL_TYPE_STREAM_LIST (pl_stream_list_get_type ())

G_DECLARE_FINAL_TYPE (PlStreamList, pl_stream_list, PL, STREAM_LIST, GtkWidget)

GtkWidget    *pl_stream_list_new                 (void);
/* Fills the list with one item per stream of a loaded capture (or empties
 * it with NULL). */
void          pl_stream_list_set_capture         (PlStreamList *self,
                                                  PlCapture    *capture);
PlCapture    *pl_stream_list_get_capture         (PlStreamList *self);
GtkColumnView *pl_stream_list_get_column_view    (PlStreamList *self);
/* The unsorted items, in stream order. */
GListModel   *pl_stream_list_get_model           (PlStreamList *self);
/* The selected row, or NULL. */
PlStreamItem *pl_stream_list_get_selected_item   (PlStreamList *self);
/* Shows only the streams whose index is in visible (NULL: all). */
void          pl_stream_list_set_visible         (PlStreamList *self,
                                                  GtkBitset    *visible);
guint         pl_stream_list_get_n_visible       (PlStreamList *self);
gboolean      pl_stream_list_select_stream       (PlStreamList *self,
                                                  guint         index);
/* Selects the first row shown; FALSE when none is. */
gboolean      pl_stream_list_select_first        (PlStreamList *self);
/* The HTTP and problem summaries core computed, onto the rows. */
void          pl_stream_list_set_digests         (PlStreamList    *self,
                                                  PlStreamDigests *digests);
void          pl_stream_list_add_new_streams     (PlStreamList *self);

G_END_DECLS
