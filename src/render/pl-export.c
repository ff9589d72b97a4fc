/* pl-export.c: writes a ladder to PNG, SVG, PDF, Mermaid, PlantUML or
 * plain text (see pl-export.h).
 *
 * The picture formats are the painter's output on a cairo surface.  Cairo
 * draws SVG text as glyph outlines, which no search or screen reader can
 * read, so the SVG also gets a transparent text layer with every label at
 * its place.  Tall diagrams: a PNG page is at most 32767 pixels high, so
 * those become numbered pages; a PDF page at most 14400 points (200 in,
 * the limit most readers keep), so a taller ladder becomes several pages
 * of one file.  Pages break between rows and repeat the lifeline heads.
 */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pl-export.h"
#include "pl-ladder-layout.h"
#include "pl-ladder-paint.h"
#include "pl-tcp-state.h"

#define PDF_MAX_PT 14400.0
#define PDF_SCALE  0.75    /* layout units are pixels at 96 dpi: 72 / 96 */

static const struct
{
  const char     *ext;
  PlExportFormat  format;
} extensions[] = {
  { ".png", PL_EXPORT_PNG },
  { ".svg", PL_EXPORT_SVG },
  { ".pdf", PL_EXPORT_PDF },
  { ".mmd", PL_EXPORT_MERMAID },
  { ".mermaid", PL_EXPORT_MERMAID },
  { ".puml", PL_EXPORT_PLANTUML },
  { ".plantuml", PL_EXPORT_PLANTUML },
  { ".txt", PL_EXPORT_TEXT },
};

