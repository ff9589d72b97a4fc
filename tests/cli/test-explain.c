/* test-explain.c: what `--export=x.txt --explain --numbers=both` writes,
 * read back and checked against tshark 4.0, and the --time modes.
 *
 * For every capture of tests/data and the sample, the plain-text export of
 * every stream with explanations is parsed: each arrow's line gives its
 * frame, time and label (relative numbers with the raw ones beside them),
 * and the lines under it the explanations.  Each number is compared with
 * tshark's field for that frame:
 *
 *   "ack N = seq S + len L → acknowledges frames A-B, RTT x ms"
 *       N = tcp.ack, N = S + L (+1 for a SYN or FIN among them), tshark's
 *       tcp.analysis.acks_frame in A..B, x = tcp.analysis.ack_rtt
 *   "next seq X = seq S + len L, B bytes in flight"
 *       X = tcp.nxtseq, S = tcp.seq, L = tcp.len, B = bytes_in_flight
 *   "PSH: ... (P bytes since the last PSH)"   P = push_bytes_sent
 *   "Seq=S (R) Ack=A (Q)"                    tcp.seq, tcp.seq_raw, tcp.ack, tcp.ack_raw
 *   the time column                           frame.time_relative, never backwards
 *
 * and the other time modes against frame.time_delta, frame.time_epoch and
 * tcp.time_relative.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "pl-cli-test.h"
#include "pl-test-require.h"

/* Where our numbers knowingly differ from tshark's (see
 * tests/core/test-replay-agree.c, which checks the same numbers in core). */
static const struct
{
  const char *file;
  guint       frame;
  const char *what;
} accepted[] = {
  { "zero-window.pcap", 91, "bytes in flight" },
  { "zero-window.pcap", 91, "push bytes" },
};

enum
{
  T_FRAME, T_SEQ, T_SEQ_RAW, T_ACK, T_ACK_RAW, T_LEN, T_NXTSEQ, T_ACKS_FRAME, T_ACK_RTT,
  T_IN_FLIGHT, T_PUSH, T_TIME_REL, T_TIME_DELTA, T_TIME_EPOCH, T_TCP_TIME_REL, T_SLE, T_SRE, N_T
};

typedef struct
{
  guint ack_lines, next_lines, push_lines, labels, times, rtts, sacks;
} Counts;

static Counts totals;

static GPtrArray *
tshark_rows (const char *path)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_dir_make_tmp ("pl-explain-XXXXXX", &error);
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "WIRESHARK_CONFIG_DIR", config, TRUE);
  const char *argv[] = { tshark, "-n", "-r", path, "-o", "tcp.relative_sequence_numbers:TRUE",
                         "-o", "tcp.calculate_timestamps:TRUE",
                         "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
                         "-e", "frame.number", "-e", "tcp.seq", "-e", "tcp.seq_raw", "-e", "tcp.ack",
                         "-e", "tcp.ack_raw", "-e", "tcp.len", "-e", "tcp.nxtseq",
                         "-e", "tcp.analysis.acks_frame", "-e", "tcp.analysis.ack_rtt",
                         "-e", "tcp.analysis.bytes_in_flight", "-e", "tcp.analysis.push_bytes_sent",
                         "-e", "frame.time_relative", "-e", "frame.time_delta", "-e", "frame.time_epoch",
                         "-e", "tcp.time_relative", "-e", "tcp.options.sack_le", "-e", "tcp.options.sack_re",
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
      {
        char **row = g_strsplit (lines[i], "\t", -1);

        g_assert_cmpuint (g_strv_length (row), ==, N_T);
        g_ptr_array_add (rows, row);
      }
  return rows;
}

static gboolean
is_accepted (const char *base,
             guint       frame,
             const char *what)
{
  for (guint k = 0; k < G_N_ELEMENTS (accepted); k++)
    if (strcmp (accepted[k].file, base) == 0 && accepted[k].frame == frame && strcmp (accepted[k].what, what) == 0)
      return TRUE;
  return FALSE;
}

