/* test-capture.c: capturing from the window (issue 17), under Xvfb.
 *
 * The window is driven as D-Bus would drive it: win.capture opens the
 * dialog, win.capture-start (("IFACE", "FILTER")) and win.capture-stop
 * start and stop, win.save-capture-to saves, win.recover-capture and
 * win.discard-capture answer the recovery question.  Checked: the dialog
 * lists loopback first and checks the filter with libpcap; the stream
 * list and the ladder grow while the capture runs and the ladder follows
 * the newest frame until the user scrolls away; the header bar counts the
 * frames; Stop leaves a file with every frame, Save As copies it out; a
 * file left in the cache by a closed app is offered back.
 *
 * Without privileges the live engine replays a capture file
 * (PL_LIVE_REPLAY, paced by PL_LIVE_REPLAY_INTERVAL_US) through the same
 * ring, writer and loader; as root a real capture on loopback of a local
 * http.server (on a port of its own) runs too.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "pl-application.h"
#include "pl-capture-dialog.h"
#include "pl-ladder-page.h"
#include "pl-live-capture.h"
#include "pl-pcap-source.h"
#include "pl-window.h"
/* Captures take longer than the window alone. */
#define TIMEOUT_S 30
#include "pl-gui-test.h"

static PlApplication *app;
static char *cache_home;
static char *data_home;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static PlWindow *
new_window (void)
{
  PlWindow *window = pl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  spin (100);
  return window;
}

static GtkWidget *
template_widget (PlWindow   *window,
                 const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PL_TYPE_WINDOW, name));
}

static char *
captures_dir (void)
{
  return g_build_filename (cache_home, "packet-ladder", "captures", NULL);
}

static gboolean
action_state (PlWindow   *window,
              const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), name);

  return g_variant_get_boolean (state);
}

static gboolean
action_enabled (PlWindow   *window,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), name);
}

/* Frames of path that filter accepts, counted with core (as the kernel
 * would have kept them). */
static guint
count_matching (const char *path,
                const char *expression)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlBpfFilter) filter = NULL;
  guint i, n = 0;

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  filter = pl_bpf_filter_new (pl_capture_get_interface (capture, 0)->linktype, 0, expression, &error);
  g_assert_no_error (error);
  for (i = 0; i < pl_capture_get_n_frames (capture); i++)
    {
      guint32 caplen;
      const guint8 *data = pl_capture_get_frame_data (capture, i, &caplen);

      if (pl_bpf_filter_matches (filter, data, caplen, pl_capture_get_frame (capture, i)->origlen))
        n++;
    }
  return n;
}

/* ---- The dialog ---- */

static gboolean
dialog_listed (gpointer data)
{
  return pl_capture_dialog_get_interfaces (data) != NULL;
}

static gboolean
capture_stopped (gpointer data)
{
  PlLiveCapture *live = pl_window_get_live_capture (data);

  return live != NULL && pl_live_capture_is_finished (live) && !pl_window_is_loading (data);
}

