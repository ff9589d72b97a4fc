/* test-window.c: the main window under a real (Xvfb) display: start-up,
 * opening the sample, a file that is not a capture, cancelling, and files
 * opened through the application.  Skips without a display. */
#include "config.h"

#include <glib/gstdio.h>

#include "pl-application.h"
#include "pl-stream-list.h"
#include "pl-window.h"

#define LOAD_TIMEOUT_S 20

static PlApplication *app;

static gboolean
have_display (void)
{
  static int result = -1;

  if (result < 0)
    {
      result = (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
               && gtk_init_check ();
    }
  return result;
}

#define REQUIRE_DISPLAY()                               \
  G_STMT_START {                                        \
    if (!have_display ())                               \
      {                                                 \
        g_test_skip ("no display (run under xvfb-run)"); \
        return;                                         \
      }                                                 \
  } G_STMT_END

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until no window of the application is loading;
 * bounded, so a hang fails the test rather than the suite's timeout. */
static void
wait_for_loads (void)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (LOAD_TIMEOUT_S, set_flag, &timed_out);

  for (;;)
    {
      gboolean loading = FALSE;

      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
        loading |= PL_IS_WINDOW (l->data) && pl_window_is_loading (l->data);
      if (!loading || timed_out)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (timed_out);
  g_source_remove (source);
}

/* Lets idle work (redraws, finished tasks) run for a moment. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static PlWindow *
get_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (PL_IS_WINDOW (window));
  return PL_WINDOW (window);
}

static void
test_startup (void)
{
  PlWindow *window;

  REQUIRE_DISPLAY ();

  window = get_window ();
  spin (100);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (pl_window_is_empty (window));
  g_assert_false (pl_window_is_loading (window));
  g_assert_null (pl_window_get_capture (window));
  g_assert_null (pl_window_get_last_error (window));
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, 0);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
}

static void
test_open_sample (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (PL_SAMPLE_PCAP);
  g_autoptr(PlCapture) reference = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  PlWindow *window;
  PlCapture *capture;
  GListModel *model;
  guint n_streams;

  REQUIRE_DISPLAY ();

  g_assert_true (pl_capture_load (reference, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  n_streams = pl_capture_get_n_streams (reference);
  g_assert_cmpuint (n_streams, >, 0);

  window = get_window ();
  pl_window_open_file (window, file);
  g_assert_true (pl_window_is_loading (window));
  wait_for_loads ();

  capture = pl_window_get_capture (window);
  g_assert_nonnull (capture);
  g_assert_true (g_file_equal (pl_capture_get_file (capture), file));
  g_assert_null (pl_window_get_last_error (window));

  model = pl_window_get_stream_model (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_streams);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, pl_capture_get_n_streams (capture));
  for (guint i = 0; i < n_streams; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (model, i);
      const PlTcpStream *a = pl_stream_item_get_stream (item);
      const PlTcpStream *b = pl_capture_get_stream (reference, i);

      g_assert_cmpuint (pl_stream_item_get_index (item), ==, i);
      g_assert_cmpuint (a->n_frames, ==, b->n_frames);
      g_assert_cmpuint (a->peer[0].payload_bytes, ==, b->peer[0].payload_bytes);
      g_assert_cmpuint (a->peer[1].payload_bytes, ==, b->peer[1].payload_bytes);
    }

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "lab.pcap");
  spin (100);
}

static void
test_open_not_capture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-test-window-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *window;
  PlCapture *before;
  guint n_before;
  const char *message;

  REQUIRE_DISPLAY ();
  g_assert_no_error (error);

  /* Start from a loaded capture, which must survive the bad file. */
  window = get_window ();
  if (pl_window_get_capture (window) == NULL)
    {
      pl_window_open_file (window, sample);
      wait_for_loads ();
    }
  before = pl_window_get_capture (window);
  g_assert_nonnull (before);
  n_before = g_list_model_get_n_items (pl_window_get_stream_model (window));

  path = g_build_filename (dir, "notes.txt", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "# Packet Ladder\n\nThis is a README, not a capture.\n",
                                      -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  pl_window_open_file (window, file);
  wait_for_loads ();

  message = pl_window_get_last_error (window);
  g_assert_nonnull (message);
  g_test_message ("error toast: %s", message);
  g_assert_nonnull (strstr (message, "notes.txt"));

  /* The previous capture stays, and the window still works. */
  g_assert_true (pl_window_get_capture (window) == before);
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, n_before);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  spin (100);

  pl_window_open_file (window, sample);
  wait_for_loads ();
  g_assert_nonnull (pl_window_get_capture (window));
  g_assert_true (pl_window_get_capture (window) != before);
  g_assert_cmpuint (g_list_model_get_n_items (pl_window_get_stream_model (window)), ==, n_before);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cancel (void)
{
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *window;
  PlCapture *before;

  REQUIRE_DISPLAY ();

  window = get_window ();
  before = pl_window_get_capture (window);

  pl_window_open_file (window, sample);
  g_assert_true (pl_window_is_loading (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_false (pl_window_is_loading (window));
  g_assert_true (pl_window_get_capture (window) == before);

  /* Let the cancelled task come back and free itself. */
  spin (300);
  g_assert_true (pl_window_get_capture (window) == before);
}

static void
test_application_open (void)
{
  g_autoptr(GFile) sample = g_file_new_for_path (PL_SAMPLE_PCAP);
  PlWindow *first;
  guint n_windows;
  GList *windows;

  REQUIRE_DISPLAY ();

  first = get_window ();
  if (pl_window_is_empty (first))
    {
      pl_window_open_file (first, sample);
      wait_for_loads ();
    }
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* A window showing a capture is not reused: the file gets a new one. */
  g_application_open (G_APPLICATION (app), &sample, 1, "");
  wait_for_loads ();

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, n_windows + 1);
  g_assert_true (PL_IS_WINDOW (windows->data));
  g_assert_true (PL_WINDOW (windows->data) != first);
  g_assert_nonnull (pl_window_get_capture (windows->data));

  gtk_window_destroy (windows->data);
  spin (100);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/window/startup", test_startup);
  g_test_add_func ("/gui/window/open-sample", test_open_sample);
  g_test_add_func ("/gui/window/open-not-capture", test_open_not_capture);
  g_test_add_func ("/gui/window/cancel", test_cancel);
  g_test_add_func ("/gui/window/application-open", test_application_open);

  if (!have_display ())
    return g_test_run ();

  /* Not unique: the tests must not hand their work to a running instance. */
  app = pl_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  ret = g_test_run ();

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  spin (50);
  g_clear_object (&app);

  return ret;
}