static void
expect_u (const char  *base,
          guint        frame,
          const char  *what,
          const char  *ours,
          const char  *theirs)
{
  if (strcmp (ours, theirs) != 0 && !is_accepted (base, frame, what))
    g_test_fail_printf ("%s frame %u: %s %s, tshark '%s'", base, frame, what, ours, theirs);
}

/* Our seconds (6 decimals) against tshark's (9): within a microsecond. */
static void
expect_time (const char *base,
             guint       frame,
             const char *what,
             const char *ours,
             const char *theirs)
{
  double a = g_ascii_strtod (ours, NULL), b = g_ascii_strtod (theirs, NULL);

  if (theirs[0] == '\0' || ABS (a - b) > 1.5e-6)
    g_test_fail_printf ("%s frame %u: %s %s, tshark '%s'", base, frame, what, ours, theirs);
}

/* Exports path as text with args, into *rows: each arrow's frame number
 * (from 1), and its lines as they follow. */
static char *
export_text (const char *path,
             const char *time_mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-explain-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "x.txt", NULL);
  g_autofree char *out_arg = g_strconcat ("--export=", out, NULL);
  g_autofree char *time_arg = g_strconcat ("--time=", time_mode, NULL);
  g_auto(Run) run = { 0 };
  char *text = NULL;

  g_assert_no_error (error);
  run_cli (&run, out_arg, "--explain", "--numbers=both", time_arg, path, NULL);
  if (run.status != 0)
    g_error ("%s: exit %d: %s", path, run.status, run.err);
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  g_assert_no_error (error);
  g_unlink (out);
  g_rmdir (dir);
  return text;
}

