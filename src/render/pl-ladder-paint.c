/* pl-ladder-paint.c: paints a ladder layout with cairo and Pango (see
 * pl-ladder-paint.h), and measures text with Pango for the layout.
 *
 * Text is laid out without metric hinting at a fixed 96 dpi, both when
 * measuring and when painting, so widths do not change with the target
 * (window, PNG at any scale, PDF, SVG) and labels that fit once fit
 * everywhere.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "pl-ladder-paint.h"
#include "pl-tcp-state.h"

/* ------------------------------------------------------------------------
 * Pango.
 */

static void
setup_context (PangoContext *context)
{
  cairo_font_options_t *fo = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, fo);
  pango_cairo_context_set_resolution (context, 96);
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_destroy (fo);
}

typedef struct
{
  PlTextMetrics parent;
  PangoLayout  *layouts[PL_TEXT_N_ROLES];
} PangoMetrics;

static double
pango_width (PlTextMetrics *self,
             PlTextRole     role,
             const char    *text,
             gssize         len)
{
  PangoMetrics *pm = (PangoMetrics *) self;
  PangoRectangle logical;

  pango_layout_set_text (pm->layouts[role], text, len);
  pango_layout_get_extents (pm->layouts[role], NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

static void
pango_destroy (PlTextMetrics *self)
{
  PangoMetrics *pm = (PangoMetrics *) self;
  guint i;

  for (i = 0; i < PL_TEXT_N_ROLES; i++)
    g_clear_object (&pm->layouts[i]);
  g_free (pm);
}

static PangoLayout *
make_layout (PangoContext *context,
             PlTextRole    role)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *desc = pango_font_description_from_string (pl_ladder_style_font (role));

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  return layout;
}

PlTextMetrics *
pl_text_metrics_new_pango (void)
{
  PangoMetrics *self = g_new0 (PangoMetrics, 1);
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  guint i;

  setup_context (context);
  self->parent.width = pango_width;
  self->parent.destroy = pango_destroy;
  self->parent.ref_count = 1;
  for (i = 0; i < PL_TEXT_N_ROLES; i++)
    {
      PangoRectangle logical;

      self->layouts[i] = make_layout (context, i);
      pango_layout_set_text (self->layouts[i], "Ag", -1);
      pango_layout_get_extents (self->layouts[i], NULL, &logical);
      self->parent.line_height[i] = ceil ((double) logical.height / PANGO_SCALE);
    }
  g_object_unref (context);
  return &self->parent;
}

/* ------------------------------------------------------------------------
 * Painting.
 */

typedef struct
{
  PlLadderLayout         *layout;
  const PlLadderGeometry *g;
  const PlLadderPalette  *pal;
  PlLadderSelection      *selection;
  PlCapture              *capture;
  cairo_t                *cr;
  PangoLayout            *text[PL_TEXT_N_ROLES];
  GString                *buf;
  double                  x0, y0, x1, y1;   /* clip */
} Painter;

void
pl_ladder_paint_state_init (PlLadderPaintState *state)
{
  memset (state, 0, sizeof *state);
  state->selected_frame = PL_LADDER_NO_FRAME;
  state->hover_frame = PL_LADDER_NO_FRAME;
  state->show_ack_text = TRUE;
}

static void
set_color (cairo_t       *cr,
           const PlColor *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static void
set_color_alpha (cairo_t       *cr,
                 const PlColor *c,
                 double         alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a * alpha);
}

typedef enum
{
  ALIGN_LEFT,
  ALIGN_CENTER,
  ALIGN_RIGHT,
} Align;

/* Draws text with its logical box's top at y; returns its width. */
static double
draw_text (Painter    *p,
           PlTextRole  role,
           const char *text,
           double      x,
           double      y,
           Align       align)
{
  PangoLayout *layout = p->text[role];
  PangoRectangle logical;
  double w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  if (align == ALIGN_CENTER)
    x -= w / 2;
  else if (align == ALIGN_RIGHT)
    x -= w;
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, layout);
  return w;
}

