/* test-ladder-layout.c: ladder geometry with fixed text metrics (7 px per
 * character, 14 px lines), on the bundled sample and synthetic streams:
 * lifeline order, arrow ends and slopes in each spacing, state labels,
 * bracket spans, hit tests, ACK arithmetic, the callouts, the gutter and
 * the folded HTTP rows.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pl-http-message.h"
#include "pl-ladder-layout.h"
#include "pl-tcp-analysis.h"
#include "pl-tcp-state.h"
#include "pl-test-synth.h"

static PlCapture *
load_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

/* The bundled sample: the lab's one keep-alive connection. */
static PlCapture *
load_sample (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);

  return load_path (path);
}

/* Several connections to one server (tests/data/http-lab.pcap: a keep-alive
 * connection, two Range requests, a HEAD, a 404 and more, each its own
 * stream). */
static PlCapture *
load_streams (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-lab.pcap", NULL);

  return load_path (path);
}

static PlLadderLayout *
make (PlCapture             *capture,
      const guint           *streams,
      guint                  n_streams,
      const PlLadderOptions *options,
      gboolean               http)
{
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  guint i;

  for (i = 0; i < n_streams; i++)
    pl_ladder_selection_add_stream (sel, streams[i]);
  if (http)
    pl_ladder_selection_add_http_brackets (sel);
  return pl_ladder_layout_new (sel, options, metrics);
}

static void
test_lifelines (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlCapture) several = load_streams ();
  PlLadderOptions options;
  const guint zero = 0;
  guint i;

  pl_ladder_options_init (&options);
  {
    g_autoptr(PlLadderLayout) layout = make (capture, &zero, 1, &options, FALSE);
    double between;

    g_assert_cmpuint (pl_ladder_layout_get_n_lifelines (layout), ==, 2);
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, 0)->label, ==, "127.0.0.1:54836");
    g_assert_cmpuint (pl_ladder_layout_get_lifeline (layout, 0)->side, ==, 0);
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, 1)->label, ==, "127.0.0.1:8080");
    g_assert_cmpfloat (pl_ladder_layout_get_lifeline (layout, 0)->x, <, pl_ladder_layout_get_lifeline (layout, 1)->x);
    /* Every label fits between the two with room to spare. */
    between = pl_ladder_layout_get_lifeline (layout, 1)->x - pl_ladder_layout_get_lifeline (layout, 0)->x;
    for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
      {
        g_autoptr(GString) label = g_string_new (NULL);

        pl_ladder_layout_format_label (layout, i, label);
        g_assert_cmpfloat (between, >=, 7 * g_utf8_strlen (label->str, -1));
      }
  }
  {
    /* Every stream: clients left in order of appearance, the server right. */
    g_autoptr(PlLadderLayout) layout = make (several, NULL, 0, &options, FALSE);
    guint n_tcp = 0, n = pl_capture_get_n_streams (several);

    g_assert_cmpuint (n, >=, 5);
    g_assert_cmpuint (pl_ladder_layout_get_n_lifelines (layout), ==, n + 1);
    for (i = 0; i < n; i++)
      {
        char expect[64];

        pl_endpoint_to_string (&pl_capture_get_stream (several, i)->ep[0], expect, sizeof expect);
        g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, i)->label, ==, expect);
        n_tcp += pl_capture_get_stream (several, i)->n_frames;
      }
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, n)->label, ==, "127.0.0.1:8080");
    g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, n_tcp);
  }
  {
    /* By host: loopback keeps client and server apart. */
    g_autoptr(PlLadderLayout) layout = NULL;

    options.merge_hosts = TRUE;
    layout = make (several, NULL, 0, &options, FALSE);
    g_assert_cmpuint (pl_ladder_layout_get_n_lifelines (layout), ==, 2);
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, 0)->label, ==, "127.0.0.1");
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, 0)->sublabel, ==, "client");
    g_assert_cmpstr (pl_ladder_layout_get_lifeline (layout, 1)->sublabel, ==, "server");
  }
}

/* Arrow ends sit on the sender's and the receiver's lifelines and drop by
 * the fixed slope. */
