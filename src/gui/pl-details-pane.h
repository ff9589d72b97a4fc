/* pl-details-pane.h: the details of what the ladder shows: the stream's
 * opening and closing in words, and the selected frame's field tree over
 * its bytes, or its HTTP message. */
#pragma once

#include <adwaita.h>

#include "pl-capture.h"
#include "pl-field-pane.h"
#include "pl-hex-view.h"
#include "pl-http-pane.h"

G_BEGIN_DECLS

#define PL_TYPE_DETAILS_PANE (pl_details_pane_get_type ())

G_DECLARE_FINAL_TYPE (PlDetailsPane, pl_details_pane, PL, DETAILS_PANE, GtkWidget)

/* The stream shown (G_MAXUINT: none): its summary, and whether it has an
 * HTTP page. */
void         pl_details_pane_set_stream     (PlDetailsPane *self,
                                             PlCapture     *capture,
                                             guint          stream);
/* The frame selected on the ladder (PL_LADDER_NO_FRAME: none). */
void         pl_details_pane_set_frame      (PlDetailsPane *self,
                                             guint32        frame);
/* The HTTP message the frame carries part of, or NULL. */
PlHttpMessage *pl_details_pane_get_message  (PlDetailsPane *self);
/* Brings the HTTP page to the front when the stream has one. */
void         pl_details_pane_show_http      (PlDetailsPane *self);

PlFieldPane *pl_details_pane_get_field_pane (PlDetailsPane *self);
const char  *pl_details_pane_get_segment_text (PlDetailsPane *self);
PlHexView   *pl_details_pane_get_hex_view   (PlDetailsPane *self);
PlHttpPane  *pl_details_pane_get_http_pane  (PlDetailsPane *self);
const char  *pl_details_pane_get_summary    (PlDetailsPane *self);

G_END_DECLS
