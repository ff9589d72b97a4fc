/* test-replay-agree.c: the numbers behind every explanation, against
 * tshark's.  For every TCP frame of our fixtures (tests/data) and the
 * sample, one PlTcpReplay per stream walked once in capture order must give
 * tshark 4.0's tcp.analysis.acks_frame, tcp.analysis.ack_rtt, tcp.nxtseq,
 * tcp.analysis.push_bytes_sent and tcp.analysis.bytes_in_flight; and the
 * ACK arithmetic ("ack N = seq S + len L", frames A-B) must hold: N is the
 * ack, S + L = N, and tshark's acks_frame is among the frames named.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-seq.h"
#include "pl-tcp-analysis.h"
#include "pl-test-require.h"

/* Accepted differences: one frame, one column each, with the reason.  A
 * listed difference that stops occurring fails too. */
static const struct
{
  const char *file;
  guint       frame;
  const char *column;
  const char *reason;
} accepted[] = {
  /* After the D-SACK in frame 90 and the window-full retransmission before
   * it, tshark 4.0 skips its bytes-in-flight block for this segment (so it
   * shows neither number); we count it as any other data segment.  Not
   * yet traced to the line of packet-tcp.c that decides it. */
  { "zero-window.pcap", 91, "push_bytes_sent", "after a D-SACK" },
  { "zero-window.pcap", 91, "bytes_in_flight", "after a D-SACK" },
};

static guint accepted_seen;

static gboolean
differs (const char *path,
         guint       frame,
         const char *column,
         const char *ours,
         const char *theirs)
{
  g_autofree char *base = g_path_get_basename (path);
  guint k;

  if (strcmp (ours, theirs) == 0)
    return FALSE;
  for (k = 0; k < G_N_ELEMENTS (accepted); k++)
    if (strcmp (accepted[k].file, base) == 0 && accepted[k].frame == frame &&
        strcmp (accepted[k].column, column) == 0)
      {
        g_test_message ("accepted: %s frame %u %s: ours %s, tshark %s (%s)", base, frame, column,
                        ours, theirs, accepted[k].reason);
        accepted_seen++;
        return FALSE;
      }
  g_test_fail_printf ("%s frame %u: %s %s, tshark %s", base, frame, column, ours, theirs);
  return TRUE;
}

typedef struct
{
  guint values;
  guint frames;
  guint arithmetic;
} Totals;

static Totals totals;

/* tshark's fields of every frame, one row per frame (frame.number first). */
static GPtrArray *
tshark_rows (const char *path)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_dir_make_tmp ("pl-replay-XXXXXX", &error);
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "WIRESHARK_CONFIG_DIR", config, TRUE);
  const char *argv[] = { tshark, "-n", "-r", path, "-o", "tcp.relative_sequence_numbers:TRUE",
                         "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
                         "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.analysis.acks_frame",
                         "-e", "tcp.analysis.ack_rtt", "-e", "tcp.nxtseq",
                         "-e", "tcp.analysis.push_bytes_sent", "-e", "tcp.analysis.bytes_in_flight",
                         NULL };
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  int status;
  guint i;

  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_rmdir (config);
  lines = g_strsplit (out, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));
  return rows;
}

