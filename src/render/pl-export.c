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
#include <pango/pangocairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pl-export.h"
#include "pl-ladder-layout.h"
#include "pl-ladder-paint.h"
#include "pl-tcp-state.h"

#define PDF_MAX_PT 14400.0
#define PDF_SCALE  0.75    /* layout units are pixels at 96 dpi: 72 / 96 */

/* --paper: the page in points, its margins, and the smallest scale (points
 * per layout pixel) whose labels can still be read on paper: at 0.3 the
 * 9-point label font prints at about 3.6 points. */
#define PAPER_MARGIN_PT  36.0
#define PAPER_MIN_SCALE  0.3

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
          else if (pl_ladder_layout_get_n_note_lines (layout) > 0 &&
                   page.bottom > pl_ladder_layout_get_notes_top (layout))
            {
              /* In the notes under the diagram: between two lines. */
              double first_y, line_h = pl_ladder_layout_get_geometry (layout)->small_h;
              guint n = pl_ladder_layout_get_n_note_lines (layout);

              pl_ladder_layout_get_note_line (layout, 0, &first_y);
              if (page.bottom > first_y)
                {
                  guint k = MIN ((guint) ((page.bottom - first_y) / line_h), n);
                  double cut = first_y + k * line_h;

                  if (cut > top + room / 2)
                    page.bottom = cut;
                }
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

/* header (may be NULL): the heads drawn once, to repeat on every page but
 * the first (a PDF keeps them once, as a form every page uses). */
static void
paint_page (PlLadderLayout  *layout,
            cairo_t         *cr,
            const Page      *page,
            gboolean         first,
            cairo_surface_t *header)
{
  double width = pl_ladder_layout_get_width (layout);
  double head = 0;

  if (!first && header != NULL)
    {
      head = header_height (layout);
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, width, head);
      cairo_clip (cr);
      cairo_set_source_surface (cr, header, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  else if (!first)
    head = pl_ladder_paint_header (layout, cr, 0);
  cairo_save (cr);
  cairo_rectangle (cr, 0, head, width, page->bottom - page->top);
  cairo_clip (cr);
  cairo_translate (cr, 0, head - page->top);
  pl_ladder_paint (layout, cr, NULL);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------
 * Where the bytes go: memory, or a temporary file in the target's folder
 * renamed over the target once complete.  Writes are buffered; the first
 * error sticks and later writes do nothing, so the writers check once at
 * the end (and between rows, to stop early).
 */

#define SINK_BUFFER (256 * 1024)

typedef struct
{
  GByteArray   *bytes;      /* in memory, or */
  int           fd;         /* the temporary file (-1 for memory) */
  guint8       *buf;
  gsize         used;
  GError       *error;      /* the first failure */
  GCancellable *cancellable;
  const char   *path;       /* the target, in messages */
} Sink;

static void
sink_init_bytes (Sink         *sink,
                 GCancellable *cancellable)
{
  memset (sink, 0, sizeof *sink);
  sink->fd = -1;
  sink->bytes = g_byte_array_new ();
  sink->cancellable = cancellable;
}

static void
sink_set_errno (Sink *sink,
                int   errsv)
{
  if (sink->error == NULL)
    g_set_error (&sink->error, G_IO_ERROR, g_io_error_from_errno (errsv),
                 /* Translators: a file being written, then the system's reason. */
                 _("Could not write %s: %s"), sink->path, g_strerror (errsv));
}

static gboolean
sink_flush (Sink *sink)
{
  gsize done = 0;

  while (sink->error == NULL && done < sink->used)
    {
      gssize n = write (sink->fd, sink->buf + done, sink->used - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        sink_set_errno (sink, n < 0 ? errno : EIO);
      else
        done += (gsize) n;
    }
  sink->used = 0;
  return sink->error == NULL;
}

static void
sink_write (Sink       *sink,
            const void *data,
            gsize       len)
{
  if (sink->error != NULL || len == 0)
    return;
  if (sink->bytes != NULL)
    {
      g_byte_array_append (sink->bytes, data, (guint) len);
      return;
    }
  if (sink->used + len > SINK_BUFFER && !sink_flush (sink))
    return;
  if (len >= SINK_BUFFER)
    {
      /* Big pieces go straight out. */
      const guint8 *saved = sink->buf;

      sink->buf = (guint8 *) data;
      sink->used = len;
      sink_flush (sink);
      sink->buf = (guint8 *) saved;
      return;
    }
  memcpy (sink->buf + sink->used, data, len);
  sink->used += len;
}

/* Writes out and empties a text buffer. */
static void
sink_take (Sink    *sink,
           GString *text)
{
  sink_write (sink, text->str, text->len);
  g_string_truncate (text, 0);
}

/* FALSE (and the reason in the sink) once writing failed or was cancelled:
 * the writers call it between rows to stop early. */
static gboolean
sink_ok (Sink *sink)
{
  if (sink->error == NULL)
    g_cancellable_set_error_if_cancelled (sink->cancellable, &sink->error);
  return sink->error == NULL;
}

static cairo_status_t
sink_cairo_write (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  Sink *sink = closure;

  sink_write (sink, data, length);
  return sink->error == NULL ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The file named path may be replaced: it is a regular file or nothing.
 * A FIFO, a device or a folder is left alone (writing to a FIFO would hang,
 * replacing a device node would destroy it). */
static gboolean
check_target (const char  *path,
              GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  g_set_error (error, G_IO_ERROR, S_ISDIR (st.st_mode) ? G_IO_ERROR_IS_DIRECTORY : G_IO_ERROR_NOT_REGULAR_FILE,
               /* Translators: %s is a file name the user gave as the output. */
               _("%s is not a regular file (a folder, a pipe or a device): not replaced"), path);
  return FALSE;
}

/* A temporary file next to path (so that the rename stays on its file
 * system), written through the sink. */
static gboolean
sink_open_file (Sink          *sink,
                const char    *path,
                char         **tmp_path,
                GCancellable  *cancellable,
                GError       **error)
{
  memset (sink, 0, sizeof *sink);
  sink->fd = -1;
  sink->cancellable = cancellable;
  sink->path = path;
  *tmp_path = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_target (path, error))
    return FALSE;
  *tmp_path = g_strconcat (path, ".XXXXXX", NULL);
  sink->fd = g_mkstemp_full (*tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (sink->fd < 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   /* Translators: a file to be written, then the system's reason. */
                   _("Could not create %s: %s"), path, g_strerror (errsv));
      g_clear_pointer (tmp_path, g_free);
      return FALSE;
    }
  sink->buf = g_malloc (SINK_BUFFER);
  return TRUE;
}

/* Completes the file and renames it over path.  With ok FALSE (the
 * writer failed and said why), or on any failure here, the temporary file
 * is removed and path stays as it was. */
static gboolean
sink_close_file (Sink        *sink,
                 char        *tmp_path,
                 gboolean     ok,
                 GError     **error)
{
  GStatBuf st;

  /* Replacing a file: its new bytes are on disk before the name points
   * at them (as g_file_set_contents() does). */
  if (ok && sink_ok (sink) && sink_flush (sink) && g_stat (sink->path, &st) == 0 && fsync (sink->fd) != 0)
    sink_set_errno (sink, errno);
  if (close (sink->fd) != 0 && ok)
    sink_set_errno (sink, errno);
  sink->fd = -1;
  if (ok && sink->error == NULL && g_rename (tmp_path, sink->path) != 0)
    sink_set_errno (sink, errno);
  if (ok && sink->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  g_clear_error (&sink->error);
  g_clear_pointer (&sink->buf, g_free);
  g_free (tmp_path);
  return ok;
}

/* For the writers: the sink's failure as theirs. */
static gboolean
sink_fail (Sink    *sink,
           GError **error)
{
  g_propagate_error (error, g_error_copy (sink->error));
  return FALSE;
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

/* Cairo's own failure, with the size of what it was asked to draw and its
 * limits: "out of memory" alone does not tell the user what to change. */
static gboolean
check_cairo (cairo_status_t  status,
             const char     *what,
             double          width,
             double          height,
             GError        **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  /* Translators: a file format (PNG, SVG, PDF), cairo's reason ("out of
   * memory"), the drawing's width and height in pixels, then cairo's
   * largest coordinate. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not draw the %s: %s (the ladder is %.0f × %.0f pixels; cairo draws at most %d "
                 "pixels each way, a PNG page %d)"),
               what, cairo_status_to_string (status), width, height, PL_EXPORT_CAIRO_MAX, PL_EXPORT_PNG_MAX);
  return FALSE;
}

/* Refused before anything is drawn: cairo's coordinates are 24.8 fixed
 * point, so it cannot draw past PL_EXPORT_CAIRO_MAX units (it aborts on an
 * assertion).  Ladders are cut into bands and pages along their height,
 * but each keeps the whole width.  The limit is on the ladder in pixels,
 * for the PDF too (in points it is three quarters of that): the same
 * ladder is refused in both, and such a PDF would take many minutes of
 * lifelines and heads repeated on every page. */
static gboolean
check_width (PlLadderLayout *layout,
             const char     *what,
             GError        **error)
{
  double width = ceil (pl_ladder_layout_get_width (layout));

  if (width <= PL_EXPORT_CAIRO_MAX)
    return TRUE;
  /* Translators: the ladder's width in pixels, cairo's limit, then the
   * format (SVG, PDF). */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("The ladder is %.0f pixels wide, more than cairo can draw (%d): the %s needs fewer streams "
                 "(--stream) or one lifeline per host (--hosts)"),
               width, PL_EXPORT_CAIRO_MAX, what);
  return FALSE;
}

static gboolean
write_png_page (PlLadderLayout *layout,
                const Page     *page,
                gboolean        first,
                double          scale,
                Sink           *sink,
                GError        **error)
{
  /* Within int: a ladder wider than cairo's limit never gets here. */
  int w = (int) MIN (ceil (pl_ladder_layout_get_width (layout) * scale), G_MAXINT);
  int h = (int) MIN (ceil (page_height (layout, page, first) * scale), G_MAXINT);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (w > PL_EXPORT_PNG_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The ladder is %d pixels wide, more than a PNG can hold (%d): export SVG or PDF, or lower --scale"),
                   w, PL_EXPORT_PNG_MAX);
      return FALSE;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MAX (w, 1), MAX (h, 1));
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  paint_page (layout, cr, page, first, NULL);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, sink_cairo_write, sink);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS && sink->error != NULL)
    return sink_fail (sink, error);
  return check_cairo (status, "PNG", w, h, error);
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
 * SVG can be searched, copied from and read aloud.  Written out row by
 * row. */
static void
write_text_layer (PlLadderLayout *layout,
                  Sink           *sink)
{
  const PlLadderGeometry *g = pl_ladder_layout_get_geometry (layout);
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) svg = g_string_new (NULL);
  double big = g->label_h * 0.8, small = g->small_h * 0.8;
  guint i, n = pl_ladder_layout_get_n_rows (layout);

  g_string_append (svg, "<g id=\"text-layer\" fill=\"#000\" fill-opacity=\"0\" font-family=\"sans-serif\">\n");
  for (i = 0; i < pl_ladder_layout_get_n_lifelines (layout); i++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, i);

      text_layer_add (svg, ll->x, g->head_top + 5 + g->header_h * 0.8, big, "middle", ll->label);
      text_layer_add (svg, ll->x, g->head_top + 6 + g->header_h + g->small_h * 0.8, small, "middle", ll->sublabel);
      if (svg->len > SINK_BUFFER)
        sink_take (sink, svg);
    }
  for (i = 0; i < n && sink_ok (sink); i++)
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
      if (row->n_explain > 0)
        {
          g_auto(GStrv) lines = NULL;
          double top = y2 + 3 + ((row->flags & PL_LADDER_ROW_DETAILS) ? g->small_h + 3 : 0);

          g_string_truncate (s, 0);
          pl_ladder_layout_format_explanation (layout, i, s);
          lines = g_strsplit (s->str, "\n", -1);
          for (k = 0; lines[k] != NULL; k++)
            text_layer_add (svg, (x1 + x2) / 2, top + k * (g->small_h + 1) + small, small, "middle", lines[k]);
        }
      if (svg->len > SINK_BUFFER)
        sink_take (sink, svg);
    }
  for (i = 0; i < pl_ladder_layout_get_n_states (layout); i++)
    {
      const PlLadderStateLabel *st = pl_ladder_layout_get_state (layout, i);

      text_layer_add (svg, st->align_right ? st->x - 4 : st->x + 4, st->y + small / 2, small,
                      st->align_right ? "end" : NULL, pl_tcp_state_to_string (st->state));
      if (svg->len > SINK_BUFFER)
        sink_take (sink, svg);
    }
  for (i = 0; i < pl_ladder_layout_get_n_brackets (layout); i++)
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, i);
      const PlLadderBracket *b = pl_ladder_selection_get_bracket (selection, box->bracket);

      text_layer_add (svg, box->label_x, box->label_y + big, big, NULL, b->label);
      if (b->detail != NULL)
        text_layer_add (svg, box->label_x, box->label_y + g->label_h + small, small, NULL, b->detail);
      if (svg->len > SINK_BUFFER)
        sink_take (sink, svg);
    }
  for (i = 0; i < pl_ladder_layout_get_n_note_lines (layout); i++)
    {
      double y;
      const char *line = pl_ladder_layout_get_note_line (layout, i, &y);

      text_layer_add (svg, g->margin, y + small, small, NULL, line);
      if (svg->len > SINK_BUFFER)
        sink_take (sink, svg);
    }
  g_string_append (svg, "</g>\n");
  sink_take (sink, svg);
}