gboolean
pl_export_format_from_path (const char     *path,
                            PlExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      if (g_str_has_suffix (lower, extensions[i].ext) && strlen (lower) > strlen (extensions[i].ext))
        {
          *format = extensions[i].format;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
pl_export_format_extension (PlExportFormat format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (extensions[i].format == format)
      return extensions[i].ext + 1;
  return "";
}

/* ------------------------------------------------------------------------
 * Pages.
 */

typedef struct
{
  double top, bottom;   /* the part of the layout on this page */
} Page;

static double
header_height (PlLadderLayout *layout)
{
  const PlLadderGeometry *g = pl_ladder_layout_get_geometry (layout);

  return g->head_top + g->head_h + 6;
}

/* Cuts the layout into pages at most limit tall (layout units), between
 * rows; pages after the first repeat the heads above their part. */
static GArray *
paginate (PlLadderLayout *layout,
          double          limit)
{
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (Page));
  double height = pl_ladder_layout_get_height (layout);
  double head = header_height (layout);
  double top = 0;

  while (top < height)
    {
      double room = pages->len == 0 ? limit : limit - head;
      Page page = { top, MIN (height, top + room) };
      guint first, end;

      if (page.bottom < height)
        {
          pl_ladder_layout_rows_between (layout, page.bottom - 1, page.bottom, &first, &end);
          if (first < end)
            {
              double rt, rb;

              pl_ladder_layout_get_row_band (layout, first, &rt, &rb);
              if (pl_ladder_layout_get_row (layout, first)->flags & PL_LADDER_ROW_BREAK)
                rt -= pl_ladder_layout_get_geometry (layout)->break_h;
              /* Only when that leaves a reasonable page. */
              if (rt - 2 > top + room / 2)
                page.bottom = rt - 2;
            }
        }
      g_array_append_val (pages, page);
      top = page.bottom;
    }
  return pages;
}

static double
page_height (PlLadderLayout *layout,
             const Page     *page,
             gboolean        first)
{
  return (first ? 0 : header_height (layout)) + page->bottom - page->top;
}

static void
paint_page (PlLadderLayout *layout,
            cairo_t        *cr,
            const Page     *page,
            gboolean        first)
{
  double width = pl_ladder_layout_get_width (layout);
  double head = 0;

  if (!first)
    head = pl_ladder_paint_header (layout, cr, 0);
  cairo_save (cr);
  cairo_rectangle (cr, 0, head, width, page->bottom - page->top);
  cairo_clip (cr);
  cairo_translate (cr, 0, head - page->top);
  pl_ladder_paint (layout, cr, NULL);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------
 * Cairo formats.
 */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_cairo (cairo_status_t status,
             const char     *what,
             GError        **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  /* Translators: %s is a file format (PNG, SVG, PDF), then cairo's reason. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the %s: %s"),
               what, cairo_status_to_string (status));
  return FALSE;
}

static GBytes *
render_png_page (PlLadderLayout *layout,
                 const Page     *page,
                 gboolean        first,
                 double          scale,
                 GError        **error)
{
  int w = (int) ceil (pl_ladder_layout_get_width (layout) * scale);
  int h = (int) ceil (page_height (layout, page, first) * scale);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (w > PL_EXPORT_PNG_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The ladder is %d pixels wide, more than a PNG can hold (%d): export SVG or PDF, or lower --scale"),
                   w, PL_EXPORT_PNG_MAX);
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (w, 1), MAX (h, 1));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint_page (layout, cr, page, first);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, out);
  cairo_surface_destroy (surface);
  if (!check_cairo (status, "PNG", error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
text_layer_add (GString    *svg,
                double      x,
                double      y,
                double      size,
                const char *anchor,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (xs, sizeof xs, "%.1f", x);
  g_ascii_formatd (ys, sizeof ys, "%.1f", y);
  g_string_append_printf (svg, "<text x=\"%s\" y=\"%s\" font-size=\"%d\"%s%s%s>%s</text>\n",
                          xs, ys, (int) size,
                          anchor ? " text-anchor=\"" : "", anchor ? anchor : "", anchor ? "\"" : "",
                          escaped);
}

/* The labels again as real text, transparent over the drawn ones, so the
 * SVG can be searched, copied from and read aloud. */
static void
append_text_layer (PlLadderLayout *layout,
                   GString        *svg)
{
  const PlLadderGeometry *g = pl_ladder_layout_get_geometry (layout);
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  g_autoptr(GString) s = g_string_new (NULL);
  double big = g->label_h * 0.8, small = g->small_h * 0.8;
  guint i, n = pl_ladder_layout_get_n_rows (layout);

  g_string_append (svg, "<g id=\"text-layer\" fill=\"#000\" fill-opacity=\"0\" font-family=\"sans-serif\">\n");
  for (i = 0; i < pl_ladder_layout_get_n_lifelines (layout); i++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, i);

      text_layer_add (svg, ll->x, g->head_top + 5 + g->header_h * 0.8, big, "middle", ll->label);
      text_layer_add (svg, ll->x, g->head_top + 6 + g->header_h + g->small_h * 0.8, small, "middle", ll->sublabel);
    }
  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      double x1, y1, x2, y2;
      guint k;

      pl_ladder_layout_get_arrow (layout, i, &x1, &y1, &x2, &y2);
      g_string_printf (s, "%u", row->frame + 1);
      text_layer_add (svg, g->number_x, y1 + small / 2, small, "end", s->str);
      g_string_truncate (s, 0);
      pl_ladder_layout_format_frame_time (layout, i, s);
      text_layer_add (svg, g->time_x, y1 + small / 2, small, "end", s->str);
      g_string_truncate (s, 0);
      pl_ladder_layout_format_label (layout, i, s);
      text_layer_add (svg, (x1 + x2) / 2, y1 - 3 - g->label_h * 0.2, big, "middle", s->str);
      if (row->flags & PL_LADDER_ROW_DETAILS)
        {
          g_string_truncate (s, 0);
          pl_ladder_layout_format_options (layout, i, s);
          for (k = 0; k < PL_LADDER_N_MARKS; k++)
            if (row->marks & (1u << k))
              {
                if (s->len > 0)
                  g_string_append (s, "  ");
                pl_ladder_layout_format_mark (layout, i, k, s);
              }
          text_layer_add (svg, (x1 + x2) / 2, y2 + 3 + small, small, "middle", s->str);
        }
    }
  for (i = 0; i < pl_ladder_layout_get_n_states (layout); i++)
    {
      const PlLadderStateLabel *st = pl_ladder_layout_get_state (layout, i);

      text_layer_add (svg, st->align_right ? st->x - 4 : st->x + 4, st->y + small / 2, small,
                      st->align_right ? "end" : NULL, pl_tcp_state_to_string (st->state));
    }
  for (i = 0; i < pl_ladder_layout_get_n_brackets (layout); i++)
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, i);
      const PlLadderBracket *b = pl_ladder_selection_get_bracket (selection, box->bracket);

      text_layer_add (svg, box->label_x, box->label_y + big, big, NULL, b->label);
      if (b->detail != NULL)
        text_layer_add (svg, box->label_x, box->label_y + g->label_h + small, small, NULL, b->detail);
    }
  g_string_append (svg, "</g>\n");
}

/* Cairo names surfaces in SVG by a counter global to the process
 * ("surface42"), so the second export of a run would differ from the
 * first.  Renumber them in order of appearance. */