static double
text_width (Painter    *p,
            PlTextRole  role,
            const char *text)
{
  PangoRectangle logical;

  pango_layout_set_text (p->text[role], text, -1);
  pango_layout_get_extents (p->text[role], NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static const PlColor *
mark_color (const PlLadderPalette *pal,
            guint                  mark)
{
  switch (1u << mark)
    {
    case PL_LADDER_MARK_RETRANSMISSION:
      return &pal->retransmission;
    case PL_LADDER_MARK_DUP_ACK:
      return &pal->duplicate_ack;
    case PL_LADDER_MARK_OUT_OF_ORDER:
      return &pal->out_of_order;
    case PL_LADDER_MARK_ZERO_WINDOW:
      return &pal->zero_window;
    case PL_LADDER_MARK_WINDOW_FULL:
      return &pal->window_full;
    case PL_LADDER_MARK_GAP:
    default:
      return &pal->gap;
    }
}

static const PlColor *
arrow_color (Painter           *p,
             const PlLadderRow *row,
             const PlFrame     *f)
{
  guint i;

  for (i = 0; i < PL_LADDER_N_MARKS; i++)
    if (row->marks & (1u << i))
      return mark_color (p->pal, i);
  if (row->flags & PL_LADDER_ROW_FOLDED)
    return &p->pal->data;
  if (f->tcp_flags & PL_TCP_RST)
    return &p->pal->rst;
  if (f->tcp_flags & PL_TCP_SYN)
    return &p->pal->syn;
  if (f->tcp_flags & PL_TCP_FIN)
    return &p->pal->fin;
  if (row->flags & PL_LADDER_ROW_PURE_ACK)
    return &p->pal->muted;
  return &p->pal->data;
}

static void paint_titles (Painter *p,
                          double   head_y);

static void
paint_heads (Painter *p,
             double   top)
{
  guint n = pl_ladder_layout_get_n_lifelines (p->layout);
  const PlLadderGeometry *g = p->g;
  double head_y = top + (g->head_top - g->margin) + g->margin;
  guint i;

  for (i = 0; i < n; i++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (p->layout, i);
      double x = ll->x - ll->head_width / 2;

      rounded_rect (p->cr, x + 0.5, head_y + 0.5, ll->head_width - 1, g->head_h - 1, 4);
      set_color (p->cr, &p->pal->head_fill);
      cairo_fill_preserve (p->cr);
      set_color (p->cr, &p->pal->lifeline);
      cairo_set_line_width (p->cr, 1);
      cairo_stroke (p->cr);

      set_color (p->cr, &p->pal->foreground);
      draw_text (p, PL_TEXT_HEADER, ll->label, ll->x, head_y + 5, ALIGN_CENTER);
      set_color (p->cr, &p->pal->muted);
      draw_text (p, PL_TEXT_SMALL, ll->sublabel, ll->x, head_y + 5 + g->header_h + 1, ALIGN_CENTER);
    }

  paint_titles (p, head_y);
}

/* Column titles, level with the bottom of the heads. */
static void
paint_titles (Painter *p,
              double   head_y)
{
  const PlLadderGeometry *g = p->g;

  set_color (p->cr, &p->pal->muted);
  /* Translators: the ladder's column titles: frame number, then its time. */
  draw_text (p, PL_TEXT_SMALL, C_("ladder column", "No."), g->number_x, head_y + g->head_h - g->small_h - 3, ALIGN_RIGHT);
  draw_text (p, PL_TEXT_SMALL, pl_ladder_layout_get_time_title (p->layout, FALSE),
             g->time_x, head_y + g->head_h - g->small_h - 3, ALIGN_RIGHT);
  if (g->ruler_x > 0)
    /* Translators: the title of the time ruler at the left of the ladder. */
    draw_text (p, PL_TEXT_SMALL, _("Elapsed"), g->ruler_x, head_y + g->head_h - g->small_h - 3, ALIGN_RIGHT);
}

static void
paint_lifelines (Painter *p)
{
  guint n = pl_ladder_layout_get_n_lifelines (p->layout);
  const PlLadderGeometry *g = p->g;
  double top = MAX (p->y0, g->head_top + g->head_h);
  double bottom = MIN (p->y1, pl_ladder_layout_get_height (p->layout) - g->margin);
  guint i;

  if (bottom <= top)
    return;
  set_color (p->cr, &p->pal->lifeline);
  cairo_set_line_width (p->cr, 1.5);
  for (i = 0; i < n; i++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (p->layout, i);

      if (ll->x < p->x0 - 2 || ll->x > p->x1 + 2)
        continue;
      cairo_move_to (p->cr, ll->x, top);
      cairo_line_to (p->cr, ll->x, bottom);
    }
  cairo_stroke (p->cr);
}

static gint64
row_time (Painter *p,
          guint    row)
{
  return pl_capture_get_frame (p->capture, pl_ladder_layout_get_row (p->layout, row)->frame)->ts_ns;
}

/* A duration in the unit of its size, with as many decimals as a step of
 * step_ns needs to tell ticks apart (0: three significant digits). */
static void
format_duration (GString *out,
                 double   ns,
                 double   step_ns)
{
  double unit = ns >= 1e9 || step_ns >= 1e9 ? 1e9 : ns >= 1e6 || step_ns >= 1e6 ? 1e6 : 1e3;
  const char *name = unit == 1e9 ? "s" : unit == 1e6 ? "ms" : "\302\265s";
  int decimals;

  if (step_ns > 0)
    decimals = (int) CLAMP (ceil (-log10 (step_ns / unit) - 1e-9), 0, 9);
  else
    decimals = ns / unit >= 100 ? 0 : ns / unit >= 10 ? 1 : 2;
  g_string_append_printf (out, "%.*f %s", decimals, ns / unit, name);
}

/* A nice step (1, 2 or 5 times a power of ten) of at least min_ns. */
static double
nice_step (double min_ns)
{
  double p10 = pow (10, floor (log10 (MAX (min_ns, 1))));

  if (p10 >= min_ns)
    return p10;
  if (2 * p10 >= min_ns)
    return 2 * p10;
  if (5 * p10 >= min_ns)
    return 5 * p10;
  return 10 * p10;
}

/* The ruler maps elapsed time to y through the rows: linear between two
 * consecutive rows, so it bends where bursts were spread out to one row
 * each and skips cut gaps. */
static void
paint_ruler (Painter *p,
             guint    first,
             guint    end)
{
  const PlLadderGeometry *g = p->g;
  guint n = pl_ladder_layout_get_n_rows (p->layout);
  gint64 t0;
  double step, last_label = -G_MAXDOUBLE;
  guint i;

  if (g->ruler_x <= 0 || n == 0 || g->px_per_ns <= 0)
    return;
  t0 = row_time (p, 0);
  step = nice_step (60 / g->px_per_ns);

  set_color (p->cr, &p->pal->grid);
  cairo_set_line_width (p->cr, 1);
  cairo_move_to (p->cr, g->ruler_x + 6, MAX (p->y0, g->rows_top));
  cairo_line_to (p->cr, g->ruler_x + 6, MIN (p->y1, pl_ladder_layout_get_height (p->layout) - g->margin));
  cairo_stroke (p->cr);

  first = first > 0 ? first - 1 : 0;
  end = MIN (end + 1, n);
  for (i = first; i + 1 < end; i++)
    {
      const PlLadderRow *a = pl_ladder_layout_get_row (p->layout, i);
      const PlLadderRow *b = pl_ladder_layout_get_row (p->layout, i + 1);
      double ta = (double) (row_time (p, i) - t0);
      double tb = (double) (row_time (p, i + 1) - t0);
      double k;

      if (tb <= ta || (b->flags & PL_LADDER_ROW_BREAK))
        continue;
      /* Only the ticks whose y is in the clip. */
      for (k = ceil (MAX (ta, ta + (p->y0 - a->y) / (b->y - a->y) * (tb - ta)) / step);
           k * step <= tb; k++)
        {
          double y = a->y + (k * step - ta) / (tb - ta) * (b->y - a->y);

          if (y > p->y1)
            break;
          set_color (p->cr, &p->pal->grid);
          cairo_move_to (p->cr, g->ruler_x + 2, y);
          cairo_line_to (p->cr, g->ruler_x + 10, y);
          cairo_stroke (p->cr);
          if (y - last_label >= g->small_h + 4)
            {
              g_string_truncate (p->buf, 0);
              format_duration (p->buf, k * step, step);
              set_color (p->cr, &p->pal->muted);
              draw_text (p, PL_TEXT_SMALL, p->buf->str, g->ruler_x, y - g->small_h / 2, ALIGN_RIGHT);
              last_label = y;
            }
        }
    }
}

static void paint_break_label (Painter *p,
                               guint    index,
                               double   top);

static void
paint_break (Painter *p,
             guint    index,
             double   top)
{
  const PlLadderGeometry *g = p->g;
  guint n = pl_ladder_layout_get_n_lifelines (p->layout);
  double y = top - g->break_h;
  double mid = y + g->break_h / 2;
  guint i;

  /* Hide the lifelines across the cut, then mark each with a slash pair. */
  set_color (p->cr, &p->pal->background);
  cairo_rectangle (p->cr, g->lifelines_left - 8, mid - 4, g->lifelines_right - g->lifelines_left + 16, 8);
  cairo_fill (p->cr);
  set_color (p->cr, &p->pal->lifeline);
  cairo_set_line_width (p->cr, 1.5);
  for (i = 0; i < n; i++)
    {
      double x = pl_ladder_layout_get_lifeline (p->layout, i)->x;

      cairo_move_to (p->cr, x - 6, mid - 1);
      cairo_line_to (p->cr, x + 6, mid - 7);
      cairo_move_to (p->cr, x - 6, mid + 7);
      cairo_line_to (p->cr, x + 6, mid + 1);
    }
  cairo_stroke (p->cr);

  paint_break_label (p, index, top);
}

/* The gutter's part of a cut idle gap: a dotted line and how long. */
static void
paint_break_label (Painter *p,
                   guint    index,
                   double   top)
{
  const PlLadderGeometry *g = p->g;
  double y = top - g->break_h;
  double mid = y + g->break_h / 2;

  set_color (p->cr, &p->pal->grid);
  cairo_set_line_width (p->cr, 1);
  cairo_set_dash (p->cr, (double[]) { 2, 3 }, 2, 0);
  cairo_move_to (p->cr, g->margin, mid);
  cairo_line_to (p->cr, g->lifelines_left - 10, mid);
  cairo_stroke (p->cr);
  cairo_set_dash (p->cr, NULL, 0, 0);

  g_string_truncate (p->buf, 0);
  {
    g_autoptr(GString) duration = g_string_new (NULL);

    format_duration (duration, (double) (row_time (p, index) - row_time (p, index - 1)), 0);
    /* Translators: a break in the ladder where nothing was sent ("2.5 s idle"). */
    g_string_append_printf (p->buf, _("%s idle"), duration->str);
  }
  set_color (p->cr, &p->pal->background);
  cairo_rectangle (p->cr, g->time_x - text_width (p, PL_TEXT_SMALL, p->buf->str) - 4, mid - g->small_h / 2 - 1,
                   text_width (p, PL_TEXT_SMALL, p->buf->str) + 8, g->small_h + 2);
  cairo_fill (p->cr);
  set_color (p->cr, &p->pal->muted);
  draw_text (p, PL_TEXT_SMALL, p->buf->str, g->time_x, mid - g->small_h / 2, ALIGN_RIGHT);
}

static void
paint_arrow (Painter           *p,
             const PlLadderRow *row,
             const PlColor     *color,
             double             x1,
             double             y1,
             double             x2,
             double             y2)
{
  cairo_t *cr = p->cr;
  double dx = x2 - x1, dy = y2 - y1;
  double len = sqrt (dx * dx + dy * dy);
  double ux = dx / len, uy = dy / len;
  gboolean folded = (row->flags & PL_LADDER_ROW_FOLDED) != 0;
  double head = folded ? 14 : 9, half = folded ? 7 : 3.5;
  double bx = x2 - ux * head, by = y2 - uy * head;

  set_color (cr, color);
  cairo_set_line_width (cr, folded ? 5 : (row->flags & PL_LADDER_ROW_PURE_ACK) ? 1 : 1.5);
  if (row->flags & PL_LADDER_ROW_PURE_ACK)
    cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, bx + ux * 1, by + uy * 1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_move_to (cr, x2, y2);
  cairo_line_to (cr, bx - uy * half, by + ux * half);
  cairo_line_to (cr, bx + uy * half, by - ux * half);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
paint_details (Painter           *p,
               guint              index,
               const PlLadderRow *row,
               double             cx,
               double             top)
{
  g_autoptr(GString) options = g_string_new (NULL);
  double total = 0, x, wopt = 0;
  double widths[PL_LADDER_N_MARKS] = { 0 };
  guint i;

  /* Measure first: the line is centred under the arrow. */
  pl_ladder_layout_format_options (p->layout, index, options);
  if (options->len > 0)
    total += (wopt = text_width (p, PL_TEXT_SMALL, options->str)) + 6;
  for (i = 0; i < PL_LADDER_N_MARKS; i++)
    if (row->marks & (1u << i))
      {
        g_string_truncate (p->buf, 0);
        pl_ladder_layout_format_mark (p->layout, index, i, p->buf);
        widths[i] = text_width (p, PL_TEXT_SMALL, p->buf->str);
        total += widths[i] + 8 + 6;
      }
  total -= 6;
  x = cx - total / 2;

  if (options->len > 0)
    {
      set_color (p->cr, &p->pal->muted);
      draw_text (p, PL_TEXT_SMALL, options->str, x, top, ALIGN_LEFT);
      x += wopt + 6;
    }
  for (i = 0; i < PL_LADDER_N_MARKS; i++)
    {
      const PlColor *c;

      if (!(row->marks & (1u << i)))
        continue;
      c = mark_color (p->pal, i);
      rounded_rect (p->cr, x, top - 0.5, widths[i] + 8, p->g->small_h + 1, 3);
      set_color_alpha (p->cr, c, 0.16);
      cairo_fill_preserve (p->cr);
      set_color (p->cr, c);
      cairo_set_line_width (p->cr, 1);
      cairo_stroke (p->cr);
      g_string_truncate (p->buf, 0);
      pl_ladder_layout_format_mark (p->layout, index, i, p->buf);
      draw_text (p, PL_TEXT_SMALL, p->buf->str, x + 4, top, ALIGN_LEFT);
      x += widths[i] + 8 + 6;
    }
}

/* --explain: the arithmetic under the arrow, a line each, centred. */
static void
paint_explanation (Painter           *p,
                   guint              index,
                   const PlLadderRow *row,
                   double             cx,
                   double             top)
{
  g_auto(GStrv) lines = NULL;
  gboolean behind = pl_ladder_layout_get_n_lifelines (p->layout) > 2;
  guint i;

  g_string_truncate (p->buf, 0);
  pl_ladder_layout_format_explanation (p->layout, index, p->buf);
  lines = g_strsplit (p->buf->str, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      double y = top + i * (p->g->small_h + 1);

      if (behind)
        {
          /* Lifelines between the two ends pass behind the text. */
          double w = text_width (p, PL_TEXT_SMALL, lines[i]);

          set_color (p->cr, &p->pal->background);
          cairo_rectangle (p->cr, cx - w / 2 - 2, y, w + 4, p->g->small_h);
          cairo_fill (p->cr);
        }
      set_color (p->cr, g_str_has_prefix (lines[i], "ack ") || strstr (lines[i], " = seq ") != NULL
                        ? &p->pal->foreground : &p->pal->muted);
      draw_text (p, PL_TEXT_SMALL, lines[i], cx, y, ALIGN_CENTER);
    }
}

/* --explain: the numbered notes under the diagram. */
static void
paint_notes (Painter *p)
{
  guint n = pl_ladder_layout_get_n_note_lines (p->layout), i;
  double top = pl_ladder_layout_get_notes_top (p->layout);

  if (n == 0 || top > p->y1)
    return;
  set_color (p->cr, &p->pal->grid);
  cairo_set_line_width (p->cr, 1);
  cairo_move_to (p->cr, p->g->margin, top - 4.5);
  cairo_line_to (p->cr, pl_ladder_layout_get_width (p->layout) - p->g->margin, top - 4.5);
  cairo_stroke (p->cr);
  set_color (p->cr, &p->pal->foreground);
  /* Translators: the title of the numbered notes under an exported ladder. */
  draw_text (p, PL_TEXT_LABEL, _("Notes"), p->g->margin, top, ALIGN_LEFT);
  /* Lines are evenly spaced: the first in the clip by arithmetic. */
  {
    double first_y;

    pl_ladder_layout_get_note_line (p->layout, 0, &first_y);
    i = p->y0 > first_y ? (guint) MIN ((p->y0 - first_y) / p->g->small_h, n) : 0;
    i = i > 0 ? i - 1 : 0;
  }
  for (; i < n; i++)
    {
      double y;
      const char *line = pl_ladder_layout_get_note_line (p->layout, i, &y);

      if (y > p->y1)
        break;
      draw_text (p, PL_TEXT_SMALL, line, p->g->margin, y, ALIGN_LEFT);
    }
}

/* Frame number and time, level with the send end. */
static void
paint_number_time (Painter *p,
                   guint    index,
                   double   y,
                   gboolean selected)
{
  const PlLadderGeometry *g = p->g;
  const PlLadderRow *row = pl_ladder_layout_get_row (p->layout, index);

  g_string_printf (p->buf, "%u", row->frame + 1);
  set_color (p->cr, selected ? &p->pal->foreground : &p->pal->muted);
  draw_text (p, PL_TEXT_SMALL, p->buf->str, g->number_x, y - g->small_h / 2, ALIGN_RIGHT);
  g_string_truncate (p->buf, 0);
  pl_ladder_layout_format_frame_time (p->layout, index, p->buf);
  draw_text (p, PL_TEXT_SMALL, p->buf->str, g->time_x, y - g->small_h / 2, ALIGN_RIGHT);
}

/* The highlight behind a selected, hovered or acknowledged row, from x0
 * to x1. */
static void
paint_row_highlight (Painter                  *p,
                     guint                     index,
                     const PlLadderAckInfo    *ack,
                     const PlLadderPaintState *state,
                     double                    x0,
                     double                    x1)
{
  const PlLadderRow *row = pl_ladder_layout_get_row (p->layout, index);
  const PlFrame *f = pl_capture_get_frame (p->capture, row->frame);
  gboolean selected = state->selected_frame == row->frame;
  double top, bottom;

  if (!selected && state->hover_frame != row->frame &&
      (ack == NULL || !pl_ladder_ack_info_covers (ack, row->frame, f)))
    return;

  pl_ladder_layout_get_row_band (p->layout, index, &top, &bottom);
  set_color_alpha (p->cr, selected || state->hover_frame == row->frame ? &p->pal->selection : &p->pal->acked,
                   !selected && state->hover_frame == row->frame ? 0.5 : 1);
  cairo_rectangle (p->cr, x0, top - 1, x1 - x0, bottom - top + 2);
  cairo_fill (p->cr);
}

static void
paint_row (Painter                  *p,
           guint                     index,
           const PlLadderAckInfo    *ack,
           const PlLadderPaintState *state)
{
  const PlLadderGeometry *g = p->g;
  const PlLadderRow *row = pl_ladder_layout_get_row (p->layout, index);
  const PlFrame *f = pl_capture_get_frame (p->capture, row->frame);
  const PlColor *color = arrow_color (p, row, f);
  double x1, y1, x2, y2, top, bottom, cx;
  gboolean selected = state->selected_frame == row->frame;

  pl_ladder_layout_get_arrow (p->layout, index, &x1, &y1, &x2, &y2);
  pl_ladder_layout_get_row_band (p->layout, index, &top, &bottom);
  cx = (x1 + x2) / 2;

  if (row->flags & PL_LADDER_ROW_BREAK)
    paint_break (p, index, top);

  /* Highlights behind everything else of the row. */
  paint_row_highlight (p, index, ack, state, g->margin / 2, g->lifelines_right + 12);

  paint_number_time (p, index, y1, selected);

  paint_arrow (p, row, color, x1, y1, x2, y2);

  if (row->marks & PL_LADDER_MARK_GAP)
    {
      /* The sender's lifeline is broken just above the arrow: bytes went
       * by there that the capture never saw. */
      set_color (p->cr, &p->pal->gap);
      cairo_set_line_width (p->cr, 1.5);
      cairo_move_to (p->cr, x1 - 5, y1 - 8);
      cairo_curve_to (p->cr, x1 - 2, y1 - 12, x1 + 2, y1 - 4, x1 + 5, y1 - 8);
      cairo_move_to (p->cr, x1 - 5, y1 - 4);
      cairo_curve_to (p->cr, x1 - 2, y1 - 8, x1 + 2, y1, x1 + 5, y1 - 4);
      cairo_stroke (p->cr);
    }

  g_string_truncate (p->buf, 0);
  pl_ladder_layout_format_label (p->layout, index, p->buf);
  if (pl_ladder_layout_get_n_lifelines (p->layout) > 2)
    {
      /* Lifelines between the two ends pass behind the label, not through it. */
      double w = text_width (p, PL_TEXT_LABEL, p->buf->str);

      set_color (p->cr, &p->pal->background);
      cairo_rectangle (p->cr, cx - w / 2 - 3, y1 - 3 - g->label_h, w + 6, g->label_h);
      cairo_fill (p->cr);
    }
  set_color (p->cr, (row->flags & PL_LADDER_ROW_PURE_ACK) && row->marks == 0 ? &p->pal->muted : &p->pal->foreground);
  draw_text (p, PL_TEXT_LABEL, p->buf->str, cx, y1 - 3 - g->label_h, ALIGN_CENTER);

  if (row->flags & PL_LADDER_ROW_DETAILS)
    paint_details (p, index, row, cx, y2 + 3);
  if (row->n_explain > 0)
    paint_explanation (p, index, row, cx, y2 + 3 + ((row->flags & PL_LADDER_ROW_DETAILS) ? g->small_h + 3 : 0));
}

static void
paint_state (Painter                  *p,
             const PlLadderStateLabel *label)
{
  const char *text = pl_tcp_state_to_string (label->state);
  double w = text_width (p, PL_TEXT_SMALL, text);
  double h = p->g->small_h;
  double x = label->align_right ? label->x - w - 4 : label->x;

  rounded_rect (p->cr, x, label->y - h / 2 - 1, w + 4 + 4, h + 2, (h + 2) / 2);
  set_color (p->cr, &p->pal->state_fill);
  cairo_fill (p->cr);
  set_color (p->cr, &p->pal->state);
  draw_text (p, PL_TEXT_SMALL, text, x + 4, label->y - h / 2, ALIGN_LEFT);
}

static void
paint_bracket (Painter                  *p,
               const PlLadderBracketBox *box)
{
  const PlLadderBracket *b = pl_ladder_selection_get_bracket (p->selection, box->bracket);
  const PlLadderGeometry *g = p->g;
  double mid = (box->y0 + box->y1) / 2;
  double label_mid = box->label_y + g->label_h / 2;
  cairo_t *cr = p->cr;

  set_color (cr, &p->pal->bracket);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, box->x - 4, box->y0);
  cairo_line_to (cr, box->x, box->y0);
  cairo_line_to (cr, box->x, box->y1);
  cairo_line_to (cr, box->x - 4, box->y1);
  cairo_stroke (cr);

  /* A leader from the spine to its label when the label had to move. */
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, box->x, CLAMP (label_mid, box->y0, box->y1));
  if (fabs (label_mid - mid) > 1 && (label_mid < box->y0 || label_mid > box->y1))
    cairo_line_to (cr, box->x + 6, label_mid);
  cairo_line_to (cr, box->label_x - 3, label_mid);
  cairo_stroke (cr);

  set_color (cr, &p->pal->foreground);
  draw_text (p, PL_TEXT_LABEL, b->label, box->label_x, box->label_y, ALIGN_LEFT);
  if (b->detail != NULL)
    {
      set_color (cr, &p->pal->muted);
      draw_text (p, PL_TEXT_SMALL, b->detail, box->label_x, box->label_y + g->label_h, ALIGN_LEFT);
    }
}

/* A request and its response: a dotted line from the end of one to the
 * start of the other, on the outer side of the spines. */
static void
paint_bracket_link (Painter                  *p,
                    const PlLadderBracketBox *req,
                    const PlLadderBracketBox *resp)
{
  cairo_t *cr = p->cr;
  double bend = MAX (req->x, resp->x) + 6;

  set_color_alpha (cr, &p->pal->bracket, 0.7);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]) { 1.5, 2.5 }, 2, 0);
  cairo_move_to (cr, req->x, req->y1);
  cairo_curve_to (cr, bend, req->y1, bend, resp->y0, resp->x, resp->y0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
paint_brackets (Painter *p)
{
  guint n = pl_ladder_layout_get_n_brackets (p->layout);
  guint i, j;

  for (i = 0; i < n; i++)
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (p->layout, i);
      const PlLadderBracket *b = pl_ladder_selection_get_bracket (p->selection, box->bracket);
      double top = MIN (box->y0, box->label_y), bottom = MAX (box->y1, box->label_y + box->label_height);

      if (b->kind == PL_LADDER_BRACKET_REQUEST && b->peer >= 0)
        {
          /* The response is usually the next box or close to it. */
          for (j = i + 1; j < n && j < i + 64; j++)
            {
              const PlLadderBracketBox *other = pl_ladder_layout_get_bracket (p->layout, j);

              if ((gint32) other->bracket == b->peer)
                {
                  /* The link runs from box->y1 down to other->y0. */
                  if (box->y1 <= p->y1 && other->y0 >= p->y0)
                    paint_bracket_link (p, box, other);
                  break;
                }
            }
        }
      if (bottom < p->y0 - 4 || top > p->y1 + 4)
        continue;
      paint_bracket (p, box);
    }
}

