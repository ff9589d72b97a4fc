/* pl-ladder-view.c: the ladder diagram widget.
 *
 * It owns no geometry: render's layout says where every row is, and its
 * painter draws into the cairo context of one snapshot node, clipped to
 * the part in view, so the cost of a frame drawn is the rows on screen,
 * not the rows in the stream.  The widget implements GtkScrollable: the
 * scrolled window around it owns the adjustments, in widget pixels; the
 * layout is in layout units, and the zoom converts.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "pl-ladder-view.h"
#include "pl-ladder-paint.h"

/* Room below the last row and right of the widest label, so that the
 * callout of a selected arrow and the overlay scrollbars never cover the
 * last state label or bracket. */
#define ROOM_BOTTOM 56
#define ROOM_RIGHT  24

G_DEFINE_ENUM_TYPE (PlLadderSpacing, pl_ladder_spacing,
                    G_DEFINE_ENUM_VALUE (PL_LADDER_SPACING_UNIFORM, "uniform"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_SPACING_TIME, "time"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_SPACING_COMPRESSED, "compressed"))

G_DEFINE_ENUM_TYPE (PlLadderNumbers, pl_ladder_numbers,
                    G_DEFINE_ENUM_VALUE (PL_LADDER_NUMBERS_RELATIVE, "relative"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_NUMBERS_RAW, "raw"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_NUMBERS_BOTH, "both"))

G_DEFINE_ENUM_TYPE (PlLadderTimeMode, pl_ladder_time_mode,
                    G_DEFINE_ENUM_VALUE (PL_LADDER_TIME_CAPTURE, "capture"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_TIME_STREAM, "stream"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_TIME_DELTA, "delta"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_TIME_EPOCH, "epoch"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_TIME_CLOCK, "clock"))

G_DEFINE_ENUM_TYPE (PlLadderLifelines, pl_ladder_lifelines,
                    G_DEFINE_ENUM_VALUE (PL_LADDER_LIFELINES_SOCKETS, "sockets"),
                    G_DEFINE_ENUM_VALUE (PL_LADDER_LIFELINES_HOSTS, "hosts"))

struct _PlLadderView
{
  GtkWidget          parent_instance;

  PlLadderSelection *selection;
  PlLadderOptions    options;
  PlTextMetrics     *metrics;
  PlLadderLayout    *layout;
  double             zoom;
  guint32            selected_frame;
  guint32            hover_frame;

  GtkAdjustment     *hadjustment;
  GtkAdjustment     *vadjustment;
  guint              hscroll_policy : 1;
  guint              vscroll_policy : 1;

  GtkWidget         *context_menu;
  double             menu_x, menu_y;
  guint32            menu_frame;

  PlLadderRect       callout;     /* where the last snapshot put it */
};

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_SELECTED_FRAME,
  PROP_SPACING,
  PROP_NUMBERS,
  PROP_LIFELINES,
  PROP_SHOW_STATES,
  PROP_HIDE_PURE_ACKS,
  PROP_FOLD_HTTP,
  PROP_EXPLAIN,
  PROP_TIME,
  N_PROPS,

  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (PlLadderView, pl_ladder_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

GtkWidget *
pl_ladder_view_new (void)
{
  return g_object_new (PL_TYPE_LADDER_VIEW, NULL);
}

PlLadderLayout *
pl_ladder_view_get_layout (PlLadderView *self)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), NULL);

  if (self->selection == NULL)
    {
      g_clear_pointer (&self->layout, pl_ladder_layout_unref);
      return NULL;
    }

  pl_ladder_layout_ensure (&self->layout, self->selection, &self->options, self->metrics);
  return self->layout;
}

static void
pl_ladder_view_update_accessible (PlLadderView *self)
{
  PlLadderLayout *layout = self->selected_frame != PL_LADDER_NO_FRAME ? pl_ladder_view_get_layout (self) : NULL;
  guint row;

  if (layout != NULL && pl_ladder_layout_find_frame (layout, self->selected_frame, &row))
    {
      g_autoptr(GString) label = g_string_new (NULL);
      g_autofree char *text = NULL;

      pl_ladder_layout_format_label (layout, row, label);
      /* Translators: the accessible description of the ladder: the
       * selected frame's number and its arrow's label. */
      text = g_strdup_printf (_("Frame %u: %s"), self->selected_frame + 1, label->str);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }
  else
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("No frame selected; use the arrow keys to choose one"),
                                      -1);
    }
}