/* SVG in bands.
 *
 * Cairo's SVG surface keeps the whole page in memory until it is finished
 * (a recording, then the document), about three times the file.  So the
 * ladder is painted in horizontal bands, each on its own SVG surface, and
 * each band's document is spliced into the file as soon as it is done: a
 * group places the band and clips it to its rectangle (what the painter
 * draws across a band's edge is cut there, as the clip of one big surface
 * would cut it).  Memory is one band, whatever the ladder's length; the ladder's
 * length is not bound by cairo's coordinates either, as each band has its
 * own origin.
 *
 * A band's document defines its glyphs (<symbol id="glyph0-3">) and names
 * its groups by counters of its own, so ids are rewritten while splicing:
 * glyphs with the same outline are defined once for the whole file, other
 * ids get file-wide numbers in order of appearance (cairo's own counters
 * are global to the process, so this also keeps exports byte-identical). */

#define SVG_BAND_MIN_ROWS 1024
#define SVG_BAND_MAX_ROWS 16384
#define SVG_BAND_MAX_HEIGHT 262144.0

typedef struct
{
  GHashTable *glyphs;      /* outline (char *) -> file-wide id (char *) */
  GHashTable *counters;    /* id prefix (char *) -> last number used */
  GHashTable *renamed;     /* this band: its id -> file-wide id */
  GString    *out;
} Splice;

