/* bench-export.c: the hostile cases of issue 15, measured.  Prints figures
 * and asserts nothing about time or memory (the tests assert the limits
 * and the memory bounds; this says how far from them we are).
 *
 * - Exports (SVG, PDF, text) of 10,000 and 50,000 SYN streams (one
 *   lifeline each: 50,000 is wider than cairo can draw, and refused) and
 *   of 200,000 data segments, each by the command line in a child process:
 *   wall time, CPU time, peak resident memory (getrusage of the child),
 *   bytes written, exit status.
 * - --dump-http of one HTTP message in 100,000 segments in reverse order.
 * - Loading 1,000,000 SYN streams: bytes per stream at the peak (as
 *   tests/fuzz/test-hostile.c measures it) and kept after the load.
 *
 *   meson test -C BUILD --benchmark bench-export -v
 *   PL_CLI=BUILD/tests/cli/pl-cli-runner BUILD/tests/bench/bench-export [CASE...]
 *
 * Cases are named like "svg-syn10k"; with none given, all run.  The files
 * go to a temporary folder (the text ladder of 10,000 streams is 3.4 GB),
 * removed at the end.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pl-capture.h"
#include "pl-test-synth.h"

static char *tmp_dir;

static char *
write_capture (const char *name,
               GBytes     *bytes)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_error ("bench-export: %s", error->message);
  return path;
}

static void
put16 (guint8 *p,
       guint   v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
put32 (guint8 *p,
       guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* One raw IPv4/TCP record with its payload. */
static void
add_segment (GByteArray   *out,
             guint         n,
             gboolean      to_server,
             guint8        flags,
             guint32       seq,
             guint32       ack,
             const guint8 *payload,
             guint32       len)
{
  guint8 rec[16 + 40] = { 0 };
  guint8 *ip = rec + 16, *tcp = ip + 20;
  guint32 sec = 1700000000u + n / 1000000, usec = n % 1000000, caplen = 40 + len;

  memcpy (rec, &sec, 4);
  memcpy (rec + 4, &usec, 4);
  memcpy (rec + 8, &caplen, 4);
  memcpy (rec + 12, &caplen, 4);
  ip[0] = 0x45;
  put16 (ip + 2, caplen);
  ip[8] = 64;
  ip[9] = 6;
  put32 (ip + 12, 0x7f000001);
  put32 (ip + 16, 0x7f000001);
  put16 (tcp, to_server ? 40000 : 8080);
  put16 (tcp + 2, to_server ? 8080 : 40000);
  put32 (tcp + 4, seq);
  put32 (tcp + 8, ack);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  put16 (tcp + 14, 65535);
  g_byte_array_append (out, rec, sizeof rec);
  g_byte_array_append (out, payload, len);
}

/* A GET answered by one response whose body comes in n segments of 10
 * bytes, in reverse order. */
