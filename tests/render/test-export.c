/* test-export.c: exports checked by structure, never by pixels: the SVG
 * parses and holds the labels, the PDF's text has them, the PNG has the
 * size asked and is not blank, Mermaid and PlantUML have one message per
 * arrow, repeated exports are byte-identical, tall PNGs become pages, and
 * a failed export leaves an existing file alone.
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "pl-export.h"
#include "pl-tcp-analysis.h"
#include "pl-ladder-layout.h"
#include "pl-test-synth.h"
#include "pl-test-require.h"

static PlCapture *
load_sample (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = g_object_new (PL_TYPE_CAPTURE, "file", file, "display-name", "lab.pcap", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  return g_steal_pointer (&capture);
}

static PlLadderSelection *
sample_selection (PlCapture *capture,
                  gint       stream)
{
  PlLadderSelection *sel = pl_ladder_selection_new (capture);

  if (stream >= 0)
    pl_ladder_selection_add_stream (sel, stream);
  pl_ladder_selection_add_http_brackets (sel);
  return sel;
}

static char *
export_file (PlLadderSelection     *sel,
             const PlLadderOptions *options,
             const char            *dir,
             const char            *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PlExportFormat format;

  g_assert_true (pl_export_format_from_path (path, &format));
  g_assert_true (pl_export_to_file (sel, options, format, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

typedef struct
{
  GString *text;
  gboolean root_svg;
  guint    depth;
} SvgScan;

static void
svg_start (GMarkupParseContext *context,
           const char          *element,
           const char         **names,
           const char         **values,
           gpointer             data,
           GError             **error)
{
  SvgScan *scan = data;

  if (scan->depth++ == 0)
    scan->root_svg = g_str_equal (element, "svg");
}

static void
svg_end (GMarkupParseContext *context,
         const char          *element,
         gpointer             data,
         GError             **error)
{
  ((SvgScan *) data)->depth--;
}

static void
svg_text (GMarkupParseContext *context,
          const char          *text,
          gsize                len,
          gpointer             data,
          GError             **error)
{
  g_string_append_len (((SvgScan *) data)->text, text, len);
  g_string_append_c (((SvgScan *) data)->text, '\n');
}

static void
test_svg (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, 0);
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  GMarkupParseContext *ctx;
  SvgScan scan = { text, FALSE, 0 };
  PlLadderOptions options;
  gsize len;

  pl_ladder_options_init (&options);
  path = export_file (sel, &options, dir, "ladder.svg");
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));

  ctx = g_markup_parse_context_new (&parser, G_MARKUP_IGNORE_QUALIFIED, &scan, NULL);
  /* GMarkup does not read the XML declaration or a doctype. */
  {
    const char *start = strstr (contents, "<svg");

    g_assert_nonnull (start);
    g_assert_true (g_markup_parse_context_parse (ctx, start, -1, &error));
    g_assert_no_error (error);
    g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  }
  g_markup_parse_context_free (ctx);
  g_assert_true (scan.root_svg);
  g_assert_nonnull (strstr (text->str, "127.0.0.1:8080"));
  g_assert_nonnull (strstr (text->str, "[SYN] Seq=0 Win=65376 Len=0"));
  g_assert_nonnull (strstr (text->str, "[FIN, ACK] Seq=3669373 Ack=1434 Win=65536 Len=0"));
  g_assert_nonnull (strstr (text->str, "MSS=16344 SACK_PERM"));
  g_assert_nonnull (strstr (text->str, "ESTABLISHED"));
  g_assert_nonnull (strstr (text->str, "GET /music.mp3 HTTP/1.1"));
  g_assert_nonnull (strstr (text->str, "HTTP/1.1 206 Partial Content"));
  g_assert_nonnull (strstr (text->str, "Content-Range: bytes 0-3365241/3365242"));
  g_assert_nonnull (strstr (contents, "version=\"1.1\""));

  /* librsvg reads it too, at the size the SVG declares. */
  {
    g_autofree char *rsvg = g_find_program_in_path ("rsvg-convert");
    g_autofree char *png = g_build_filename (dir, "from-svg.png", NULL);
    const char *argv[] = { rsvg, "-o", png, path, NULL };
    g_autoptr(GMatchInfo) size = NULL;
    g_autoptr(GRegex) size_re = g_regex_new ("<svg[^>]* width=\"([0-9.]+)(pt|px)?\" height=\"([0-9.]+)(pt|px)?\"",
                                              0, 0, NULL);
    cairo_surface_t *image;
    int status = 0;

    if (rsvg == NULL)
      {
        g_unlink (path);
        g_rmdir (dir);
        pl_test_missing ("rsvg-convert (librsvg2-bin) is not installed");
        return;
      }
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_regex_match (size_re, contents, 0, &size));
    image = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
    /* rsvg-convert renders at 96 dpi: points become 4/3 pixels. */
    {
      g_autofree char *w = g_match_info_fetch (size, 1);
      g_autofree char *unit = g_match_info_fetch (size, 2);
      g_autofree char *h = g_match_info_fetch (size, 3);
      double k = g_strcmp0 (unit, "pt") == 0 ? 96.0 / 72.0 : 1.0;

      g_assert_cmpint (cairo_image_surface_get_width (image), ==, (int) ceil (g_ascii_strtod (w, NULL) * k - 0.01));
      g_assert_cmpint (cairo_image_surface_get_height (image), ==, (int) ceil (g_ascii_strtod (h, NULL) * k - 0.01));
    }
    cairo_surface_destroy (image);
    g_unlink (png);
  }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_pdf (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, -1);
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  PlLadderOptions options;
  int status = 0;

  pl_ladder_options_init (&options);
  path = export_file (sel, &options, dir, "ladder.pdf");
  if (pdftotext == NULL)
    {
      g_unlink (path);
      g_rmdir (dir);
      pl_test_missing ("pdftotext (poppler-utils) is not installed");
      return;
    }
  {
    const char *argv[] = { pdftotext, path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_nonnull (strstr (out, "[SYN]"));
  g_assert_nonnull (strstr (out, "[FIN, ACK]"));
  g_assert_nonnull (strstr (out, "GET /logo.jpg HTTP/1.1"));
  g_assert_nonnull (strstr (out, "HTTP/1.1 200 OK"));
  g_assert_nonnull (strstr (out, "HTTP/1.1 206 Partial Content"));
  g_assert_nonnull (strstr (out, "TIME_WAIT"));
  g_unlink (path);
  g_rmdir (dir);
}

/* Runs pdfinfo or pdftotext on a PDF, on one page (from 1) or the whole
 * file (0): its standard output. */
static char *
run_poppler (const char  *tool,
             const char  *path,
             guint        page)
{
  g_autofree char *prog = g_find_program_in_path (tool);
  g_autofree char *num = g_strdup_printf ("%u", page);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (prog);
  g_ptr_array_add (argv, prog);
  if (page > 0)
    {
      g_ptr_array_add (argv, (char *) "-f");
      g_ptr_array_add (argv, num);
      g_ptr_array_add (argv, (char *) "-l");
      g_ptr_array_add (argv, num);
    }
  g_ptr_array_add (argv, (char *) path);
  if (g_str_equal (tool, "pdftotext"))
    g_ptr_array_add (argv, (char *) "-");
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* --paper: every page is the paper's size, turned to landscape when the
 * ladder prints larger so; each page repeats the lifeline heads and says
 * which page it is; together the pages hold the whole ladder.  A ladder
 * too wide to read on paper is refused, naming the paper. */
static void
test_paper (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, 0);
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  const struct { PlLadderPaper paper; const char *name; const char *size; } papers[] = {
    { PL_LADDER_PAPER_A4, "a4.pdf", "841.89 x 595.276 pts (A4)" },
    { PL_LADDER_PAPER_LETTER, "letter.pdf", "792 x 612 pts (letter)" },
  };
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  PlLadderOptions options;
  guint k;

  if (pdfinfo == NULL || pdftotext == NULL)
    {
      g_rmdir (dir);
      pl_test_missing ("pdfinfo and pdftotext (poppler-utils) are not installed");
      return;
    }
  pl_ladder_options_init (&options);
  for (k = 0; k < G_N_ELEMENTS (papers); k++)
    {
      g_autofree char *path = NULL;
      g_autofree char *info = NULL;
      g_autoptr(GString) all = g_string_new (NULL);
      const char *line;
      guint64 n_pages = 0;
      guint i;

      options.paper = papers[k].paper;
      path = export_file (sel, &options, dir, papers[k].name);
      info = run_poppler ("pdfinfo", path, 0);
      line = strstr (info, "Pages:");
      g_assert_nonnull (line);
      n_pages = g_ascii_strtoull (line + strlen ("Pages:"), NULL, 10);
      g_test_message ("%s: %" G_GUINT64_FORMAT " pages", papers[k].name, n_pages);
      /* The sample's stream (about 560 frames) does not fit one page. */
      g_assert_cmpuint (n_pages, >, 5);
      /* pdfinfo gives the first page's size; each page's with -f/-l. */
      for (i = 1; i <= n_pages; i++)
        {
          g_autofree char *page_info = run_poppler ("pdfinfo", path, i);
          g_autofree char *text = run_poppler ("pdftotext", path, i);
          g_autofree char *footer = g_strdup_printf ("lab.pcap · page %u of %" G_GUINT64_FORMAT, i, n_pages);

          g_assert_nonnull (strstr (page_info, papers[k].size));
          g_assert_nonnull (strstr (text, "127.0.0.1:8080"));
          g_assert_nonnull (strstr (text, "127.0.0.1:54836"));
          g_assert_nonnull (strstr (text, footer));
          g_string_append (all, text);
        }
      g_assert_nonnull (strstr (all->str, "[SYN]"));
      g_assert_nonnull (strstr (all->str, "HTTP/1.1 206 Partial Content"));
      g_assert_nonnull (strstr (all->str, "[FIN, ACK]"));
      g_assert_nonnull (strstr (all->str, "TIME_WAIT"));
      g_unlink (path);
    }

  /* Hundreds of lifelines would print too small to read. */
  {
    g_autoptr(GBytes) bytes = pl_test_synth_syns (300);
    g_autoptr(PlCapture) wide = pl_capture_new_for_bytes (bytes, "syn-flood");
    g_autoptr(PlLadderSelection) all = NULL;
    g_autofree char *path = g_build_filename (dir, "wide.pdf", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (pl_capture_load (wide, NULL, NULL, NULL, NULL));
    all = pl_ladder_selection_new (wide);
    options.paper = PL_LADDER_PAPER_A4;
    g_assert_false (pl_export_to_file (all, &options, PL_EXPORT_PDF, path, NULL, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "A4"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_rmdir (dir);
}

static void
test_png (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, 0);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_pango ();
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  PlLadderOptions options;
  double scales[] = { 1, 2 };
  guint k;

  pl_ladder_options_init (&options);
  for (k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      g_autoptr(PlLadderLayout) layout = NULL;
      g_autofree char *path = NULL;
      cairo_surface_t *png;
      guint32 bg, *px;
      int x, y, stride, differ = 0;

      options.scale = scales[k];
      layout = pl_ladder_layout_new (sel, &options, metrics);
      path = export_file (sel, &options, dir, "ladder.png");
      png = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, (int) ceil (pl_ladder_layout_get_width (layout) * scales[k]));
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil (pl_ladder_layout_get_height (layout) * scales[k]));

      /* Not blank: many pixels differ from the corner's. */
      stride = cairo_image_surface_get_stride (png) / 4;
      px = (guint32 *) (gpointer) cairo_image_surface_get_data (png);
      bg = px[0] & 0xffffff;
      for (y = 0; y < cairo_image_surface_get_height (png); y += 3)
        for (x = 0; x < cairo_image_surface_get_width (png); x += 3)
          differ += (px[y * stride + x] & 0xffffff) != bg;
      g_assert_cmpint (differ, >, 1000);
      cairo_surface_destroy (png);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], needle) != NULL;
  return n;
}

static void
test_sequence_languages (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, -1);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  g_autoptr(PlLadderLayout) layout = NULL;
  g_autoptr(GBytes) mmd = NULL;
  g_autoptr(GBytes) puml = NULL;
  g_autoptr(GBytes) txt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *m = NULL;
  g_autofree char *p = NULL;
  g_autofree char *t = NULL;
  PlLadderOptions options;
  guint rows;

  pl_ladder_options_init (&options);
  options.hide_pure_acks = TRUE;
  layout = pl_ladder_layout_new (sel, &options, metrics);
  rows = pl_ladder_layout_get_n_rows (layout);

  mmd = pl_export_to_bytes (sel, &options, PL_EXPORT_MERMAID, &error);
  g_assert_no_error (error);
  m = g_strndup (g_bytes_get_data (mmd, NULL), g_bytes_get_size (mmd));
  g_assert_nonnull (strstr (m, "\nsequenceDiagram\n"));
  g_assert_cmpuint (count_lines_with (m, "    participant "), ==, pl_ladder_layout_get_n_lifelines (layout));
  g_assert_cmpuint (count_lines_with (m, ">>L"), ==, rows);
  g_assert_nonnull (strstr (m, "participant L1 as 127.0.0.1:8080 (server)"));
  g_assert_nonnull (strstr (m, "L0->>L1: 1 [SYN] Seq=0 Win=65376 Len=0"));
  g_assert_nonnull (strstr (m, "Note over L0: SYN_SENT"));

  puml = pl_export_to_bytes (sel, &options, PL_EXPORT_PLANTUML, &error);
  g_assert_no_error (error);
  p = g_strndup (g_bytes_get_data (puml, NULL), g_bytes_get_size (puml));
  g_assert_true (g_str_has_prefix (p, "@startuml\n"));
  g_assert_true (g_str_has_suffix (p, "@enduml\n"));
  g_assert_cmpuint (count_lines_with (p, "participant \""), ==, pl_ladder_layout_get_n_lifelines (layout));
  g_assert_cmpuint (count_lines_with (p, "> L"), ==, rows);

  txt = pl_export_to_bytes (sel, &options, PL_EXPORT_TEXT, &error);
  g_assert_no_error (error);
  t = g_strndup (g_bytes_get_data (txt, NULL), g_bytes_get_size (txt));
  g_assert_nonnull (strstr (t, " [SYN] Seq=0 Win=65376 Len=0 "));
  g_assert_nonnull (strstr (t, "GET /logo.jpg HTTP/1.1"));
  g_assert_cmpuint (count_lines_with (t, ">|"), >, 0);
  g_assert_true (g_utf8_validate (t, -1, NULL));

  /* Folded: one message for the whole logo transfer. */
  {
    g_autoptr(GBytes) folded = NULL;
    g_autofree char *f = NULL;

    options.fold_http = TRUE;
    folded = pl_export_to_bytes (sel, &options, PL_EXPORT_MERMAID, &error);
    f = g_strndup (g_bytes_get_data (folded, NULL), g_bytes_get_size (folded));
    g_assert_cmpuint (count_lines_with (f, "HTTP/1.1 200 OK \302\267 logo.jpg"), ==, 1);
  }
}