static char *
splice_new_id (Splice     *sp,
               const char *prefix)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sp->counters, prefix)) + 1;
  char *id = g_strdup_printf ("%s%u", prefix, n);

  g_hash_table_replace (sp->counters, g_strdup (prefix), GUINT_TO_POINTER (n));
  return id;
}

/* The file-wide name of one of this band's ids. */
static const char *
splice_rename (Splice     *sp,
               const char *id,
               gsize       len)
{
  g_autofree char *key = g_strndup (id, len);
  const char *found = g_hash_table_lookup (sp->renamed, key);
  g_autofree char *prefix = NULL;
  gsize plen = len;
  char *fresh;

  if (found != NULL)
    return found;
  /* "surface12" -> "surface", "clip-3" -> "clip-". */
  while (plen > 0 && g_ascii_isdigit (id[plen - 1]))
    plen--;
  prefix = g_strndup (id, plen);
  fresh = splice_new_id (sp, prefix);
  g_hash_table_insert (sp->renamed, g_steal_pointer (&key), fresh);
  return fresh;
}

/* Copies text to sp->out with every id="X", "#X" and "url(#X)" renamed:
 * in cairo's output each of them follows a quote. */
static void
splice_copy (Splice     *sp,
             const char *text,
             const char *end)
{
  const char *p = text, *copied = text, *q;

  while (p < end && (q = memchr (p, '"', end - p)) != NULL)
    {
      const char *name = NULL, *stop;

      if (q + 1 < end && q[1] == '#')
        name = q + 2;
      else if (end - q > 6 && memcmp (q + 1, "url(#", 5) == 0)
        name = q + 6;
      else if (q - text >= 4 && memcmp (q - 4, " id=", 4) == 0)
        name = q + 1;
      if (name == NULL)
        {
          p = q + 1;
          continue;
        }
      for (stop = name; stop < end && *stop != '"' && *stop != ')'; stop++)
        ;
      g_string_append_len (sp->out, copied, name - copied);
      g_string_append (sp->out, splice_rename (sp, name, stop - name));
      copied = p = stop;
    }
  g_string_append_len (sp->out, copied, end - copied);
}

/* TRUE for nothing but an empty group and white space. */
static gboolean
is_empty_group (const char *text)
{
  g_autoptr(GString) compact = g_string_new (NULL);

  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      g_string_append_c (compact, *text);
  return compact->len == 0 || strcmp (compact->str, "<g></g>") == 0;
}