static void
check_arrows (PlCapture      *capture,
              PlLadderLayout *layout)
{
  const PlLadderGeometry *g = pl_ladder_layout_get_geometry (layout);
  guint i;

  g_assert_cmpfloat (g->drop, >, 0);
  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      const PlFrame *f = pl_capture_get_frame (capture, row->frame);
      double x1, y1, x2, y2;

      pl_ladder_layout_get_arrow (layout, i, &x1, &y1, &x2, &y2);
      g_assert_cmpfloat (x1, ==, pl_ladder_layout_get_lifeline (layout, row->from)->x);
      g_assert_cmpfloat (x2, ==, pl_ladder_layout_get_lifeline (layout, row->to)->x);
      g_assert_cmpuint (pl_ladder_layout_get_lifeline (layout, row->from)->side, ==, f->dir);
      g_assert_cmpfloat (fabs (y2 - y1 - g->drop), <, 1e-6);
      if (i > 0)
        {
          double top, bottom;

          /* Never reaching into the next row. */
          pl_ladder_layout_get_row_band (layout, i - 1, &top, &bottom);
          g_assert_cmpfloat (bottom, <, y1 - g->above);
          g_assert_cmpuint (row->frame, >, pl_ladder_layout_get_row (layout, i - 1)->frame);
        }
    }
}

static void
test_spacing (void)
{
  g_autoptr(PlCapture) capture = load_streams ();
  const guint streams[] = { 1, 2 };
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) uniform = NULL;
  g_autoptr(PlLadderLayout) timed = NULL;
  g_autoptr(PlLadderLayout) compressed = NULL;
  const PlLadderGeometry *g;
  double pitch = 0, ratio = 0;
  gboolean cut_pause = FALSE;
  guint i, breaks = 0, n;

  pl_ladder_options_init (&options);
  uniform = make (capture, streams, 2, &options, FALSE);
  check_arrows (capture, uniform);
  g = pl_ladder_layout_get_geometry (uniform);
  n = pl_ladder_layout_get_n_rows (uniform);
  g_assert_cmpuint (n, ==, pl_capture_get_stream (capture, 1)->n_frames + pl_capture_get_stream (capture, 2)->n_frames);

  /* Uniform: one pitch between rows without a details line. */
  for (i = 1; i < n; i++)
    {
      const PlLadderRow *prev = pl_ladder_layout_get_row (uniform, i - 1);
      double step = pl_ladder_layout_get_row (uniform, i)->y - prev->y;

      if (prev->flags & PL_LADDER_ROW_DETAILS)
        continue;
      if (pitch == 0)
        pitch = step;
      g_assert_cmpfloat (fabs (step - pitch), <, 1e-9);
    }
  g_assert_cmpfloat (pitch, ==, g->above + g->drop + g->below);

  options.spacing = PL_LADDER_SPACING_TIME;
  timed = make (capture, streams, 2, &options, FALSE);
  check_arrows (capture, timed);
  g_assert_cmpfloat (pl_ladder_layout_get_geometry (timed)->px_per_ns, >, 0);
  g_assert_cmpfloat (pl_ladder_layout_get_height (timed), <=, 3.05 * pl_ladder_layout_get_height (uniform));
  /* Gaps longer than a row are drawn to scale. */
  for (i = 1; i < n; i++)
    {
      const PlLadderRow *a = pl_ladder_layout_get_row (timed, i - 1);
      const PlLadderRow *b = pl_ladder_layout_get_row (timed, i);
      double dt = pl_capture_get_frame (capture, b->frame)->ts_ns - pl_capture_get_frame (capture, a->frame)->ts_ns;
      double step = b->y - a->y;

      g_assert_cmpfloat (step, >=, pitch - 1e-9);
      if (step > pitch + 20 && !(a->flags & PL_LADDER_ROW_DETAILS))
        {
          if (ratio == 0)
            ratio = step / dt;
          g_assert_cmpfloat (fabs (step / dt - ratio) / ratio, <, 1e-6);
        }
    }
  g_assert_cmpfloat (ratio, >, 0);

  /* Compressed: the pause between the two streams is cut. */
  options.spacing = PL_LADDER_SPACING_COMPRESSED;
  compressed = make (capture, streams, 2, &options, FALSE);
  check_arrows (capture, compressed);
  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (compressed, i);

      if (row->flags & PL_LADDER_ROW_BREAK)
        {
          breaks++;
          /* The SYN of stream 2 */
          cut_pause |= row->frame == pl_capture_get_stream (capture, 2)->first_frame;
        }
    }
  /* Only the few longest gaps. */
  g_assert_true (cut_pause);
  g_assert_cmpuint (breaks, <=, 3);
  g_assert_cmpfloat (pl_ladder_layout_get_height (compressed), <, pl_ladder_layout_get_height (timed));
}

