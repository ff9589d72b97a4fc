/* fuzz-ladder.c: ladder layout, hit testing, labels, painting and the text
 * exports of small random captures.
 *
 * Input: byte 0 chooses the options (bits 0-1 spacing, 2 raw numbers,
 * 3 time deltas, 4 hide pure ACKs, 5 fold HTTP, 6 merge hosts, 7 show
 * states); the rest is a capture in the decode target's shapes (a capture
 * file, or byte 0 picks a link type and length-prefixed frames follow).
 * Every stream is selected (at most 8) with its HTTP brackets; the layout
 * is built with fixed text metrics, every row is read and labelled, a grid
 * of points is hit-tested, and three viewports are painted into a small
 * image surface; the Mermaid, PlantUML and text exports are written.
 */
#include "config.h"

#include <cairo.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-export.h"
#include "pl-fuzz.h"
#include "pl-fuzz-capture.h"
#include "pl-ladder-layout.h"
#include "pl-ladder-paint.h"

#define MAX_STREAMS 8
#define VIEW_W 320
#define VIEW_H 240

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_layout (PlLadderLayout *layout,
              guint           n_frames)
{
  g_autoptr(GString) text = g_string_new (NULL);
  double width = pl_ladder_layout_get_width (layout);
  double height = pl_ladder_layout_get_height (layout);
  guint n_rows = pl_ladder_layout_get_n_rows (layout);
  guint n_lifelines = pl_ladder_layout_get_n_lifelines (layout);
  guint i, m, first, end;
  double x, y;

  PL_FUZZ_CHECK (width >= 0 && height >= 0);
  PL_FUZZ_CHECK (pl_ladder_layout_get_geometry (layout) != NULL);
  for (i = 0; i < n_lifelines; i++)
    PL_FUZZ_CHECK (pl_ladder_layout_get_lifeline (layout, i)->label != NULL);

  for (i = 0; i < n_rows; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      PlLadderRect rect;
      double top, bottom, x1, y1, x2, y2;
      guint found;

      PL_FUZZ_CHECK (row->frame < n_frames);
      PL_FUZZ_CHECK (row->from < n_lifelines && row->to < n_lifelines);
      pl_ladder_layout_get_row_band (layout, i, &top, &bottom);
      PL_FUZZ_CHECK (top <= bottom);
      pl_ladder_layout_get_row_rect (layout, i, &rect);
      pl_ladder_layout_get_arrow (layout, i, &x1, &y1, &x2, &y2);
      PL_FUZZ_CHECK (pl_ladder_layout_find_frame (layout, row->frame, &found));
      PL_FUZZ_CHECK (found < n_rows);

      g_string_truncate (text, 0);
      pl_ladder_layout_format_label (layout, i, text);
      pl_ladder_layout_format_options (layout, i, text);
      pl_ladder_layout_format_frame_time (layout, i, text);
      for (m = 0; m < 8; m++)
        if (row->marks & (1u << m))
          pl_ladder_layout_format_mark (layout, i, m, text);
      PL_FUZZ_CHECK (g_utf8_validate (text->str, (gssize) text->len, NULL));

      {
        g_autofree char *explained = NULL;
        PlLadderAckInfo info;

        if (pl_ladder_layout_explain_ack (layout, row->frame, &info, &explained))
          PL_FUZZ_CHECK (explained == NULL || g_utf8_validate (explained, -1, NULL));
      }
    }

  for (i = 0; i < pl_ladder_layout_get_n_states (layout); i++)
    PL_FUZZ_CHECK (pl_ladder_layout_get_state (layout, i)->row < n_rows);
  for (i = 0; i < pl_ladder_layout_get_n_brackets (layout); i++)
    (void) pl_ladder_layout_get_bracket (layout, i);

  /* Hit tests on a grid, and outside the layout. */
  for (y = -10; y < height + 20; y += MAX (height / 16, 7))
    for (x = -10; x < width + 20; x += MAX (width / 8, 11))
      {
        PlLadderHit hit;

        if (pl_ladder_layout_hit_test (layout, x, y, &hit) &&
            (hit.kind == PL_LADDER_HIT_FRAME || hit.kind == PL_LADDER_HIT_FOLDED))
          PL_FUZZ_CHECK (hit.row < n_rows && hit.frame < n_frames);
      }

  pl_ladder_layout_rows_between (layout, 0, height, &first, &end);
  PL_FUZZ_CHECK (first <= end && end <= n_rows);
  pl_ladder_layout_rows_between (layout, height / 2, height / 2 + 1, &first, &end);
  PL_FUZZ_CHECK (first <= end && end <= n_rows);
}

