/* bench-ingest.c: full ingest of a capture (read, decode, TCP analysis,
 * reassembly, HTTP index: what --list-streams needs) beside a plain libpcap
 * pcap_next_ex() loop over the same file, and tshark -q -z conv,tcp when it
 * is installed, in one run.  Prints times, ratios, frames per second, the
 * memory the capture keeps per frame besides the mapped file (after the
 * load, and the peak during it), and the time an asynchronous load takes to
 * publish its first streams to the main loop (what the window waits for).
 * Asserts nothing about time.
 *
 *   meson test -C BUILD --benchmark bench-ingest -v
 *   BUILD/tests/bench/bench-ingest [CAPTURE]
 *
 * CAPTURE defaults to $PL_BENCH_CAPTURE, else the bundled sample.  Make a
 * 1 GB capture of real traffic with tests/bench/make-big-capture.sh.
 * PL_BENCH_TSHARK=0 skips tshark (it takes about 10 s per GB).
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "pl-capture.h"

#define RUNS 3

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* A field of /proc/self/status in kB ("RssAnon", "VmHWM"). */
static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  guint i;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return strtol (lines[i] + strlen (field) + 1, NULL, 10);
  return -1;
}

static double
libpcap_loop (const char *path,
              guint64    *frames)
{
  char err[PCAP_ERRBUF_SIZE];
  struct pcap_pkthdr *hdr;
  const u_char *data;
  double start = now_s ();
  guint64 n = 0, sum = 0;
  pcap_t *p = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_NANO, err);

  if (p == NULL)
    {
      g_printerr ("libpcap: %s\n", err);
      return -1;
    }
  while (pcap_next_ex (p, &hdr, &data) == 1)
    {
      n++;
      sum += data[0];  /* touch the bytes, as any reader must */
    }
  pcap_close (p);
  *frames = n + (sum & 0);
  return now_s () - start;
}

typedef struct
{
  double start;
  double first;
  long   anon_before;
  long   anon_peak;   /* sampled RssAnon, kB; -1: not sampled */
} FirstBatch;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  FirstBatch *fb = user_data;

  if (fb->first < 0)
    fb->first = now_s () - fb->start;
  /* Sampled every 8192 frames: the peak of anonymous memory during the
   * load (VmHWM would count the mapped file's pages too). */
  if (fb->anon_peak >= 0)
    fb->anon_peak = MAX (fb->anon_peak, status_kb ("RssAnon") - fb->anon_before);
}

/* Asynchronous load, as the window does it: time until the first batch
 * with streams reaches the main loop, and until the load finished. */
typedef struct
{
  PlCapture *capture;
  GMainLoop *loop;
  double     start;
  double     first_streams;
  double     done;
} AsyncRun;

static void
on_async_progress (double   fraction,
                   gpointer user_data)
{
  AsyncRun *run = user_data;

  if (run->first_streams < 0 && pl_capture_get_n_streams (run->capture) > 0)
    run->first_streams = now_s () - run->start;
}

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRun *run = user_data;

  if (!pl_capture_load_finish (PL_CAPTURE (object), result, NULL))
    g_printerr ("async ingest failed\n");
  run->done = now_s () - run->start;
  g_main_loop_quit (run->loop);
}

static void
async_ingest (const char *path,
              double     *first_streams,
              double     *done)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncRun run = { capture, loop, now_s (), -1, -1 };

  pl_capture_load_async (capture, NULL, on_async_progress, &run, on_async_done, &run);
  g_main_loop_run (loop);
  *first_streams = run.first_streams;
  *done = run.done;
}

static double
ingest (const char *path,
        guint      *frames,
        guint      *streams,
        long       *anon_kb,
        long       *peak_kb,
        double     *first_batch)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  long anon_before = status_kb ("RssAnon");
  FirstBatch fb = { now_s (), -1, anon_before, peak_kb != NULL ? 0 : -1 };
  double elapsed;

  if (!pl_capture_load (capture, NULL, on_progress, &fb, &error))
    {
      g_printerr ("ingest: %s\n", error->message);
      return -1;
    }
  elapsed = now_s () - fb.start;
  *frames = pl_capture_get_n_frames (capture);
  *streams = pl_capture_get_n_streams (capture);
  *anon_kb = status_kb ("RssAnon") - anon_before;
  if (peak_kb != NULL)
    *peak_kb = MAX (fb.anon_peak, *anon_kb);
  *first_batch = fb.first;
  return elapsed;
}

static double
run_tshark (const char *path,
            long       *maxrss_kb)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  const char *argv[] = { tshark, "-n", "-r", path, "-q", "-z", "conv,tcp", NULL };
  struct rusage usage;
  double start;
  int status;
  GPid pid;

  if (tshark == NULL || g_strcmp0 (g_getenv ("PL_BENCH_TSHARK"), "0") == 0)
    return -1;
  start = now_s ();
  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, NULL))
    return -1;
  if (wait4 (pid, &status, 0, &usage) < 0)
    return -1;
  *maxrss_kb = usage.ru_maxrss;
  return now_s () - start;
}

/* The median of 5 runs of the command line (PL_CLI) with this mode on the
 * capture, output thrown away: what a user waits for.  -1 without PL_CLI. */