static GString *
renumber_surfaces (const char *svg,
                   gsize       len)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  GString *out = g_string_sized_new (len + 64);
  const char *p = svg, *end = svg + len, *hit;

  while ((hit = g_strstr_len (p, end - p, "surface")) != NULL)
    {
      const char *digits = hit + strlen ("surface");
      guint64 id = 0;
      const char *q = digits;
      gpointer ordinal;

      while (q < end && g_ascii_isdigit (*q) && q - digits < 9)
        id = id * 10 + (guint64) (*q++ - '0');
      g_string_append_len (out, p, digits - p);
      if (q == digits)
        {
          p = digits;
          continue;
        }
      ordinal = g_hash_table_lookup (ids, GSIZE_TO_POINTER (id + 1));
      if (ordinal == NULL)
        {
          ordinal = GUINT_TO_POINTER (g_hash_table_size (ids) + 1);
          g_hash_table_insert (ids, GSIZE_TO_POINTER (id + 1), ordinal);
        }
      g_string_append_printf (out, "%u", GPOINTER_TO_UINT (ordinal));
      p = q;
    }
  g_string_append_len (out, p, end - p);
  return out;
}

static GBytes *
render_svg (PlLadderLayout *layout,
            GError        **error)
{
  double w = ceil (pl_ladder_layout_get_width (layout));
  double h = ceil (pl_ladder_layout_get_height (layout));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  GString *svg;
  const char *end;
  cairo_t *cr;

  surface = cairo_svg_surface_create_for_stream (append_bytes, out, w, h);
  /* SVG 1.1: what librsvg, browsers and Inkscape all read. */
  cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  cr = cairo_create (surface);
  pl_ladder_paint (layout, cr, NULL);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (status, "SVG", error))
    return NULL;

  /* Insert the text layer before the closing tag. */
  svg = renumber_surfaces ((const char *) out->data, out->len);
  end = g_strrstr (svg->str, "</svg>");
  if (end != NULL)
    {
      g_autoptr(GString) layer = g_string_new (NULL);

      append_text_layer (layout, layer);
      g_string_insert_len (svg, end - svg->str, layer->str, layer->len);
    }
  return g_string_free_to_bytes (svg);
}

static GBytes *
render_pdf (PlLadderLayout *layout,
            GError        **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GArray) pages = paginate (layout, PDF_MAX_PT / PDF_SCALE);
  double w = pl_ladder_layout_get_width (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (pl_ladder_layout_get_selection (layout));
  g_autofree char *title = g_strdup_printf ("Packet Ladder: %s", pl_capture_get_display_name (capture));
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint i;

  surface = cairo_pdf_surface_create_for_stream (append_bytes, out, w * PDF_SCALE,
                                                 page_height (layout, &g_array_index (pages, Page, 0), TRUE) * PDF_SCALE);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Packet Ladder " PACKAGE_VERSION);
  cr = cairo_create (surface);
  for (i = 0; i < pages->len; i++)
    {
      const Page *page = &g_array_index (pages, Page, i);

      cairo_pdf_surface_set_size (surface, w * PDF_SCALE, page_height (layout, page, i == 0) * PDF_SCALE);
      cairo_save (cr);
      cairo_scale (cr, PDF_SCALE, PDF_SCALE);
      paint_page (layout, cr, page, i == 0);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (status, "PDF", error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ------------------------------------------------------------------------
 * Text formats.
 */

static void
append_marks_ascii (PlLadderLayout *layout,
                    guint           row_index,
                    GString        *out)
{
  const PlLadderRow *row = pl_ladder_layout_get_row (layout, row_index);
  g_autoptr(GString) mark = g_string_new (NULL);
  guint k;

  for (k = 0; k < PL_LADDER_N_MARKS; k++)
    {
      const char *space;

      if (!(row->marks & (1u << k)))
        continue;
      g_string_truncate (mark, 0);
      pl_ladder_layout_format_mark (layout, row_index, k, mark);
      /* Skip the symbol: text formats stay ASCII. */
      space = strchr (mark->str, ' ');
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "[%s]", space != NULL ? space + 1 : mark->str);
    }
}

/* Options and marks of a row on one line. */
static void
format_details_ascii (PlLadderLayout *layout,
                      guint           row_index,
                      GString        *out)
{
  pl_ladder_layout_format_options (layout, row_index, out);
  append_marks_ascii (layout, row_index, out);
}

static void
describe_scope (PlLadderLayout *layout,
                GString        *out)
{
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (selection);
  guint n = pl_capture_get_n_streams (capture), i, shown = 0;
  guint n_rows = pl_ladder_layout_get_n_rows (layout);
  g_autoptr(GString) scope = g_string_new (NULL);
  g_autoptr(GString) list = g_string_new (NULL);

  if (pl_ladder_selection_get_n_streams (selection) == n)
    g_string_append (scope, n == 1 ? _("stream 0") : _("every stream"));
  else
    {
      for (i = 0; i < n; i++)
        if (pl_ladder_selection_has_stream (selection, i))
          g_string_append_printf (list, "%s%u", shown++ ? "," : "", i);
      /* Translators: %s is a list of stream numbers ("0,2,5"). */
      g_string_append_printf (scope, g_dngettext (GETTEXT_PACKAGE, "stream %s", "streams %s",
                                                  pl_ladder_selection_get_n_streams (selection)),
                              list->str);
    }
  /* Translators: the title of an exported ladder: the capture file, the
   * streams ("every stream", "streams 0,2"), then the number of frames. */
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "Packet Ladder: %s, %s, %u frame shown",
                                            "Packet Ladder: %s, %s, %u frames shown", n_rows),
                          pl_capture_get_display_name (capture), scope->str, n_rows);
}