static void
test_states (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  const guint two = 0;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  const PlLadderStateLabel *st;
  const PlLadderGeometry *g;
  guint i, n;

  pl_ladder_options_init (&options);
  layout = make (capture, &two, 1, &options, FALSE);
  g = pl_ladder_layout_get_geometry (layout);
  n = pl_ladder_layout_get_n_states (layout);
  g_assert_cmpuint (n, >=, 6);

  /* The SYN: the client is in SYN_SENT at the send end of the first arrow. */
  st = pl_ladder_layout_get_state (layout, 0);
  g_assert_cmpuint (st->row, ==, 0);
  g_assert_cmpuint (st->state, ==, PL_TCP_STATE_SYN_SENT);
  g_assert_cmpuint (st->lifeline, ==, 0);
  g_assert_cmpfloat (st->y, ==, pl_ladder_layout_get_row (layout, 0)->y);

  for (i = 0; i < n; i++)
    {
      const PlLadderRow *row;
      const PlLadderLifeline *ll;
      const PlFrame *f;

      st = pl_ladder_layout_get_state (layout, i);
      row = pl_ladder_layout_get_row (layout, st->row);
      ll = pl_ladder_layout_get_lifeline (layout, st->lifeline);
      f = pl_capture_get_frame (capture, row->frame);
      /* What the frame says, where the arrow touches that lifeline. */
      g_assert_cmpuint (st->state, ==, pl_tcp_state_unpack (f->states, ll->side));
      g_assert_cmpfloat (st->y, ==, row->y + (ll->side == f->dir ? 0 : g->drop));
      /* Clients' states on their left, servers' on their right. */
      if (ll->side == 0)
        g_assert_cmpfloat (st->x, <, ll->x);
      else
        g_assert_cmpfloat (st->x, >, ll->x);
      if (i > 0)
        g_assert_cmpuint (st->row, >=, pl_ladder_layout_get_state (layout, i - 1)->row);
    }
  /* The last ones: TIME_WAIT for the server that closed first. */
  g_assert_cmpuint (pl_ladder_layout_get_state (layout, n - 1)->row, ==, pl_ladder_layout_get_n_rows (layout) - 1);

  /* No states: none placed. */
  {
    g_autoptr(PlLadderLayout) plain = NULL;

    options.show_states = FALSE;
    plain = make (capture, &two, 1, &options, FALSE);
    g_assert_cmpuint (pl_ladder_layout_get_n_states (plain), ==, 0);
  }
}

