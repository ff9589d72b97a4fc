/* test-report.c: `packet-ladder --report=DIR` on the sample: DIR/report.md
 * whose pictures all exist (SVG and PNG), which names the handshake, the
 * 206s and TIME_WAIT, whose numbers are tshark's, and the errors. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "pl-cli-test.h"
#include "pl-test-require.h"

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static guint
count (const char *text,
       const char *what)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, what)) != NULL; p += strlen (what))
    n++;
  return n;
}

/* tshark's value of one field of one frame (from 1). */
static char *
tshark_field (const char *path,
              guint       frame,
              const char *field)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *filter = g_strdup_printf ("frame.number == %u", frame);
  const char *argv[] = { tshark, "-n", "-r", path, "-Y", filter, "-T", "fields", "-e", field, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  return g_strstrip (out);
}

static void
test_sample (void)
{
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-report-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "lab", NULL);
  g_autofree char *arg = g_strconcat ("--report=", out, NULL);
  g_autofree char *md_path = g_build_filename (out, "report.md", NULL);
  g_autofree char *md = NULL;
  g_autofree char *transfer = NULL;
  g_autofree char *transfer_path = g_build_filename (out, "transfer.svg", NULL);
  g_autoptr(GRegex) link = g_regex_new ("\\]\\(([^)]+)\\)", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_auto(Run) run = { 0 };
  guint pictures = 0;

  g_assert_no_error (error);
  run_cli (&run, arg, sample, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_file_get_contents (md_path, &md, NULL, &error));
  g_assert_true (g_utf8_validate (md, -1, NULL));

  /* Every picture it shows or links is there, a PNG and an SVG. */
  g_regex_match (link, md, 0, &m);
  for (; g_match_info_matches (m); g_match_info_next (m, NULL))
    {
      g_autofree char *target = g_match_info_fetch (m, 1);
      g_autofree char *path = g_build_filename (out, target, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, &error));
      g_assert_no_error (error);
      if (g_str_has_suffix (target, ".png"))
        g_assert_true (len > 8 && memcmp (contents, "\211PNG\r\n\032\n", 8) == 0);
      else
        {
          g_assert_true (g_str_has_suffix (target, ".svg"));
          g_assert_true (g_str_has_prefix (contents, "<?xml"));
        }
      pictures++;
    }
  g_test_message ("%u pictures and links, all written", pictures);
  /* Handshake, four HTTP rounds, the transfer and the close, each twice. */
  g_assert_cmpuint (pictures, ==, 2 * 7);

  g_assert_nonnull (strstr (md, "## The three-way handshake"));
  g_assert_cmpuint (count (md, "### "), >=, 4 + 4);
  g_assert_cmpuint (count (md, ". GET /music.mp3 \342\206\222 206 Partial Content\n"), ==, 2);
  g_assert_nonnull (strstr (md, "206 Partial Content: bytes 0-1 of 3365242 (Content-Range), for the request's Range: bytes=0-1."));
  g_assert_nonnull (strstr (md, "bytes 0-3365241 of 3365242"));
  g_assert_nonnull (strstr (md, "TIME_WAIT"));
  g_assert_nonnull (strstr (md, "2MSL"));
  g_assert_nonnull (strstr (md, "Keep-Alive: timeout=5"));
  /* The close's states. */
  g_assert_nonnull (strstr (md, "| 329 | LAST_ACK | TIME_WAIT |"));
  g_assert_nonnull (strstr (md, "### The SYN (frame 1)"));
  g_assert_nonnull (strstr (md, "(`tcp.options.mss_val`)"));

  /* The transfer's picture explains the arithmetic. */
  g_assert_true (g_file_get_contents (transfer_path, &transfer, NULL, &error));
  g_assert_nonnull (strstr (transfer, "ack 369667 = seq 303751 + len 65916"));

  /* The options table holds tshark's numbers. */
  if (tshark == NULL)
    {
      remove_tree (dir);
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  for (guint f = 1; f <= 2; f++)
    {
      g_autofree char *isn = tshark_field (sample, f, "tcp.seq_raw");
      g_autofree char *mss = tshark_field (sample, f, "tcp.options.mss_val");
      g_autofree char *isn_cell = g_strdup_printf (" %s |", isn);
      g_autofree char *mss_cell = g_strdup_printf (" %s |", mss);

      g_test_message ("frame %u: ISN %s, MSS %s", f, isn, mss);
      g_assert_nonnull (strstr (strstr (md, "| Initial sequence number (raw) |"), isn_cell));
      g_assert_nonnull (strstr (strstr (md, "| Maximum segment size (MSS) |"), mss_cell));
    }
  remove_tree (dir);
}

static void
test_errors (void)
{
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-report-XXXXXX", &error);
  g_autofree char *empty = g_build_filename (dir, "empty.pcap", NULL);
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (file, "report", NULL);
  g_autofree char *out_arg = g_strconcat ("--report=", dir, NULL);
  g_autofree char *file_arg = g_strconcat ("--report=", under_file, NULL);
  /* A pcap with its header and no record (what tcpdump writes before the
   * first packet). */
  static const guint8 header[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                     0xff, 0xff, 0, 0, 1, 0, 0, 0 };
  g_auto(Run) bad_stream = { 0 };
  g_auto(Run) no_tcp = { 0 };
  g_auto(Run) not_dir = { 0 };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (empty, (const char *) header, sizeof header, NULL));
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  run_cli (&bad_stream, out_arg, "--stream=7", sample, NULL);
  g_assert_cmpint (bad_stream.status, ==, 2);
  g_assert_nonnull (strstr (bad_stream.err, "7"));

  run_cli (&no_tcp, out_arg, empty, NULL);
  g_assert_cmpint (no_tcp.status, ==, 1);
  g_assert_nonnull (strstr (no_tcp.err, "empty.pcap"));

  /* A report under a regular file cannot be made: said, exit 1. */
  run_cli (&not_dir, file_arg, sample, NULL);
  g_assert_cmpint (not_dir.status, ==, 1);
  g_assert_nonnull (strstr (not_dir.err, under_file));
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/sample", test_sample);
  g_test_add_func ("/report/errors", test_errors);
  return g_test_run ();
}