/* Mermaid reads '#' and ';' in a message as entity start and statement end. */
static void
append_mermaid_text (GString    *out,
                     const char *text)
{
  for (; *text; text++)
    {
      if (*text == '#')
        g_string_append (out, "#35;");
      else if (*text == ';')
        g_string_append (out, "#59;");
      else if (*text == '\n')
        g_string_append (out, "<br/>");
      else
        g_string_append_c (out, *text);
    }
}

static const PlLadderBracketBox *
bracket_starting_at (PlLadderLayout *layout,
                     guint          *next,
                     guint           row_index)
{
  const PlLadderRow *row = pl_ladder_layout_get_row (layout, row_index);

  while (*next < pl_ladder_layout_get_n_brackets (layout))
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, *next);

      if (box->y0 > row->y + 0.5)
        return NULL;
      (*next)++;
      if (box->y0 > row->y - 0.5)
        return box;
    }
  return NULL;
}

static GBytes *
render_sequence (PlLadderLayout *layout,
                 gboolean        plantuml)
{
  const PlLadderPalette *pal = pl_ladder_palette_get (PL_LADDER_THEME_LIGHT);
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (selection);
  const PlLadderOptions *options = pl_ladder_layout_get_options (layout);
  GString *out = g_string_new (NULL);
  g_autoptr(GString) s = g_string_new (NULL);
  guint i, n = pl_ladder_layout_get_n_rows (layout), sfirst = 0, bnext = 0;

  if (plantuml)
    {
      g_string_append (out, "@startuml\n' ");
      describe_scope (layout, out);
      g_string_append (out, "\nskinparam monochrome false\nskinparam sequenceMessageAlign center\nhide footbox\n");
    }
  else
    {
      g_string_append (out, "%% ");
      describe_scope (layout, out);
      g_string_append (out, "\nsequenceDiagram\n");
    }

  for (i = 0; i < pl_ladder_layout_get_n_lifelines (layout); i++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, i);

      if (plantuml)
        g_string_append_printf (out, "participant \"%s\\n%s\" as L%u\n", ll->label, ll->sublabel, i);
      else
        g_string_append_printf (out, "    participant L%u as %s (%s)\n", i, ll->label, ll->sublabel);
    }

  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      const PlFrame *f = pl_capture_get_frame (capture, row->frame);
      const PlLadderBracketBox *box;
      guint send;

      if (row->flags & PL_LADDER_ROW_BREAK)
        {
          gint64 gap = f->ts_ns - pl_capture_get_frame (capture, pl_ladder_layout_get_row (layout, i - 1)->frame)->ts_ns;

          /* Translators: a break in the ladder where nothing was sent, in seconds. */
          g_autofree char *idle = g_strdup_printf (_("%.3f s idle"), gap / 1e9);

          if (plantuml)
            g_string_append_printf (out, "... %s ...\n", idle);
          else
            g_string_append_printf (out, "    Note over L0,L%u: %s\n",
                                    pl_ladder_layout_get_n_lifelines (layout) - 1, idle);
        }

      while ((box = bracket_starting_at (layout, &bnext, i)) != NULL)
        {
          const PlLadderBracket *b = pl_ladder_selection_get_bracket (selection, box->bracket);
          /* Beside the message's sender. */
          guint side = b->dir == f->dir ? row->from : row->to;

          if (plantuml)
            g_string_append_printf (out, "note %s of L%u : %s%s%s\n", b->dir == 0 ? "left" : "right", side,
                                    b->label, b->detail ? "\\n" : "", b->detail ? b->detail : "");
          else
            {
              g_string_append_printf (out, "    Note %s of L%u: ", b->dir == 0 ? "left" : "right", side);
              append_mermaid_text (out, b->label);
              if (b->detail != NULL)
                {
                  g_string_append (out, "<br/>");
                  append_mermaid_text (out, b->detail);
                }
              g_string_append_c (out, '\n');
            }
        }

      g_string_truncate (s, 0);
      if (!(row->flags & PL_LADDER_ROW_FOLDED))
        g_string_append_printf (s, "%u ", row->frame + 1);
      pl_ladder_layout_format_label (layout, i, s);
      if (row->flags & PL_LADDER_ROW_DETAILS)
        {
          g_autoptr(GString) d = g_string_new (NULL);

          format_details_ascii (layout, i, d);
          g_string_append_printf (s, plantuml ? "\\n%s" : " \302\267 %s", d->str);
        }

      if (plantuml)
        {
          const PlColor *c = (f->tcp_flags & PL_TCP_RST) ? &pal->rst :
                             (f->tcp_flags & PL_TCP_SYN) ? &pal->syn :
                             (f->tcp_flags & PL_TCP_FIN) ? &pal->fin :
                             row->marks ? &pal->retransmission : NULL;
          const char *line = (row->flags & PL_LADDER_ROW_PURE_ACK) ? "--" : "-";

          if (row->flags & PL_LADDER_ROW_FOLDED)
            g_string_append_printf (out, "L%u -[thickness=4]> L%u : %s\n", row->from, row->to, s->str);
          else if (c != NULL)
            g_string_append_printf (out, "L%u %s[#%02x%02x%02x]> L%u : %s\n", row->from, line,
                                    (int) (c->r * 255 + 0.5), (int) (c->g * 255 + 0.5), (int) (c->b * 255 + 0.5),
                                    row->to, s->str);
          else
            g_string_append_printf (out, "L%u %s> L%u : %s\n", row->from, line, row->to, s->str);
        }
      else
        {
          g_string_append_printf (out, "    L%u%s>>L%u: ", row->from,
                                  (row->flags & PL_LADDER_ROW_PURE_ACK) ? "--" : "-", row->to);
          append_mermaid_text (out, s->str);
          g_string_append_c (out, '\n');
        }

      if (options->show_states)
        {
          pl_ladder_layout_states_between (layout, i, i + 1, &sfirst, &send);
          for (; sfirst < send; sfirst++)
            {
              const PlLadderStateLabel *st = pl_ladder_layout_get_state (layout, sfirst);

              if (plantuml)
                g_string_append_printf (out, "hnote over L%u : %s\n", st->lifeline, pl_tcp_state_to_string (st->state));
              else
                g_string_append_printf (out, "    Note over L%u: %s\n", st->lifeline, pl_tcp_state_to_string (st->state));
            }
        }
    }

  if (plantuml)
    g_string_append (out, "@enduml\n");
  return g_string_free_to_bytes (out);
}