static void
pl_ladder_view_configure_adjustments (PlLadderView *self)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double content_w = layout != NULL ? ceil (pl_ladder_layout_get_width (layout) * self->zoom) + ROOM_RIGHT : 0;
  double content_h = layout != NULL ? ceil (pl_ladder_layout_get_height (layout) * self->zoom) + ROOM_BOTTOM : 0;

  if (self->hadjustment != NULL)
    {
      double upper = MAX (width, content_w);

      gtk_adjustment_configure (self->hadjustment,
                                CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, upper - width),
                                0, upper, width * 0.1, width * 0.9, width);
    }
  if (self->vadjustment != NULL)
    {
      double upper = MAX (height, content_h);

      gtk_adjustment_configure (self->vadjustment,
                                CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, upper - height),
                                0, upper, 40 * self->zoom, height * 0.9, height);
    }
}

static double
scroll_x (PlLadderView *self)
{
  return self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
}

static double
scroll_y (PlLadderView *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

/* Layout coordinates are centred when the diagram is narrower than the
 * widget, so a two-lifeline ladder does not hug the left edge. */
static double
offset_x (PlLadderView *self)
{
  PlLadderLayout *layout = self->layout;
  double content_w = layout != NULL ? pl_ladder_layout_get_width (layout) * self->zoom : 0;
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  return content_w < width ? floor ((width - content_w) / 2) : 0;
}

void
pl_ladder_view_layout_to_widget (PlLadderView *self,
                                 double        lx,
                                 double        ly,
                                 double       *wx,
                                 double       *wy)
{
  g_return_if_fail (PL_IS_LADDER_VIEW (self));

  pl_ladder_view_get_layout (self);
  if (wx != NULL)
    *wx = lx * self->zoom - scroll_x (self) + offset_x (self);
  if (wy != NULL)
    *wy = ly * self->zoom - scroll_y (self);
}

static void
widget_to_layout (PlLadderView *self,
                  double        wx,
                  double        wy,
                  double       *lx,
                  double       *ly)
{
  *lx = (wx + scroll_x (self) - offset_x (self)) / self->zoom;
  *ly = (wy + scroll_y (self)) / self->zoom;
}

static void
pl_ladder_view_scroll_to_frame (PlLadderView *self,
                                guint32       frame)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double top, bottom, value, page;
  guint row;

  if (layout == NULL || self->vadjustment == NULL
      || !pl_ladder_layout_find_frame (layout, frame, &row))
    return;

  pl_ladder_layout_get_row_band (layout, row, &top, &bottom);
  top *= self->zoom;
  bottom *= self->zoom;
  value = gtk_adjustment_get_value (self->vadjustment);
  page = gtk_adjustment_get_page_size (self->vadjustment);

  /* The lifeline heads stay on top: keep the row below them. */
  top -= pl_ladder_layout_get_geometry (layout)->rows_top * self->zoom;

  if (top < value)
    gtk_adjustment_set_value (self->vadjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (self->vadjustment, bottom - page);
}

void
pl_ladder_view_set_selected_frame (PlLadderView *self,
                                   guint32       frame)
{
  g_return_if_fail (PL_IS_LADDER_VIEW (self));

  if (self->selected_frame == frame)
    return;

  self->selected_frame = frame;
  if (frame != PL_LADDER_NO_FRAME)
    pl_ladder_view_scroll_to_frame (self, frame);
  pl_ladder_view_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
}

guint32
pl_ladder_view_get_selected_frame (PlLadderView *self)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), PL_LADDER_NO_FRAME);

  return self->selected_frame;
}

void
pl_ladder_view_move_selection (PlLadderView *self,
                               int           rows)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  guint n_rows, row;
  gint64 target;

  g_return_if_fail (PL_IS_LADDER_VIEW (self));

  if (layout == NULL || (n_rows = pl_ladder_layout_get_n_rows (layout)) == 0)
    return;

  if (rows == G_MININT)
    target = 0;
  else if (rows == G_MAXINT)
    target = n_rows - 1;
  else if (self->selected_frame == PL_LADDER_NO_FRAME
           || !pl_ladder_layout_find_frame (layout, self->selected_frame, &row))
    target = rows >= 0 ? 0 : n_rows - 1;
  else
    target = CLAMP ((gint64) row + rows, 0, (gint64) n_rows - 1);

  pl_ladder_view_set_selected_frame (self, pl_ladder_layout_get_row (layout, (guint) target)->frame);
}