/* One band's SVG document into the file, placed at top. */
static void
splice_band (Splice     *sp,
             const char *doc,
             gsize       len,
             double      width,
             double      top,
             double      height,
             Sink       *sink)
{
  const char *end = doc + len;
  const char *root = g_strstr_len (doc, len, "<svg");
  const char *body, *defs, *defs_end, *close;
  g_autoptr(GString) other = g_string_new (NULL);
  g_autofree char *clip = NULL;

  g_hash_table_remove_all (sp->renamed);
  body = root != NULL ? memchr (root, '>', end - root) : NULL;
  if (body == NULL)
    return;
  body++;
  while (body < end && g_ascii_isspace (*body))
    body++;

  /* The band's clip, in its own coordinates. */
  clip = splice_new_id (sp, "band");
  g_string_append_printf (sp->out, "<defs>\n<clipPath id=\"%s\"><rect x=\"0\" y=\"0\" width=\"%.0f\" "
                          "height=\"%.0f\"/></clipPath>\n", clip, width, height);

  /* Glyphs: defined once per outline in the whole file. */
  defs = g_str_has_prefix (body, "<defs>") ? body + strlen ("<defs>") : NULL;
  defs_end = defs != NULL ? g_strstr_len (defs, end - defs, "</defs>") : NULL;
  if (defs_end != NULL)
    {
      const char *p = defs;

      for (;;)
        {
          const char *sym = g_strstr_len (p, defs_end - p, "<symbol");
          const char *tag_end, *sym_end, *idp, *id_end;
          g_autofree char *outline = NULL;
          g_autofree char *local = NULL;
          const char *global;

          if (sym == NULL)
            {
              g_string_append_len (other, p, defs_end - p);
              break;
            }
          g_string_append_len (other, p, sym - p);
          tag_end = memchr (sym, '>', defs_end - sym);
          sym_end = tag_end != NULL ? g_strstr_len (tag_end, defs_end - tag_end, "</symbol>") : NULL;
          idp = g_strstr_len (sym, tag_end != NULL ? tag_end - sym : 0, "id=\"");
          if (sym_end == NULL || idp == NULL)
            {
              g_string_append_len (other, sym, defs_end - sym);
              break;
            }
          idp += strlen ("id=\"");
          id_end = memchr (idp, '"', tag_end - idp);
          if (id_end == NULL)
            id_end = tag_end;
          local = g_strndup (idp, id_end - idp);
          outline = g_strndup (tag_end + 1, sym_end - (tag_end + 1));
          global = g_hash_table_lookup (sp->glyphs, outline);
          if (global == NULL)
            {
              char *fresh = splice_new_id (sp, "glyph");

              g_hash_table_insert (sp->glyphs, g_strdup (outline), fresh);
              global = fresh;
              g_string_append_printf (sp->out, "<symbol overflow=\"visible\" id=\"%s\">%s</symbol>\n",
                                      global, outline);
            }
          g_hash_table_insert (sp->renamed, g_steal_pointer (&local), g_strdup (global));
          p = sym_end + strlen ("</symbol>");
        }
      /* Anything else cairo defined (none in 1.16 for our drawings, but
       * clips and patterns would be), with the band's ids renamed. */
      if (!is_empty_group (other->str))
        {
          splice_copy (sp, other->str, other->str + other->len);
          g_string_append_c (sp->out, '\n');
        }
      body = defs_end + strlen ("</defs>");
    }
  g_string_append (sp->out, "</defs>\n");

  /* The drawing, up to the document's closing tag, moved to its place
   * and clipped to its band. */
  if (top > 0)
    g_string_append_printf (sp->out, "<g transform=\"translate(0,%.0f)\" clip-path=\"url(#%s)\">\n", top, clip);
  else
    g_string_append_printf (sp->out, "<g clip-path=\"url(#%s)\">\n", clip);
  close = g_strrstr_len (body, end - body, "</svg>");
  while (body < end && (*body == '\n' || *body == '\r'))
    body++;
  splice_copy (sp, body, close != NULL ? close : end);
  g_string_append (sp->out, "</g>\n");
  sink_take (sink, sp->out);
}

/* The bottom of the band starting at top: SVG_BAND_*_ROWS rows (more when
 * there are many lifelines, which every band draws again), at most
 * SVG_BAND_MAX_HEIGHT, on a whole pixel. */
static double
band_bottom (PlLadderLayout *layout,
             double          top,
             double          height)
{
  guint rows = CLAMP (pl_ladder_layout_get_n_lifelines (layout) / 4, SVG_BAND_MIN_ROWS, SVG_BAND_MAX_ROWS);
  double bottom = MIN (height, top + SVG_BAND_MAX_HEIGHT);
  guint first, end;

  pl_ladder_layout_rows_between (layout, top, bottom, &first, &end);
  if (end - first > rows)
    {
      double rt, rb;

      pl_ladder_layout_get_row_band (layout, first + rows, &rt, &rb);
      if (floor (rt) > top)
        bottom = floor (rt);
    }
  return bottom;
}

static gboolean
write_svg (PlLadderLayout *layout,
           Sink           *sink,
           GError        **error)
{
  double w = ceil (pl_ladder_layout_get_width (layout));
  double h = ceil (pl_ladder_layout_get_height (layout));
  Splice sp = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_string_sized_new (SINK_BUFFER),
  };
  g_autoptr(GList) ids = NULL;
  /* One buffer for every band's document, grown once. */
  g_autoptr(GByteArray) doc = g_byte_array_sized_new (4 << 20);
  gboolean ok = TRUE;
  double top;

  if (!check_width (layout, "SVG", error))
    ok = FALSE;

  if (ok)
    {
      g_string_append_printf (sp.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                              "width=\"%.0fpx\" height=\"%.0fpx\" viewBox=\"0 0 %.0f %.0f\" version=\"1.1\">\n",
                              w, h, w, h);
      sink_take (sink, sp.out);
    }

  for (top = 0; ok && top < h; )
    {
      double bottom = band_bottom (layout, top, h);
      cairo_surface_t *surface;
      cairo_status_t status;
      cairo_t *cr;

      if (!sink_ok (sink))
        {
          ok = sink_fail (sink, error);
          break;
        }
      g_byte_array_set_size (doc, 0);
      surface = cairo_svg_surface_create_for_stream (append_bytes, doc, w, bottom - top);
      /* SVG 1.1: what librsvg, browsers and Inkscape all read. */
      cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      cr = cairo_create (surface);
      /* The painter draws what meets the surface: this band. */
      cairo_translate (cr, 0, -top);
      pl_ladder_paint (layout, cr, NULL);
      status = cairo_status (cr);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
      cairo_surface_destroy (surface);
      if (!check_cairo (status, "SVG", w, h, error))
        {
          ok = FALSE;
          break;
        }
      /* Splicing reads it as a string. */
      g_byte_array_append (doc, (const guint8 *) "", 1);
      splice_band (&sp, (const char *) doc->data, doc->len - 1, w, top, bottom - top, sink);
      top = bottom;
    }

  if (ok)
    {
      write_text_layer (layout, sink);
      sink_write (sink, "</svg>\n", strlen ("</svg>\n"));
      if (!sink_ok (sink))
        ok = sink_fail (sink, error);
    }

  /* The glyph table's values are owned by the counters' ids. */
  ids = g_hash_table_get_values (sp.glyphs);
  g_list_free_full (g_steal_pointer (&ids), g_free);
  g_hash_table_unref (sp.glyphs);
  g_hash_table_unref (sp.counters);
  g_hash_table_unref (sp.renamed);
  g_string_free (sp.out, TRUE);
  return ok;
}

/* The paper's size in points (portrait). */
static void
paper_size (PlLadderPaper  paper,
            double        *width,
            double        *height,
            const char   **name)
{
  if (paper == PL_LADDER_PAPER_LETTER)
    {
      *width = 612;
      *height = 792;
      *name = "Letter";
    }
  else
    {
      *width = 595.2756;   /* 210 mm */
      *height = 841.8898;  /* 297 mm */
      *name = "A4";
    }
}