/* The plain-text ladder: one line per arrow, its label inside it, and a
 * second line for SYN options and analysis marks. */

typedef struct
{
  GArray *cells;   /* gunichar */
} Line;

static void
line_reset (Line *line,
            guint width)
{
  guint i;

  g_array_set_size (line->cells, width);
  for (i = 0; i < width; i++)
    g_array_index (line->cells, gunichar, i) = ' ';
}

static void
line_put (Line       *line,
          gint        x,
          const char *text)
{
  for (; *text; text = g_utf8_next_char (text))
    {
      gunichar c = g_utf8_get_char (text);
      gint w = g_unichar_iswide (c) ? 2 : 1;
      gint k;

      if (x < 0)
        {
          x += w;
          continue;
        }
      if ((guint) (x + w) > line->cells->len)
        {
          guint old = line->cells->len;

          g_array_set_size (line->cells, x + w);
          for (; old < (guint) (x + w); old++)
            g_array_index (line->cells, gunichar, old) = ' ';
        }
      /* A wide character (Chinese text) takes two cells: the second holds
       * 0 and prints nothing.  Overwriting half of one blanks the other. */
      if (g_array_index (line->cells, gunichar, x) == 0 && x > 0)
        g_array_index (line->cells, gunichar, x - 1) = ' ';
      if ((guint) (x + w) < line->cells->len && g_array_index (line->cells, gunichar, x + w) == 0)
        g_array_index (line->cells, gunichar, x + w) = ' ';
      g_array_index (line->cells, gunichar, x) = c;
      for (k = 1; k < w; k++)
        g_array_index (line->cells, gunichar, x + k) = 0;
      x += w;
    }
}

