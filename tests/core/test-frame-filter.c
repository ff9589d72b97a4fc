/* test-frame-filter.c: what core computes for the window and the command
 * line alike.
 *
 * - A BPF filter over a capture (pl-frame-filter) accepts exactly the
 *   frames tcpdump prints for the same expression (tcpdump reads the file
 *   with libpcap's own reader, we with ours; the timestamps of the frames
 *   each accepts are compared in order), on several link types.  A bad
 *   expression gives libpcap's message; a cancelled run stops.
 * - The per-stream digests (pl-stream-digest): the HTTP summaries of our
 *   HTTP fixture and the sample, and the problem counts of a capture with loss equal to the
 *   analysis flags tshark reports (the committed .tshark.tsv).
 */
#include "config.h"

#include <string.h>

#include "pl-frame-filter.h"
#include "pl-test-require.h"
#include "pl-pcap-source.h"
#include "pl-stream-digest.h"
#include "pl-http-table.h"

static PlCapture *
load (const char *dir,
      const char *name)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

/* "1795604009.709712000" of each frame tcpdump prints for expression. */
static GPtrArray *
tcpdump_times (const char *dir,
               const char *name,
               const char *expression)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, dir, name, NULL);
  g_autofree char *tcpdump = g_find_program_in_path ("tcpdump");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *times;
  int status;
  const char *argv[] = { tcpdump, "--time-stamp-precision=nano", "-tt", "-nn", "-r", path, expression, NULL };

  if (tcpdump == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  times = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (times, g_strndup (lines[i], strcspn (lines[i], " ")));
  return times;
}

static void
test_tcpdump_agrees (void)
{
  static const struct { const char *dir, *name; } files[] = {
    { "data/samples", "lab.pcap" },
    { "tests/data", "loss-output.pcap" },
    { "tests/data", "ipv6.pcap" },
    { "tests/data", "any-sll2.pcap" },
    { "tests/data", "macos-null.pcap" },
  };
  /* Each ANDed with "tcp": the filter chooses among TCP frames. */
  static const char *expressions[] = {
    "tcp port 8080",
    "tcp[tcpflags] & tcp-fin != 0",
    "tcp[tcpflags] & (tcp-syn|tcp-rst) != 0",
    "src port 8080 and greater 1000",
    "ip6",
    "tcp[tcpflags] & tcp-rst != 0",
  };
  guint compared = 0;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(PlCapture) capture = load (files[i].dir, files[i].name);

      for (guint j = 0; j < G_N_ELEMENTS (expressions); j++)
        {
          g_autofree char *expression = g_strdup_printf ("tcp and (%s)", expressions[j]);
          g_autoptr(GPtrArray) expected = tcpdump_times (files[i].dir, files[i].name, expression);
          g_autoptr(PlFrameFilter) filter = NULL;
          g_autoptr(GError) error = NULL;
          guint n = 0, n_streams = pl_capture_get_n_streams (capture), sum = 0;

          if (expected == NULL)
            {
              if (pl_test_required ())
                g_error ("tcpdump is not installed (PL_REQUIRE_CORPUS=1)");
              g_test_skip ("tcpdump is not installed: no reference");
              return;
            }

          filter = pl_frame_filter_new (capture, expression, NULL, &error);
          g_assert_no_error (error);
          g_assert_nonnull (filter);
          g_assert_cmpstr (pl_frame_filter_get_expression (filter), ==, expression);
          for (guint f = 0; f < pl_capture_get_n_frames (capture); f++)
            if (pl_frame_filter_matches (filter, f))
              {
                gint64 ts = pl_capture_get_frame (capture, f)->ts_ns;
                g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT,
                                                         ts / 1000000000, ts % 1000000000);

                g_assert_cmpuint (n, <, expected->len);
                g_assert_cmpstr (text, ==, g_ptr_array_index (expected, n));
                n++;
              }
          g_assert_cmpuint (n, ==, expected->len);
          g_assert_cmpuint (pl_frame_filter_get_n_matched (filter), ==, n);
          for (guint s = 0; s < n_streams; s++)
            sum += pl_frame_filter_get_n_stream_matched (filter, s);
          g_assert_cmpuint (sum, ==, n);
          g_test_message ("%s: %s: %u frames, as tcpdump", files[i].name, expression, n);
          compared += n;
        }
    }
  g_test_message ("%u accepted frames compared with tcpdump", compared);
  g_assert_cmpuint (compared, >, 500);
}

static void
test_invalid (void)
{
  g_autoptr(PlCapture) capture = load ("tests/data", "http-lab.pcap");
  g_autoptr(GError) error = NULL;
  PlFrameFilter *filter;

  filter = pl_frame_filter_new (capture, "tcp port 80 and (", NULL, &error);
  g_assert_null (filter);
  g_assert_error (error, PL_BPF_ERROR, PL_BPF_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "syntax error"));
}