static guint
rows_per_page (PlLadderView *self)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double y0 = scroll_y (self) / self->zoom;
  double y1 = y0 + gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
  guint first, end;

  if (layout == NULL)
    return 1;
  pl_ladder_layout_rows_between (layout, y0, y1, &first, &end);
  return MAX (1, end > first + 1 ? end - first - 1 : 1);
}

void
pl_ladder_view_set_selection (PlLadderView      *self,
                              PlLadderSelection *selection)
{
  g_return_if_fail (PL_IS_LADDER_VIEW (self));

  if (self->selection == selection)
    return;

  g_clear_pointer (&self->selection, pl_ladder_selection_unref);
  if (selection != NULL)
    self->selection = pl_ladder_selection_ref (selection);
  g_clear_pointer (&self->layout, pl_ladder_layout_unref);

  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, 0);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, 0);

  self->selected_frame = PL_LADDER_NO_FRAME;
  self->hover_frame = PL_LADDER_NO_FRAME;
  pl_ladder_view_update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FRAME]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

PlLadderSelection *
pl_ladder_view_get_selection (PlLadderView *self)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), NULL);

  return self->selection;
}

/* The diagram is laid out again at once (the layout is rebuilt when next
 * asked for), and the selected arrow stays in view. */
static void
pl_ladder_view_apply_options (PlLadderView          *self,
                              const PlLadderOptions *options)
{
  PlLadderOptions old = self->options;

  if (pl_ladder_options_equal (&self->options, options))
    return;

  self->options = *options;
  pl_ladder_view_configure_adjustments (self);
  if (self->selected_frame != PL_LADDER_NO_FRAME)
    pl_ladder_view_scroll_to_frame (self, self->selected_frame);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (old.spacing != options->spacing)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
  if (old.numbers != options->numbers)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBERS]);
  if (!old.merge_hosts != !options->merge_hosts)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFELINES]);
  if (!old.show_states != !options->show_states)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_STATES]);
  if (!old.hide_pure_acks != !options->hide_pure_acks)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDE_PURE_ACKS]);
  if (!old.fold_http != !options->fold_http)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLD_HTTP]);
  if (!old.explain != !options->explain)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLAIN]);
  if (old.time_mode != options->time_mode)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

void
pl_ladder_view_set_options (PlLadderView          *self,
                            const PlLadderOptions *options)
{
  PlLadderOptions copy;

  g_return_if_fail (PL_IS_LADDER_VIEW (self));
  g_return_if_fail (options != NULL);

  /* The palette is the style's, not the caller's. */
  copy = *options;
  copy.theme = self->options.theme;
  pl_ladder_view_apply_options (self, &copy);
}

static void
on_style_changed (PlLadderView *self)
{
  PlLadderOptions options = self->options;

  options.theme = adw_style_manager_get_dark (adw_style_manager_get_default ())
                  ? PL_LADDER_THEME_DARK : PL_LADDER_THEME_LIGHT;
  pl_ladder_view_apply_options (self, &options);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
pl_ladder_view_get_callout_rect (PlLadderView *self,
                                 PlLadderRect *rect)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), FALSE);

  if (self->callout.width <= 0)
    return FALSE;
  pl_ladder_view_layout_to_widget (self, self->callout.x, self->callout.y, &rect->x, &rect->y);
  rect->width = self->callout.width * self->zoom;
  rect->height = self->callout.height * self->zoom;
  return TRUE;
}

double
pl_ladder_view_get_gutter_width (PlLadderView *self)
{
  PlLadderLayout *layout;

  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), 0);

  layout = pl_ladder_view_get_layout (self);
  if (layout == NULL)
    return 0;
  return pl_ladder_layout_get_geometry (layout)->gutter_right * self->zoom + offset_x (self);
}

const PlLadderOptions *
pl_ladder_view_get_options (PlLadderView *self)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), NULL);

  return &self->options;
}

/* Zooms keeping the layout point under (wx, wy) where it is. */
static void
pl_ladder_view_zoom_at (PlLadderView *self,
                        double        zoom,
                        double        wx,
                        double        wy)
{
  double lx, ly;

  zoom = CLAMP (zoom, PL_LADDER_VIEW_MIN_ZOOM, PL_LADDER_VIEW_MAX_ZOOM);
  if (fabs (zoom - self->zoom) < 1e-6)
    return;

  widget_to_layout (self, wx, wy, &lx, &ly);
  self->zoom = zoom;
  pl_ladder_view_configure_adjustments (self);
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, lx * zoom - wx);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, ly * zoom - wy);

  if (self->selected_frame != PL_LADDER_NO_FRAME)
    pl_ladder_view_scroll_to_frame (self, self->selected_frame);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
