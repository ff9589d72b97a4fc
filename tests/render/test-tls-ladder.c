/* test-tls-ladder.c: TLS on the ladder (tests/data/tls-lab.pcap): each
 * arrow names the TLS records its frame completes, each TLS stream gets a
 * handshake bracket over both sides that folding HTTP leaves alone, and
 * the SVG and text exports carry the same words.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pl-export.h"
#include "pl-ladder-layout.h"
#include "pl-tls-table.h"

static PlCapture *
load_lab (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "tls-lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

static PlLadderLayout *
make (PlCapture         *capture,
      guint              stream,
      gboolean           fold,
      PlLadderSelection **sel_out)
{
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(PlTextMetrics) metrics = pl_text_metrics_new_fixed (7, 14);
  PlLadderOptions options;

  pl_ladder_options_init (&options);
  options.fold_http = fold;
  pl_ladder_selection_add_stream (sel, stream);
  pl_ladder_selection_add_http_brackets (sel);
  if (sel_out != NULL)
    *sel_out = pl_ladder_selection_ref (sel);
  return pl_ladder_layout_new (sel, &options, metrics);
}

/* Details line of the row of frame (index from 0), or NULL. */
static char *
details_of (PlLadderLayout *layout,
            guint32         frame)
{
  guint i;

  for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
    if (pl_ladder_layout_get_row (layout, i)->frame == frame)
      {
        GString *s = g_string_new (NULL);

        pl_ladder_layout_format_options (layout, i, s);
        return g_string_free (s, FALSE);
      }
  return NULL;
}

static void
test_labels (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlLadderLayout) tls12 = make (capture, 0, FALSE, NULL);
  g_autoptr(PlLadderLayout) failed = make (capture, 3, FALSE, NULL);
  g_autofree char *hello = details_of (tls12, 3);
  g_autofree char *server = details_of (tls12, 5);
  g_autofree char *finish = details_of (tls12, 7);
  g_autofree char *data = details_of (tls12, 10);
  g_autofree char *ack = details_of (tls12, 4);
  g_autofree char *alert = details_of (failed, 106);

  g_assert_cmpstr (hello, ==, "ClientHello (example.org, http/1.1)");
  /* Five records: three named, the rest counted. */
  g_assert_cmpstr (server, ==, "ServerHello TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \302\267 "
                               "Handshake fragment 512 B \302\267 Certificate CN=example.org \302\267 2 more records");
  g_assert_cmpstr (finish, ==, "ClientKeyExchange \302\267 ChangeCipherSpec \302\267 Encrypted Handshake");
  g_assert_cmpstr (data, ==, "Application Data 536 B");
  g_assert_cmpstr (ack, ==, "");
  g_assert_cmpstr (alert, ==, "Alert fatal handshake_failure");
}

static void
test_brackets (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  guint stream;

  for (stream = 0; stream < 5; stream++)
    {
      g_autoptr(PlLadderSelection) sel = NULL;
      g_autoptr(PlLadderLayout) layout = make (capture, stream, TRUE, &sel);
      g_autofree char *summary = pl_tls_table_dup_stream_summary (pl_capture_get_tls_table (capture), stream);
      guint i, n_tls = 0;

      for (i = 0; i < pl_ladder_selection_get_n_brackets (sel); i++)
        {
          const PlLadderBracket *b = pl_ladder_selection_get_bracket (sel, i);

          if (b->kind != PL_LADDER_BRACKET_TLS)
            continue;
          n_tls++;
          g_assert_cmpstr (b->label, ==, summary);
          g_assert_cmpuint (b->first_frame, <, b->last_frame);
        }
      g_assert_cmpuint (n_tls, ==, 1);
      g_assert_cmpuint (pl_ladder_layout_get_n_brackets (layout), ==, 1);
      /* Folding HTTP transfers does not fold a handshake. */
      for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
        g_assert_false (pl_ladder_layout_get_row (layout, i)->flags & PL_LADDER_ROW_FOLDED);
    }
  /* TLS 1.2: from the ClientHello (frame 4) to the server's Finished (9),
   * over both sides. */
  {
    g_autoptr(PlLadderSelection) sel = NULL;
    g_autoptr(PlLadderLayout) layout = make (capture, 0, FALSE, &sel);
    const PlLadderBracket *b = pl_ladder_selection_get_bracket (sel, 0);
    const PlLadderBracketBox *box = pl_ladder_layout_get_bracket (layout, 0);
    const PlLadderRow *first = NULL, *last = NULL;
    guint i;

    g_assert_cmpuint (b->first_frame, ==, 3);
    g_assert_cmpuint (b->last_frame, ==, 8);
    for (i = 0; i < pl_ladder_layout_get_n_rows (layout); i++)
      {
        const PlLadderRow *row = pl_ladder_layout_get_row (layout, i);

        if (row->frame == 3)
          first = row;
        if (row->frame == 8)
          last = row;
      }
    g_assert_nonnull (first);
    g_assert_nonnull (last);
    g_assert_cmpfloat (box->y0, ==, first->y);
    g_assert_cmpfloat (box->y1, >, last->y);
  }
}

static void
test_exports (void)
{
  g_autoptr(PlCapture) capture = load_lab ();
  g_autoptr(PlLadderSelection) sel = pl_ladder_selection_new (capture);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-tls-XXXXXX", &error);
  static const char *const names[] = { "ladder.svg", "ladder.txt" };
  PlLadderOptions options;
  guint i;

  g_assert_no_error (error);
  pl_ladder_options_init (&options);
  pl_ladder_selection_add_stream (sel, 1);
  pl_ladder_selection_add_http_brackets (sel);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *text = NULL;
      PlExportFormat format;

      g_assert_true (pl_export_format_from_path (path, &format));
      g_assert_true (pl_export_to_file (sel, &options, format, path, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_assert_nonnull (strstr (text, "ClientHello (example.org, h2)"));
      g_assert_nonnull (strstr (text, "ServerHello TLS 1.3 TLS_AES_256_GCM_SHA384"));
      g_assert_nonnull (strstr (text, "TLS 1.3 handshake, example.org, h2"));
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls-ladder/labels", test_labels);
  g_test_add_func ("/tls-ladder/brackets", test_brackets);
  g_test_add_func ("/tls-ladder/exports", test_exports);
  return g_test_run ();
}
