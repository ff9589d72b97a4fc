/* pl-hex-view.h: the bytes of one frame as a hex dump (offset, hex, ASCII),
 * with one range highlighted: the bytes of the field selected in the
 * details.  One text view for the whole dump, never a widget per byte. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PL_TYPE_HEX_VIEW (pl_hex_view_get_type ())

G_DECLARE_FINAL_TYPE (PlHexView, pl_hex_view, PL, HEX_VIEW, GtkWidget)

GtkWidget *pl_hex_view_new            (void);
/* The bytes are copied; NULL or 0 bytes empties the view. */
void       pl_hex_view_set_data       (PlHexView    *self,
                                       const guint8 *data,
                                       gsize         len);
/* Highlights [offset, offset + length) (clipped to the data) and scrolls it
 * into view; length 0 removes the highlight. */
void       pl_hex_view_set_highlight  (PlHexView    *self,
                                       guint         offset,
                                       guint         length);
/* The highlighted range after clipping; FALSE when there is none. */
gboolean   pl_hex_view_get_highlight  (PlHexView    *self,
                                       guint        *offset,
                                       guint        *length);
/* The dump as shown (for tests and Copy). */
char      *pl_hex_view_dup_text       (PlHexView    *self);

G_END_DECLS