pl_ladder_view_set_zoom (PlLadderView *self,
                         double        zoom)
{
  g_return_if_fail (PL_IS_LADDER_VIEW (self));

  pl_ladder_view_zoom_at (self, zoom, 0, 0);
}

double
pl_ladder_view_get_zoom (PlLadderView *self)
{
  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), 1.0);

  return self->zoom;
}

gboolean
pl_ladder_view_click (PlLadderView *self,
                      double        wx,
                      double        wy)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  PlLadderHit hit;
  double lx, ly;

  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), FALSE);

  if (layout == NULL)
    return FALSE;

  widget_to_layout (self, wx, wy, &lx, &ly);
  if (!pl_ladder_layout_hit_test (layout, lx, ly, &hit))
    return FALSE;

  switch (hit.kind)
    {
    case PL_LADDER_HIT_FRAME:
      pl_ladder_view_set_selected_frame (self, hit.frame);
      return TRUE;

    case PL_LADDER_HIT_FOLDED:
      /* A folded transfer opens on click; its first frame is selected. */
      pl_ladder_selection_set_unfolded (self->selection, hit.index, TRUE);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      pl_ladder_view_set_selected_frame (self, hit.frame);
      return TRUE;

    case PL_LADDER_HIT_BRACKET:
      {
        const PlLadderBracket *bracket = pl_ladder_selection_get_bracket (self->selection, hit.index);

        if (bracket != NULL)
          pl_ladder_view_set_selected_frame (self, bracket->first_frame);
        return bracket != NULL;
      }

    case PL_LADDER_HIT_NONE:
    case PL_LADDER_HIT_LIFELINE:
    default:
      return FALSE;
    }
}

static const char *
state_name (guint8 state)
{
  return pl_tcp_state_to_string ((PlTcpState) state);
}

char *
pl_ladder_view_dup_tooltip_at (PlLadderView *self,
                               double        wx,
                               double        wy)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  g_autoptr(GString) text = NULL;
  g_autofree char *explained = NULL;
  g_autofree char *ack_text = NULL;
  PlLadderHit hit;
  double lx, ly;

  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), NULL);

  if (layout == NULL)
    return NULL;

  widget_to_layout (self, wx, wy, &lx, &ly);

  /* A state label: what the state means. */
  {
    guint first, end, sfirst, send;

    pl_ladder_layout_rows_between (layout, ly - 1, ly + 1, &first, &end);
    pl_ladder_layout_states_between (layout, first > 0 ? first - 1 : 0, end + 1, &sfirst, &send);
    for (guint i = sfirst; i < send; i++)
      {
        const PlLadderStateLabel *label = pl_ladder_layout_get_state (layout, i);
        const PlLadderGeometry *geometry = pl_ladder_layout_get_geometry (layout);
        double half_h = geometry->small_h / 2 + 2;
        double w = pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, state_name (label->state)) + 8;
        double x0 = label->align_right ? label->x - w : label->x;

        if (!self->options.show_states)
          break;
        if (lx >= x0 && lx <= x0 + w && ly >= label->y - half_h && ly <= label->y + half_h)
          return g_strdup_printf ("%s\n%s", state_name (label->state),
                                  pl_tcp_state_describe ((PlTcpState) label->state));
      }
  }

  if (!pl_ladder_layout_hit_test (layout, lx, ly, &hit)
      || (hit.kind != PL_LADDER_HIT_FRAME && hit.kind != PL_LADDER_HIT_FOLDED))
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Frame %u"), hit.frame + 1);

  {
    g_autoptr(GString) label = g_string_new (NULL);

    pl_ladder_layout_format_label (layout, hit.row, label);
    if (label->len > 0)
      g_string_append_printf (text, "\n%s", label->str);
  }

  explained = pl_ladder_explain_frame (self->selection, hit.frame);
  if (explained != NULL && *explained != '\0')
    g_string_append_printf (text, "\n\n%s", explained);

  ack_text = pl_ladder_layout_dup_callout (layout, hit.frame);
  if (ack_text != NULL)
    g_string_append_printf (text, "\n\n%s", ack_text);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  g_autofree char *text = NULL;

  if (keyboard_mode && self->selected_frame != PL_LADDER_NO_FRAME && self->layout != NULL)
    {
      guint row;
      double x1, y1, x2, y2, wx, wy;

      if (!pl_ladder_layout_find_frame (self->layout, self->selected_frame, &row))
        return FALSE;
      pl_ladder_layout_get_arrow (self->layout, row, &x1, &y1, &x2, &y2);
      pl_ladder_view_layout_to_widget (self, (x1 + x2) / 2, (y1 + y2) / 2, &wx, &wy);
      text = pl_ladder_view_dup_tooltip_at (self, wx, wy);
    }
  else
    {
      text = pl_ladder_view_dup_tooltip_at (self, x, y);
    }

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
pl_ladder_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  const PlLadderPalette *palette = pl_ladder_palette_get (self->options.theme);
  PlLadderPaintState state;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgba (cr, palette->background.r, palette->background.g,
                         palette->background.b, palette->background.a);
  cairo_paint (cr);

  self->callout.width = 0;
  if (layout != NULL)
    {
      double top = scroll_y (self) / self->zoom;

      /* The painter draws what meets the clip: the rows in view. */
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_clip (cr);
      cairo_translate (cr, offset_x (self) - scroll_x (self), -scroll_y (self));
      cairo_scale (cr, self->zoom, self->zoom);

      pl_ladder_paint_state_init (&state);
      state.selected_frame = self->selected_frame;
      state.hover_frame = self->hover_frame;
      state.show_ack_text = TRUE;
      state.callout = &self->callout;
      pl_ladder_paint (layout, cr, &state);

      /* The lifeline heads stay in view once scrolled past. */
      if (top > 0)
        pl_ladder_paint_header (layout, cr, top);

      /* So do the frame numbers and times when the ladder scrolls
       * sideways: painted again, unscrolled, over what went under them. */
      if (scroll_x (self) > 0)
        {
          cairo_identity_matrix (cr);
          cairo_reset_clip (cr);
          cairo_rectangle (cr, 0, 0, pl_ladder_view_get_gutter_width (self), height);
          cairo_clip (cr);
          cairo_translate (cr, offset_x (self), -scroll_y (self));
          cairo_scale (cr, self->zoom, self->zoom);
          pl_ladder_paint_gutter (layout, cr, &state, MAX (top, 0));
        }
    }

  cairo_destroy (cr);

  if (gtk_widget_has_visible_focus (widget))
    {
      GdkRGBA focus = { 0.208, 0.518, 0.894, 0.5 };
      GskRoundedRect outline;

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 0);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { focus, focus, focus, focus });
    }
}