static void
check_capture (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) row_re = g_regex_new ("^ *([0-9]+)  +(-?[0-9]+\\.[0-9]+)  ", 0, 0, NULL);
  g_autoptr(GRegex) label_re = g_regex_new ("Seq=([0-9]+) \\(([0-9]+)\\)(?: Ack=([0-9]+) \\(([0-9]+)\\))?", 0, 0, NULL);
  g_autoptr(GRegex) ack_re = g_regex_new ("ack ([0-9]+) = seq ([0-9]+)(?: \\+ len ([0-9]+))?( \\+ SYN)?( \\+ FIN)? "
                                          "\342\206\222 acknowledges frames? ([0-9]+)(?:-([0-9]+))?"
                                          "(?:, RTT ([0-9.]+) ms)?", 0, 0, NULL);
  g_autoptr(GRegex) next_re = g_regex_new ("next seq ([0-9]+) = seq ([0-9]+)(?: \\+ len ([0-9]+))?( \\+ SYN)?( \\+ FIN)?"
                                           "(?:, ([0-9]+) bytes in flight)?", 0, 0, NULL);
  g_autoptr(GRegex) sack_re = g_regex_new (" Len=[0-9]+ SLE=([0-9]+) SRE=([0-9]+)", 0, 0, NULL);
  g_autoptr(GRegex) push_re = g_regex_new ("PSH: .*\\(([0-9]+) bytes? since the last PSH\\)", 0, 0, NULL);
  Counts c = { 0 };
  guint frame = 0, i;
  double last_time = -1;

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  rows = tshark_rows (path);
  text = export_text (path, "capture");
  lines = g_strsplit (text, "\n", -1);

  for (i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autoptr(GMatchInfo) m = NULL;
      char **t;

      /* The notes follow the ladder. */
      if (g_str_has_prefix (line, "Notes"))
        break;
      if (g_regex_match (row_re, line, 0, &m))
        {
          g_autofree char *no = g_match_info_fetch (m, 1);
          g_autofree char *time = g_match_info_fetch (m, 2);
          g_autoptr(GMatchInfo) l = NULL;
          double now = g_ascii_strtod (time, NULL);

          frame = atoi (no);
          g_assert_cmpuint (frame, >=, 1);
          g_assert_cmpuint (frame, <=, rows->len);
          t = g_ptr_array_index (rows, frame - 1);
          g_assert_cmpuint (atoi (t[T_FRAME]), ==, frame);
          /* One time base: never backwards when the capture is in order. */
          if (now < last_time && g_ascii_strtod (t[T_TIME_DELTA], NULL) >= 0)
            g_test_fail_printf ("%s frame %u: time %s after %.6f", base, frame, time, last_time);
          last_time = now;
          expect_time (base, frame, "time", time, t[T_TIME_REL]);
          c.times++;
          if (g_regex_match (label_re, line, 0, &l))
            {
              g_autofree char *seq = g_match_info_fetch (l, 1);
              g_autofree char *seq_raw = g_match_info_fetch (l, 2);
              g_autofree char *ack = g_match_info_fetch (l, 3);
              g_autofree char *ack_raw = g_match_info_fetch (l, 4);

              expect_u (base, frame, "Seq", seq, t[T_SEQ]);
              expect_u (base, frame, "raw seq", seq_raw, t[T_SEQ_RAW]);
              if (ack != NULL && ack[0] != '\0')
                {
                  expect_u (base, frame, "Ack", ack, t[T_ACK]);
                  expect_u (base, frame, "raw ack", ack_raw, t[T_ACK_RAW]);
                }
              c.labels++;
            }
          /* SACK blocks as tshark's Info column (the first one checked). */
          {
            g_autoptr(GMatchInfo) k = NULL;

            if (g_regex_match (sack_re, line, 0, &k))
              {
                g_autofree char *le = g_match_info_fetch (k, 1);
                g_autofree char *re = g_match_info_fetch (k, 2);

                expect_u (base, frame, "SLE", le, t[T_SLE]);
                expect_u (base, frame, "SRE", re, t[T_SRE]);
                c.sacks++;
              }
            else if (t[T_SLE][0] != '\0')
              g_test_fail_printf ("%s frame %u: no SLE/SRE, tshark SLE=%s", base, frame, t[T_SLE]);
          }
          continue;
        }
      if (frame == 0)
        continue;
      t = g_ptr_array_index (rows, frame - 1);

      g_clear_pointer (&m, g_match_info_unref);
      if (g_regex_match (ack_re, line, 0, &m))
        {
          g_autofree char *n = g_match_info_fetch (m, 1);
          g_autofree char *s = g_match_info_fetch (m, 2);
          g_autofree char *len = g_match_info_fetch (m, 3);
          g_autofree char *syn = g_match_info_fetch (m, 4);
          g_autofree char *fin = g_match_info_fetch (m, 5);
          g_autofree char *a = g_match_info_fetch (m, 6);
          g_autofree char *b = g_match_info_fetch (m, 7);
          g_autofree char *rtt = g_match_info_fetch (m, 8);
          guint64 sum = g_ascii_strtoull (s, NULL, 10) + g_ascii_strtoull (len != NULL ? len : "0", NULL, 10) +
                        (syn != NULL && syn[0] != '\0') + (fin != NULL && fin[0] != '\0');
          guint first = atoi (a), last = (b != NULL && b[0] != '\0') ? (guint) atoi (b) : first;

          /* ack N = seq S + len L, N being this frame's ack. */
          expect_u (base, frame, "ack", n, t[T_ACK]);
          if (sum != g_ascii_strtoull (n, NULL, 10))
            g_test_fail_printf ("%s frame %u: '%s' does not add up", base, frame, line);
          /* tshark's acks_frame is among the frames it acknowledges. */
          if (t[T_ACKS_FRAME][0] != '\0')
            {
              guint acks = atoi (t[T_ACKS_FRAME]);

              if (acks < first || acks > last)
                g_test_fail_printf ("%s frame %u: acknowledges %u-%u, tshark's acks_frame %u", base, frame,
                                    first, last, acks);
              if (rtt == NULL || rtt[0] == '\0')
                g_test_fail_printf ("%s frame %u: no RTT, tshark's ack_rtt %s", base, frame, t[T_ACK_RTT]);
            }
          if (rtt != NULL && rtt[0] != '\0')
            {
              double ours = g_ascii_strtod (rtt, NULL), theirs = g_ascii_strtod (t[T_ACK_RTT], NULL) * 1e3;

              if (t[T_ACK_RTT][0] == '\0' || ABS (ours - theirs) > 0.0005 + 1e-9)
                g_test_fail_printf ("%s frame %u: RTT %s ms, tshark's ack_rtt %s s", base, frame, rtt, t[T_ACK_RTT]);
              c.rtts++;
            }
          c.ack_lines++;
          continue;
        }
      g_clear_pointer (&m, g_match_info_unref);
      if (g_regex_match (next_re, line, 0, &m))
        {
          g_autofree char *x = g_match_info_fetch (m, 1);
          g_autofree char *s = g_match_info_fetch (m, 2);
          g_autofree char *len = g_match_info_fetch (m, 3);
          g_autofree char *flight = g_match_info_fetch (m, 6);

          expect_u (base, frame, "next seq", x, t[T_NXTSEQ]);
          expect_u (base, frame, "seq", s, t[T_SEQ]);
          expect_u (base, frame, "len", len != NULL && len[0] != '\0' ? len : "0", t[T_LEN]);
          if (flight != NULL && flight[0] != '\0')
            expect_u (base, frame, "bytes in flight", flight, t[T_IN_FLIGHT]);
          c.next_lines++;
          continue;
        }
      g_clear_pointer (&m, g_match_info_unref);
      if (g_regex_match (push_re, line, 0, &m))
        {
          g_autofree char *p = g_match_info_fetch (m, 1);

          expect_u (base, frame, "push bytes", p, t[T_PUSH]);
          c.push_lines++;
        }
    }

  g_test_message ("%s: %u arrows (%u labels, %u with SACK), %u ACK lines (%u RTTs), %u next seq lines, %u PSH",
                  base, c.times, c.labels, c.sacks, c.ack_lines, c.rtts, c.next_lines, c.push_lines);
  g_assert_cmpuint (c.times, >, 0);
  totals.ack_lines += c.ack_lines;
  totals.next_lines += c.next_lines;
  totals.push_lines += c.push_lines;
  totals.labels += c.labels;
  totals.times += c.times;
  totals.rtts += c.rtts;
  totals.sacks += c.sacks;
}

