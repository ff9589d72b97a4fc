/* pl-ladder-view.h: the ladder diagram of a selection, scrollable and
 * zoomable.  The geometry and the painting are render's (pl-ladder-layout,
 * pl-ladder-paint): this widget asks for a layout, paints only the rows in
 * view and turns clicks and keys into a selected frame. */
#pragma once

#include <gtk/gtk.h>

#include "pl-ladder.h"
#include "pl-ladder-layout.h"

G_BEGIN_DECLS

/* One lifeline per socket or per host (PlLadderOptions.merge_hosts). */
typedef enum
{
  PL_LADDER_LIFELINES_SOCKETS,
  PL_LADDER_LIFELINES_HOSTS,
} PlLadderLifelines;

/* The view options as enum types, their nicks the GSettings choices, so
 * settings bind to the view's properties and property actions show them
 * as string states. */
#define PL_TYPE_LADDER_SPACING   (pl_ladder_spacing_get_type ())
#define PL_TYPE_LADDER_NUMBERS   (pl_ladder_numbers_get_type ())
#define PL_TYPE_LADDER_TIME_MODE (pl_ladder_time_mode_get_type ())
#define PL_TYPE_LADDER_LIFELINES (pl_ladder_lifelines_get_type ())
GType pl_ladder_spacing_get_type   (void);
GType pl_ladder_numbers_get_type   (void);
GType pl_ladder_time_mode_get_type (void);
GType pl_ladder_lifelines_get_type (void);

#define PL_TYPE_LADDER_VIEW (pl_ladder_view_get_type ())

G_DECLARE_FINAL_TYPE (PlLadderView, pl_ladder_view, PL, LADDER_VIEW, GtkWidget)

#define PL_LADDER_VIEW_MIN_ZOOM 0.5
#define PL_LADDER_VIEW_MAX_ZOOM 3.0

GtkWidget         *pl_ladder_view_new                (void);
void               pl_ladder_view_set_selection      (PlLadderView          *self,
                                                      PlLadderSelection     *selection);
PlLadderSelection *pl_ladder_view_get_selection      (PlLadderView          *self);
/* The view options are properties ("spacing", "numbers", "lifelines",
 * "show-states", "hide-pure-acks", "fold-http"); the palette follows the
 * style (AdwStyleManager:dark).  These set or read all at once. */
void               pl_ladder_view_set_options        (PlLadderView          *self,
                                                      const PlLadderOptions *options);
const PlLadderOptions *pl_ladder_view_get_options    (PlLadderView          *self);
/* The layout on show (built on demand), or NULL with no selection. */
PlLadderLayout    *pl_ladder_view_get_layout         (PlLadderView          *self);

void               pl_ladder_view_set_zoom           (PlLadderView          *self,
                                                      double                 zoom);
double             pl_ladder_view_get_zoom           (PlLadderView          *self);

/* PL_LADDER_NO_FRAME for none.  Setting scrolls the frame into view. */
guint32            pl_ladder_view_get_selected_frame (PlLadderView          *self);
void               pl_ladder_view_set_selected_frame (PlLadderView          *self,
                                                      guint32                frame);
/* Moves the selection by rows (negative: up), clamped; G_MININT/G_MAXINT
 * go to the first/last row. */
void               pl_ladder_view_move_selection     (PlLadderView          *self,
                                                      int                    rows);

/* A copy of the selection limited to the frames of the rows in view. */
PlLadderSelection *pl_ladder_view_dup_visible_selection (PlLadderView   *self);

/* Layout units to widget coordinates, with the zoom and the scrolling. */
void               pl_ladder_view_layout_to_widget   (PlLadderView          *self,
                                                      double                 lx,
                                                      double                 ly,
                                                      double                *wx,
                                                      double                *wy);
/* Width in widget pixels of the frame numbers and times at the left,
 * which stay in view when the ladder scrolls sideways; 0 with no layout. */
double             pl_ladder_view_get_gutter_width   (PlLadderView          *self);
/* Where the last drawing put the selected arrow's callout, in widget
 * coordinates; FALSE when it drew none. */
gboolean           pl_ladder_view_get_callout_rect   (PlLadderView          *self,
                                                      PlLadderRect          *rect);
/* What a click at widget coordinates does (the click gesture calls it). */
gboolean           pl_ladder_view_click              (PlLadderView          *self,
                                                      double                 wx,
                                                      double                 wy);
/* The tooltip text for the frame at widget coordinates, or NULL. */
char              *pl_ladder_view_dup_tooltip_at     (PlLadderView          *self,
                                                      double                 wx,
                                                      double                 wy);

G_END_DECLS
