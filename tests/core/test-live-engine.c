/* test-live-engine.c: the live capture engine (pl-live-capture.c) without
 * privileges: PL_LIVE_REPLAY feeds it a capture file as if it happened now,
 * through the same ring, pcapng writer, temporary file and rename.
 *
 * Checked: the file it writes holds every frame the filter accepts, with
 * the same bytes, lengths and nanosecond times as the source (read back
 * with our reader, and with tshark when it is installed); --count's limit;
 * a filter that does not compile; an interface that does not exist (as
 * root) and, without the right, the permission message; the list of
 * interfaces with loopback first.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pl-capture.h"
#include "pl-live-capture.h"
#include "pl-pcap-source.h"
#include "pl-test-require.h"

static char *work;

static PlCapture *
load (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&capture);
}

static void
on_finished (PlLiveCapture *live,
             gpointer       data)
{
  g_main_loop_quit (data);
}

static void
on_progress (PlLiveCapture *live,
             gpointer       data)
{
  guint *n = data;

  (*n)++;
  /* Written frames only ever grow, and are readable as a capture. */
}

static gboolean
stop_cb (gpointer data)
{
  pl_live_capture_stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("the capture did not finish in time");
  return G_SOURCE_REMOVE;
}

/* Runs a replay of source through the engine into path; returns it. */
static PlLiveCapture *
replay (const char *source,
        const char *filter,
        guint64     max_frames,
        const char *path,
        guint      *progress)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  PlLiveCapture *live = pl_live_capture_new ("lo", filter);
  guint timeout;

  g_setenv ("PL_LIVE_REPLAY", source, TRUE);
  g_setenv ("PL_LIVE_REPLAY_INTERVAL_US", "200", TRUE);
  pl_live_capture_set_max_frames (live, max_frames);
  g_signal_connect (live, "finished", G_CALLBACK (on_finished), loop);
  g_signal_connect (live, "progress", G_CALLBACK (on_progress), progress);
  g_assert_true (pl_live_capture_start (live, path, &error));
  g_assert_no_error (error);
  g_assert_true (pl_live_capture_is_running (live));
  /* The replay goes on, empty, after the file: stop it after a while
   * unless the frame limit does. */
  if (max_frames == 0)
    g_timeout_add (1500, stop_cb, live);
  timeout = g_timeout_add_seconds (30, timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_true (pl_live_capture_is_finished (live));
  g_assert_false (pl_live_capture_is_running (live));
  g_assert_cmpint (pl_live_capture_get_method (live), ==, PL_LIVE_METHOD_REPLAY);
  return live;
}