static void
pl_ladder_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double size = 0;

  if (layout != NULL)
    size = orientation == GTK_ORIENTATION_HORIZONTAL
           ? pl_ladder_layout_get_width (layout) : pl_ladder_layout_get_height (layout);

  /* Scrolled: nothing is required, the whole diagram is natural. */
  *minimum = 0;
  *natural = layout != NULL ? (int) ceil (size * self->zoom)
                              + (orientation == GTK_ORIENTATION_HORIZONTAL ? ROOM_RIGHT : ROOM_BOTTOM) : 0;
}

static void
pl_ladder_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);

  pl_ladder_view_configure_adjustments (self);

  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
on_adjustment_changed (PlLadderView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (PlLadderView   *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_changed, self);
      g_object_unref (*slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (on_adjustment_changed), self);
  pl_ladder_view_configure_adjustments (self);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PlLadderView    *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (button == GDK_BUTTON_PRIMARY)
    {
      pl_ladder_view_click (self, x, y);
      return;
    }

  if (button == GDK_BUTTON_SECONDARY)
    {
      pl_ladder_view_click (self, x, y);
      if (self->selected_frame == PL_LADDER_NO_FRAME)
        return;

      gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                   &(GdkRectangle) { (int) x, (int) y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->context_menu));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
}

static void
set_hover (PlLadderView *self,
           guint32       frame)
{
  if (self->hover_frame == frame)
    return;
  self->hover_frame = frame;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           PlLadderView             *self)
{
  PlLadderLayout *layout = self->layout;
  PlLadderHit hit;
  double lx, ly;

  if (layout == NULL)
    return;
  widget_to_layout (self, x, y, &lx, &ly);
  if (pl_ladder_layout_hit_test (layout, lx, ly, &hit)
      && (hit.kind == PL_LADDER_HIT_FRAME || hit.kind == PL_LADDER_HIT_FOLDED))
    set_hover (self, hit.frame);
  else
    set_hover (self, PL_LADDER_NO_FRAME);
}