/* Each --time mode against tshark's field for it, on the sample and a
 * capture of several streams. */
static void
check_time_modes (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GRegex) row_re = g_regex_new ("^ *([0-9]+)  +([-0-9.:]+)  ", 0, 0, NULL);
  static const struct
  {
    const char *mode, *title;
    guint       column;
  } modes[] = {
    { "delta", "Delta(s)", T_TIME_DELTA },
    { "epoch", "Epoch(s)", T_TIME_EPOCH },
    { "stream", "Stream(s)", T_TCP_TIME_REL },
    { "clock", "Clock", T_TIME_EPOCH },
  };

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  rows = tshark_rows (path);
  for (guint k = 0; k < G_N_ELEMENTS (modes); k++)
    {
      g_autofree char *text = export_text (path, modes[k].mode);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
      guint checked = 0;

      /* The column's title says which. */
      g_assert_nonnull (strstr (lines[2], modes[k].title));
      for (guint i = 0; lines[i] != NULL && !g_str_has_prefix (lines[i], "Notes"); i++)
        {
          g_autoptr(GMatchInfo) m = NULL;
          g_autofree char *no = NULL;
          g_autofree char *time = NULL;
          char **t;

          if (!g_regex_match (row_re, lines[i], 0, &m))
            continue;
          no = g_match_info_fetch (m, 1);
          time = g_match_info_fetch (m, 2);
          t = g_ptr_array_index (rows, atoi (no) - 1);
          if (strcmp (modes[k].mode, "clock") == 0)
            {
              /* TZ=UTC: the time of day is the epoch modulo a day. */
              gint64 us = (gint64) (g_ascii_strtod (t[T_TIME_EPOCH], NULL) * 1e6 + 0.5);
              gint64 day = us % (G_GINT64_CONSTANT (86400) * 1000000);
              g_autofree char *expect = g_strdup_printf ("%02d:%02d:%02d.%06d", (int) (day / 3600000000),
                                                         (int) (day / 60000000 % 60), (int) (day / 1000000 % 60),
                                                         (int) (day % 1000000));

              /* tshark rounds to the microsecond, we truncate. */
              if (strncmp (time, expect, 13) != 0)
                g_test_fail_printf ("%s frame %s: clock %s, expected %s", base, no, time, expect);
            }
          else
            expect_time (base, atoi (no), modes[k].mode, time, t[modes[k].column]);
          checked++;
        }
      g_test_message ("%s: --time=%s: %u rows equal tshark's", base, modes[k].mode, checked);
      g_assert_cmpuint (checked, >, 0);
    }
}