static char *
export_string (PlLadderSelection     *sel,
               const PlLadderOptions *options,
               PlExportFormat         format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = pl_export_to_bytes (sel, options, format, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* --explain in every format: the arithmetic beside the arrows, the
 * analysis flags and the close as numbered notes under them. */
static void
test_explain (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, 0);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  g_autoptr(PlLadderLayout) plain = NULL;
  g_autoptr(PlLadderLayout) layout = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *txt = NULL;
  g_autofree char *mmd = NULL;
  g_autofree char *puml = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  PlLadderOptions options;
  guint i, flagged = 0, notes_flags = 0;

  pl_ladder_options_init (&options);
  plain = pl_ladder_layout_new (sel, &options, metrics);
  options.explain = TRUE;
  layout = pl_ladder_layout_new (sel, &options, metrics);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, pl_ladder_layout_get_n_rows (plain));
  g_assert_cmpfloat (pl_ladder_layout_get_height (layout), >, pl_ladder_layout_get_height (plain));
  g_assert_cmpuint (pl_ladder_layout_get_n_notes (plain), ==, 0);

  /* A note per analysis flag of the rows shown, then the close's story. */
  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    {
      const PlFrame *f = pl_capture_get_frame (capture, pl_ladder_layout_get_row (layout, i)->frame);

      flagged += f->analysis != 0;
      for (guint b = 0; b < PL_ANALYSIS_N_FLAGS; b++)
        notes_flags += (f->analysis >> b) & 1;
    }
  g_test_message ("%u flagged frames, %u flags, %u notes", flagged, notes_flags,
                  pl_ladder_layout_get_n_notes (layout));
  g_assert_cmpuint (flagged, >, 0);
  g_assert_cmpuint (pl_ladder_layout_get_n_notes (layout), ==, notes_flags + 1);
  g_assert_true (g_str_has_prefix (pl_ladder_layout_get_note (layout, 0), "1. Frame "));
  g_assert_nonnull (strstr (pl_ladder_layout_get_note (layout, notes_flags), "TIME_WAIT"));
  g_assert_nonnull (strstr (pl_ladder_layout_get_note (layout, notes_flags), "Keep-Alive: timeout=5"));
  /* Every line measured fits the ladder's width. */
  for (i = 0; i < pl_ladder_layout_get_n_note_lines (layout); i++)
    g_assert_cmpfloat (pl_text_metrics_width (metrics, PL_TEXT_SMALL, pl_ladder_layout_get_note_line (layout, i, NULL)),
                       <=, pl_ladder_layout_get_width (layout));

  svg = export_string (sel, &options, PL_EXPORT_SVG);
  g_assert_nonnull (strstr (svg, "next seq 1 = seq 0 + SYN"));
  g_assert_nonnull (strstr (svg, "ack 1 = seq 0 + SYN \342\206\222 acknowledges frame 1"));
  g_assert_nonnull (strstr (svg, "a SYN consumes one sequence number"));
  g_assert_nonnull (strstr (svg, "2MSL"));
  g_assert_nonnull (strstr (svg, "see note 1"));

  txt = export_string (sel, &options, PL_EXPORT_TEXT);
  g_assert_nonnull (strstr (txt, "ack 371 = seq 1 + len 370 \342\206\222 acknowledges frame 4"));
  g_assert_nonnull (strstr (txt, "\nNotes\n1. Frame "));
  g_assert_nonnull (strstr (txt, "PSH: deliver to the application now (370 bytes since the last PSH)"));

  mmd = export_string (sel, &options, PL_EXPORT_MERMAID);
  g_assert_nonnull (strstr (mmd, "<br/>next seq 1 = seq 0 + SYN"));
  g_assert_nonnull (strstr (mmd, "    Note over L0,L1: 1. Frame "));
  puml = export_string (sel, &options, PL_EXPORT_PLANTUML);
  g_assert_nonnull (strstr (puml, "\\nnext seq 1 = seq 0 + SYN"));
  g_assert_nonnull (strstr (puml, "note across : 1. Frame "));
  g_assert_true (g_str_has_suffix (puml, "@enduml\n"));

  pdf = export_file (sel, &options, dir, "explain.pdf");
  if (pdftotext != NULL)
    {
      const char *argv[] = { pdftotext, pdf, "-", NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_nonnull (strstr (out, "Notes"));
      g_assert_nonnull (strstr (out, "next seq 371 = seq 1 + len 370"));
    }
  g_unlink (pdf);
  g_rmdir (dir);
  if (pdftotext == NULL)
    pl_test_missing ("pdftotext (poppler-utils) is not installed: the PDF's text not read back");
}

/* The same input and options give the same bytes, in this process and in
 * another one (the command line). */
static void
test_deterministic (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, -1);
  PlExportFormat formats[] = { PL_EXPORT_SVG, PL_EXPORT_MERMAID, PL_EXPORT_PLANTUML, PL_EXPORT_TEXT };
  PlLadderOptions options;
  guint i;

  pl_ladder_options_init (&options);
  options.spacing = PL_LADDER_SPACING_COMPRESSED;
  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) a = pl_export_to_bytes (sel, &options, formats[i], &error);
      g_autoptr(GBytes) b = pl_export_to_bytes (sel, &options, formats[i], &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (a, b));
    }

  if (g_getenv ("PL_CLI") != NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
      g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
      const char *names[] = { "a.svg", "b.svg", "a.txt", "b.txt" };
      g_autofree char *c0 = NULL, *c1 = NULL, *c2 = NULL, *c3 = NULL;
      char **contents[] = { &c0, &c1, &c2, &c3 };
      gsize lens[4];

      for (i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *out = g_build_filename (dir, names[i], NULL);
          g_autofree char *arg = g_strdup_printf ("--export=%s", out);
          const char *argv[] = { g_getenv ("PL_CLI"), arg, "--spacing=time", sample, NULL };
          g_autoptr(GError) error = NULL;
          int status = 0;

          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                       NULL, NULL, &status, &error));
          g_assert_true (g_spawn_check_wait_status (status, NULL));
          g_assert_true (g_file_get_contents (out, contents[i], &lens[i], NULL));
          g_unlink (out);
        }
      g_assert_cmpuint (lens[0], ==, lens[1]);
      g_assert_cmpmem (c0, lens[0], c1, lens[1]);
      g_assert_cmpmem (c2, lens[2], c3, lens[3]);
      g_rmdir (dir);
    }
}