static void
test_brackets_and_hits (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  g_autoptr(PlLadderLayout) layout = NULL;
  PlLadderBracket manual = { 0 };
  PlLadderOptions options;
  PlLadderHit hit;
  const PlLadderBracketBox *box;
  double x1, y1, x2, y2, top, bottom;
  guint i, row, found = 0;

  pl_ladder_options_init (&options);
  pl_ladder_selection_add_stream (sel, 0);
  /* By hand: the logo's response, frames 10 to 44. */
  manual.stream = 0;
  manual.first_frame = 9;
  manual.last_frame = 43;
  manual.dir = 1;
  manual.kind = PL_LADDER_BRACKET_RESPONSE;
  manual.peer = -1;
  manual.n_segments = 23;
  manual.label = "HTTP/1.1 200 OK";
  manual.detail = "301768 bytes in 23 segments";
  g_assert_cmpuint (pl_ladder_selection_add_bracket (sel, &manual), ==, 0);
  layout = pl_ladder_layout_new (sel, &options, metrics);

  g_assert_cmpuint (pl_ladder_layout_get_n_brackets (layout), ==, 1);
  box = pl_ladder_layout_get_bracket (layout, 0);
  g_assert_true (pl_ladder_layout_find_frame (layout, 9, &row));
  g_assert_cmpfloat (box->y0, ==, pl_ladder_layout_get_row (layout, row)->y);
  g_assert_true (pl_ladder_layout_find_frame (layout, 43, &row));
  g_assert_cmpfloat (box->y1, ==, pl_ladder_layout_get_row (layout, row)->y + pl_ladder_layout_get_geometry (layout)->drop);
  g_assert_cmpfloat (box->x, >, pl_ladder_layout_get_lifeline (layout, 1)->x);
  g_assert_cmpfloat (box->label_x + box->label_width, <=, pl_ladder_layout_get_width (layout));

  /* Hits: every arrow's midpoint is its frame. */
  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    {
      pl_ladder_layout_get_arrow (layout, i, &x1, &y1, &x2, &y2);
      g_assert_true (pl_ladder_layout_hit_test (layout, (x1 + x2) / 2, (y1 + y2) / 2, &hit));
      g_assert_cmpint (hit.kind, ==, PL_LADDER_HIT_FRAME);
      g_assert_cmpuint (hit.row, ==, i);
      g_assert_cmpuint (hit.frame, ==, pl_ladder_layout_get_row (layout, i)->frame);

      /* Between two arrows, away from the lifelines: nothing. */
      if (i + 1 < pl_ladder_layout_get_n_rows (layout))
        {
          double next_top, next_bottom;

          pl_ladder_layout_get_row_band (layout, i, &top, &bottom);
          pl_ladder_layout_get_row_band (layout, i + 1, &next_top, &next_bottom);
          g_assert_cmpfloat (bottom, <, next_top);
          g_assert_false (pl_ladder_layout_hit_test (layout, (x1 + x2) / 2, (bottom + next_top) / 2, &hit));
          g_assert_cmpint (hit.kind, ==, PL_LADDER_HIT_NONE);
          /* ... on a lifeline there: the lifeline. */
          g_assert_true (pl_ladder_layout_hit_test (layout, x2, (bottom + next_top) / 2, &hit));
          g_assert_cmpint (hit.kind, ==, PL_LADDER_HIT_LIFELINE);
          found++;
        }
    }
  g_assert_cmpuint (found, >, 0);

  /* The bracket's spine and label. */
  g_assert_true (pl_ladder_layout_hit_test (layout, box->x, (box->y0 + box->y1) / 2, &hit));
  g_assert_cmpint (hit.kind, ==, PL_LADDER_HIT_BRACKET);
  g_assert_cmpuint (hit.index, ==, 0);
  g_assert_true (pl_ladder_layout_hit_test (layout, box->label_x + 5, box->label_y + 5, &hit));
  g_assert_cmpint (hit.kind, ==, PL_LADDER_HIT_BRACKET);

  /* Rows by y: the window's visible range. */
  pl_ladder_layout_get_row_band (layout, 10, &top, &bottom);
  {
    guint first, end;

    pl_ladder_layout_rows_between (layout, top, bottom, &first, &end);
    g_assert_cmpuint (first, ==, 10);
    g_assert_cmpuint (end, ==, 11);
    pl_ladder_layout_rows_between (layout, -100, 1e9, &first, &end);
    g_assert_cmpuint (first, ==, 0);
    g_assert_cmpuint (end, ==, pl_ladder_layout_get_n_rows (layout));
  }
}

static void
test_http_fold (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  const guint zero = 0;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) open = NULL;
  g_autoptr(PlLadderLayout) folded = NULL;
  guint i, n_folded = 0, row;

  pl_ladder_options_init (&options);
  open = make (capture, &zero, 1, &options, TRUE);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (open), ==, 330);
  g_assert_cmpuint (pl_ladder_layout_get_n_brackets (open), ==, 8);

  options.fold_http = TRUE;
  folded = make (capture, &zero, 1, &options, TRUE);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (folded), <, 330 - 200);
  for (i = 0; i < pl_ladder_layout_get_n_rows (folded); i++)
    {
      const PlLadderRow *r = pl_ladder_layout_get_row (folded, i);

      if (r->flags & PL_LADDER_ROW_FOLDED)
        {
          g_autoptr(GString) label = g_string_new (NULL);

          n_folded++;
          pl_ladder_layout_format_label (folded, i, label);
          g_assert_nonnull (strstr (label->str, n_folded == 1 ? "logo.jpg" : "music.mp3"));
          g_assert_nonnull (strstr (label->str, "segments"));
          g_assert_cmpuint (r->from, ==, 1);   /* the server sends it */
        }
    }
  /* The logo's 23 segments and the MP3's 223; the index page and the
   * two bytes of the first 206 came in one each. */
  g_assert_cmpuint (n_folded, ==, 2);
  /* A frame inside the transfer is found on the folded row. */
  g_assert_true (pl_ladder_layout_find_frame (folded, 100, &row));
  g_assert_true (pl_ladder_layout_get_row (folded, row)->flags & PL_LADDER_ROW_FOLDED);
}