static GBytes *
reversed_http (guint n)
{
  static const char request[] = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n", n * 10);
  GByteArray *out = g_byte_array_new ();
  guint8 header[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
  guint8 body[10];
  guint32 c = 1000, s = 900000, body_seq;
  guint i, k = 0;

  header[18] = 4;    /* snap length 262144 */
  header[20] = 101;  /* LINKTYPE_RAW */
  g_byte_array_append (out, header, sizeof header);
  add_segment (out, k++, TRUE, 0x02, c, 0, NULL, 0);
  add_segment (out, k++, FALSE, 0x12, s, c + 1, NULL, 0);
  c++, s++;
  add_segment (out, k++, TRUE, 0x10, c, s, NULL, 0);
  add_segment (out, k++, TRUE, 0x18, c, s, (const guint8 *) request, sizeof request - 1);
  c += sizeof request - 1;
  add_segment (out, k++, FALSE, 0x18, s, c, (const guint8 *) head, (guint32) strlen (head));
  body_seq = s + (guint32) strlen (head);
  for (i = n; i-- > 0; )
    {
      memset (body, 'a' + i % 26, sizeof body);
      add_segment (out, k++, FALSE, 0x10, body_seq + i * 10, c, body, sizeof body);
    }
  add_segment (out, k++, TRUE, 0x10, c, body_seq + n * 10, NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

/* Runs argv, waits, and prints one line of figures. */
static void
run_measured (const char  *label,
              const char **argv,
              const char  *output)
{
  g_autoptr(GError) error = NULL;
  struct rusage ru;
  GStatBuf st;
  gint64 start = g_get_monotonic_time ();
  double wall, cpu;
  int status = 0;
  GPid pid;
  g_autofree char *written = NULL;
  g_autofree char *tail = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("bench-export: %s", error->message);
  while (wait4 (pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (pid);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;

  if (output != NULL && g_stat (output, &st) == 0)
    {
      g_autofree char *size = g_format_size (st.st_size);

      written = g_strdup_printf (", %s written", size);
      g_unlink (output);
    }
  if (WIFEXITED (status))
    tail = g_strdup_printf ("exit %d", WEXITSTATUS (status));
  else
    tail = g_strdup_printf ("killed by signal %d", WTERMSIG (status));
  g_print ("%-28s %7.1f s wall %7.1f s CPU %8.1f MiB peak%s, %s\n", label, wall, cpu,
           ru.ru_maxrss / 1024.0, written != NULL ? written : "", tail);
}

static gboolean
wanted (char      **cases,
        const char *name)
{
  return cases == NULL || cases[0] == NULL || g_strv_contains ((const char * const *) cases, name);
}

/* In a child (bench-export --load FILE): loads FILE and prints the bytes
 * per stream at the peak (resident set growth beyond the file's pages, as
 * test-hostile measures it) and the heap kept after the load. */
static int
measure_load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  struct rusage ru;
  struct mallinfo2 before_heap, after_heap;
  GStatBuf st;
  long before_rss;
  guint n;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  getrusage (RUSAGE_SELF, &ru);
  before_rss = ru.ru_maxrss;
  before_heap = mallinfo2 ();
  if (!pl_capture_load (capture, NULL, NULL, NULL, &error))
    g_error ("bench-export: %s", error->message);
  getrusage (RUSAGE_SELF, &ru);
  after_heap = mallinfo2 ();
  n = pl_capture_get_n_streams (capture);
  g_print ("load of %u SYN streams: %.0f bytes per stream at the peak (beyond the file's pages), "
           "%.0f kept after the load (frames, streams, everything)\n",
           n, ((ru.ru_maxrss - before_rss) * 1024.0 - st.st_size) / n,
           ((double) (after_heap.uordblks + after_heap.hblkhd) - (double) (before_heap.uordblks + before_heap.hblkhd)) / n);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *cli = g_getenv ("PL_CLI");
  g_autoptr(GError) error = NULL;
  char **cases = argc > 1 ? argv + 1 : NULL;
  const struct
  {
    const char *name;
    GBytes   *(*make) (guint);
    guint       n;
  } captures[] = {
    { "syn10k", pl_test_synth_syns, 10000 },
    { "syn50k", pl_test_synth_syns, 50000 },
    { "data200k", pl_test_synth_segments, 200000 },
  };
  const char *formats[] = { "svg", "pdf", "txt" };
  guint i, j;

  if (argc == 3 && strcmp (argv[1], "--load") == 0)
    return measure_load (argv[2]);
  if (cli == NULL)
    {
      g_printerr ("bench-export: set PL_CLI to the command-line runner (meson does)\n");
      return 1;
    }

  tmp_dir = g_dir_make_tmp ("pl-bench-export-XXXXXX", &error);
  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (captures); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *name = g_strconcat (captures[i].name, ".pcap", NULL);
      g_autofree char *path = NULL;
      gboolean any = FALSE;

      for (j = 0; j < G_N_ELEMENTS (formats); j++)
        {
          g_autofree char *label = g_strdup_printf ("%s-%s", formats[j], captures[i].name);

          any |= wanted (cases, label);
        }
      if (!any)
        continue;
      bytes = captures[i].make (captures[i].n);
      path = write_capture (name, bytes);
      for (j = 0; j < G_N_ELEMENTS (formats); j++)
        {
          g_autofree char *label = g_strdup_printf ("%s-%s", formats[j], captures[i].name);
          g_autofree char *out = g_strdup_printf ("%s/out.%s", tmp_dir, formats[j]);
          g_autofree char *option = g_strdup_printf ("--export=%s", out);
          const char *args[] = { cli, option, path, NULL };

          if (wanted (cases, label))
            run_measured (label, args, out);
        }
      g_unlink (path);
    }

  if (wanted (cases, "dump-http-reversed100k"))
    {
      g_autoptr(GBytes) bytes = reversed_http (100000);
      g_autofree char *path = write_capture ("reversed.pcap", bytes);
      const char *args[] = { cli, "--dump-http", path, NULL };
      const char *mermaid_args[4] = { cli, NULL, path, NULL };
      g_autofree char *out = g_strdup_printf ("%s/out.mmd", tmp_dir);
      g_autofree char *option = g_strdup_printf ("--export=%s", out);

      run_measured ("dump-http-reversed100k", args, NULL);
      /* The export draws the message's bracket: all its frames. */
      mermaid_args[1] = option;
      run_measured ("mmd-reversed100k", mermaid_args, out);
      g_unlink (path);
    }

  if (wanted (cases, "load-syn1m"))
    {
      g_autoptr(GBytes) bytes = pl_test_synth_syns (1000000);
      g_autofree char *path = write_capture ("syn1m.pcap", bytes);
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      const char *args[] = { self != NULL ? self : argv[0], "--load", path, NULL };
      g_autofree char *out = NULL;
      int status = 0;

      g_clear_pointer (&bytes, g_bytes_unref);
      if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error))
        g_error ("bench-export: %s", error->message);
      g_print ("%s", out);
      g_unlink (path);
    }

  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return 0;
}