/* Paints the top, the middle and the bottom of the ladder, as the window
 * scrolls. */
static void
paint_views (PlLadderLayout *layout,
             guint32         selected)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_W, VIEW_H);
  double height = pl_ladder_layout_get_height (layout);
  PlLadderPaintState state;
  guint v;

  pl_ladder_paint_state_init (&state);
  state.selected_frame = selected;
  state.show_ack_text = TRUE;

  for (v = 0; v < 3; v++)
    {
      cairo_t *cr = cairo_create (surface);
      double top = v == 0 ? 0 : v == 1 ? height / 2 : MAX (0, height - VIEW_H);

      cairo_rectangle (cr, 0, 0, VIEW_W, VIEW_H);
      cairo_clip (cr);
      cairo_translate (cr, 0, -top);
      pl_ladder_paint (layout, cr, &state);
      (void) pl_ladder_paint_header (layout, cr, top);
      PL_FUZZ_CHECK (cairo_status (cr) == CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
    }
  cairo_surface_destroy (surface);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const PlExportFormat text_formats[] = {
    PL_EXPORT_MERMAID, PL_EXPORT_PLANTUML, PL_EXPORT_TEXT,
  };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(PlLadderSelection) selection = NULL;
  g_autoptr(PlLadderLayout) layout = NULL;
  PlTextMetrics *metrics;
  PlLadderOptions options;
  guint i, n_streams;

  if (size < 2)
    return 0;
  bytes = pl_fuzz_capture_bytes (data + 1, size - 1);
  capture = pl_capture_new_for_bytes (bytes, "fuzz-input.pcap");
  if (!pl_capture_load (capture, NULL, NULL, NULL, NULL))
    return 0;
  n_streams = pl_capture_get_n_streams (capture);
  if (n_streams == 0)
    return 0;

  pl_ladder_options_init (&options);
  options.spacing = (PlLadderSpacing) ((data[0] & 3) % 3);
  options.numbers = (data[0] & 0x04) ? PL_LADDER_NUMBERS_RAW : PL_LADDER_NUMBERS_RELATIVE;
  options.time_mode = (data[0] & 0x08) ? PL_LADDER_TIME_DELTA : PL_LADDER_TIME_CAPTURE;
  options.hide_pure_acks = (data[0] & 0x10) != 0;
  options.fold_http = (data[0] & 0x20) != 0;
  options.merge_hosts = (data[0] & 0x40) != 0;
  options.show_states = (data[0] & 0x80) != 0;
  /* Spacing 3 is uniform again: that spare value turns on explanations
   * (a replay per stream, the notes); raw numbers with delta times, both. */
  options.explain = (data[0] & 0x03) == 0x03;
  if ((data[0] & 0x0c) == 0x0c)
    options.numbers = PL_LADDER_NUMBERS_BOTH;

  selection = pl_ladder_selection_new (capture);
  for (i = 0; i < n_streams && i < MAX_STREAMS; i++)
    pl_ladder_selection_add_stream (selection, i);
  (void) pl_ladder_selection_add_http_brackets (selection);

  metrics = pl_text_metrics_new_fixed (7, 14);
  layout = pl_ladder_layout_new (selection, &options, metrics);
  pl_text_metrics_unref (metrics);

  check_layout (layout, pl_capture_get_n_frames (capture));
  paint_views (layout, pl_ladder_layout_get_n_rows (layout) > 0
                       ? pl_ladder_layout_get_row (layout, 0)->frame : PL_LADDER_NO_FRAME);

  for (i = 0; i < G_N_ELEMENTS (text_formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) out = pl_export_to_bytes (selection, &options, text_formats[i], &error);

      PL_FUZZ_CHECK ((out == NULL) == (error != NULL));
    }
  return 0;
}