static void
test_hide_acks (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  const guint two = 0;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  gboolean handshake_ack = FALSE;
  guint i;

  pl_ladder_options_init (&options);
  options.hide_pure_acks = TRUE;
  layout = make (capture, &two, 1, &options, FALSE);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), <, 270);
  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);

      /* Pure ACKs stay only where they change a state (handshake, close)
       * or carry a mark (the client's zero windows). */
      if (row->flags & PL_LADDER_ROW_PURE_ACK)
        if (row->marks == 0 && !(row->frame == 2 || row->frame == 327 || row->frame == 329))
          g_error ("pure ACK in frame %u kept", row->frame + 1);
      handshake_ack |= row->frame == 2;
    }
  g_assert_true (handshake_ack);
}

static void
test_ack_arithmetic (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  const guint zero = 0;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  PlLadderAckInfo info;
  char *text;

  pl_ladder_options_init (&options);
  layout = make (capture, &zero, 1, &options, FALSE);

  g_assert_false (pl_ladder_layout_explain_ack (layout, 0, &info, &text));  /* the SYN */

  g_assert_true (pl_ladder_layout_explain_ack (layout, 1, &info, &text));
  g_assert_cmpstr (text, ==, "ack 1 = seq 0 + SYN \342\206\222 acknowledges frame 1");
  g_free (text);

  /* The server's ACK of the first request (frame 4, 370 bytes). */
  g_assert_true (pl_ladder_layout_explain_ack (layout, 4, &info, &text));
  g_assert_cmpstr (text, ==, "ack 371 = seq 1 + len 370 \342\206\222 acknowledges frame 4");
  g_free (text);

  /* Frame 12 acknowledges the logo's first segment (frame 10), frame 13
   * the second (frame 11, with PSH). */
  g_assert_true (pl_ladder_layout_explain_ack (layout, 12, &info, &text));
  g_assert_cmpstr (text, ==, "ack 33952 = seq 17620 + len 16332 \342\206\222 acknowledges frame 11");
  g_assert_true (pl_ladder_ack_info_covers (&info, 10, pl_capture_get_frame (capture, 10)));
  g_assert_false (pl_ladder_ack_info_covers (&info, 9, pl_capture_get_frame (capture, 9)));
  g_free (text);

  /* The server's last ACK covers the client's FIN. */
  g_assert_true (pl_ladder_layout_explain_ack (layout, 329, &info, &text));
  g_assert_cmpstr (text, ==, "ack 1435 = seq 1434 + FIN \342\206\222 acknowledges frame 329");
  g_free (text);

  /* Raw numbers. */
  {
    g_autoptr(PlLadderLayout) raw = NULL;
    const PlTcpStream *stream = pl_capture_get_stream (capture, 0);
    g_autofree char *expect = NULL;

    options.numbers = PL_LADDER_NUMBERS_RAW;
    raw = make (capture, &zero, 1, &options, FALSE);
    g_assert_true (pl_ladder_layout_explain_ack (raw, 4, &info, &text));
    expect = g_strdup_printf ("ack %u = seq %u + len 370 \342\206\222 acknowledges frame 4",
                              stream->peer[0].base_seq + 371, stream->peer[0].base_seq + 1);
    g_assert_cmpstr (text, ==, expect);
    g_free (text);
  }
}

static void
test_labels (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  const guint two = 0;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  pl_ladder_options_init (&options);
  layout = make (capture, &two, 1, &options, FALSE);
  pl_ladder_layout_format_label (layout, 0, s);
  g_assert_cmpstr (s->str, ==, "[SYN] Seq=0 Win=65376 Len=0");
  g_string_truncate (s, 0);
  pl_ladder_layout_format_options (layout, 0, s);
  g_assert_cmpstr (s->str, ==, "MSS=16344 SACK_PERM TSval=2794757475 TSecr=0 WS=1024");
  g_assert_true (pl_ladder_layout_get_row (layout, 0)->flags & PL_LADDER_ROW_DETAILS);
  g_string_truncate (s, 0);
  pl_ladder_layout_format_label (layout, 1, s);
  g_assert_cmpstr (s->str, ==, "[SYN, ACK] Seq=0 Ack=1 Win=65328 Len=0");
  g_string_truncate (s, 0);
  pl_ladder_layout_format_frame_time (layout, 1, s);
  g_assert_cmpstr (s->str, ==, "0.000016");
  g_string_truncate (s, 0);
  pl_ladder_layout_format_label (layout, 326, s);
  g_assert_cmpstr (s->str, ==, "[FIN, ACK] Seq=3669373 Ack=1434 Win=65536 Len=0");
}