static void
on_leave (GtkEventControllerMotion *controller,
          PlLadderView             *self)
{
  set_hover (self, PL_LADDER_NO_FRAME);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PlLadderView             *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double x = 0, y = 0;
  GdkEvent *event;

  if (!(state & GDK_CONTROL_MASK))
    return FALSE;

  event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  if (event != NULL)
    {
      double sx, sy;
      graphene_point_t p;
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

      if (gdk_event_get_position (event, &sx, &sy) && native != NULL)
        {
          double nx, ny;

          gtk_native_get_surface_transform (native, &nx, &ny);
          if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self),
                                        &GRAPHENE_POINT_INIT (sx - nx, sy - ny), &p))
            {
              x = p.x;
              y = p.y;
            }
        }
    }

  pl_ladder_view_zoom_at (self, self->zoom * (dy < 0 ? 1.1 : 1 / 1.1), x, y);
  return TRUE;
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  int rows = g_variant_get_int32 (parameter);

  if (rows == 2)
    rows = (int) rows_per_page (self);
  else if (rows == -2)
    rows = -(int) rows_per_page (self);
  else if (rows == 3)
    rows = G_MAXINT;
  else if (rows == -3)
    rows = G_MININT;

  pl_ladder_view_move_selection (self, rows);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  int step = g_variant_get_int32 (parameter);
  double cx = gtk_widget_get_width (widget) / 2.0;
  double cy = gtk_widget_get_height (widget) / 2.0;
  guint row;

  /* Around the selected arrow when it is in view: it stays where it is
   * rather than sliding off the screen with the centre. */
  if (layout != NULL && self->selected_frame != PL_LADDER_NO_FRAME
      && pl_ladder_layout_find_frame (layout, self->selected_frame, &row))
    {
      double x1, y1, x2, y2, wx, wy;

      pl_ladder_layout_get_arrow (layout, row, &x1, &y1, &x2, &y2);
      pl_ladder_view_layout_to_widget (self, (x1 + x2) / 2, (y1 + y2) / 2, &wx, &wy);
      if (wy >= 0 && wy <= gtk_widget_get_height (widget))
        cy = wy;
      if (wx >= 0 && wx <= gtk_widget_get_width (widget))
        cx = wx;
    }

  if (step == 0)
    pl_ladder_view_zoom_at (self, 1.0, cx, cy);
  else
    pl_ladder_view_zoom_at (self, self->zoom * (step > 0 ? 1.2 : 1 / 1.2), cx, cy);
}

static void
copy_text (PlLadderView *self,
           const char   *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

/* Copies a value of the selected frame: "label" (the arrow's label),
 * "seq", "ack" (as the view numbers them) or "summary" (the tooltip). */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  const char *what = g_variant_get_string (parameter, NULL);
  PlCapture *capture;
  const PlFrame *frame;
  const PlTcpStream *stream;
  guint row;

  if (layout == NULL || self->selected_frame == PL_LADDER_NO_FRAME
      || !pl_ladder_layout_find_frame (layout, self->selected_frame, &row))
    return;

  capture = pl_ladder_selection_get_capture (self->selection);
  frame = pl_capture_get_frame (capture, self->selected_frame);
  stream = frame->stream != PL_NO_STREAM ? pl_capture_get_stream (capture, frame->stream) : NULL;

  if (g_str_equal (what, "label"))
    {
      g_autoptr(GString) label = g_string_new (NULL);

      pl_ladder_layout_format_label (layout, row, label);
      copy_text (self, label->str);
    }
  else if (stream != NULL && (g_str_equal (what, "seq") || g_str_equal (what, "ack")))
    {
      gboolean seq = g_str_equal (what, "seq");
      guint32 value;
      g_autofree char *text = NULL;

      if (self->options.numbers == PL_LADDER_NUMBERS_RAW)
        value = seq ? frame->seq : frame->ack;
      else
        value = seq ? pl_tcp_stream_relative_seq (stream, frame) : pl_tcp_stream_relative_ack (stream, frame);
      text = g_strdup_printf ("%u", value);
      copy_text (self, text);
    }
  else if (g_str_equal (what, "summary"))
    {
      double x1, y1, x2, y2, wx, wy;
      g_autofree char *text = NULL;

      pl_ladder_layout_get_arrow (layout, row, &x1, &y1, &x2, &y2);
      pl_ladder_view_layout_to_widget (self, (x1 + x2) / 2, (y1 + y2) / 2, &wx, &wy);
      text = pl_ladder_view_dup_tooltip_at (self, wx, wy);
      if (text != NULL)
        copy_text (self, text);
    }
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlLadderView *self = PL_LADDER_VIEW (widget);
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  double x1, y1, x2, y2, wx, wy;
  guint row;

  if (layout == NULL || self->selected_frame == PL_LADDER_NO_FRAME
      || !pl_ladder_layout_find_frame (layout, self->selected_frame, &row))
    return;

  pl_ladder_layout_get_arrow (layout, row, &x1, &y1, &x2, &y2);
  pl_ladder_view_layout_to_widget (self, (x1 + x2) / 2, (y1 + y2) / 2, &wx, &wy);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) wx, (int) wy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