/* The callout's lines: one per line of the text, and the part of a line
 * after the arrow on a line of its own. */
static void
add_line (GPtrArray  *lines,
          const char *line,
          gsize       len,
          gboolean    narrow)
{
  const char *equals = narrow ? g_strstr_len (line, len, " = ") : NULL;

  /* Narrow: "next seq 1270" over "= seq 1 + len 1269". */
  if (equals != NULL)
    {
      g_ptr_array_add (lines, g_strndup (line, equals - line));
      g_ptr_array_add (lines, g_strndup (equals + 1, len - (equals + 1 - line)));
    }
  else
    g_ptr_array_add (lines, g_strndup (line, len));
}

static GPtrArray *
callout_lines (const char *text,
               gboolean    narrow)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (text, "\n", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *arrow = strstr (parts[i], " \342\206\222 ");

      if (arrow != NULL)
        {
          add_line (lines, parts[i], arrow - parts[i], narrow);
          g_ptr_array_add (lines, g_strdup (arrow + 1));
        }
      else
        add_line (lines, parts[i], strlen (parts[i]), narrow);
    }
  return lines;
}

static double
lines_width (Painter   *p,
             GPtrArray *lines)
{
  double w = 0;

  for (guint i = 0; i < lines->len; i++)
    w = MAX (w, text_width (p, PL_TEXT_SMALL, g_ptr_array_index (lines, i)));
  return w;
}