static void
test_dialog (void)
{
  g_autofree char *source = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-lab.pcap", NULL);
  PlLiveCapture *live;
  PlWindow *window;
  PlCaptureDialog *dialog;
  GListModel *names;

  REQUIRE_DISPLAY ();
  window = new_window ();
  g_assert_true (action_enabled (window, "capture"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture", NULL);
  spin (50);
  dialog = PL_CAPTURE_DIALOG (find_toplevel (PL_TYPE_CAPTURE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  wait_for (dialog_listed, dialog, "the interfaces");

  /* Loopback first: the lab's server listens there. */
  names = pl_capture_dialog_get_interfaces (dialog);
  g_assert_cmpuint (g_list_model_get_n_items (names), >=, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "lo");
  g_assert_cmpstr (pl_capture_dialog_get_interface (dialog), ==, "lo");

  /* The lab's example is there and good; a typo is caught by libpcap. */
  g_assert_null (pl_capture_dialog_get_filter_error (dialog));
  g_assert_true (pl_capture_dialog_can_start (dialog));
  pl_capture_dialog_set_filter (dialog, "tcp port");
  g_assert_nonnull (pl_capture_dialog_get_filter_error (dialog));
  g_assert_nonnull (strstr (pl_capture_dialog_get_filter_error (dialog), "Bad capture filter: "));
  g_assert_nonnull (strstr (pl_capture_dialog_get_filter_error (dialog), "syntax error"));
  g_assert_false (pl_capture_dialog_can_start (dialog));
  pl_capture_dialog_set_filter (dialog, "tcp port 8080 and host 127.0.0.1");
  g_assert_null (pl_capture_dialog_get_filter_error (dialog));
  g_assert_true (pl_capture_dialog_can_start (dialog));
  pl_capture_dialog_set_filter (dialog, "");
  g_assert_true (pl_capture_dialog_can_start (dialog));

  /* Start: win.capture-start with the interface and the filter, and the
   * dialog goes (a file replayed as if live: no privilege needed). */
  g_setenv ("PL_LIVE_REPLAY", source, TRUE);
  g_setenv ("PL_LIVE_REPLAY_INTERVAL_US", "1000", TRUE);
  pl_capture_dialog_set_filter (dialog, "tcp port 8080");
  pl_capture_dialog_start (dialog);
  spin (50);
  g_assert_null (find_toplevel (PL_TYPE_CAPTURE_DIALOG));
  g_assert_true (action_state (window, "capture-start"));
  live = pl_window_get_live_capture (window);
  g_assert_nonnull (live);
  g_assert_cmpstr (pl_live_capture_get_device (live), ==, "lo");
  g_assert_cmpstr (pl_live_capture_get_filter (live), ==, "tcp port 8080");
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-stop", NULL);
  wait_for (capture_stopped, window, "the capture to stop");
  g_unsetenv ("PL_LIVE_REPLAY");
  g_unsetenv ("PL_LIVE_REPLAY_INTERVAL_US");
  g_unlink (pl_window_get_unsaved_capture (window));

  /* The dialog again starts from the filter used last. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture", NULL);
  spin (50);
  dialog = PL_CAPTURE_DIALOG (find_toplevel (PL_TYPE_CAPTURE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (pl_capture_dialog_can_start (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
}

/* ---- A replayed capture ---- */

typedef struct
{
  PlWindow *window;
  guint     min_frames;
} Progress;

static gboolean
shown_frames_at_least (gpointer data)
{
  Progress *p = data;
  PlCapture *capture = pl_window_get_capture (p->window);

  return capture != NULL && pl_capture_is_loaded (capture) && !pl_window_is_loading (p->window) &&
         pl_capture_get_n_frames (capture) >= p->min_frames;
}

static gboolean
capture_done (gpointer data)
{
  PlWindow *window = data;
  PlLiveCapture *live = pl_window_get_live_capture (window);
  PlCapture *capture = pl_window_get_capture (window);

  return live != NULL && pl_live_capture_is_finished (live) && !pl_window_is_loading (window) &&
         capture != NULL && pl_capture_is_loaded (capture) &&
         pl_capture_get_n_frames (capture) == pl_live_capture_get_n_frames (live);
}

static GtkAdjustment *
ladder_vadjustment (PlWindow *window)
{
  return gtk_scrolled_window_get_vadjustment (pl_ladder_page_get_scroller (pl_window_get_ladder_page (window)));
}

static gboolean
at_end (PlWindow *window)
{
  GtkAdjustment *adj = ladder_vadjustment (window);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 1;
}

/* What a wheel turn does first: the window's scroll controller on the
 * ladder's scrolled window hears it. */
static void
user_scroll (PlWindow *window,
             double    dy)
{
  GtkWidget *scroller = GTK_WIDGET (pl_ladder_page_get_scroller (pl_window_get_ladder_page (window)));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (scroller);
  gboolean handled = FALSE, found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), "pl-follow-scroll") == 0)
        {
          g_signal_emit_by_name (c, "scroll", 0.0, dy, &handled);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static guint
ladder_rows (PlWindow *window)
{
  PlLadderLayout *layout = pl_ladder_view_get_layout (pl_window_get_ladder_view (window));

  return layout != NULL ? pl_ladder_layout_get_n_rows (layout) : 0;
}

static gboolean
file_saved (gpointer data)
{
  PlWindow *window = data;
  PlCapture *capture = pl_window_get_capture (window);

  return pl_window_get_unsaved_capture (window) == NULL && !pl_window_is_loading (window) &&
         capture != NULL && pl_capture_is_loaded (capture) && pl_capture_get_file (capture) != NULL;
}

static void
test_replay (void)
{
  g_autofree char *source = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "http-lab.pcap", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *unsaved = NULL;
  g_autofree char *label = NULL;
  g_autofree char *saved_path = NULL;
  PlWindow *window;
  PlLiveCapture *live;
  GtkWidget *header_label;
  guint expected, rows_before, readings = 0, last_frames = 0, i;
  gboolean followed_while_growing = FALSE;
  GtkAdjustment *adj;

  REQUIRE_DISPLAY ();
  /* The stream on show is the first: 101 frames; replayed at 3 ms a frame,
   * the whole file takes about 2 s, several readings. */
  g_setenv ("PL_LIVE_REPLAY", source, TRUE);
  g_setenv ("PL_LIVE_REPLAY_INTERVAL_US", "3000", TRUE);
  expected = count_matching (source, "tcp port 8080 and not port 59486");
  g_assert_cmpuint (expected, >, 500);

  window = new_window ();
  g_assert_false (action_state (window, "capture-start"));
  g_assert_false (action_enabled (window, "capture-stop"));
  g_assert_false (action_enabled (window, "save-capture"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-start",
                                  g_variant_new ("(ss)", "lo", "tcp port 8080 and not port 59486"));
  live = pl_window_get_live_capture (window);
  g_assert_nonnull (live);
  g_assert_true (action_state (window, "capture-start"));
  g_assert_true (action_state (window, "capture-stop"));
  g_assert_true (action_enabled (window, "capture-stop"));
  g_assert_false (action_enabled (window, "capture-start"));
  g_assert_false (action_enabled (window, "capture"));
  /* The window shows the capture while it runs: no other file meanwhile. */
  g_assert_false (action_enabled (window, "open"));
  g_assert_false (action_enabled (window, "reload"));
  g_assert_false (pl_window_is_empty (window));

  /* Readings come while it runs: the frame count on show grows, the
   * header bar says how many frames the file holds. */
  header_label = template_widget (window, "capture_label");
  g_assert_nonnull (header_label);
  for (i = 0; i < 400 && pl_live_capture_is_running (live); i++)
    {
      PlCapture *capture = pl_window_get_capture (window);

      spin (25);
      if (capture == NULL || pl_window_is_loading (window) || !pl_capture_is_loaded (capture))
        continue;
      if (pl_capture_get_n_frames (capture) > last_frames)
        {
          readings++;
          last_frames = pl_capture_get_n_frames (capture);
          g_test_message ("reading %u: %u frames, %u rows in the ladder, following %d, at end %d",
                          readings, last_frames, ladder_rows (window), pl_window_is_following (window),
                          at_end (window));
          if (ladder_rows (window) > 0 && at_end (window) && pl_window_is_following (window) &&
              gtk_adjustment_get_upper (ladder_vadjustment (window)) >
              gtk_adjustment_get_page_size (ladder_vadjustment (window)))
            followed_while_growing = TRUE;
        }
      if (last_frames >= expected)
        break;
    }
  g_assert_cmpuint (readings, >=, 3);
  g_assert_true (gtk_widget_get_visible (header_label));
  g_assert_true (gtk_widget_get_visible (template_widget (window, "stop_button")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (header_label)), " frames · 0 dropped"));
  g_assert_true (followed_while_growing);

  /* The user scrolls up (the wheel, then the scrolled window moves): the
   * ladder stays there as it grows. */
  adj = ladder_vadjustment (window);
  g_assert_true (pl_window_is_following (window));
  user_scroll (window, -10);
  gtk_adjustment_set_value (adj, 0);
  g_assert_false (pl_window_is_following (window));

  /* Stop: every frame the filter kept, in the window and in the file. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-stop", NULL);
  wait_for (capture_done, window, "the capture to stop and its last reading");
  g_assert_cmpuint (pl_live_capture_get_n_frames (live), ==, expected);
  g_assert_cmpuint (pl_capture_get_n_frames (pl_window_get_capture (window)), ==, expected);
  g_assert_cmpuint (pl_capture_get_n_streams (pl_window_get_capture (window)), ==, 10);
  g_assert_false (pl_window_is_following (window));
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  rows_before = ladder_rows (window);
  g_assert_cmpuint (rows_before, ==, 101);
  g_assert_false (action_state (window, "capture-stop"));
  g_assert_false (action_enabled (window, "capture-stop"));
  g_assert_true (action_enabled (window, "capture-start"));
  g_assert_true (action_enabled (window, "open"));
  g_assert_false (gtk_widget_get_visible (template_widget (window, "stop_button")));
  label = g_strdup_printf ("%'u frames · 0 dropped", expected);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (header_label)), ==, label);

  /* The file is in the cache, complete (no temporary name left). */
  unsaved = g_strdup (pl_window_get_unsaved_capture (window));
  g_assert_nonnull (unsaved);
  {
    g_autofree char *dir = captures_dir ();
    g_autofree char *parent = g_path_get_dirname (unsaved);

    g_assert_cmpstr (parent, ==, dir);
    g_assert_true (g_str_has_suffix (unsaved, ".pcapng"));
  }
  g_assert_cmpuint (count_matching (unsaved, ""), ==, expected);

  /* Save As: copied out, the cache file gone, the saved file on show. */
  g_assert_true (action_enabled (window, "save-capture"));
  saved = g_dir_make_tmp ("pl-saved-XXXXXX", NULL);
  saved_path = g_build_filename (saved, "lab live.pcapng", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "save-capture-to", g_variant_new_string (saved_path));
  wait_for (file_saved, window, "the capture to be saved");
  g_assert_false (g_file_test (unsaved, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (saved_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_matching (saved_path, ""), ==, expected);
  {
    g_autofree char *shown = g_file_get_path (pl_capture_get_file (pl_window_get_capture (window)));

    g_assert_cmpstr (shown, ==, saved_path);
  }
  g_assert_false (action_enabled (window, "save-capture"));

  g_unsetenv ("PL_LIVE_REPLAY");
  g_unsetenv ("PL_LIVE_REPLAY_INTERVAL_US");
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_unlink (saved_path);
  g_rmdir (saved);
}

/* ---- Recovery ---- */

static gboolean
offered (gpointer data)
{
  return pl_window_get_recovery_offer (data) != NULL && find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
recovered (gpointer data)
{
  PlWindow *window = data;
  PlCapture *capture = pl_window_get_capture (window);

  return !pl_window_is_loading (window) && capture != NULL && pl_capture_is_loaded (capture);
}

static void
test_recovery (void)
{
  g_autofree char *source = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab.pcapng", NULL);
  g_autofree char *dir = captures_dir ();
  g_autofree char *left = g_build_filename (dir, ".capture-20261206-101010.pcapng.AbC123.part", NULL);
  g_autofree char *other = g_build_filename (dir, "capture-20261206-090909.pcapng", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *saved = NULL, *saved_path = NULL;
  gsize len;
  AdwMessageDialog *dialog;
  PlWindow *window;
  guint whole, partial;

  REQUIRE_DISPLAY ();
  /* What a capture killed in the middle of a block leaves: the file cut
   * inside its last frame. */
  g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
  whole = count_matching (source, "");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (left, contents, (gssize) len - 10, NULL));
  g_assert_true (g_file_set_contents (other, contents, (gssize) len, NULL));
  /* dumpcap ends the file with a statistics block: cut into it, the
   * frames are all there; cut further, into the last frame. */
  partial = count_matching (left, "");
  g_assert_cmpuint (partial, <=, whole);
  {
    /* The older one: the newest is offered first. */
    g_autoptr(GFile) f = g_file_new_for_path (other);
    g_autoptr(GFileInfo) info = g_file_info_new ();

    g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, 1000000000);
    g_assert_true (g_file_set_attributes_from_info (f, info, G_FILE_QUERY_INFO_NONE, NULL, NULL));
  }

  window = new_window ();
  pl_window_offer_recovery (window);
  wait_for (offered, window, "the recovery question");
  g_assert_cmpstr (pl_window_get_recovery_offer (window), ==, left);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Recover the Unsaved Capture?");
  g_assert_true (adw_message_dialog_has_response (dialog, "recover"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  adw_message_dialog_response (dialog, "recover");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for (recovered, window, "the recovered capture");
  /* Every whole frame, the one cut short said in a warning. */
  g_assert_cmpuint (pl_capture_get_n_frames (pl_window_get_capture (window)), ==, partial);
  g_assert_cmpuint (partial, >=, whole - 1);
  g_assert_nonnull (pl_capture_get_warning (pl_window_get_capture (window)));
  g_assert_cmpstr (pl_window_get_unsaved_capture (window), ==, left);
  g_assert_true (action_enabled (window, "save-capture"));

  /* Held by this window: not offered again meanwhile. */
  {
    PlWindow *second = new_window ();

    pl_window_offer_recovery (second);
    wait_for (offered, second, "the second file offered");
    g_assert_cmpstr (pl_window_get_recovery_offer (second), ==, other);
    dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    adw_message_dialog_response (dialog, "discard");
    gtk_window_destroy (GTK_WINDOW (dialog));
    spin (50);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
    gtk_window_destroy (GTK_WINDOW (second));
  }

  saved = g_dir_make_tmp ("pl-saved-XXXXXX", NULL);
  saved_path = g_build_filename (saved, "recovered.pcapng", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "save-capture-to", g_variant_new_string (saved_path));
  wait_for (file_saved, window, "the recovered capture to be saved");
  g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (pl_capture_get_n_frames (pl_window_get_capture (window)), ==, partial);

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_unlink (saved_path);
  g_rmdir (saved);
}

/* ---- A real capture (root) ---- */

static GPid server_pid;

static void
stop_server (void)
{
  if (server_pid > 0)
    {
      kill (server_pid, SIGTERM);
      waitpid (server_pid, NULL, 0);
      server_pid = 0;
    }
}

static int
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
capture_started (gpointer data)
{
  PlLiveCapture *live = pl_window_get_live_capture (data);

  return live != NULL && (pl_live_capture_get_method (live) != PL_LIVE_METHOD_NONE ||
                          pl_live_capture_is_finished (live));
}

static void
test_real (void)
{
  static const char * const tools[] = { "python3", "curl", NULL };
  g_autofree char *www = NULL, *port = NULL, *filter = NULL;
  g_autoptr(GError) error = NULL;
  PlWindow *window;
  PlLiveCapture *live;
  guint i, gets = 0;
  PlCapture *capture;

  REQUIRE_DISPLAY ();
  if (getuid () != 0)
    {
      pl_test_missing ("a real capture needs root (or CAP_NET_RAW); the replay case covers the rest");
      return;
    }
  for (i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("%s is not installed", tools[i]);

          pl_test_missing (reason);
          return;
        }
    }

  www = g_dir_make_tmp ("pl-www-XXXXXX", NULL);
  {
    g_autofree char *f = g_build_filename (www, "hello.txt", NULL);

    g_assert_true (g_file_set_contents (f, "hello, live ladder\n", -1, NULL));
  }
  port = g_strdup_printf ("%d", free_port ());
  {
    const char *argv[] = { "python3", "-m", "http.server", port, "--bind", "127.0.0.1", "--directory", www, NULL };

    g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, &server_pid, &error));
    g_assert_no_error (error);
  }
  /* Until it answers (10 s at most). */
  for (i = 0; i < 100; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%s/hello.txt", port);
      const char *argv[] = { "curl", "-s", "-o", "/dev/null", "--max-time", "1", url, NULL };
      int status = 1;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL);
      if (g_spawn_check_wait_status (status, NULL))
        break;
      g_usleep (100 * 1000);
    }

  window = new_window ();
  filter = g_strdup_printf ("tcp port %s", port);
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-start", g_variant_new ("(ss)", "lo", filter));
  wait_for (capture_started, window, "the capture to open lo");
  live = pl_window_get_live_capture (window);
  g_assert_cmpint (pl_live_capture_get_method (live), ==, PL_LIVE_METHOD_LIBPCAP);
  spin (300);
  for (i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%s/%s", port, i == 1 ? "hello.txt" : "");
      const char *argv[] = { "curl", "-s", "-o", "/dev/null", "--max-time", "5", url, NULL };
      int status = 1;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  {
    Progress p = { window, 30 };

    /* Three connections of at least ten frames, shown before Stop. */
    wait_for (shown_frames_at_least, &p, "the live frames");
    g_assert_true (pl_live_capture_is_running (live));
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "capture-stop", NULL);
  wait_for (capture_done, window, "the capture to stop");
  stop_server ();
  capture = pl_window_get_capture (window);
  g_assert_cmpuint (pl_capture_get_n_streams (capture), ==, 3);
  for (i = 0; i < pl_capture_get_n_streams (capture); i++)
    g_assert_cmpuint (pl_capture_get_stream (capture, i)->n_frames, >=, 10);
  {
    g_autoptr(GtkWidget) unused = NULL;
    GListModel *model = pl_window_get_stream_model (window);

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  }
  for (i = 0; i < pl_capture_get_n_frames (capture); i++)
    if (pl_capture_get_frame (capture, i)->payload_len > 0 && pl_capture_get_frame (capture, i)->dir == 0)
      gets++;
  g_assert_cmpuint (gets, ==, 3);
  g_assert_cmpuint (pl_live_capture_get_n_dropped (live), ==, 0);

  g_unlink (pl_window_get_unsaved_capture (window));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  {
    g_autofree char *f = g_build_filename (www, "hello.txt", NULL);

    g_unlink (f);
    g_rmdir (www);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before GLib reads them: a cache and recent files of our own. */
  cache_home = g_dir_make_tmp ("pl-test-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  data_home = g_dir_make_tmp ("pl-test-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/capture/dialog", test_dialog);
  g_test_add_func ("/gui/capture/replay", test_replay);
  g_test_add_func ("/gui/capture/recovery", test_recovery);
  g_test_add_func ("/gui/capture/real", test_real);

  if (have_display ())
    {
      app = pl_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }

  ret = g_test_run ();
  stop_server ();

  if (app != NULL)
    {
      while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
        gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
      spin (50);
      g_clear_object (&app);
    }
  {
    const char *rm[] = { "rm", "-rf", cache_home, data_home, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (cache_home);
  g_free (data_home);
  return ret;
}