/* "lab.pcap · page 2 of 5", centred in the bottom margin. */
static void
paint_page_footer (cairo_t    *cr,
                   const char *title,
                   guint       page,
                   guint       n_pages,
                   double      paper_w,
                   double      paper_h)
{
  PangoLayout *text = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  /* Translators: the capture's name, then the page number and the number
   * of pages, at the foot of each printed page. */
  g_autofree char *line = g_strdup_printf (_("%s · page %u of %u"), title, page, n_pages);
  int tw, th;

  pango_layout_set_font_description (text, font);
  pango_layout_set_text (text, line, -1);
  pango_layout_get_size (text, &tw, &th);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, (paper_w - (double) tw / PANGO_SCALE) / 2,
                 paper_h - PAPER_MARGIN_PT / 2 - (double) th / PANGO_SCALE / 2);
  pango_cairo_show_layout (cr, text);
  cairo_restore (cr);
  pango_font_description_free (font);
  g_object_unref (text);
}

/* Without --paper, pages as wide as the ladder at 96 dpi, up to
 * PDF_MAX_PT tall.  With it, printable pages of one size: the ladder keeps
 * its whole width on each, scaled down to fit between the margins (never
 * up), on a landscape page when that prints it larger, and each page says
 * which it is.  Either way pages break between rows and repeat the
 * lifeline heads. */