static void
line_flush (Line    *line,
            GString *prefix,
            GString *out)
{
  gsize start = out->len;
  guint i;

  g_string_append (out, prefix->str);
  for (i = 0; i < line->cells->len; i++)
    if (g_array_index (line->cells, gunichar, i) != 0)
      g_string_append_unichar (out, g_array_index (line->cells, gunichar, i));
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static glong
ulen (const char *s)
{
  glong n = 0;

  /* Columns on a terminal: wide (CJK) characters take two. */
  for (; *s; s = g_utf8_next_char (s))
    n += g_unichar_iswide (g_utf8_get_char (s)) ? 2 : 1;
  return n;
}

/* text right-aligned in width columns, then two spaces. */
static void
append_column (GString    *out,
               glong       width,
               const char *text)
{
  glong pad;

  for (pad = width - ulen (text); pad > 0; pad--)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
  g_string_append (out, "  ");
}

static GBytes *
render_text (PlLadderLayout *layout)
{
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (selection);
  const PlLadderOptions *options = pl_ladder_layout_get_options (layout);
  guint n = pl_ladder_layout_get_n_rows (layout);
  guint m = pl_ladder_layout_get_n_lifelines (layout);
  GString *out = g_string_new (NULL);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autofree glong *x = g_new0 (glong, MAX (m, 1));
  g_autofree guint *box_first = NULL;
  g_autofree guint *box_last = NULL;
  g_autoptr(GHashTable) need = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint nb = pl_ladder_layout_get_n_brackets (layout);
  glong no_w = 3, time_w = 8, state_w = 0, width, lanes_x;
  guint i, j, sfirst = 0, send, n_lanes = 0;
  Line line = { g_array_new (FALSE, FALSE, sizeof (gunichar)) };

  /* Texts and column widths. */
  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      guint key = MIN (row->from, row->to) * 65536u + MAX (row->from, row->to);
      glong w;

      g_string_truncate (s, 0);
      pl_ladder_layout_format_label (layout, i, s);
      w = ulen (s->str) + 6;
      g_ptr_array_add (labels, g_strdup (s->str));
      g_string_truncate (s, 0);
      if (row->flags & PL_LADDER_ROW_DETAILS)
        format_details_ascii (layout, i, s);
      g_ptr_array_add (details, s->len > 0 ? g_strdup (s->str) : NULL);
      w = MAX (w, (glong) ulen (s->str) + 4);
      if (row->from != row->to)
        g_hash_table_insert (need, GUINT_TO_POINTER (key),
                             GSIZE_TO_POINTER (MAX ((glong) GPOINTER_TO_SIZE (g_hash_table_lookup (need, GUINT_TO_POINTER (key))), w)));

      g_string_printf (s, "%u", row->frame + 1);
      no_w = MAX (no_w, (glong) s->len);
      g_string_truncate (s, 0);
      pl_ladder_layout_format_frame_time (layout, i, s);
      time_w = MAX (time_w, (glong) s->len);
    }
  if (options->show_states)
    for (i = PL_TCP_STATE_CLOSED; i <= PL_TCP_STATE_LAST_ACK; i++)
      state_w = MAX (state_w, (glong) strlen (pl_tcp_state_to_string (i)));

  /* Lifeline columns: as in the layout, left to right. */
  for (j = 0; j < m; j++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, j);
      glong half = (MAX (ulen (ll->label), ulen (ll->sublabel)) + 1) / 2;

      if (j == 0)
        x[j] = MAX (half, ll->side == 0 ? state_w + 2 : 0);
      else
        {
          const PlLadderLifeline *prev = pl_ladder_layout_get_lifeline (layout, j - 1);
          glong gap = half + (MAX (ulen (prev->label), ulen (prev->sublabel)) + 1) / 2 + 3;
          guint a;

          if (state_w > 0 && (ll->side == 0 || prev->side == 1))
            gap = MAX (gap, state_w + 4);
          x[j] = x[j - 1] + gap;
          for (a = 0; a < j; a++)
            {
              glong w = (glong) GPOINTER_TO_SIZE (g_hash_table_lookup (need, GUINT_TO_POINTER (a * 65536u + j)));

              if (w > 0)
                x[j] = MAX (x[j], x[a] + w);
            }
        }
    }
  width = m > 0 ? x[m - 1] + 1 : 0;
  if (m > 0 && pl_ladder_layout_get_lifeline (layout, m - 1)->side == 1)
    width += state_w + 2;
  lanes_x = width + 2;

  /* Bracket spans as row indexes. */
  box_first = g_new0 (guint, MAX (nb, 1));
  box_last = g_new0 (guint, MAX (nb, 1));
  for (i = 0; i < nb; i++)
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, i);
      guint end;

      pl_ladder_layout_rows_between (layout, box->y0 - 0.5, box->y0 + 0.5, &box_first[i], &end);
      pl_ladder_layout_rows_between (layout, box->y1 - 0.5, box->y1 + 0.5, &end, &box_last[i]);
      box_last[i] = box_last[i] > 0 ? box_last[i] - 1 : 0;
      n_lanes = MAX (n_lanes, box->lane + 1);
    }

  /* Title and heads. */
  describe_scope (layout, out);
  g_string_append (out, "\n\n");
  {
    /* Translators: the text ladder's column titles, as short as can be. */
    const char *no_title = C_("text ladder", "No.");
    const char *time_title = options->time_mode == PL_LADDER_TIME_DELTA ? C_("text ladder", "Delta(s)")
                                                                         : C_("text ladder", "Time(s)");

    no_w = MAX (no_w, ulen (no_title));
    time_w = MAX (time_w, ulen (time_title));
    g_string_truncate (prefix, 0);
    append_column (prefix, no_w, no_title);
    append_column (prefix, time_w, time_title);
  }
  line_reset (&line, width);
  for (j = 0; j < m; j++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, j);

      line_put (&line, x[j] - ulen (ll->label) / 2, ll->label);
    }
  line_flush (&line, prefix, out);
  g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
  line_reset (&line, width);
  for (j = 0; j < m; j++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, j);

      line_put (&line, x[j] - ulen (ll->sublabel) / 2, ll->sublabel);
    }
  line_flush (&line, prefix, out);

  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      const char *label = g_ptr_array_index (labels, i);
      const char *detail = g_ptr_array_index (details, i);
      glong xa = x[row->from], xb = x[row->to], lo = MIN (xa, xb), hi = MAX (xa, xb);
      gunichar fill = (row->flags & PL_LADDER_ROW_FOLDED) ? '=' : (row->flags & PL_LADDER_ROW_PURE_ACK) ? '.' : '-';
      glong k, start;

      /* An empty line between rows keeps the lifelines readable. */
      g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
      line_reset (&line, width);
      for (j = 0; j < m; j++)
        line_put (&line, x[j], (row->flags & PL_LADDER_ROW_BREAK) ? "~" : "|");
      if (row->flags & PL_LADDER_ROW_BREAK)
        {
          gint64 gap = pl_capture_get_frame (capture, row->frame)->ts_ns -
                       pl_capture_get_frame (capture, pl_ladder_layout_get_row (layout, i - 1)->frame)->ts_ns;

          g_string_printf (prefix, "%*s  %*.3fs  ", (int) no_w, "", (int) time_w - 1, gap / 1e9);
        }
      line_flush (&line, prefix, out);

      g_string_printf (prefix, "%*u  ", (int) no_w, row->frame + 1);
      g_string_truncate (s, 0);
      pl_ladder_layout_format_frame_time (layout, i, s);
      g_string_append_printf (prefix, "%*s  ", (int) time_w, s->str);
      line_reset (&line, width);
      for (j = 0; j < m; j++)
        line_put (&line, x[j], "|");
      for (k = lo + 1; k < hi; k++)
        g_array_index (line.cells, gunichar, k) = fill;
      if (hi > lo + 1)
        g_array_index (line.cells, gunichar, xb > xa ? hi - 1 : lo + 1) = xb > xa ? '>' : '<';
      start = (lo + hi) / 2 - ulen (label) / 2;
      line_put (&line, start - 1, " ");
      line_put (&line, start, label);
      line_put (&line, start + ulen (label), " ");

      if (options->show_states)
        {
          pl_ladder_layout_states_between (layout, i, i + 1, &sfirst, &send);
          for (; sfirst < send; sfirst++)
            {
              const PlLadderStateLabel *st = pl_ladder_layout_get_state (layout, sfirst);
              const char *name = pl_tcp_state_to_string (st->state);
              glong at = x[st->lifeline];

              line_put (&line, st->align_right ? at - 1 - (glong) strlen (name) : at + 2, name);
            }
        }

      /* Bracket lanes, and labels of brackets starting here. */
      for (j = 0; j < nb; j++)
        {
          const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, j);
          const PlLadderBracket *b = pl_ladder_selection_get_bracket (selection, box->bracket);
          glong lx = lanes_x + 2 * box->lane;

          if (i < box_first[j] || i > box_last[j])
            continue;
          line_put (&line, lx, box_first[j] == box_last[j] ? "[" : i == box_first[j] ? "," : i == box_last[j] ? "'" : "|");
          if (i == box_first[j])
            {
              g_string_printf (s, "%s%s%s", b->label, b->detail ? "  (" : "", b->detail ? b->detail : "");
              if (b->detail)
                g_string_append_c (s, ')');
              line_put (&line, MAX (lanes_x + 2 * (glong) n_lanes + 1, (glong) line.cells->len + 2), s->str);
            }
        }
      line_flush (&line, prefix, out);

      if (detail != NULL)
        {
          g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
          line_reset (&line, width);
          for (j = 0; j < m; j++)
            line_put (&line, x[j], "|");
          line_put (&line, (lo + hi) / 2 - ulen (detail) / 2, detail);
          line_flush (&line, prefix, out);
        }
    }

  g_array_unref (line.cells);
  return g_string_free_to_bytes (out);
}