static void
on_filtered (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(PlCapture) capture = load ("tests/data", "http-lab.pcap");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PlFrameFilter) filter = NULL;
  g_autoptr(GError) error = NULL;

  pl_frame_filter_new_async (capture, "tcp[tcpflags] & tcp-syn != 0", NULL, on_filtered, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  filter = pl_frame_filter_new_finish (capture, result, &error);
  g_assert_no_error (error);
  /* Eleven connections: a SYN and a SYN-ACK each. */
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 11);
  g_assert_cmpuint (pl_frame_filter_get_n_matched (filter), ==, 22);
  for (guint s = 0; s < 11; s++)
    g_assert_cmpuint (pl_frame_filter_get_n_stream_matched (filter, s), ==, 2);
  g_assert_cmpuint (pl_frame_filter_get_n_stream_matched (filter, 11), ==, 0);
  g_assert_true (pl_frame_filter_matches (filter, 0));
  g_assert_true (pl_frame_filter_matches (filter, 1));
  g_assert_false (pl_frame_filter_matches (filter, 2));

  g_cancellable_cancel (cancellable);
  pl_frame_filter_new_async (capture, "tcp", cancellable, on_filtered, &cancelled_result);
  while (cancelled_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (pl_frame_filter_new_finish (capture, cancelled_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_digest_http (void)
{
  g_autoptr(PlCapture) capture = load ("tests/data", "http-lab.pcap");
  g_autoptr(PlCapture) sample = load ("data/samples", "lab.pcap");
  g_autoptr(PlStreamDigests) digests = pl_stream_digests_compute (capture, NULL);
  g_autoptr(PlStreamDigests) lab = pl_stream_digests_compute (sample, NULL);

  g_assert_nonnull (digests);
  g_assert_cmpuint (pl_stream_digests_get_n_streams (digests), ==, 11);
  /* tests/data/http-lab.pcap.curl.tsv: a keep-alive connection, two Range
   * requests answered with 206, HEAD, a 404, a 304... */
  g_assert_cmpstr (pl_stream_digests_get (digests, 0)->http, ==, "GET / -> 200; GET /logo.jpg -> 200");
  g_assert_cmpstr (pl_stream_digests_get (digests, 1)->http, ==, "GET /music.mp3 -> 206");
  g_assert_cmpstr (pl_stream_digests_get (digests, 2)->http, ==, "GET /music.mp3 -> 206");
  g_assert_cmpstr (pl_stream_digests_get (digests, 3)->http, ==, "HEAD / -> 200");
  g_assert_cmpstr (pl_stream_digests_get (digests, 4)->http, ==, "GET /missing -> 404");
  g_assert_cmpstr (pl_stream_digests_get (digests, 5)->http, ==, "GET / -> 304");
  /* data/samples/README.md: four requests on one connection. */
  g_assert_cmpuint (pl_stream_digests_get_n_streams (lab), ==, 1);
  g_assert_cmpstr (pl_stream_digests_get (lab, 0)->http, ==,
                   "GET / -> 200; GET /logo.jpg -> 200; GET /music.mp3 -> 206; GET /music.mp3 -> 206");
  g_test_message ("the sample's problems: %s", pl_stream_digests_get (lab, 0)->problems);
}

/* The HTTP column as it was built before the table kept request lines:
 * from message objects, whose method and URI are read back from the
 * capture's frames. */
static char *
http_digest_from_messages (PlCapture *capture,
                           guint      stream)
{
  g_autoptr(GString) s = g_string_new (NULL);
  guint n = pl_capture_get_n_http_messages (capture);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(PlHttpMessage) other = NULL;
      g_autofree char *uri = NULL;
      gboolean request = pl_http_message_is_request (msg);

      if (pl_http_message_get_stream (msg) != stream)
        continue;
      if (request)
        {
          other = pl_http_message_get_response (msg);
          uri = pl_http_message_dup_uri (msg);
        }
      else
        {
          other = pl_http_message_get_request (msg);
          if (other != NULL || pl_http_message_get_status (msg) < 200)
            continue;
        }
      if (s->len > 0)
        g_string_append (s, "; ");
      if (request)
        {
          g_string_append_printf (s, "%s %s -> ", pl_http_message_get_method_name (msg), uri != NULL ? uri : "");
          if (other != NULL)
            g_string_append_printf (s, "%u", pl_http_message_get_status (other));
          else
            g_string_append_c (s, '?');
        }
      else
        g_string_append_printf (s, "? -> %u", pl_http_message_get_status (msg));
    }
  return s->len > 0 ? g_strdup (s->str) : NULL;
}

/* The request lines the HTTP table keeps while it parses equal what the
 * messages read back from the frames, on every capture of tests/data and
 * the sample; the HTTP column built from them equals the one built from
 * message objects; asking for the HTTP part alone gives the same column
 * and skips the others. */
/* Every capture of tests/data and the sample, as paths from the source
 * root. */
static GPtrArray *
all_fixtures (void)
{
  g_autofree char *data = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (data, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pcap") || g_str_has_suffix (name, ".pcapng") || g_str_has_suffix (name, ".pcap.gz"))
      g_ptr_array_add (names, g_build_filename ("tests", "data", name, NULL));
  g_ptr_array_add (names, g_build_filename ("data", "samples", "lab.pcap", NULL));
  g_assert_cmpuint (names->len, >, 20);
  return names;
}

static void
test_digest_request_lines (void)
{
  g_autoptr(GPtrArray) names = all_fixtures ();
  guint n_requests = 0, n_other = 0, n_streams = 0;

  for (guint f = 0; f < names->len; f++)
    {
      g_autoptr(PlCapture) capture = load (".", names->pdata[f]);
      PlHttpTable *table = pl_capture_get_http_table (capture);
      guint n = pl_capture_get_n_http_messages (capture);
      g_autoptr(PlStreamDigests) all = pl_stream_digests_compute (capture, NULL);
      g_autoptr(PlStreamDigests) http = pl_stream_digests_compute_parts (capture, PL_STREAM_DIGEST_HTTP, NULL);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
          g_autofree char *uri = pl_http_message_dup_uri (msg);

          if (!pl_http_message_is_request (msg))
            {
              g_assert_null (pl_http_table_get_target (table, i));
              g_assert_null (pl_http_table_get_method_name (table, i));
              continue;
            }
          g_assert_cmpstr (pl_http_table_get_target (table, i), ==, uri);
          g_assert_cmpstr (pl_http_table_get_method_name (table, i), ==, pl_http_message_get_method_name (msg));
          if (pl_http_message_get_method (msg) == PL_HTTP_METHOD_OTHER)
            {
              g_assert_cmpstr (pl_http_table_get_method_token (table, i), ==,
                               pl_http_message_get_method_name (msg));
              n_other++;
            }
          n_requests++;
        }
      for (guint s = 0; s < pl_capture_get_n_streams (capture); s++)
        {
          g_autofree char *expected = http_digest_from_messages (capture, s);

          g_assert_cmpstr (pl_stream_digests_get (all, s)->http, ==, expected);
          g_assert_cmpstr (pl_stream_digests_get (http, s)->http, ==, expected);
          g_assert_null (pl_stream_digests_get (http, s)->problems);
          g_assert_null (pl_stream_digests_get (http, s)->tls);
          n_streams += expected != NULL;
        }
    }
  g_test_message ("%u captures: %u request lines (%u other methods), %u streams with HTTP agree",
                  names->len, n_requests, n_other, n_streams);
  g_assert_cmpuint (n_requests, >, 100);
  g_assert_cmpuint (n_other, >, 0);
}

/* A message's first and last frames, found by walking to the frame of its
 * first byte and of its last one, are the first and last of all its
 * frames, on every message of every fixture; and its frames found from
 * the frame table alone are those found by reading them back. */
static void
test_message_end_frames (void)
{
  g_autoptr(GPtrArray) names = all_fixtures ();
  guint n_messages = 0;

  for (guint f = 0; f < names->len; f++)
    {
      g_autoptr(PlCapture) capture = load (".", names->pdata[f]);
      guint n = pl_capture_get_n_http_messages (capture);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
          g_autoptr(GArray) frames = pl_http_message_dup_frames (msg);

          if (frames->len == 0)
            {
              g_assert_cmpuint (pl_http_message_get_first_frame (msg), ==, PL_HTTP_NO_FRAME);
              g_assert_cmpuint (pl_http_message_get_last_frame (msg), ==, PL_HTTP_NO_FRAME);
              continue;
            }
          g_assert_cmpuint (pl_http_message_get_first_frame (msg), ==, g_array_index (frames, guint32, 0));
          g_assert_cmpuint (pl_http_message_get_last_frame (msg), ==, g_array_index (frames, guint32, frames->len - 1));
          {
            /* Found from the frame table alone, as found by reading the
             * frames' bytes (what the snap length kept): the same list. */
            const PlHttpRecord *r = pl_http_table_get_record (pl_capture_get_http_table (capture), i);
            g_autofree guint32 *read_back = g_new (guint32, frames->len);

            g_assert_cmpuint (pl_http_table_find_frames_reading (pl_capture_get_http_table (capture), i, r->start,
                                                                 r->end - r->start, read_back, frames->len),
                              ==, frames->len);
            g_assert_cmpmem (read_back, frames->len * sizeof (guint32), frames->data, frames->len * sizeof (guint32));
          }
          n_messages++;
        }
    }
  g_test_message ("%u captures, %u messages: first and last frames agree", names->len, n_messages);
  g_assert_cmpuint (n_messages, >, 200);
}

/* The ACKs with the SACK option the loader noted are the ones whose
 * options, read back from the mapping, hold one: every frame of every
 * fixture. */
static void
test_sack_frames (void)
{
  g_autoptr(GPtrArray) names = all_fixtures ();
  guint n_sack = 0, n_acks = 0;

  for (guint f = 0; f < names->len; f++)
    {
      g_autoptr(PlCapture) capture = load (".", names->pdata[f]);

      for (guint i = 0; i < pl_capture_get_n_frames (capture); i++)
        {
          gboolean ack = (pl_capture_get_frame (capture, i)->tcp_flags & PL_TCP_ACK) != 0;
          gboolean expected = ack && pl_capture_frame_has_tcp_option (capture, i, 5);

          g_assert_cmpint (pl_capture_frame_has_sack (capture, i), ==, expected);
          n_sack += expected;
          n_acks += ack;
        }
    }
  g_test_message ("%u captures: %u ACKs, %u with SACK", names->len, n_acks, n_sack);
  g_assert_cmpuint (n_sack, >, 10);
}

/* Counts of tshark's tcp.analysis flags per stream, from the reference. */
static void
count_tshark_flags (const char *name,
                    GArray     *counts)
{
  g_autofree char *path = g_strdup_printf ("%s/tests/data/%s.tshark.tsv", PL_TEST_SOURCE_ROOT, name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  int stream_col = -1, flag_cols[5] = { -1, -1, -1, -1, -1 };
  static const char *flags[5] = {
    "tcp.analysis.retransmission", "tcp.analysis.duplicate_ack", "tcp.analysis.lost_segment",
    "tcp.analysis.out_of_order", "tcp.analysis.zero_window",
  };

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  header = g_strsplit (lines[0], "\t", -1);
  for (int c = 0; header[c] != NULL; c++)
    {
      if (g_str_equal (header[c], "tcp.stream"))
        stream_col = c;
      for (int k = 0; k < 5; k++)
        if (g_str_equal (header[c], flags[k]))
          flag_cols[k] = c;
    }
  g_assert_cmpint (stream_col, >=, 0);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", -1);
      guint stream;

      if (g_strv_length (cells) <= (guint) stream_col || cells[stream_col][0] == '\0')
        continue;
      stream = (guint) g_ascii_strtoull (cells[stream_col], NULL, 10);
      if (stream >= counts->len)
        g_array_set_size (counts, stream + 1);
      for (int k = 0; k < 5; k++)
        {
          g_assert_cmpint (flag_cols[k], >=, 0);
          if (g_strv_length (cells) > (guint) flag_cols[k] && cells[flag_cols[k]][0] != '\0')
            g_array_index (counts, guint, stream)++;
        }
    }
}

static void
test_digest_problems (void)
{
  static const char *names[] = { "loss-output.pcap", "http-lab-loss.pcap", "zero-window.pcap", "reorder.pcap" };
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PlCapture) capture = load ("tests/data", names[i]);
      g_autoptr(PlStreamDigests) digests = pl_stream_digests_compute (capture, NULL);
      g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));

      count_tshark_flags (names[i], counts);
      g_assert_cmpuint (pl_stream_digests_get_n_streams (digests), ==, counts->len);
      for (guint s = 0; s < counts->len; s++)
        {
          const PlStreamDigest *d = pl_stream_digests_get (digests, s);
          guint reset = pl_tcp_state_close_kind (&pl_capture_get_stream (capture, s)->state) == PL_TCP_CLOSE_RESET;

          g_test_message ("%s stream %u: %u flags in tshark; \"%s\"", names[i], s,
                          g_array_index (counts, guint, s), d->problems != NULL ? d->problems : "");
          g_assert_cmpuint (d->n_problems, ==, g_array_index (counts, guint, s) + reset);
          g_assert_true ((d->problems != NULL) == (d->n_problems > 0));
          checked += d->n_problems;
        }
    }
  g_assert_cmpuint (checked, >, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame-filter/tcpdump-agrees", test_tcpdump_agrees);
  g_test_add_func ("/frame-filter/invalid", test_invalid);
  g_test_add_func ("/frame-filter/async", test_async);
  g_test_add_func ("/stream-digest/http", test_digest_http);
  g_test_add_func ("/stream-digest/problems", test_digest_problems);
  g_test_add_func ("/stream-digest/request-lines", test_digest_request_lines);
  g_test_add_func ("/http-message/end-frames", test_message_end_frames);
  g_test_add_func ("/capture/sack-frames", test_sack_frames);

  return g_test_run ();
}