static void
paint_ack_text (Painter      *p,
                guint         index,
                const char   *text,
                PlLadderRect *where)
{
  const PlLadderGeometry *g = p->g;
  g_autoptr(GPtrArray) lines = callout_lines (text, FALSE);
  double x1, y1, x2, y2, top, bottom, w, h, x, y, left_limit;
  guint i, n;

  /* Beside the selected row, in the bracket column (under the arrow it
   * would cover the next row's label), sliding right past any HTTP label
   * there.  A callout that would leave the view (the clip) goes to the
   * other side of the arrows instead, and never over the frame numbers. */
  pl_ladder_layout_get_arrow (p->layout, index, &x1, &y1, &x2, &y2);
  pl_ladder_layout_get_row_band (p->layout, index, &top, &bottom);
  left_limit = MAX (p->x0, 0) + g->gutter_right + 6;
  for (int narrow = 0; narrow < 2; narrow++)
    {
      double right_x;

      if (narrow)
        {
          /* "next seq 1270" over "= seq 1 + len 1269". */
          g_ptr_array_unref (lines);
          lines = callout_lines (text, TRUE);
        }
      w = lines_width (p, lines);
      h = lines->len * g->small_h + 6;
      y = MAX (top, (y1 + y2) / 2 - h / 2);

      right_x = MAX (g->brackets_x, MAX (x1, x2) + 12) + 12;
      n = pl_ladder_layout_get_n_brackets (p->layout);
      for (i = 0; i < n; i++)
        {
          const PlLadderBracketBox *b = pl_ladder_layout_get_bracket (p->layout, i);

          if (b->label_y < y + h && b->label_y + b->label_height > y &&
              b->label_x + b->label_width + 12 > right_x)
            right_x = b->label_x + b->label_width + 12;
        }
      x = right_x;
      if (x + w + 6 <= p->x1)
        break;
      /* The other side of the arrows. */
      x = MIN (x1, x2) - 12 - w - 6;
      if (x >= left_limit)
        break;
      /* Neither side has room: as far right as the view allows, and
       * below any HTTP label it would cover. */
      x = MAX (left_limit, p->x1 - w - 8);
      for (i = 0; i < n; i++)
        {
          const PlLadderBracketBox *b = pl_ladder_layout_get_bracket (p->layout, i);

          if (b->label_y < y + h && b->label_y + b->label_height > y &&
              b->label_x + b->label_width > x - 6 && b->label_x < x + w + 6)
            y = b->label_y + b->label_height + 2;
        }
    }
  if (y + h > p->y1 - 2)
    y = MAX (p->y0 + 2, p->y1 - 2 - h);

  if (where != NULL)
    *where = (PlLadderRect) { x - 6, y, w + 12, h };
  rounded_rect (p->cr, x - 6, y, w + 12, h, 4);
  set_color (p->cr, &p->pal->background);
  cairo_fill_preserve (p->cr);
  set_color (p->cr, &p->pal->duplicate_ack);
  cairo_set_line_width (p->cr, 1);
  cairo_stroke (p->cr);
  set_color (p->cr, &p->pal->foreground);
  for (i = 0; i < lines->len; i++)
    draw_text (p, PL_TEXT_SMALL, g_ptr_array_index (lines, i), x, y + 3 + i * g->small_h, ALIGN_LEFT);
}