/* Frames of a accepted by filter equal the frames of b, one for one. */
static void
assert_same_frames (PlCapture  *a,
                    const char *expression,
                    PlCapture  *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlBpfFilter) filter = NULL;
  guint i, j = 0;

  if (expression != NULL)
    {
      filter = pl_bpf_filter_new (pl_capture_get_interface (a, 0)->linktype, 0, expression, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (pl_capture_get_interface (b, 0)->linktype, ==, pl_capture_get_interface (a, 0)->linktype);
  for (i = 0; i < pl_capture_get_n_frames (a); i++)
    {
      const PlFrame *fa = pl_capture_get_frame (a, i), *fb;
      guint32 la, lb;
      const guint8 *da = pl_capture_get_frame_data (a, i, &la), *db;

      if (filter != NULL && !pl_bpf_filter_matches (filter, da, la, fa->origlen))
        continue;
      g_assert_cmpuint (j, <, pl_capture_get_n_frames (b));
      fb = pl_capture_get_frame (b, j);
      db = pl_capture_get_frame_data (b, j, &lb);
      g_assert_cmpint (fa->ts_ns, ==, fb->ts_ns);
      g_assert_cmpuint (fa->origlen, ==, fb->origlen);
      g_assert_cmpmem (da, la, db, lb);
      j++;
    }
  g_assert_cmpuint (j, ==, pl_capture_get_n_frames (b));
}

static void
test_replay_whole (void)
{
  g_autofree char *source = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "nsec.pcap", NULL);
  g_autofree char *path = g_build_filename (work, "whole.pcapng", NULL);
  g_autoptr(PlLiveCapture) live = NULL;
  g_autoptr(PlCapture) a = NULL, b = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint progress = 0;

  live = replay (source, NULL, 0, path, &progress);
  g_assert_null (pl_live_capture_get_error (live));
  written = pl_live_capture_dup_path (live);
  g_assert_cmpstr (written, ==, path);
  a = load (source);
  b = load (path);
  g_assert_cmpint (pl_capture_get_format (b), ==, PL_CAPTURE_FORMAT_PCAPNG);
  g_assert_null (pl_capture_get_warning (b));
  g_assert_cmpuint (pl_live_capture_get_n_frames (live), ==, pl_capture_get_n_frames (a));
  g_assert_cmpuint (pl_live_capture_get_n_dropped (live), ==, 0);
  g_assert_cmpuint (progress, >=, 1);
  /* Nanosecond times kept to the nanosecond. */
  assert_same_frames (a, NULL, b);
  g_assert_cmpstr (pl_capture_get_interface (b, 0)->name, ==, "lo");

  /* No temporary file left beside it. */
  dir = g_dir_open (work, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_suffix (name, ".part"));

  /* tshark reads it, every frame. */
  {
    g_autofree char *tshark = g_find_program_in_path ("tshark");
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;

    if (tshark == NULL)
      {
        pl_test_missing ("tshark is not installed: the file is not read by it");
        return;
      }
    {
      const char *argv[] = { tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.number", NULL };
      g_auto(GStrv) rows = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      rows = g_strsplit (g_strstrip (out), "\n", -1);
      g_assert_cmpuint (g_strv_length (rows), ==, pl_capture_get_n_frames (a));
    }
  }
}

static void
test_replay_filter_count (void)
{
  g_autofree char *source = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-lab.pcap", NULL);
  g_autofree char *path = g_build_filename (work, "filtered.pcapng", NULL);
  g_autofree char *count_path = g_build_filename (work, "count.pcapng", NULL);
  g_autoptr(PlLiveCapture) live = NULL, limited = NULL;
  g_autoptr(PlCapture) a = NULL, b = NULL, c = NULL;
  guint progress = 0;

  /* Only the server's segments carrying data. */
  live = replay (source, "tcp src port 8080 and tcp[tcpflags] & tcp-push != 0", 0, path, &progress);
  g_assert_null (pl_live_capture_get_error (live));
  a = load (source);
  b = load (path);
  g_assert_cmpuint (pl_capture_get_n_frames (b), >, 10);
  g_assert_cmpuint (pl_capture_get_n_frames (b), <, pl_capture_get_n_frames (a) / 2);
  assert_same_frames (a, "tcp src port 8080 and tcp[tcpflags] & tcp-push != 0", b);

  /* --count: the first 25 frames, then it stops by itself. */
  limited = replay (source, NULL, 25, count_path, &progress);
  g_assert_null (pl_live_capture_get_error (limited));
  c = load (count_path);
  g_assert_cmpuint (pl_capture_get_n_frames (c), ==, 25);
  g_assert_cmpuint (pl_live_capture_get_n_frames (limited), ==, 25);
  for (guint i = 0; i < 25; i++)
    g_assert_cmpint (pl_capture_get_frame (c, i)->ts_ns, ==, pl_capture_get_frame (a, i)->ts_ns);
}

static void
test_bad_filter (void)
{
  g_autofree char *path = g_build_filename (work, "bad.pcapng", NULL);
  g_autoptr(PlLiveCapture) live = pl_live_capture_new ("lo", "tcp port");
  g_autoptr(GError) error = NULL;

  g_assert_false (pl_live_capture_start (live, path, &error));
  g_assert_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER);
  g_assert_true (g_str_has_prefix (error->message, "Bad capture filter: "));
  g_assert_false (pl_live_capture_is_running (live));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_true (pl_live_check_filter ("tcp port 8080", &error));
  g_assert_true (pl_live_check_filter ("", &error));
  g_assert_false (pl_live_check_filter ("port 99999999", &error));
  g_assert_error (error, PL_LIVE_ERROR, PL_LIVE_ERROR_FILTER);
}

static void
test_no_device (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *path = g_build_filename (work, "nodev.pcapng", NULL);
  g_autoptr(PlLiveCapture) live = pl_live_capture_new ("pl-no-such0", NULL);
  g_autoptr(GError) error = NULL;
  const GError *failed;
  guint timeout;

  g_unsetenv ("PL_LIVE_REPLAY");
  /* No dumpcap: the message is ours. */
  g_setenv ("PL_DUMPCAP", "", TRUE);
  g_signal_connect (live, "finished", G_CALLBACK (on_finished), loop);
  g_assert_true (pl_live_capture_start (live, path, &error));
  timeout = g_timeout_add_seconds (30, timeout_cb, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  failed = pl_live_capture_get_error (live);
  g_assert_nonnull (failed);
  g_test_message ("%s", failed->message);
  if (getuid () == 0)
    g_assert_error ((GError *) failed, PL_LIVE_ERROR, PL_LIVE_ERROR_NO_DEVICE);
  else
    g_assert_true (failed->code == PL_LIVE_ERROR_NO_DEVICE || failed->code == PL_LIVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (failed->message, "pl-no-such0"));
  /* Nothing written, nothing left. */
  g_assert_null (pl_live_capture_dup_path (live));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unsetenv ("PL_DUMPCAP");
}

static void
test_interfaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pl_live_list_interfaces (&error);
  gboolean seen_other = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, >=, 1);
  /* Loopback before anything else. */
  for (guint i = 0; i < list->len; i++)
    {
      const PlLiveInterface *iface = g_ptr_array_index (list, i);

      if (!iface->loopback)
        seen_other = TRUE;
      else
        g_assert_false (seen_other);
    }
  g_assert_true (((PlLiveInterface *) g_ptr_array_index (list, 0))->loopback);
  g_assert_cmpstr (((PlLiveInterface *) g_ptr_array_index (list, 0))->name, ==, "lo");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work = g_dir_make_tmp ("pl-live-core-XXXXXX", NULL);
  g_assert_nonnull (work);

  g_test_add_func ("/live/replay/whole", test_replay_whole);
  g_test_add_func ("/live/replay/filter-count", test_replay_filter_count);
  g_test_add_func ("/live/bad-filter", test_bad_filter);
  g_test_add_func ("/live/no-device", test_no_device);
  g_test_add_func ("/live/interfaces", test_interfaces);

  status = g_test_run ();
  {
    const char *rm[] = { "rm", "-rf", work, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (work);
  return status;
}
