/* pl-ladder-page.h: the ladder of one stream (with the HTTP brackets
 * render builds), limited to the frames a BPF filter accepts when one
 * does, and saying so; or a page saying why there is no ladder. */
#pragma once

#include <adwaita.h>

#include "pl-frame-filter.h"
#include "pl-ladder-view.h"

G_BEGIN_DECLS

#define PL_TYPE_LADDER_PAGE (pl_ladder_page_get_type ())

G_DECLARE_FINAL_TYPE (PlLadderPage, pl_ladder_page, PL, LADDER_PAGE, GtkWidget)

typedef enum
{
  PL_LADDER_PAGE_SELECT,      /* no stream chosen */
  PL_LADDER_PAGE_NO_MATCH,    /* the filter matches no stream */
  PL_LADDER_PAGE_NO_STREAMS,  /* the capture has no TCP stream */
  PL_LADDER_PAGE_LADDER,
} PlLadderPageKind;

/* The ladder of stream; filter (may be NULL) limits it to the frames it
 * accepts, unless it accepts none of this stream's (then the stream was
 * chosen by its text). */
void              pl_ladder_page_show_stream  (PlLadderPage  *self,
                                               PlCapture     *capture,
                                               guint          stream,
                                               PlFrameFilter *filter);
/* A page instead of a ladder; description may be NULL. */
void              pl_ladder_page_show_empty   (PlLadderPage     *self,
                                               PlLadderPageKind  kind,
                                               const char       *description);
PlLadderPageKind  pl_ladder_page_get_kind     (PlLadderPage  *self);
PlLadderView     *pl_ladder_page_get_view     (PlLadderPage  *self);
GtkScrolledWindow *pl_ladder_page_get_scroller (PlLadderPage *self);
/* "Showing 12 of 270 frames ...", or NULL when the whole stream shows. */
const char       *pl_ladder_page_get_partial  (PlLadderPage  *self);
/* The description of the page shown instead of a ladder. */
const char       *pl_ladder_page_get_description (PlLadderPage *self);

G_END_DECLS