/* Marks come from the analysis bits and nowhere else. */
static void
test_marks (void)
{
  g_assert_cmpuint (pl_ladder_marks_from_analysis (0), ==, 0);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 0), ==, PL_LADDER_MARK_RETRANSMISSION);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 6), ==, PL_LADDER_MARK_DUP_ACK);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 3), ==, PL_LADDER_MARK_OUT_OF_ORDER);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 7), ==, PL_LADDER_MARK_ZERO_WINDOW);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 10), ==, PL_LADDER_MARK_WINDOW_FULL);
  g_assert_cmpuint (pl_ladder_marks_from_analysis (1 << 4), ==, PL_LADDER_MARK_GAP);
  g_assert_cmpstr (pl_ladder_mark_name (1), ==, "dup ACK");
  g_assert_null (pl_ladder_mark_name (PL_LADDER_N_MARKS));
}

/* On a real capture with loss (tests/data/loss-output.pcap: segments
 * stolen before the capture point, then retransmitted), every arrow carries
 * exactly the marks of its frame's analysis flags, a duplicate ACK shows
 * its number and a gap the bytes never captured, as the analysis says. */
static void
test_marks_on_loss (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "loss-output.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlLadderLayout) layout = NULL;
  PlLadderOptions options;
  guint stream = 0, i, n_retrans = 0, n_fast = 0, n_dup = 0, n_gap = 0;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  pl_ladder_options_init (&options);
  layout = make (capture, &stream, 1, &options, FALSE);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, pl_capture_get_stream (capture, 0)->n_frames);

  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    {
      const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);
      const PlFrame *frame = pl_capture_get_frame (capture, row->frame);
      PlTcpAnalysisReport report;

      g_assert_cmpuint (row->marks, ==, pl_ladder_marks_from_analysis (frame->analysis));
      if (row->marks == 0)
        continue;
      g_assert_true (pl_tcp_analysis_replay (capture, row->frame, &report));
      if (row->marks & PL_LADDER_MARK_RETRANSMISSION)
        {
          g_autoptr(GString) mark = g_string_new (NULL);

          /* The kind is named: a fast retransmission is not a timeout. */
          pl_ladder_layout_format_mark (layout, i, 0, mark);
          if (frame->analysis & PL_ANALYSIS_FAST_RETRANSMISSION)
            {
              g_assert_cmpstr (mark->str, ==, "\342\206\273 fast retransmission");
              n_fast++;
            }
          else if (frame->analysis & PL_ANALYSIS_SPURIOUS_RETRANSMISSION)
            g_assert_cmpstr (mark->str, ==, "\342\206\273 spurious retransmission");
          else
            g_assert_cmpstr (mark->str, ==, "\342\206\273 retransmission");
          n_retrans++;
        }
      if (row->marks & PL_LADDER_MARK_DUP_ACK)
        {
          g_assert_cmpuint (row->aux, ==, report.detail.dupack_num);
          n_dup++;
        }
      if (row->marks & PL_LADDER_MARK_GAP)
        {
          g_assert_cmpuint (row->aux, ==, frame->seq - report.detail.fwd_nextseq);
          g_assert_cmpuint (row->aux, >, 0);
          n_gap++;
        }
    }
  g_test_message ("loss-output: %u retransmissions (%u fast), %u duplicate ACKs, %u gaps marked",
                  n_retrans, n_fast, n_dup, n_gap);
  g_assert_cmpuint (n_retrans, >, 0);
  g_assert_cmpuint (n_fast, >, 0);
  g_assert_cmpuint (n_dup, >, 0);
  g_assert_cmpuint (n_gap, >, 0);
}

/* What the window writes beside a selected arrow: the next sequence number
 * of a segment that uses some (SYN and FIN count one), and the ACK's
 * arithmetic when it acknowledges something. */