PlLadderSelection *
pl_ladder_view_dup_visible_selection (PlLadderView *self)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (self);
  PlCapture *capture;
  PlLadderSelection *copy;
  guint first, end, n_streams;
  double y0, y1;
  guint32 first_frame = G_MAXUINT32, last_frame = 0;

  g_return_val_if_fail (PL_IS_LADDER_VIEW (self), NULL);

  if (layout == NULL)
    return NULL;

  capture = pl_ladder_selection_get_capture (self->selection);
  copy = pl_ladder_selection_new (capture);
  n_streams = pl_capture_get_n_streams (capture);
  if (pl_ladder_selection_get_n_streams (self->selection) > 0)
    for (guint i = 0; i < n_streams; i++)
      if (pl_ladder_selection_has_stream (self->selection, i))
        pl_ladder_selection_add_stream (copy, i);
  for (guint i = 0; i < pl_ladder_selection_get_n_brackets (self->selection); i++)
    pl_ladder_selection_add_bracket (copy, pl_ladder_selection_get_bracket (self->selection, i));
  pl_ladder_selection_set_frame_mask (copy, pl_ladder_selection_get_frame_mask (self->selection));

  y0 = scroll_y (self) / self->zoom;
  y1 = y0 + gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
  pl_ladder_layout_rows_between (layout, y0, y1, &first, &end);
  for (guint row = first; row < end; row++)
    {
      guint32 frame = pl_ladder_layout_get_row (layout, row)->frame;

      first_frame = MIN (first_frame, frame);
      last_frame = MAX (last_frame, frame);
    }
  if (first_frame <= last_frame)
    pl_ladder_selection_set_frames (copy, first_frame, last_frame);

  return copy;
}

static void
pl_ladder_view_dispose (GObject *object)
{
  PlLadderView *self = PL_LADDER_VIEW (object);

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_pointer (&self->layout, pl_ladder_layout_unref);
  g_clear_pointer (&self->selection, pl_ladder_selection_unref);
  g_clear_pointer (&self->metrics, pl_text_metrics_unref);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (pl_ladder_view_parent_class)->dispose (object);
}

