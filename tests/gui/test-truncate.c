/* test-truncate.c: the window survives its capture file shrinking under it
 * (truncated, or tcpdump -w started again on the same name).  The file is
 * mapped: without the guard in core, the next frame selection reads a page
 * past the new end and the process dies of SIGBUS.  Here the selection
 * shows nothing, a toast says the file was truncated and offers Reload,
 * and Reload reads the file as it is now.  Skips without a display. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pl-application.h"
#include "pl-window.h"
#include "pl-gui-test.h"

#define LOAD_TIMEOUT_S 20

static PlApplication *app;

static void
wait_for_load (PlWindow *window)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (LOAD_TIMEOUT_S, set_flag, &timed_out);

  while (pl_window_is_loading (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (source);
}

/* As tcpdump -w does: the same file (inode) opened with O_TRUNC. */
static void
rewrite (const char *path,
         const char *contents,
         gsize       len)
{
  FILE *f = fopen (path, "wb");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (contents, 1, len, f), ==, len);
  g_assert_cmpint (fclose (f), ==, 0);
}

static void
test_truncate_then_select (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  PlCapture *before;
  PlLadderView *view;
  PlWindow *window;
  gsize len;

  if (!have_display ())
    {
      pl_test_missing ("no display (run under xvfb-run)");
      return;
    }

  dir = g_dir_make_tmp ("pl-test-truncate-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "rewritten.pcap", NULL);
  g_assert_true (g_file_get_contents (PL_SAMPLE_PCAP, &contents, &len, &error));
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, &error));
  file = g_file_new_for_path (path);

  window = pl_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  pl_window_open_file (window, file);
  wait_for_load (window);
  before = pl_window_get_capture (window);
  g_assert_nonnull (before);
  view = pl_window_get_ladder_view (window);
  pl_ladder_view_set_selected_frame (view, 1);
  spin (50);
  g_assert_nonnull (pl_field_pane_get_tree (pl_window_get_field_pane (window)));
  g_assert_null (pl_window_get_last_error (window));

  /* tcpdump -w on the same name: the file is cut to nothing, then gets
   * a new header.  Every frame's bytes now lie past its end. */
  rewrite (path, contents, 24);

  /* The frame in the middle of the sample's logo download. */
  pl_ladder_view_set_selected_frame (view, 120);
  spin (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (pl_window_get_capture (window) == before);
  g_assert_nonnull (pl_window_get_last_error (window));
  g_test_message ("toast: %s", pl_window_get_last_error (window));
  g_assert_nonnull (strstr (pl_window_get_last_error (window), "was truncated"));
  g_assert_nonnull (strstr (pl_window_get_last_error (window), path));
  /* Nothing is shown from a file that is not what was read. */
  g_assert_null (pl_field_pane_get_tree (pl_window_get_field_pane (window)));

  /* Another selection: still alive, still nothing. */
  pl_ladder_view_set_selected_frame (view, 3);
  spin (50);
  g_assert_null (pl_field_pane_get_tree (pl_window_get_field_pane (window)));

  /* The writer is done; the toast's button reloads. */
  rewrite (path, contents, len);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_for_load (window);
  spin (50);
  g_assert_true (pl_window_get_capture (window) != before);
  g_assert_true (pl_capture_check_file (pl_window_get_capture (window), NULL));
  pl_ladder_view_set_selected_frame (view, 1);
  spin (50);
  g_assert_nonnull (pl_field_pane_get_tree (pl_window_get_field_pane (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui/window/truncated-file", test_truncate_then_select);

  if (!have_display ())
    return g_test_run ();

  /* Not unique: the test must not hand its work to a running instance. */
  app = pl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  ret = g_test_run ();

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  spin (50);
  g_clear_object (&app);
  return ret;
}