/* ------------------------------------------------------------------------
 * Entry points.
 */

static PlLadderLayout *
make_layout (PlLadderSelection     *selection,
             const PlLadderOptions *options,
             PlExportFormat         format)
{
  g_autoptr(PlTextMetrics) metrics = NULL;

  /* Text formats need the rows, not the fonts. */
  if (format == PL_EXPORT_MERMAID || format == PL_EXPORT_PLANTUML || format == PL_EXPORT_TEXT)
    metrics = pl_text_metrics_new_fixed (7, 14);
  else
    metrics = pl_text_metrics_new_pango ();
  return pl_ladder_layout_new (selection, options, metrics);
}

static double
export_scale (const PlLadderOptions *options)
{
  return options->scale > 0 ? options->scale : 1.0;
}

GBytes *
pl_export_to_bytes (PlLadderSelection     *selection,
                    const PlLadderOptions *options,
                    PlExportFormat         format,
                    GError               **error)
{
  g_autoptr(PlLadderLayout) layout = make_layout (selection, options, format);

  switch (format)
    {
    case PL_EXPORT_PNG:
      {
        g_autoptr(GArray) pages = paginate (layout, PL_EXPORT_PNG_MAX / export_scale (options));

        return render_png_page (layout, &g_array_index (pages, Page, 0), TRUE, export_scale (options), error);
      }
    case PL_EXPORT_SVG:
      return render_svg (layout, error);
    case PL_EXPORT_PDF:
      return render_pdf (layout, error);
    case PL_EXPORT_MERMAID:
      return render_sequence (layout, FALSE);
    case PL_EXPORT_PLANTUML:
      return render_sequence (layout, TRUE);
    case PL_EXPORT_TEXT:
      return render_text (layout);
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Unknown export format"));
      return NULL;
    }
}