static void
painter_init (Painter        *p,
              PlLadderLayout *layout,
              cairo_t        *cr)
{
  PangoContext *context = pango_cairo_create_context (cr);
  guint i;

  memset (p, 0, sizeof *p);
  setup_context (context);
  p->layout = layout;
  p->g = pl_ladder_layout_get_geometry (layout);
  p->pal = pl_ladder_palette_get (pl_ladder_layout_get_options (layout)->theme);
  p->selection = pl_ladder_layout_get_selection (layout);
  p->capture = pl_ladder_selection_get_capture (p->selection);
  p->cr = cr;
  for (i = 0; i < PL_TEXT_N_ROLES; i++)
    p->text[i] = make_layout (context, i);
  g_object_unref (context);
  p->buf = g_string_sized_new (128);
  cairo_clip_extents (cr, &p->x0, &p->y0, &p->x1, &p->y1);
}

static void
painter_clear (Painter *p)
{
  guint i;

  for (i = 0; i < PL_TEXT_N_ROLES; i++)
    g_clear_object (&p->text[i]);
  g_string_free (p->buf, TRUE);
}

void
pl_ladder_paint (PlLadderLayout           *layout,
                 cairo_t                  *cr,
                 const PlLadderPaintState *state)
{
  PlLadderPaintState none;
  PlLadderAckInfo ack;
  g_autofree char *ack_text = NULL;
  gboolean have_ack = FALSE;
  guint first, end, sfirst, send, i, sel_row = 0;
  Painter p;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);

  if (state == NULL)
    {
      pl_ladder_paint_state_init (&none);
      state = &none;
    }

  cairo_save (cr);
  painter_init (&p, layout, cr);

  set_color (cr, &p.pal->background);
  cairo_paint (cr);

  if (state->callout != NULL)
    *state->callout = (PlLadderRect) { 0, 0, 0, 0 };
  if (state->selected_frame != PL_LADDER_NO_FRAME)
    {
      have_ack = pl_ladder_layout_explain_ack (layout, state->selected_frame, &ack, NULL);
      if (state->show_ack_text)
        ack_text = pl_ladder_layout_dup_callout (layout, state->selected_frame);
    }

  /* Rows reach up to their break and down to their details. */
  pl_ladder_layout_rows_between (layout, p.y0 - p.g->label_h, p.y1 + p.g->break_h + p.g->label_h, &first, &end);

  paint_lifelines (&p);
  paint_ruler (&p, first, end);
  if (p.y0 < p.g->head_top + p.g->head_h)
    paint_heads (&p, 0);

  for (i = first; i < end; i++)
    paint_row (&p, i, have_ack ? &ack : NULL, state);

  if (pl_ladder_layout_get_options (layout)->show_states)
    {
      pl_ladder_layout_states_between (layout, first, end, &sfirst, &send);
      for (i = sfirst; i < send; i++)
        paint_state (&p, pl_ladder_layout_get_state (layout, i));
    }

  paint_brackets (&p);
  paint_notes (&p);

  if (ack_text != NULL && pl_ladder_layout_find_frame (layout, state->selected_frame, &sel_row) &&
      sel_row >= first && sel_row < end)
    paint_ack_text (&p, sel_row, ack_text, state->callout);

  painter_clear (&p);
  cairo_restore (cr);
}