/* Lifelines of hosts: every arrow names its ports, as tshark's
 * tcp.srcport and tcp.dstport. */
static void
check_host_ports (gconstpointer data)
{
  const char *path = data;
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-explain-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "x.txt", NULL);
  g_autofree char *out_arg = g_strconcat ("--export=", out, NULL);
  g_autofree char *text = NULL;
  g_autofree char *ports = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) rows = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(GRegex) row_re = g_regex_new ("^ *([0-9]+)  +[-0-9.]+  .*[^0-9]([0-9]+) \342\206\222 ([0-9]+) \\[", 0, 0, NULL);
  guint checked = 0, arrows = 0;

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  {
    const char *argv[] = { tshark, "-n", "-r", path, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &ports, NULL, &status, &error));
    g_assert_no_error (error);
    rows = g_strsplit (ports, "\n", -1);
  }
  run_cli (&run, out_arg, "--hosts", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) m = NULL;

      if (g_ascii_isdigit (lines[i][strspn (lines[i], " ")]) && strstr (lines[i], "Seq=") != NULL)
        arrows++;
      if (g_regex_match (row_re, lines[i], 0, &m))
        {
          g_autofree char *no = g_match_info_fetch (m, 1);
          g_autofree char *sport = g_match_info_fetch (m, 2);
          g_autofree char *dport = g_match_info_fetch (m, 3);
          g_autofree char *expect = g_strconcat (sport, "\t", dport, NULL);

          g_assert_cmpstr (rows[atoi (no) - 1], ==, expect);
          checked++;
        }
    }
  g_test_message ("%u of %u arrows name their ports as tshark", checked, arrows);
  g_assert_cmpuint (checked, >, 0);
  g_assert_cmpuint (checked, ==, arrows);
  g_unlink (out);
  g_rmdir (dir);
}

/* A folded transfer's label counts the retransmissions, losses and zero
 * windows inside it: tshark's flags over the frames of its stream from the
 * response's first frame to its last (--dump-http). */
