/* pl-ladder-paint.h: paints a ladder layout into any cairo context.
 *
 * One painter serves the window and every export (PNG, SVG, PDF).  It
 * paints only what meets the context's clip, finding the rows there by
 * binary search, so a view of a million-frame ladder costs what a view of
 * a short one does.
 */
#pragma once

#include <cairo.h>

#include "pl-ladder-layout.h"

G_BEGIN_DECLS

typedef struct
{
  guint32 selected_frame;   /* PL_LADDER_NO_FRAME: none */
  guint32 hover_frame;      /* PL_LADDER_NO_FRAME: none */
  gboolean show_ack_text;   /* write the selected ACK's arithmetic under it */
  PlLadderRect *callout;    /* if set: where the callout went (layout units),
                             * or a width of 0 when none was painted */
} PlLadderPaintState;

void pl_ladder_paint_state_init (PlLadderPaintState   *state);

/* Paints in layout units (scale the context first for HiDPI).  state may
 * be NULL. */
void pl_ladder_paint            (PlLadderLayout           *layout,
                                 cairo_t                  *cr,
                                 const PlLadderPaintState *state);

/* The lifeline heads and column titles on an opaque band whose top is at
 * y: a window keeps them in view while scrolling, export pages repeat
 * them.  Returns the band's height. */
double pl_ladder_paint_header   (PlLadderLayout           *layout,
                                 cairo_t                  *cr,
                                 double                    y);

/* The gutter alone (time ruler, frame numbers and times of the rows in
 * the clip), opaque from the clip's left edge to the gutter's right edge
 * (geometry->gutter_right), and its column titles on the header band at
 * header_top when header_top >= 0: a window paints it over a diagram
 * scrolled sideways, so the numbers stay in view. */
void   pl_ladder_paint_gutter   (PlLadderLayout           *layout,
                                 cairo_t                  *cr,
                                 const PlLadderPaintState *state,
                                 double                    header_top);

G_END_DECLS