static void
test_failure_keeps_file (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = sample_selection (capture, 0);
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.svg", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out.svg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  PlLadderOptions options;
  GDir *d;
  guint n = 0;

  pl_ladder_options_init (&options);
  g_assert_true (g_file_set_contents (path, "precious", -1, NULL));

  /* Cancelled before it could write. */
  g_cancellable_cancel (cancellable);
  g_assert_false (pl_export_to_file (sel, &options, PL_EXPORT_SVG, path, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A folder that does not exist. */
  g_assert_false (pl_export_to_file (sel, &options, PL_EXPORT_SVG, missing, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  /* And no temporary left behind. */
  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  g_assert_cmpuint (n, ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* No cap on items: 20,000 arrows in the text formats and the SVG, and a
 * PNG too tall for one image becomes numbered pages. */
static void
test_big (void)
{
  g_autoptr(GBytes) bytes = pl_test_synth_stream (20000, 0);
  g_autoptr(PlCapture) capture = pl_capture_new_for_bytes (bytes, "synthetic");
  g_autoptr(PlLadderSelection) sel = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) mmd = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autofree char *m = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "big.png", NULL);
  g_auto(GStrv) written = NULL;
  g_autofree char *message = NULL;
  PlLadderOptions options;
  guint i;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  sel = pl_ladder_selection_new (capture);
  pl_ladder_options_init (&options);

  mmd = pl_export_to_bytes (sel, &options, PL_EXPORT_MERMAID, &error);
  g_assert_no_error (error);
  m = g_strndup (g_bytes_get_data (mmd, NULL), g_bytes_get_size (mmd));
  g_assert_cmpuint (pl_capture_get_n_frames (capture), >=, 20000);
  g_assert_cmpuint (count_lines_with (m, ">>L"), ==, pl_capture_get_n_frames (capture));

  svg = pl_export_to_bytes (sel, &options, PL_EXPORT_SVG, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (svg), >, 20000 * 100);

  /* 3,000 rows are about 100,000 pixels: four pages. */
  pl_ladder_selection_set_frames (sel, 0, 2999);
  g_assert_true (pl_export_to_file (sel, &options, PL_EXPORT_PNG, png, NULL, &written, &message, &error));
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpuint (g_strv_length (written), >=, 3);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  for (i = 0; written[i] != NULL; i++)
    {
      g_autofree char *expect = g_strdup_printf ("big-%u.png", i + 1);
      g_autofree char *base = g_path_get_basename (written[i]);
      cairo_surface_t *page = cairo_image_surface_create_from_png (written[i]);

      g_assert_cmpstr (base, ==, expect);
      g_assert_cmpint (cairo_surface_status (page), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_height (page), <=, PL_EXPORT_PNG_MAX);
      cairo_surface_destroy (page);
      g_unlink (written[i]);
    }
  g_rmdir (dir);
}

/* A ladder too wide for cairo (its coordinates are 24.8 fixed point:
 * PL_EXPORT_CAIRO_MAX pixels) is refused before anything is drawn, with a
 * message naming the limit, rather than cairo aborting on an assertion
 * (SVG) or drawing for many minutes (PDF); its text ladder, as wide, would
 * be gigabytes, and is refused naming that limit. */
static void
test_too_wide (void)
{
  g_autoptr(GBytes) bytes = pl_test_synth_syns (60000);
  g_autoptr(PlCapture) capture = pl_capture_new_for_bytes (bytes, "syn-flood");
  g_autoptr(PlLadderSelection) sel = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *limit = g_strdup_printf ("%d", PL_EXPORT_CAIRO_MAX);
  g_autofree char *text_limit = g_format_size (PL_EXPORT_TEXT_MAX_BYTES);
  const PlExportFormat formats[] = { PL_EXPORT_SVG, PL_EXPORT_PDF, PL_EXPORT_PNG, PL_EXPORT_TEXT };
  PlLadderOptions options;
  GDir *d;
  guint i;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 60000);
  sel = pl_ladder_selection_new (capture);
  pl_ladder_options_init (&options);

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/wide.%s", dir, pl_export_format_extension (formats[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) out = NULL;

      g_assert_false (pl_export_to_file (sel, &options, formats[i], path, NULL, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_test_message ("%s: %s", pl_export_format_extension (formats[i]), error->message);
      if (formats[i] == PL_EXPORT_TEXT)
        g_assert_nonnull (strstr (error->message, text_limit));
      else if (formats[i] == PL_EXPORT_PNG)
        g_assert_nonnull (strstr (error->message, "32767"));
      else
        {
          g_assert_nonnull (strstr (error->message, limit));
          g_assert_nonnull (strstr (error->message, "cairo"));
        }
      g_clear_error (&error);

      if (formats[i] == PL_EXPORT_SVG)
        {
          out = pl_export_to_bytes (sel, &options, formats[i], &error);
          g_assert_null (out);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
        }
    }

  /* A hundred of those streams are drawn. */
  {
    g_autoptr(PlLadderSelection) some = pl_ladder_selection_new (capture);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) svg = NULL;

    for (i = 0; i < 100; i++)
      pl_ladder_selection_add_stream (some, i);
    svg = pl_export_to_bytes (some, &options, PL_EXPORT_SVG, &error);
    g_assert_no_error (error);
    g_assert_nonnull (svg);
  }

  /* Nothing written, not even a temporary file. */
  d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));
  g_dir_close (d);
  g_rmdir (dir);
}

/* Peak resident memory of this process, in KiB. */
static long
peak_rss_kib (void)
{
  struct rusage ru;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &ru), ==, 0);
  return ru.ru_maxrss;
}