static void
test_callouts (void)
{
  g_autoptr(PlCapture) capture = load_streams ();
  const guint two = 2;
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  const PlTcpStream *stream = pl_capture_get_stream (capture, 2);
  guint32 f0 = stream->first_frame;
  g_autofree char *syn_ack = NULL;
  g_autofree char *ack = NULL;
  char *text;

  /* tests/data/http-lab.pcap stream 2: SYN, SYN-ACK, ACK, a 113-byte
   * request, its ACK (tshark's numbers). */
  pl_ladder_options_init (&options);
  layout = make (capture, &two, 1, &options, FALSE);
  g_assert_cmpuint (pl_capture_get_frame (capture, f0 + 3)->payload_len, ==, 113);

  /* The SYN: no ACK, one sequence number. */
  text = pl_ladder_layout_dup_callout (layout, f0);
  g_assert_cmpstr (text, ==, "next seq 1 = seq 0 + SYN");
  g_free (text);
  /* The SYN-ACK uses one and acknowledges the SYN. */
  syn_ack = g_strdup_printf ("next seq 1 = seq 0 + SYN\n"
                             "ack 1 = seq 0 + SYN \342\206\222 acknowledges frame %u", f0 + 1);
  text = pl_ladder_layout_dup_callout (layout, f0 + 1);
  g_assert_cmpstr (text, ==, syn_ack);
  g_free (text);
  /* The request: its ACK acknowledges nothing new, so only the next
   * sequence number. */
  text = pl_ladder_layout_dup_callout (layout, f0 + 3);
  g_assert_cmpstr (text, ==, "next seq 114 = seq 1 + len 113");
  g_free (text);
  /* A pure ACK: only its arithmetic. */
  g_assert_false (pl_ladder_layout_explain_next_seq (layout, f0 + 4, NULL));
  ack = g_strdup_printf ("ack 114 = seq 1 + len 113 \342\206\222 acknowledges frame %u", f0 + 4);
  text = pl_ladder_layout_dup_callout (layout, f0 + 4);
  g_assert_cmpstr (text, ==, ack);
  g_free (text);
  /* The server's FIN: one number after its SYN and all its bytes. */
  for (guint32 f = f0; f <= stream->last_frame; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, f);

      if (frame->stream == 2 && frame->dir == 1 && (frame->tcp_flags & PL_TCP_FIN))
        {
          g_autofree char *fin = NULL;
          g_autofree char *prefix = g_strdup_printf ("next seq %" G_GUINT64_FORMAT " = seq ",
                                                     stream->peer[1].payload_bytes + 2);

          g_assert_true (pl_ladder_layout_explain_next_seq (layout, f, &fin));
          g_test_message ("%s", fin);
          g_assert_true (g_str_has_suffix (fin, " + FIN"));
          g_assert_true (g_str_has_prefix (fin, prefix));
          break;
        }
    }
}

/* The gutter: frame numbers right-aligned, then a clear gap before the
 * times (a one-digit "1" and "0.000000" must not read "10.000000"). */
static void
test_gutter (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  PlLadderOptions options;
  g_autoptr(PlLadderLayout) layout = NULL;
  const PlLadderGeometry *g;
  g_autoptr(GString) time = g_string_new (NULL);
  double time_left;

  /* Frames 1-9: one-digit numbers, narrower than the "No." title. */
  pl_ladder_options_init (&options);
  pl_ladder_selection_add_stream (sel, 0);
  pl_ladder_selection_set_frames (sel, 0, 8);
  layout = pl_ladder_layout_new (sel, &options, metrics);
  g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, 9);
  g = pl_ladder_layout_get_geometry (layout);
  pl_ladder_layout_format_frame_time (layout, 0, time);
  g_assert_cmpstr (time->str, ==, "0.000000");
  /* 7 px a character: the times start at least 12 px after the numbers. */
  time_left = g->time_x - 7 * time->len;
  g_test_message ("number_x %.1f, times from %.1f, gutter_right %.1f", g->number_x, time_left, g->gutter_right);
  g_assert_cmpfloat (time_left - g->number_x, >=, 12);
  g_assert_cmpfloat (g->number_x - g->margin, >=, 7 * 3);   /* "No." */
  g_assert_cmpfloat (g->gutter_right, >, g->time_x);
  g_assert_cmpfloat (g->gutter_right, <, g->lifelines_left);
}

/* The HTTP brackets say when a message was not captured to its end: the
 * sample cut at 40 % stops in the middle of the 301,768-byte logo. */