/* Written whole under a temporary name in the same folder, then renamed
 * over the target: readers never see half a file. */
static gboolean
write_file (const char   *path,
            GBytes       *bytes,
            GCancellable *cancellable,
            GError      **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) local = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local->code), "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

static char *
page_path (const char *path,
           guint       page)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return g_strdup_printf ("%s-%u", path, page);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - path), path, page, dot);
}

gboolean
pl_export_to_file (PlLadderSelection     *selection,
                   const PlLadderOptions *options,
                   PlExportFormat         format,
                   const char            *path,
                   GCancellable          *cancellable,
                   GStrv                 *written,
                   char                 **message,
                   GError               **error)
{
  g_autoptr(PlLadderLayout) layout = NULL;
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (selection != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (message != NULL)
    *message = NULL;
  if (written != NULL)
    *written = NULL;

  if (format == PL_EXPORT_PNG)
    {
      double scale = export_scale (options);
      g_autoptr(GArray) pages = NULL;
      guint i;

      layout = make_layout (selection, options, format);
      pages = paginate (layout, PL_EXPORT_PNG_MAX / scale);
      if (pages->len == 1)
        {
          bytes = render_png_page (layout, &g_array_index (pages, Page, 0), TRUE, scale, error);
          if (bytes == NULL || !write_file (path, bytes, cancellable, error))
            return FALSE;
          g_strv_builder_add (files, path);
        }
      else
        {
          for (i = 0; i < pages->len; i++)
            {
              g_autofree char *name = page_path (path, i + 1);
              g_autoptr(GBytes) page = NULL;

              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              page = render_png_page (layout, &g_array_index (pages, Page, i), i == 0, scale, error);
              if (page == NULL || !write_file (name, page, cancellable, error))
                return FALSE;
              g_strv_builder_add (files, name);
            }
          if (message != NULL)
            {
              g_autofree char *first = page_path (path, 1);
              g_autofree char *last = page_path (path, pages->len);

              /* Translators: the last two %s are the first and the last file written. */
              *message = g_strdup_printf (_("The ladder is %.0f pixels tall, more than one PNG can hold (%d): "
                                            "wrote %u pages, %s to %s"),
                                          ceil (pl_ladder_layout_get_height (layout) * scale),
                                          PL_EXPORT_PNG_MAX, pages->len, first, last);
            }
        }
    }
  else
    {
      bytes = pl_export_to_bytes (selection, options, format, error);
      if (bytes == NULL || !write_file (path, bytes, cancellable, error))
        return FALSE;
      g_strv_builder_add (files, path);
    }

  if (written != NULL)
    *written = g_strv_builder_end (files);
  return TRUE;
}