static void
check_capture (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) replays = g_ptr_array_new_with_free_func ((GDestroyNotify) pl_tcp_replay_free);
  guint i, n_frames, values = 0, arithmetic = 0;
  g_autofree char *tshark = g_find_program_in_path ("tshark");

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  rows = tshark_rows (path);
  n_frames = pl_capture_get_n_frames (capture);
  g_assert_cmpuint (rows->len, ==, n_frames);
  g_ptr_array_set_size (replays, (gint) pl_capture_get_n_streams (capture));

  for (i = 0; i < n_frames; i++)
    {
      const PlFrame *f = pl_capture_get_frame (capture, i);
      char **t = g_ptr_array_index (rows, i);
      const PlTcpStream *stream;
      PlTcpReplay *replay;
      PlTcpAnalysisReport r;
      char buf[64];

      if (f->stream == PL_NO_STREAM || g_strv_length (t) < 7 || t[1][0] == '\0')
        continue;
      stream = pl_capture_get_stream (capture, f->stream);
      replay = g_ptr_array_index (replays, f->stream);
      if (replay == NULL)
        replay = g_ptr_array_index (replays, f->stream) = pl_tcp_replay_new (capture, f->stream);
      g_assert_true (pl_tcp_replay_step (replay, i, &r));

      /* tcp.analysis.acks_frame and its RTT. */
      if (r.acks_frame != PL_ANALYSIS_NO_FRAME)
        g_snprintf (buf, sizeof buf, "%u", r.acks_frame + 1);
      else
        buf[0] = '\0';
      differs (path, i + 1, "acks_frame", buf, t[2]);
      if (r.acks_frame != PL_ANALYSIS_NO_FRAME)
        {
          double theirs = g_ascii_strtod (t[3], NULL) * 1e9;

          /* tshark prints seconds with the capture's precision (9 digits). */
          if (ABS ((double) r.ack_rtt_ns - theirs) > 1.0)
            g_error ("%s frame %u: ack_rtt %" G_GINT64_FORMAT " ns, tshark %s", path, i + 1, r.ack_rtt_ns, t[3]);
        }
      /* tcp.nxtseq, relative. */
      g_snprintf (buf, sizeof buf, "%u", r.nxtseq - pl_tcp_stream_base_for (stream, f->dir, f));
      differs (path, i + 1, "nxtseq", buf, t[4]);
      /* push_bytes_sent and bytes_in_flight, shown when not 0. */
      if (r.have_push_bytes_sent && r.push_bytes_sent > 0)
        g_snprintf (buf, sizeof buf, "%u", r.push_bytes_sent);
      else
        buf[0] = '\0';
      differs (path, i + 1, "push_bytes_sent", buf, t[5]);
      if (r.have_bytes_in_flight)
        g_snprintf (buf, sizeof buf, "%u", r.bytes_in_flight);
      else
        buf[0] = '\0';
      differs (path, i + 1, "bytes_in_flight", buf, t[6]);
      values += 5;

      /* The arithmetic an explanation writes: ack N = seq S + len L over
       * frames A-B, with tshark's acks_frame among them. */
      if (r.acked_first_frame != PL_ANALYSIS_NO_FRAME)
        {
          guint32 len = f->ack - r.acked_seq - r.acked_syn - r.acked_fin;

          g_assert_cmpuint (r.acked_seq + len + r.acked_syn + r.acked_fin, ==, f->ack);
          g_assert_true (PL_SEQ_GT (f->ack, r.prev_ack));
          if (r.acks_frame != PL_ANALYSIS_NO_FRAME)
            {
              g_assert_cmpuint (r.acks_frame, >=, r.acked_first_frame);
              g_assert_cmpuint (r.acks_frame, <=, r.acked_last_frame);
            }
          arithmetic++;
        }
    }
  g_test_message ("%s: %u values equal to tshark's, %u ACKs explained", path, values, arithmetic);
  totals.values += values;
  totals.arithmetic += arithmetic;
  totals.frames++;
}

static void
test_totals (void)
{
  g_test_message ("all: %u captures, %u values equal to tshark's, %u ACK arithmetic lines checked",
                  totals.frames, totals.values, totals.arithmetic);
  g_assert_cmpuint (totals.frames, >, 0);
  /* Every listed difference still occurs. */
  g_assert_cmpuint (accepted_seen, ==, G_N_ELEMENTS (accepted));
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  g_test_init (&argc, &argv, NULL);
  g_ptr_array_add (names, g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL));
  dir = g_dir_open (data, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pcap") || g_str_has_suffix (name, ".pcapng"))
      g_ptr_array_add (names, g_build_filename (data, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (names, i));
      g_autofree char *test = g_strconcat ("/replay-agree/", base, NULL);

      g_test_add_data_func (test, g_ptr_array_index (names, i), check_capture);
    }
  g_test_add_func ("/replay-agree/totals", test_totals);
  return g_test_run ();
}