static gboolean
write_pdf (PlLadderLayout *layout,
           Sink           *sink,
           GError        **error)
{
  g_autoptr(GArray) pages = NULL;
  double w = pl_ladder_layout_get_width (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (pl_ladder_layout_get_selection (layout));
  PlLadderPaper paper = pl_ladder_layout_get_options (layout)->paper;
  g_autofree char *title = g_strdup_printf ("Packet Ladder: %s", pl_capture_get_display_name (capture));
  g_autofree char *name = g_path_get_basename (pl_capture_get_display_name (capture));
  double scale = PDF_SCALE, x0 = 0, y0 = 0, paper_w = 0, paper_h = 0;
  cairo_surface_t *surface, *header = NULL;
  cairo_status_t status;
  cairo_t *cr;
  guint i;

  if (!check_width (layout, "PDF", error))
    return FALSE;

  if (paper != PL_LADDER_PAPER_NONE)
    {
      const char *paper_name;
      double landscape_scale;

      paper_size (paper, &paper_w, &paper_h, &paper_name);
      scale = MIN (PDF_SCALE, (paper_w - 2 * PAPER_MARGIN_PT) / w);
      landscape_scale = MIN (PDF_SCALE, (paper_h - 2 * PAPER_MARGIN_PT) / w);
      if (landscape_scale > scale)
        {
          double t = paper_w;

          paper_w = paper_h;
          paper_h = t;
          scale = landscape_scale;
        }
      if (scale < PAPER_MIN_SCALE)
        {
          /* Translators: the ladder's width in pixels, then the paper (A4,
           * Letter). */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("The ladder is %.0f pixels wide: on %s paper its labels would be too small to read; "
                         "export fewer streams (--stream), one lifeline per host (--hosts), or without --paper"),
                       ceil (w), paper_name);
          return FALSE;
        }
      x0 = (paper_w - w * scale) / 2;
      y0 = PAPER_MARGIN_PT;
      pages = paginate (layout, (paper_h - 2 * PAPER_MARGIN_PT) / scale);
    }
  else
    {
      pages = paginate (layout, PDF_MAX_PT / PDF_SCALE);
      paper_w = w * PDF_SCALE;
      paper_h = page_height (layout, &g_array_index (pages, Page, 0), TRUE) * PDF_SCALE;
    }

  /* Cairo writes each page to the stream when it is shown: memory is one
   * page, whatever the number of pages. */
  surface = cairo_pdf_surface_create_for_stream (sink_cairo_write, sink, paper_w, paper_h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Packet Ladder " PACKAGE_VERSION);
  /* The heads that pages after the first repeat, drawn once: with
   * thousands of lifelines they cost more than the page's rows.  A ladder
   * on paper has few (it fits the page) and draws them on each page: a
   * form scaled to the paper leaves a grey hairline at its edge. */
  if (pages->len > 1 && paper == PL_LADDER_PAPER_NONE)
    {
      cairo_rectangle_t extents = { 0, 0, w, header_height (layout) };
      cairo_t *hcr;

      header = cairo_recording_surface_create (CAIRO_CONTENT_COLOR, &extents);
      hcr = cairo_create (header);
      pl_ladder_paint_header (layout, hcr, 0);
      cairo_destroy (hcr);
    }
  cr = cairo_create (surface);
  for (i = 0; i < pages->len && sink_ok (sink); i++)
    {
      const Page *page = &g_array_index (pages, Page, i);

      if (paper == PL_LADDER_PAPER_NONE)
        cairo_pdf_surface_set_size (surface, w * PDF_SCALE, page_height (layout, page, i == 0) * PDF_SCALE);
      cairo_save (cr);
      cairo_translate (cr, x0, y0);
      cairo_scale (cr, scale, scale);
      paint_page (layout, cr, page, i == 0, header);
      cairo_restore (cr);
      if (paper != PL_LADDER_PAPER_NONE)
        paint_page_footer (cr, name, i + 1, pages->len, paper_w, paper_h);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (header != NULL)
    {
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (header);
      cairo_surface_destroy (header);
    }
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (sink->error != NULL || !sink_ok (sink))
    return sink_fail (sink, error);
  return check_cairo (status, "PDF", w * scale, pl_ladder_layout_get_height (layout) * scale, error);
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

/* --explain: the numbered notes after the ladder, a line each, each
 * after prefix (a comment sign in the diagram languages). */
static void
append_notes (PlLadderLayout *layout,
              const char     *prefix,
              GString        *out)
{
  guint i, n = pl_ladder_layout_get_n_notes (layout);

  if (n == 0)
    return;
  /* Translators: the title of the numbered notes under an exported ladder. */
  g_string_append_printf (out, "\n%s%s\n", prefix, _("Notes"));
  for (i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s\n", prefix, pl_ladder_layout_get_note (layout, i));
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

static gboolean
write_sequence (PlLadderLayout *layout,
                gboolean        plantuml,
                Sink           *sink,
                GError        **error)
{
  const PlLadderPalette *pal = pl_ladder_palette_get (PL_LADDER_THEME_LIGHT);
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (selection);
  const PlLadderOptions *options = pl_ladder_layout_get_options (layout);
  g_autoptr(GString) out = g_string_sized_new (SINK_BUFFER + 4096);
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
      if (row->n_explain > 0)
        {
          g_autoptr(GString) d = g_string_new (NULL);
          g_auto(GStrv) lines = NULL;
          guint k;

          pl_ladder_layout_format_explanation (layout, i, d);
          lines = g_strsplit (d->str, "\n", -1);
          /* A line each under the label ("\n": Mermaid's <br/>). */
          for (k = 0; lines[k] != NULL; k++)
            g_string_append_printf (s, plantuml ? "\\n%s" : "\n%s", lines[k]);
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

      /* Out row by row: memory is one buffer, whatever the length. */
      if (out->len > SINK_BUFFER)
        {
          sink_take (sink, out);
          if (!sink_ok (sink))
            return sink_fail (sink, error);
        }
    }

  if (pl_ladder_layout_get_n_notes (layout) > 0 && pl_ladder_layout_get_n_lifelines (layout) > 0)
    {
      guint last = pl_ladder_layout_get_n_lifelines (layout) - 1;

      for (i = 0; i < pl_ladder_layout_get_n_notes (layout); i++)
        {
          const char *note = pl_ladder_layout_get_note (layout, i);

          if (plantuml)
            g_string_append_printf (out, "note across : %s\n", note);
          else
            {
              g_string_append_printf (out, "    Note over L0,L%u: ", last);
              append_mermaid_text (out, note);
              g_string_append_c (out, '\n');
            }
        }
    }
  if (plantuml)
    g_string_append (out, "@enduml\n");
  sink_take (sink, out);
  return sink_ok (sink) || sink_fail (sink, error);
}

/* The plain-text ladder: one line per arrow, its label inside it, and a
 * second line for SYN options and analysis marks.
 *
 * Written line by line: memory is one line (its cells, as wide as the
 * ladder) whatever the number of rows.  Most of a line is the lifelines,
 * so each starts as a copy of a template line rather than being drawn
 * lifeline by lifeline, and the empty line between rows is formatted
 * once. */

typedef struct
{
  GArray *cells;   /* gunichar; 0 for the second cell of a wide character */
} Line;

static void
line_reset (Line       *line,
            const Line *template)
{
  g_array_set_size (line->cells, template->cells->len);
  memcpy (line->cells->data, template->cells->data, template->cells->len * sizeof (gunichar));
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

/* Appends prefix and the line's cells as UTF-8, without trailing spaces. */
static void
line_flush (Line    *line,
            GString *prefix,
            GString *out)
{
  const gunichar *cells = (const gunichar *) (gpointer) line->cells->data;
  gsize start = out->len, at;
  guint i, n = line->cells->len;
  char *p;

  g_string_append_len (out, prefix->str, prefix->len);
  at = out->len;
  /* Room for the worst case (four bytes a cell), then written in place. */
  g_string_set_size (out, at + (gsize) n * 4);
  p = out->str + at;
  for (i = 0; i < n; i++)
    {
      gunichar c = cells[i];

      if (G_LIKELY (c < 0x80 && c != 0))
        *p++ = (char) c;
      else if (c != 0)
        p += g_unichar_to_utf8 (c, p);
    }
  g_string_truncate (out, p - out->str);
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

/* The width between a lifeline and one left of it that an arrow's label
 * needs. */
typedef struct
{
  guint left;
  glong w;
} Need;

/* Brackets in order of their first row, then of their index. */
typedef struct
{
  guint first, last, index;
} BoxSpan;

static gint
box_span_compare (gconstpointer a,
                  gconstpointer b)
{
  const BoxSpan *x = a, *y = b;

  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static gboolean
write_text (PlLadderLayout *layout,
            Sink           *sink,
            GError        **error)
{
  PlLadderSelection *selection = pl_ladder_layout_get_selection (layout);
  PlCapture *capture = pl_ladder_selection_get_capture (selection);
  const PlLadderOptions *options = pl_ladder_layout_get_options (layout);
  guint n = pl_ladder_layout_get_n_rows (layout);
  guint m = pl_ladder_layout_get_n_lifelines (layout);
  g_autoptr(GString) out = g_string_sized_new (SINK_BUFFER + 4096);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) prefix = g_string_new (NULL);
  g_autoptr(GString) blank = g_string_new (NULL);
  g_autofree glong *x = g_new0 (glong, MAX (m, 1));
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (BoxSpan));
  g_autoptr(GArray) active = g_array_new (FALSE, FALSE, sizeof (BoxSpan));
  GArray **needs_of = g_new0 (GArray *, MAX (m, 1));
  guint nb = pl_ladder_layout_get_n_brackets (layout);
  glong no_w = 3, time_w = 8, state_w = 0, width, lanes_x;
  guint64 cells, n_lines;
  guint i, j, sfirst = 0, send, n_lanes = 0, n_details = 0, next_span = 0;
  Line line = { g_array_new (FALSE, FALSE, sizeof (gunichar)) };
  Line lifelines = { g_array_new (FALSE, FALSE, sizeof (gunichar)) };
  Line breaks = { g_array_new (FALSE, FALSE, sizeof (gunichar)) };
  gboolean ok = TRUE;

  for (j = 0; j < m; j++)
    needs_of[j] = g_array_new (FALSE, FALSE, sizeof (Need));

  /* Column widths: a pass over the rows that keeps nothing of them. */
  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      glong w;

      g_string_truncate (s, 0);
      pl_ladder_layout_format_label (layout, i, s);
      w = ulen (s->str) + 6;
      g_string_truncate (s, 0);
      if (row->flags & PL_LADDER_ROW_DETAILS)
        format_details_ascii (layout, i, s);
      n_details += s->len > 0;
      w = MAX (w, (glong) ulen (s->str) + 4);
      if (row->n_explain > 0)
        {
          g_auto(GStrv) lines = NULL;

          g_string_truncate (s, 0);
          pl_ladder_layout_format_explanation (layout, i, s);
          lines = g_strsplit (s->str, "\n", -1);
          for (j = 0; lines[j] != NULL; j++)
            w = MAX (w, (glong) ulen (lines[j]) + 4);
          n_details += j;
        }
      /* The width between its lifelines that the row's label needs, kept
       * by the right one; rows between the same pair follow each other,
       * so they mostly share one entry. */
      if (row->from != row->to && MAX (row->from, row->to) < m)
        {
          GArray *list = needs_of[MAX (row->from, row->to)];
          Need pair = { MIN (row->from, row->to), w };

          if (list->len > 0 && g_array_index (list, Need, list->len - 1).left == pair.left)
            g_array_index (list, Need, list->len - 1).w = MAX (g_array_index (list, Need, list->len - 1).w, w);
          else
            g_array_append_val (list, pair);
        }

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
          for (a = 0; a < needs_of[j]->len; a++)
            {
              const Need *pair = &g_array_index (needs_of[j], Need, a);

              if (pair->w > 0 && pair->left < j)
                x[j] = MAX (x[j], x[pair->left] + pair->w);
            }
        }
    }
  width = m > 0 ? x[m - 1] + 1 : 0;
  if (m > 0 && pl_ladder_layout_get_lifeline (layout, m - 1)->side == 1)
    width += state_w + 2;
  lanes_x = width + 2;

  /* Every line is about as wide as the ladder: a ladder of thousands of
   * lifelines makes gigabytes of text.  Refused before anything is
   * written beyond what a text file is for. */
  n_lines = 5 + 2 * (guint64) n + n_details;
  cells = n_lines * (guint64) (width + no_w + time_w + 4);
  if (cells > PL_EXPORT_TEXT_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (cells);
      g_autofree char *max = g_format_size (PL_EXPORT_TEXT_MAX_BYTES);
      g_autofree char *lines = g_strdup_printf ("%" G_GUINT64_FORMAT, n_lines);

      /* Translators: the size of the text, its number of lines and of
       * columns, then the largest text ladder written ("8.6 GB"). */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The text ladder would be %s (%s lines of %ld columns), more than a text export writes (%s): "
                     "export fewer streams (--stream) or one lifeline per host (--hosts)"),
                   size, lines, width, max);
      ok = FALSE;
      goto out;
    }

  /* Bracket spans as row indexes, in order of their first row. */
  for (i = 0; i < nb; i++)
    {
      const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, i);
      BoxSpan span = { 0, 0, i };
      guint end;

      pl_ladder_layout_rows_between (layout, box->y0 - 0.5, box->y0 + 0.5, &span.first, &end);
      pl_ladder_layout_rows_between (layout, box->y1 - 0.5, box->y1 + 0.5, &end, &span.last);
      span.last = span.last > 0 ? span.last - 1 : 0;
      n_lanes = MAX (n_lanes, box->lane + 1);
      g_array_append_val (spans, span);
    }
  g_array_sort (spans, box_span_compare);

  /* Template lines: the lifelines, and the same across a break. */
  g_array_set_size (lifelines.cells, width);
  for (i = 0; i < (guint) width; i++)
    g_array_index (lifelines.cells, gunichar, i) = ' ';
  g_array_set_size (breaks.cells, 0);
  g_array_append_vals (breaks.cells, lifelines.cells->data, lifelines.cells->len);
  for (j = 0; j < m; j++)
    {
      line_put (&lifelines, x[j], "|");
      line_put (&breaks, x[j], "~");
    }

  /* Title and heads. */
  describe_scope (layout, out);
  g_string_append (out, "\n\n");
  {
    /* Translators: the text ladder's column titles, as short as can be. */
    const char *no_title = C_("text ladder", "No.");
    const char *time_title = pl_ladder_layout_get_time_title (layout, TRUE);

    no_w = MAX (no_w, ulen (no_title));
    time_w = MAX (time_w, ulen (time_title));
    g_string_truncate (prefix, 0);
    append_column (prefix, no_w, no_title);
    append_column (prefix, time_w, time_title);
  }
  g_array_set_size (line.cells, width);
  for (i = 0; i < (guint) width; i++)
    g_array_index (line.cells, gunichar, i) = ' ';
  for (j = 0; j < m; j++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, j);

      line_put (&line, x[j] - ulen (ll->label) / 2, ll->label);
    }
  line_flush (&line, prefix, out);
  g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
  g_array_set_size (line.cells, width);
  for (i = 0; i < (guint) width; i++)
    g_array_index (line.cells, gunichar, i) = ' ';
  for (j = 0; j < m; j++)
    {
      const PlLadderLifeline *ll = pl_ladder_layout_get_lifeline (layout, j);

      line_put (&line, x[j] - ulen (ll->sublabel) / 2, ll->sublabel);
    }
  line_flush (&line, prefix, out);

  /* The empty line between rows keeps the lifelines readable; it is the
   * same every time. */
  line_flush (&lifelines, prefix, blank);

  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      glong xa = x[row->from], xb = x[row->to], lo = MIN (xa, xb), hi = MAX (xa, xb);
      gunichar fill = (row->flags & PL_LADDER_ROW_FOLDED) ? '=' : (row->flags & PL_LADDER_ROW_PURE_ACK) ? '.' : '-';
      glong k, start, label_w;

      if (row->flags & PL_LADDER_ROW_BREAK)
        {
          gint64 gap = pl_capture_get_frame (capture, row->frame)->ts_ns -
                       pl_capture_get_frame (capture, pl_ladder_layout_get_row (layout, i - 1)->frame)->ts_ns;

          g_string_printf (prefix, "%*s  %*.3fs  ", (int) no_w, "", (int) time_w - 1, gap / 1e9);
          line_flush (&breaks, prefix, out);
        }
      else
        g_string_append_len (out, blank->str, blank->len);

      g_string_truncate (s, 0);
      pl_ladder_layout_format_label (layout, i, s);
      label_w = ulen (s->str);
      g_string_printf (prefix, "%*u  ", (int) no_w, row->frame + 1);
      g_string_truncate (detail, 0);
      pl_ladder_layout_format_frame_time (layout, i, detail);
      g_string_append_printf (prefix, "%*s  ", (int) time_w, detail->str);
      line_reset (&line, &lifelines);
      for (k = lo + 1; k < hi; k++)
        g_array_index (line.cells, gunichar, k) = fill;
      if (hi > lo + 1)
        g_array_index (line.cells, gunichar, xb > xa ? hi - 1 : lo + 1) = xb > xa ? '>' : '<';
      start = (lo + hi) / 2 - label_w / 2;
      line_put (&line, start - 1, " ");
      line_put (&line, start, s->str);
      line_put (&line, start + label_w, " ");

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

      /* Bracket lanes, and labels of brackets starting here: the brackets
       * open at this row, in the order of their index. */
      for (j = 0; j < active->len; )
        if (g_array_index (active, BoxSpan, j).last < i)
          g_array_remove_index (active, j);
        else
          j++;
      for (; next_span < spans->len && g_array_index (spans, BoxSpan, next_span).first <= i; next_span++)
        {
          BoxSpan span = g_array_index (spans, BoxSpan, next_span);

          if (span.last < i)
            continue;
          for (j = 0; j < active->len && g_array_index (active, BoxSpan, j).index < span.index; j++)
            ;
          g_array_insert_val (active, j, span);
        }
      for (j = 0; j < active->len; j++)
        {
          const BoxSpan *span = &g_array_index (active, BoxSpan, j);
          const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, span->index);
          const PlLadderBracket *b = pl_ladder_selection_get_bracket (selection, box->bracket);
          glong lx = lanes_x + 2 * box->lane;

          line_put (&line, lx, span->first == span->last ? "[" : i == span->first ? "," : i == span->last ? "'" : "|");
          if (i == span->first)
            {
              g_string_printf (s, "%s%s%s", b->label, b->detail ? "  (" : "", b->detail ? b->detail : "");
              if (b->detail)
                g_string_append_c (s, ')');
              line_put (&line, MAX (lanes_x + 2 * (glong) n_lanes + 1, (glong) line.cells->len + 2), s->str);
            }
        }
      line_flush (&line, prefix, out);

      if (row->flags & PL_LADDER_ROW_DETAILS)
        {
          g_string_truncate (detail, 0);
          format_details_ascii (layout, i, detail);
          if (detail->len > 0)
            {
              g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
              line_reset (&line, &lifelines);
              line_put (&line, (lo + hi) / 2 - ulen (detail->str) / 2, detail->str);
              line_flush (&line, prefix, out);
            }
        }
      if (row->n_explain > 0)
        {
          g_auto(GStrv) lines = NULL;

          g_string_truncate (detail, 0);
          pl_ladder_layout_format_explanation (layout, i, detail);
          lines = g_strsplit (detail->str, "\n", -1);
          g_string_printf (prefix, "%*s  %*s  ", (int) no_w, "", (int) time_w, "");
          for (j = 0; lines[j] != NULL; j++)
            {
              line_reset (&line, &lifelines);
              line_put (&line, (lo + hi) / 2 - ulen (lines[j]) / 2 - 1, " ");
              line_put (&line, (lo + hi) / 2 - ulen (lines[j]) / 2, lines[j]);
              line_put (&line, (lo + hi) / 2 - ulen (lines[j]) / 2 + ulen (lines[j]), " ");
              line_flush (&line, prefix, out);
            }
        }

      /* Out row by row: memory is one line, whatever the length. */
      if (out->len > SINK_BUFFER)
        {
          sink_take (sink, out);
          if (!sink_ok (sink))
            {
              ok = sink_fail (sink, error);
              goto out;
            }
        }
    }
  append_notes (layout, "", out);
  sink_take (sink, out);
  if (!sink_ok (sink))
    ok = sink_fail (sink, error);