static void
test_incomplete_bracket (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(PlCapture) whole = load_sample ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PlCapture) capture = NULL;
  g_autoptr(PlLadderSelection) sel = NULL;
  g_autoptr(GError) error = NULL;
  gsize len, cut = 0;
  guint n_incomplete = 0, n_complete = 0;

  /* Cut the file in the middle of the logo's response (301,768 bytes,
   * tests/data/lab-logo.jpg), as a capture still being written is. */
  for (guint i = 0; i < pl_capture_get_n_http_messages (whole) && cut == 0; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (whole, i);

      if (pl_http_message_get_body_length (msg) == 301768)
        cut = (pl_capture_get_frame (whole, pl_http_message_get_first_frame (msg))->offset +
               pl_capture_get_frame (whole, pl_http_message_get_last_frame (msg))->offset) / 2;
    }
  g_assert_cmpuint (cut, >, 0);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  bytes = g_bytes_new (contents, cut);
  capture = pl_capture_new_for_bytes (bytes, "lab-cut.pcap");
  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  sel = pl_ladder_selection_new (capture);
  pl_ladder_selection_add_stream (sel, 0);
  g_assert_cmpuint (pl_ladder_selection_add_http_brackets (sel), ==, 4);
  for (guint i = 0; i < pl_ladder_selection_get_n_brackets (sel); i++)
    {
      const PlLadderBracket *b = pl_ladder_selection_get_bracket (sel, i);

      g_test_message ("%s: %s", b->label, b->detail != NULL ? b->detail : "");
      if (b->kind != PL_LADDER_BRACKET_RESPONSE)
        continue;
      if (g_str_has_suffix (b->detail, ", incomplete"))
        {
          g_assert_nonnull (strstr (b->detail, " of 301.8\302\240kB body in "));
          n_incomplete++;
        }
      else
        {
          g_assert_true (g_str_has_suffix (b->detail, " segment") || g_str_has_suffix (b->detail, " segments"));
          n_complete++;
        }
    }
  g_assert_cmpuint (n_incomplete, ==, 1);
  g_assert_cmpuint (n_complete, ==, 1);
}

/* A cache hit keeps the layout; any change rebuilds it. */
static void
test_cache (void)
{
  g_autoptr(PlCapture) capture = load_sample ();
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  g_autoptr(PlLadderLayout) layout = NULL;
  PlLadderOptions options;
  PlLadderLayout *before;

  pl_ladder_options_init (&options);
  g_assert_true (pl_ladder_layout_ensure (&layout, sel, &options, metrics));
  before = layout;
  g_assert_false (pl_ladder_layout_ensure (&layout, sel, &options, metrics));
  g_assert_true (layout == before);
  options.hide_pure_acks = TRUE;
  g_assert_true (pl_ladder_layout_ensure (&layout, sel, &options, metrics));
  pl_ladder_selection_add_stream (sel, 0);
  g_assert_true (pl_ladder_layout_ensure (&layout, sel, &options, metrics));
  g_assert_cmpuint (pl_ladder_layout_get_n_lifelines (layout), ==, 2);
}

/* A synthetic stream: rows one per frame, the scale fixed, pauses cut. */
static void
test_synthetic (void)
{
  g_autoptr(GBytes) bytes = pl_test_synth_stream (5000, 1000);
  g_autoptr(PlCapture) capture = pl_capture_new_for_bytes (bytes, "synthetic");
  g_autoptr(GError) error = NULL;
  PlLadderOptions options;
  guint i, breaks = 0;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 1);
  pl_ladder_options_init (&options);
  options.spacing = PL_LADDER_SPACING_COMPRESSED;
  {
    g_autoptr(PlLadderLayout) layout = make (capture, NULL, 0, &options, FALSE);

    g_assert_cmpuint (pl_ladder_layout_get_n_rows (layout), ==, pl_capture_get_n_frames (capture));
    check_arrows (capture, layout);
    for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
      breaks += (pl_ladder_layout_get_row (layout, i)->flags & PL_LADDER_ROW_BREAK) != 0;
    /* One cut per one-second pause. */
    g_assert_cmpuint (breaks, ==, 4);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ladder/layout/lifelines", test_lifelines);
  g_test_add_func ("/ladder/layout/spacing", test_spacing);
  g_test_add_func ("/ladder/layout/states", test_states);
  g_test_add_func ("/ladder/layout/brackets-and-hits", test_brackets_and_hits);
  g_test_add_func ("/ladder/layout/http-fold", test_http_fold);
  g_test_add_func ("/ladder/layout/hide-acks", test_hide_acks);
  g_test_add_func ("/ladder/layout/ack-arithmetic", test_ack_arithmetic);
  g_test_add_func ("/ladder/layout/labels", test_labels);
  g_test_add_func ("/ladder/layout/marks", test_marks);
  g_test_add_func ("/ladder/layout/marks-on-loss", test_marks_on_loss);
  g_test_add_func ("/ladder/layout/callouts", test_callouts);
  g_test_add_func ("/ladder/layout/gutter", test_gutter);
  g_test_add_func ("/ladder/layout/incomplete-bracket", test_incomplete_bracket);
  g_test_add_func ("/ladder/layout/cache", test_cache);
  g_test_add_func ("/ladder/layout/synthetic", test_synthetic);

  return g_test_run ();
}
