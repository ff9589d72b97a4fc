/* bench-ladder.c: the ladder on a synthetic 1,000,000-frame stream:
 * layout time (Pango metrics, uniform and compressed spacing), and the
 * time to paint one window-sized view (1200x800) at the top, middle and
 * end.  Painting must not grow with the stream's length: the painter
 * finds the rows in view by binary search.  Then an SVG export of a
 * 20,000-arrow stream.  With $PL_BENCH_CAPTURE, the window's path on
 * that capture's longest stream: the first view, then scrolling.  Prints
 * figures, asserts nothing about time.
 *
 *   meson test -C BUILD --benchmark bench-ladder [-v]
 *   BUILD/tests/bench/bench-ladder [N_FRAMES]
 */
#include "config.h"

#include <cairo.h>
#include <stdlib.h>

#include "pl-export.h"
#include "pl-ladder-layout.h"
#include "pl-ladder-paint.h"
#include "pl-test-synth.h"

#define VIEW_W 1200
#define VIEW_H 800
#define PAINTS 50

static double
paint_ms (PlLadderLayout  *layout,
          cairo_surface_t *surface,
          double           y)
{
  gint64 start = g_get_monotonic_time ();
  guint i;

  for (i = 0; i < PAINTS; i++)
    {
      cairo_t *cr = cairo_create (surface);

      /* The window scrolled to y: the painter sees a clip of one view. */
      cairo_rectangle (cr, 0, 0, VIEW_W, VIEW_H);
      cairo_clip (cr);
      cairo_translate (cr, 0, -y);
      pl_ladder_paint (layout, cr, NULL);
      cairo_destroy (cr);
    }
  return (g_get_monotonic_time () - start) / 1000.0 / PAINTS;
}

static gint
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench (PlCapture       *capture,
       PlLadderSpacing  spacing,
       const char      *name)
{
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_pango ();
  g_autoptr(PlLadderLayout) layout = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, VIEW_W, VIEW_H);
  PlLadderOptions options;
  PlLadderPaintState state;
  gint64 start;
  double h, top, mid, end, sel_ms;

  pl_ladder_options_init (&options);
  options.spacing = spacing;
  start = g_get_monotonic_time ();
  layout = pl_ladder_layout_new (sel, &options, metrics);
  g_print ("%-10s layout of %u rows: %.1f ms (%.1f MB of rows)\n", name,
           pl_ladder_layout_get_n_rows (layout), (g_get_monotonic_time () - start) / 1000.0,
           pl_ladder_layout_get_n_rows (layout) * sizeof (PlLadderRow) / 1e6);

  h = pl_ladder_layout_get_height (layout);
  /* Warm the font caches once. */
  paint_ms (layout, surface, 0);
  top = paint_ms (layout, surface, 0);
  mid = paint_ms (layout, surface, h / 2);
  end = paint_ms (layout, surface, h - VIEW_H);
  g_print ("%-10s paint %dx%d at top %.2f ms, middle %.2f ms, end %.2f ms (height %.0f px)\n",
           name, VIEW_W, VIEW_H, top, mid, end, h);

  /* With a selected ACK deep in the stream: its arithmetic and highlights. */
  {
    const PlLadderRow *row = pl_ladder_layout_get_row (layout, pl_ladder_layout_get_n_rows (layout) / 2 + 2);
    gint64 t0 = g_get_monotonic_time ();
    guint i;

    pl_ladder_paint_state_init (&state);
    state.selected_frame = row->frame;
    for (i = 0; i < PAINTS; i++)
      {
        cairo_t *cr = cairo_create (surface);

        cairo_rectangle (cr, 0, 0, VIEW_W, VIEW_H);
        cairo_clip (cr);
        cairo_translate (cr, 0, -(row->y - VIEW_H / 2));
        pl_ladder_paint (layout, cr, &state);
        cairo_destroy (cr);
      }
    sel_ms = (g_get_monotonic_time () - t0) / 1000.0 / PAINTS;
    g_print ("%-10s paint with a selected ACK in the middle: %.2f ms\n", name, sel_ms);
  }
  cairo_surface_destroy (surface);
}

/* The window's path on a real capture ($PL_BENCH_CAPTURE): its longest
 * stream selected as the stream list does (with its HTTP brackets), laid
 * out and painted once (the first view), then scrolled a view at a time:
 * each paint timed, the median and the slowest printed. */