#if defined(__SANITIZE_ADDRESS__)
#define MEMORY_FACTOR 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMORY_FACTOR 3
#endif
#endif
#ifndef MEMORY_FACTOR
#define MEMORY_FACTOR 1
#endif

/* In a child process (so that its peak is the export's): exports the
 * capture into a file and asserts the peak grew by less than limit_mib
 * (times three under AddressSanitizer). */
static void
export_measured (GBytes         *bytes,
                 PlExportFormat  format,
                 long            limit_mib)
{
  g_autoptr(PlCapture) capture = pl_capture_new_for_bytes (bytes, "big");
  g_autoptr(PlLadderSelection) sel = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-export-XXXXXX", NULL);
  g_autofree char *path = g_strdup_printf ("%s/big.%s", dir, pl_export_format_extension (format));
  g_autoptr(GError) error = NULL;
  PlLadderOptions options;
  GStatBuf st;
  long before, grew;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, NULL));
  sel = pl_ladder_selection_new (capture);
  pl_ladder_options_init (&options);
  before = peak_rss_kib ();
  g_assert_true (pl_export_to_file (sel, &options, format, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  grew = peak_rss_kib () - before;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  /* On stderr: the parent shows it (a child's test messages are not). */
  g_printerr ("# %s of %u frames: %" G_GINT64_FORMAT " bytes written, peak memory grew by %ld KiB "
              "(limit %ld MiB)\n", pl_export_format_extension (format), pl_capture_get_n_frames (capture),
              (gint64) st.st_size, grew, limit_mib * MEMORY_FACTOR);
  g_unlink (path);
  g_rmdir (dir);
  g_assert_cmpint (grew, <, limit_mib * MEMORY_FACTOR * 1024);
}

/* Exports stream: the SVG in bands, the text row by row, so memory does
 * not grow with the drawing.  (Before, an SVG held about three times its
 * output, some 400 MB here; a text ladder its whole output, 80 MB here.)
 * Each runs in a child, whose peak is its own.  Limits are on memory,
 * never on time. */
static void
test_bounded_memory_svg (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) bytes = pl_test_synth_stream (30000, 0);

      export_measured (bytes, PL_EXPORT_SVG, 100);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_bounded_memory_text (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) bytes = pl_test_synth_syns (1500);

      export_measured (bytes, PL_EXPORT_TEXT, 32);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_formats (void)
{
  PlExportFormat f;

  g_assert_true (pl_export_format_from_path ("a/b.PNG", &f));
  g_assert_cmpint (f, ==, PL_EXPORT_PNG);
  g_assert_true (pl_export_format_from_path ("x.puml", &f));
  g_assert_cmpint (f, ==, PL_EXPORT_PLANTUML);
  g_assert_true (pl_export_format_from_path ("x.mmd", &f));
  g_assert_cmpint (f, ==, PL_EXPORT_MERMAID);
  g_assert_false (pl_export_format_from_path ("x.gif", &f));
  g_assert_false (pl_export_format_from_path (".svg", &f));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ladder/export/formats", test_formats);
  g_test_add_func ("/ladder/export/svg", test_svg);
  g_test_add_func ("/ladder/export/pdf", test_pdf);
  g_test_add_func ("/ladder/export/paper", test_paper);
  g_test_add_func ("/ladder/export/png", test_png);
  g_test_add_func ("/ladder/export/sequence-languages", test_sequence_languages);
  g_test_add_func ("/ladder/export/explain", test_explain);
  g_test_add_func ("/ladder/export/deterministic", test_deterministic);
  g_test_add_func ("/ladder/export/failure-keeps-file", test_failure_keeps_file);
  g_test_add_func ("/ladder/export/big", test_big);
  g_test_add_func ("/ladder/export/too-wide", test_too_wide);
  g_test_add_func ("/ladder/export/bounded-memory/svg", test_bounded_memory_svg);
  g_test_add_func ("/ladder/export/bounded-memory/text", test_bounded_memory_text);

  return g_test_run ();
}