#define CLI_RUNS 5

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
cli_median (const char *mode,
            const char *path)
{
  const char *cli = g_getenv ("PL_CLI");
  double times[CLI_RUNS];
  guint i;

  if (cli == NULL || cli[0] == '\0')
    return -1;
  for (i = 0; i < CLI_RUNS; i++)
    {
      const char *argv[] = { cli, mode, path, NULL };
      double start = now_s ();
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) argv, NULL,
                         G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                         NULL, NULL, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL))
        return -1;
      times[i] = now_s () - start;
    }
  qsort (times, CLI_RUNS, sizeof times[0], compare_doubles);
  return times[CLI_RUNS / 2];
}

static void
warm_cache (const char *path)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  const char *data;
  gsize i, len;
  volatile guint8 sink = 0;

  if (mapped == NULL)
    return;
  data = g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  for (i = 0; i < len; i += 4096)
    sink ^= (guint8) data[i];
  (void) sink;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *default_path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  const char *path = argc > 1 ? argv[1] : g_getenv ("PL_BENCH_CAPTURE");
  double best_pcap = G_MAXDOUBLE, best_ingest = G_MAXDOUBLE, first_batch = -1, tshark_s;
  double first_streams = -1, async_done = -1;
  guint64 pcap_frames = 0;
  guint frames = 0, streams = 0, i;
  long anon_kb = 0, peak_kb = 0, tshark_kb = 0;
  const char *cli_modes[] = { "--list-streams", "--dump-http", "--dump-frames" };
  double cli_s[G_N_ELEMENTS (cli_modes)];
  struct stat st;

  if (path == NULL || path[0] == '\0')
    path = default_path;
  if (g_stat (path, &st) != 0)
    {
      g_printerr ("bench-ingest: %s: cannot read it\n", path);
      return 1;
    }

  warm_cache (path);
  for (i = 0; i < RUNS; i++)
    {
      double t = libpcap_loop (path, &pcap_frames);
      if (t >= 0)
        best_pcap = MIN (best_pcap, t);
    }
  /* Memory first, while the heap is fresh (later runs reuse pages the
   * earlier ones freed, which RssAnon no longer sees); sampling reads
   * /proc, so this run stays out of the timings. */
  if (ingest (path, &frames, &streams, &anon_kb, &peak_kb, &first_batch) < 0)
    return 1;
  for (i = 0; i < RUNS; i++)
    {
      long kb = 0;
      double fb = -1;
      double t = ingest (path, &frames, &streams, &kb, NULL, &fb);

      if (t < 0)
        return 1;
      best_ingest = MIN (best_ingest, t);
    }
  async_ingest (path, &first_streams, &async_done);
  for (i = 0; i < G_N_ELEMENTS (cli_modes); i++)
    cli_s[i] = cli_median (cli_modes[i], path);
  tshark_s = run_tshark (path, &tshark_kb);

  g_print ("capture: %s (%.1f MB, %u frames, %u TCP streams)\n",
           path, st.st_size / 1e6, frames, streams);
  g_print ("libpcap pcap_next_ex loop: %.3f s (%" G_GUINT64_FORMAT " frames), best of %d\n",
           best_pcap, pcap_frames, RUNS);
  g_print ("packet-ladder full ingest: %.3f s, best of %d; %.2f x the libpcap loop; %.1f M frames/s\n",
           best_ingest, RUNS, best_ingest / best_pcap, frames / best_ingest / 1e6);
  if (first_batch >= 0)
    g_print ("first 8192 frames decoded after: %.1f ms\n", first_batch * 1e3);
  g_print ("memory kept besides the mapped file: %.1f MB, %.1f bytes per frame\n",
           anon_kb / 1024.0, frames > 0 ? anon_kb * 1024.0 / frames : 0.0);
  g_print ("peak anonymous memory during the load (sampled every 8192 frames): %.1f MB, %.1f bytes per frame\n",
           peak_kb / 1024.0, frames > 0 ? peak_kb * 1024.0 / frames : 0.0);
  if (streams > 0)
    g_print ("memory kept per stream besides the frame table (%zu bytes a frame): %.0f bytes\n",
             sizeof (PlFrame), MAX (0.0, anon_kb * 1024.0 - (double) frames * sizeof (PlFrame)) / streams);
  for (i = 0; i < G_N_ELEMENTS (cli_modes); i++)
    if (cli_s[i] >= 0)
      g_print ("packet-ladder %s > /dev/null: %.3f s, median of %d; %.2f x the libpcap loop, %.2f x the ingest\n",
               cli_modes[i], cli_s[i], CLI_RUNS, cli_s[i] / best_pcap, cli_s[i] / best_ingest);
    else
      g_print ("packet-ladder %s: not run (PL_CLI not set)\n", cli_modes[i]);
  if (first_streams >= 0)
    g_print ("asynchronous load: first streams in the main loop after %.1f ms; all loaded after %.3f s (%.2f x the ingest)\n",
             first_streams * 1e3, async_done, async_done / best_ingest);
  if (tshark_s >= 0 && cli_s[0] >= 0)
    g_print ("tshark -q -z conv,tcp: %.3f s, %.1f MB peak; the ingest is %.1f x faster, %s %.1f x\n",
             tshark_s, tshark_kb / 1024.0, tshark_s / best_ingest, cli_modes[0], tshark_s / cli_s[0]);
  else if (tshark_s >= 0)
    g_print ("tshark -q -z conv,tcp: %.3f s, %.1f MB peak; the ingest is %.1f x faster\n",
             tshark_s, tshark_kb / 1024.0, tshark_s / best_ingest);
  else
    g_print ("tshark: not run (not installed, or PL_BENCH_TSHARK=0)\n");
  return 0;
}