out:
  for (j = 0; j < m; j++)
    g_array_unref (needs_of[j]);
  g_free (needs_of);
  g_array_unref (line.cells);
  g_array_unref (lifelines.cells);
  g_array_unref (breaks.cells);
  return ok;
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

/* Every format but the PNG pages, into the sink. */
static gboolean
write_format (PlLadderLayout *layout,
              PlExportFormat  format,
              Sink           *sink,
              GError        **error)
{
  switch (format)
    {
    case PL_EXPORT_PNG:
      {
        const PlLadderOptions *options = pl_ladder_layout_get_options (layout);
        g_autoptr(GArray) pages = paginate (layout, PL_EXPORT_PNG_MAX / export_scale (options));

        return write_png_page (layout, &g_array_index (pages, Page, 0), TRUE, export_scale (options), sink, error);
      }
    case PL_EXPORT_SVG:
      return write_svg (layout, sink, error);
    case PL_EXPORT_PDF:
      return write_pdf (layout, sink, error);
    case PL_EXPORT_MERMAID:
      return write_sequence (layout, FALSE, sink, error);
    case PL_EXPORT_PLANTUML:
      return write_sequence (layout, TRUE, sink, error);
    case PL_EXPORT_TEXT:
      return write_text (layout, sink, error);
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Unknown export format"));
      return FALSE;
    }
}