static void
bench_capture_stream (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlLadderSelection) sel = NULL;
  g_autoptr(PlTextMetrics) metrics = NULL;
  g_autoptr(PlLadderLayout) layout = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  cairo_surface_t *surface;
  PlLadderOptions options;
  guint longest = 0, i;
  gint64 t0, t1, t2;
  double h, y;

  if (!pl_capture_load (capture, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-ladder: %s\n", error->message);
      return;
    }
  if (pl_capture_get_n_streams (capture) == 0)
    return;
  for (i = 1; i < pl_capture_get_n_streams (capture); i++)
    if (pl_capture_get_stream (capture, i)->n_frames > pl_capture_get_stream (capture, longest)->n_frames)
      longest = i;

  metrics = pl_text_metrics_new_pango ();
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, VIEW_W, VIEW_H);
  pl_ladder_options_init (&options);
  t0 = g_get_monotonic_time ();
  sel = pl_ladder_selection_new (capture);
  pl_ladder_selection_add_stream (sel, longest);
  pl_ladder_selection_add_http_brackets (sel);
  t1 = g_get_monotonic_time ();
  layout = pl_ladder_layout_new (sel, &options, metrics);
  {
    cairo_t *cr = cairo_create (surface);

    cairo_rectangle (cr, 0, 0, VIEW_W, VIEW_H);
    cairo_clip (cr);
    pl_ladder_paint (layout, cr, NULL);
    cairo_destroy (cr);
  }
  t2 = g_get_monotonic_time ();
  g_print ("capture stream %u (%u frames, %u rows): first view %.1f ms "
           "(selection and HTTP brackets %.1f ms, layout and first paint %.1f ms)\n",
           longest, pl_capture_get_stream (capture, longest)->n_frames, pl_ladder_layout_get_n_rows (layout),
           (t2 - t0) / 1000.0, (t1 - t0) / 1000.0, (t2 - t1) / 1000.0);

  /* Scrolling: one view further down each time, as far as 200 views. */
  h = pl_ladder_layout_get_height (layout);
  for (y = 0, i = 0; y < h && i < 200; y += VIEW_H, i++)
    {
      gint64 p0 = g_get_monotonic_time ();
      cairo_t *cr = cairo_create (surface);
      double ms;

      cairo_rectangle (cr, 0, 0, VIEW_W, VIEW_H);
      cairo_clip (cr);
      cairo_translate (cr, 0, -y);
      pl_ladder_paint (layout, cr, NULL);
      cairo_destroy (cr);
      ms = (g_get_monotonic_time () - p0) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);
  g_print ("capture stream %u: scrolling, %u views of %dx%d: median %.2f ms, slowest %.2f ms\n",
           longest, times->len, VIEW_W, VIEW_H, g_array_index (times, double, times->len / 2),
           g_array_index (times, double, times->len - 1));
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  bytes = pl_test_synth_stream (n, 100000);
  capture = pl_capture_new_for_bytes (bytes, "synthetic");
  if (!pl_capture_load (capture, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-ladder: %s\n", error->message);
      return 1;
    }
  g_print ("capture of %u frames made and loaded in %.0f ms\n", pl_capture_get_n_frames (capture),
           (g_get_monotonic_time () - start) / 1000.0);

  bench (capture, PL_LADDER_SPACING_UNIFORM, "uniform");
  bench (capture, PL_LADDER_SPACING_COMPRESSED, "compressed");

  /* With explanations: one replay of the stream, walked once. */
  {
    g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
    g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_pango ();
    g_autoptr(PlLadderLayout) layout = NULL;
    PlLadderOptions options;
    gint64 t0;

    pl_ladder_options_init (&options);
    options.explain = TRUE;
    t0 = g_get_monotonic_time ();
    layout = pl_ladder_layout_new (sel, &options, metrics);
    g_print ("%-10s layout of %u rows: %.1f ms, %u notes\n", "explained", pl_ladder_layout_get_n_rows (layout),
             (g_get_monotonic_time () - t0) / 1000.0, pl_ladder_layout_get_n_notes (layout));
  }

  /* SVG export of 20,000 arrows (the whole file, in memory). */
  {
    g_autoptr(GBytes) svg_bytes = pl_test_synth_stream (20000, 0);
    g_autoptr(PlCapture) svg_capture = pl_capture_new_for_bytes (svg_bytes, "svg");

    if (pl_capture_load (svg_capture, NULL, NULL, NULL, NULL))
      {
        g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (svg_capture);
        g_autoptr(GBytes) out = NULL;
        g_autoptr(GError) svg_error = NULL;
        PlLadderOptions options;
        gint64 t0;

        pl_ladder_options_init (&options);
        t0 = g_get_monotonic_time ();
        out = pl_export_to_bytes (sel, &options, PL_EXPORT_SVG, &svg_error);
        if (out == NULL)
          g_printerr ("bench-ladder: SVG export: %s\n", svg_error->message);
        else
          g_print ("SVG export of %u arrows: %.0f ms (%.1f MB)\n", pl_capture_get_n_frames (svg_capture),
                   (g_get_monotonic_time () - t0) / 1000.0, g_bytes_get_size (out) / 1e6);
      }
  }

  if (g_getenv ("PL_BENCH_CAPTURE") != NULL && g_getenv ("PL_BENCH_CAPTURE")[0] != '\0')
    bench_capture_stream (g_getenv ("PL_BENCH_CAPTURE"));
  else
    g_print ("capture stream: not run (PL_BENCH_CAPTURE not set)\n");

  /* The same views of a short stream, for comparison. */
  {
    g_autoptr(GBytes) small = pl_test_synth_stream (1000, 0);
    g_autoptr(PlCapture) short_capture = pl_capture_new_for_bytes (small, "short");

    if (pl_capture_load (short_capture, NULL, NULL, NULL, NULL))
      bench (short_capture, PL_LADDER_SPACING_UNIFORM, "1000 rows");
  }
  return 0;
}
