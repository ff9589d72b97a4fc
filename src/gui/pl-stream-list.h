/* pl-stream-list.h: the TCP streams of a capture as a sortable table.
 *
 * PlStreamItem is one row: a capture and a stream index, one object per
 * stream (never per packet).  PlStreamList shows them in a GtkColumnView.
 */
#pragma once

#include <gtk/gtk.h>

#include "pl-capture.h"

G_BEGIN_DECLS

#define PL_TYPE_STREAM_ITEM (pl_stream_item_get_type ())

G_DECLARE_FINAL_TYPE (PlStreamItem, pl_stream_item, PL, STREAM_ITEM, GObject)

PlStreamItem      *pl_stream_item_new         (PlCapture    *capture,
                                               guint         index);
PlCapture         *pl_stream_item_get_capture (PlStreamItem *self);
guint              pl_stream_item_get_index   (PlStreamItem *self);
const PlTcpStream *pl_stream_item_get_stream  (PlStreamItem *self);

#define PL_TYPE_STREAM_LIST (pl_stream_list_get_type ())

G_DECLARE_FINAL_TYPE (PlStreamList, pl_stream_list, PL, STREAM_LIST, GtkWidget)

GtkWidget    *pl_stream_list_new                 (void);
/* Fills the list with one item per stream of a loaded capture (or empties
 * it with NULL). */
void          pl_stream_list_set_capture         (PlStreamList *self,
                                                  PlCapture    *capture);
PlCapture    *pl_stream_list_get_capture         (PlStreamList *self);
/* The unsorted items, in stream order. */
GListModel   *pl_stream_list_get_model           (PlStreamList *self);
/* The selected row, or NULL. */
PlStreamItem *pl_stream_list_get_selected_item   (PlStreamList *self);

G_END_DECLS