GBytes *
pl_export_to_bytes (PlLadderSelection     *selection,
                    const PlLadderOptions *options,
                    PlExportFormat         format,
                    GError               **error)
{
  g_autoptr(PlLadderLayout) layout = make_layout (selection, options, format);
  Sink sink;

  sink_init_bytes (&sink, NULL);
  if (!write_format (layout, format, &sink, error))
    {
      g_clear_error (&sink.error);
      g_byte_array_unref (sink.bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (sink.bytes);
}

/* Written under a temporary name in the same folder, then renamed over
 * the target: readers never see half a file, and a failed export leaves
 * the target as it was. */
static gboolean
export_file (PlLadderLayout *layout,
             PlExportFormat  format,
             const Page     *png_page,
             gboolean        png_first,
             const char     *path,
             GCancellable   *cancellable,
             GError        **error)
{
  char *tmp_path = NULL;
  gboolean ok;
  Sink sink;

  if (!sink_open_file (&sink, path, &tmp_path, cancellable, error))
    return FALSE;
  if (png_page != NULL)
    ok = write_png_page (layout, png_page, png_first, export_scale (pl_ladder_layout_get_options (layout)),
                         &sink, error);
  else
    ok = write_format (layout, format, &sink, error);
  return sink_close_file (&sink, tmp_path, ok, error);
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

  g_return_val_if_fail (selection != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (message != NULL)
    *message = NULL;
  if (written != NULL)
    *written = NULL;

  /* Before the layout, which may take a while: a target that must not be
   * replaced is refused at once. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error) || !check_target (path, error))
    return FALSE;
  layout = make_layout (selection, options, format);

  if (format == PL_EXPORT_PNG)
    {
      double scale = export_scale (options);
      g_autoptr(GArray) pages = paginate (layout, PL_EXPORT_PNG_MAX / scale);
      guint i;

      if (pages->len == 1)
        {
          if (!export_file (layout, format, &g_array_index (pages, Page, 0), TRUE, path, cancellable, error))
            return FALSE;
          g_strv_builder_add (files, path);
        }
      else
        {
          for (i = 0; i < pages->len; i++)
            {
              g_autofree char *name = page_path (path, i + 1);

              if (!export_file (layout, format, &g_array_index (pages, Page, i), i == 0, name, cancellable, error))
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
      if (!export_file (layout, format, NULL, FALSE, path, cancellable, error))
        return FALSE;
      g_strv_builder_add (files, path);
    }

  if (written != NULL)
    *written = g_strv_builder_end (files);
  return TRUE;
}