double
pl_ladder_paint_header (PlLadderLayout *layout,
                        cairo_t        *cr,
                        double          y)
{
  const PlLadderGeometry *g = pl_ladder_layout_get_geometry (layout);
  double h = g->head_top + g->head_h + 6;
  Painter p;

  cairo_save (cr);
  painter_init (&p, layout, cr);
  set_color (cr, &p.pal->background);
  cairo_rectangle (cr, p.x0, y, p.x1 - p.x0, h);
  cairo_fill (cr);
  paint_heads (&p, y);
  painter_clear (&p);
  cairo_restore (cr);
  return h;
}

void
pl_ladder_paint_gutter (PlLadderLayout           *layout,
                        cairo_t                  *cr,
                        const PlLadderPaintState *state,
                        double                    header_top)
{
  PlLadderPaintState none;
  PlLadderAckInfo ack;
  gboolean have_ack = FALSE;
  guint first, end, i;
  double right;
  Painter p;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);

  if (state == NULL)
    {
      pl_ladder_paint_state_init (&none);
      state = &none;
    }

  cairo_save (cr);
  painter_init (&p, layout, cr);
  right = p.g->gutter_right;

  /* Only the gutter: whatever scrolled under it is covered. */
  cairo_rectangle (cr, p.x0, p.y0, right - p.x0, p.y1 - p.y0);
  cairo_clip (cr);
  set_color (cr, &p.pal->background);
  cairo_paint (cr);

  if (state->selected_frame != PL_LADDER_NO_FRAME)
    have_ack = pl_ladder_layout_explain_ack (layout, state->selected_frame, &ack, NULL);

  pl_ladder_layout_rows_between (layout, p.y0 - p.g->label_h, p.y1 + p.g->break_h + p.g->label_h, &first, &end);
  paint_ruler (&p, first, end);
  for (i = first; i < end; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      double x1, y1, x2, y2, top, bottom;

      pl_ladder_layout_get_arrow (layout, i, &x1, &y1, &x2, &y2);
      pl_ladder_layout_get_row_band (layout, i, &top, &bottom);
      paint_row_highlight (&p, i, have_ack ? &ack : NULL, state, p.x0, right);
      if (row->flags & PL_LADDER_ROW_BREAK)
        paint_break_label (&p, i, top);
      paint_number_time (&p, i, y1, state->selected_frame == row->frame);
    }

  if (header_top >= 0)
    {
      set_color (cr, &p.pal->background);
      cairo_rectangle (cr, p.x0, header_top, right - p.x0, p.g->head_top + p.g->head_h + 6);
      cairo_fill (cr);
      paint_titles (&p, header_top + p.g->head_top);
    }

  /* Its edge, so the rows seem to slide under it. */
  set_color (cr, &p.pal->grid);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, right - 0.5, p.y0);
  cairo_line_to (cr, right - 0.5, p.y1);
  cairo_stroke (cr);

  painter_clear (&p);
  cairo_restore (cr);
}