static void
check_fold_counts (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-explain-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "x.txt", NULL);
  g_autofree char *out_arg = g_strconcat ("--export=", out, NULL);
  g_autofree char *text = NULL;
  g_autofree char *fields = NULL;
  g_auto(GStrv) rows = NULL;
  g_auto(GStrv) messages = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) http = { 0 };
  guint checked = 0;

  if (tshark == NULL)
    {
      pl_test_missing ("tshark is not installed (apt-get install tshark)");
      return;
    }
  {
    const char *argv[] = { tshark, "-n", "-r", path, "-T", "fields", "-E", "separator=/t",
                           "-e", "tcp.stream", "-e", "tcp.analysis.retransmission",
                           "-e", "tcp.analysis.lost_segment", "-e", "tcp.analysis.zero_window", NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &fields, NULL, &status, &error));
    g_assert_no_error (error);
    rows = g_strsplit (fields, "\n", -1);
  }
  run_cli (&run, out_arg, "--fold-http", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  run_cli (&http, "--dump-http", path, NULL);
  g_assert_cmpint (http.status, ==, 0);
  messages = g_strsplit (http.out, "\n", -1);
  for (guint i = 1; messages[i] != NULL && messages[i][0] != '\0'; i++)
    {
      g_auto(GStrv) m = g_strsplit (messages[i], "\t", -1);
      guint stream = atoi (m[0]), first = atoi (m[2]), last = atoi (m[3]);
      guint counts[3] = { 0 };
      g_autoptr(GString) expect = g_string_new (NULL);
      g_autofree char *prefix = g_strdup_printf ("\n%*u  ", 3, first);
      const char *line;
      g_autofree char *row = NULL;

      if (first == last || strcmp (m[1], "response") != 0)
        continue;
      for (guint f = first; f <= last; f++)
        {
          g_auto(GStrv) t = g_strsplit (rows[f - 1], "\t", -1);

          if ((guint) atoi (t[0]) != stream)
            continue;
          for (guint k = 0; k < 3; k++)
            counts[k] += t[k + 1][0] != '\0';
        }
      /* The folded arrow's line starts with its first frame. */
      line = strstr (text, prefix);
      if (line == NULL)
        continue;
      row = g_strndup (line + 1, strcspn (line + 1, "\n"));
      if (counts[0] > 0)
        g_string_append_printf (expect, "%u retransmission%s", counts[0], counts[0] > 1 ? "s" : "");
      if (counts[1] > 0)
        g_string_append_printf (expect, "%s%u lost", expect->len ? ", " : "", counts[1]);
      if (counts[2] > 0)
        g_string_append_printf (expect, "%s%u zero window%s", expect->len ? ", " : "", counts[2], counts[2] > 1 ? "s" : "");
      g_test_message ("%s frames %u-%u: '%s'", base, first, last, expect->str);
      if (expect->len > 0)
        g_assert_nonnull (strstr (row, expect->str));
      else
        g_assert_null (strstr (row, "retransmission"));
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
  g_unlink (out);
  g_rmdir (dir);
}

static void
test_totals (void)
{
  g_test_message ("all: %u arrows, %u labels (%u with SACK), %u ACK lines (%u RTTs), %u next seq lines, %u PSH lines",
                  totals.times, totals.labels, totals.sacks, totals.ack_lines, totals.rtts, totals.next_lines,
                  totals.push_lines);
  if (totals.times == 0)
    {
      pl_test_missing ("nothing was checked (tshark missing?)");
      return;
    }
  g_assert_cmpuint (totals.ack_lines, >, 1000);
  g_assert_cmpuint (totals.next_lines, >, 1000);
  g_assert_cmpuint (totals.push_lines, >, 10);
  g_assert_cmpuint (totals.sacks, >, 10);
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
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autofree char *multi = g_build_filename (data, "http-lab.pcap", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_ptr_array_add (names, g_strdup (sample));
  dir = g_dir_open (data, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pcap") || g_str_has_suffix (name, ".pcapng"))
      g_ptr_array_add (names, g_build_filename (data, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (names, i));
      g_autofree char *test = g_strconcat ("/explain/", base, NULL);

      g_test_add_data_func (test, g_ptr_array_index (names, i), check_capture);
    }
  g_test_add_func ("/explain/totals", test_totals);
  g_test_add_data_func ("/explain/time-modes/sample", sample, check_time_modes);
  g_test_add_data_func ("/explain/time-modes/several-streams", multi, check_time_modes);
  g_test_add_data_func ("/explain/hosts-name-ports", multi, check_host_ports);
  g_test_add_data_func_full ("/explain/fold-counts/loss", g_build_filename (data, "loss-output.pcap", NULL),
                             check_fold_counts, g_free);
  g_test_add_data_func_full ("/explain/fold-counts/zero-window", g_build_filename (data, "zero-window.pcap", NULL),
                             check_fold_counts, g_free);
  return g_test_run ();
}