static void
pl_ladder_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PlLadderView *self = PL_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_SELECTED_FRAME:
      g_value_set_uint (value, self->selected_frame);
      break;

    case PROP_SPACING:
      g_value_set_enum (value, self->options.spacing);
      break;

    case PROP_NUMBERS:
      g_value_set_enum (value, self->options.numbers);
      break;

    case PROP_LIFELINES:
      g_value_set_enum (value, self->options.merge_hosts ? PL_LADDER_LIFELINES_HOSTS : PL_LADDER_LIFELINES_SOCKETS);
      break;

    case PROP_SHOW_STATES:
      g_value_set_boolean (value, self->options.show_states);
      break;

    case PROP_HIDE_PURE_ACKS:
      g_value_set_boolean (value, self->options.hide_pure_acks);
      break;

    case PROP_FOLD_HTTP:
      g_value_set_boolean (value, self->options.fold_http);
      break;

    case PROP_EXPLAIN:
      g_value_set_boolean (value, self->options.explain);
      break;

    case PROP_TIME:
      g_value_set_enum (value, self->options.time_mode);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_ladder_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PlLadderView *self = PL_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      pl_ladder_view_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_SELECTED_FRAME:
      pl_ladder_view_set_selected_frame (self, g_value_get_uint (value));
      break;

    case PROP_SPACING:
    case PROP_NUMBERS:
    case PROP_LIFELINES:
    case PROP_SHOW_STATES:
    case PROP_HIDE_PURE_ACKS:
    case PROP_FOLD_HTTP:
    case PROP_EXPLAIN:
    case PROP_TIME:
      {
        PlLadderOptions options = self->options;

        if (prop_id == PROP_SPACING)
          options.spacing = g_value_get_enum (value);
        else if (prop_id == PROP_NUMBERS)
          options.numbers = g_value_get_enum (value);
        else if (prop_id == PROP_LIFELINES)
          options.merge_hosts = g_value_get_enum (value) == PL_LADDER_LIFELINES_HOSTS;
        else if (prop_id == PROP_SHOW_STATES)
          options.show_states = g_value_get_boolean (value);
        else if (prop_id == PROP_HIDE_PURE_ACKS)
          options.hide_pure_acks = g_value_get_boolean (value);
        else if (prop_id == PROP_EXPLAIN)
          options.explain = g_value_get_boolean (value);
        else if (prop_id == PROP_TIME)
          options.time_mode = g_value_get_enum (value);
        else
          options.fold_http = g_value_get_boolean (value);
        pl_ladder_view_apply_options (self, &options);
      }
      break;

    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_ladder_view_class_init (PlLadderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_ladder_view_dispose;
  object_class->get_property = pl_ladder_view_get_property;
  object_class->set_property = pl_ladder_view_set_property;

  widget_class->snapshot = pl_ladder_view_snapshot;
  widget_class->measure = pl_ladder_view_measure;
  widget_class->size_allocate = pl_ladder_view_size_allocate;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         PL_LADDER_VIEW_MIN_ZOOM, PL_LADDER_VIEW_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FRAME] =
    g_param_spec_uint ("selected-frame", NULL, NULL, 0, G_MAXUINT32, PL_LADDER_NO_FRAME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPACING] =
    g_param_spec_enum ("spacing", NULL, NULL, PL_TYPE_LADDER_SPACING, PL_LADDER_SPACING_UNIFORM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBERS] =
    g_param_spec_enum ("numbers", NULL, NULL, PL_TYPE_LADDER_NUMBERS, PL_LADDER_NUMBERS_RELATIVE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIFELINES] =
    g_param_spec_enum ("lifelines", NULL, NULL, PL_TYPE_LADDER_LIFELINES, PL_LADDER_LIFELINES_SOCKETS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_STATES] =
    g_param_spec_boolean ("show-states", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIDE_PURE_ACKS] =
    g_param_spec_boolean ("hide-pure-acks", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLD_HTTP] =
    g_param_spec_boolean ("fold-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPLAIN] =
    g_param_spec_boolean ("explain", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME] =
    g_param_spec_enum ("time", NULL, NULL, PL_TYPE_LADDER_TIME_MODE, PL_LADDER_TIME_CAPTURE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_install_action (widget_class, "ladder.move", "i", move_action);
  gtk_widget_class_install_action (widget_class, "ladder.zoom", "i", zoom_action);
  gtk_widget_class_install_action (widget_class, "ladder.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "ladder.menu", NULL, menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "ladder.move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Up, 0, "ladder.move", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "ladder.move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Down, 0, "ladder.move", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "ladder.move", "i", -2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "ladder.move", "i", 2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "ladder.move", "i", -3);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "ladder.move", "i", 3);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "ladder.copy", "s", "label");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "ladder.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "ladder.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "ladderview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GMenuModel *
build_context_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) other = g_menu_new ();

  g_menu_append (copy, _("_Copy Label"), "ladder.copy::label");
  g_menu_append (copy, _("Copy _Sequence Number"), "ladder.copy::seq");
  g_menu_append (copy, _("Copy _Acknowledgment Number"), "ladder.copy::ack");
  g_menu_append (copy, _("Copy _Explanation"), "ladder.copy::summary");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));

  g_menu_append (other, _("Select _HTTP Message"), "win.select-http-message");
  g_menu_append (other, _("E_xport This Stream…"), "win.export-stream");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (other));

  return G_MENU_MODEL (menu);
}

static void
pl_ladder_view_init (PlLadderView *self)
{
  GtkGesture *click;
  GtkEventController *scroll;
  GtkEventController *motion;
  g_autoptr(GMenuModel) menu = build_context_menu ();

  self->zoom = 1.0;
  self->selected_frame = PL_LADDER_NO_FRAME;
  self->hover_frame = PL_LADDER_NO_FRAME;
  pl_ladder_options_init (&self->options);
  self->options.theme = adw_style_manager_get_dark (adw_style_manager_get_default ())
                        ? PL_LADDER_THEME_DARK : PL_LADDER_THEME_LIGHT;
  self->metrics = pl_text_metrics_new_pango ();
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->context_menu), GTK_POS_BOTTOM);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Ladder diagram"),
                                  -1);
  pl_ladder_view_update_accessible (self);
}
