/* test-window-zh.c: the window in Simplified Chinese.  The catalogue is
 * compiled from po/zh_CN.po into a temporary folder, so the test sees the
 * translation in the tree.  It checks labels the window shows (the stream
 * summary, the column titles, a status page, the details' tab), the frame
 * number column written 帧号 (序号 is the TCP sequence number), and that no
 * label puts an ASCII colon after Chinese text (zh_CN uses the full-width
 * "：").
 *
 * Without the zh_CN.UTF-8 locale or msgfmt the cases are visible SKIPs, and
 * failures when PL_REQUIRE_CORPUS=1 (CI, where build-aux/test provides
 * them); without a display the first case fails.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pl-application.h"
#include "pl-export-dialog.h"
#include "pl-ladder-page.h"
#include "pl-stream-page.h"
#include "pl-window.h"
#include "pl-gui-test.h"


static PlApplication *app;
static char *localedir;
static const char *missing;   /* why the test cannot run in Chinese, or NULL */

#define REQUIRE_ZH()                                                            \
  G_STMT_START {                                                                \
    REQUIRE_DISPLAY ();                                                         \
    if (missing != NULL)                                                        \
      {                                                                         \
        if (pl_test_required ())               \
          g_error ("%s (PL_REQUIRE_CORPUS=1)", missing);                        \
        g_test_skip (missing);                                                  \
        return;                                                                 \
      }                                                                         \
  } G_STMT_END

static void
wait_idle (PlWindow *window)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (TIMEOUT_S, set_flag, &timed_out);

  while (pl_window_is_busy (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (source);
  spin (100);
}

static void
collect_labels (GtkWidget *root,
                GPtrArray *out)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static gboolean
is_chinese (gunichar c)
{
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);
}

/* An ASCII colon right after Chinese text: "源端口: 8080". */
static gboolean
mixes_colons (const char *text)
{
  for (const char *p = strchr (text, ':'); p != NULL; p = strchr (p + 1, ':'))
    if (p > text && is_chinese (g_utf8_get_char (g_utf8_find_prev_char (text, p))))
      return TRUE;
  return FALSE;
}

static void
test_display (void)
{
  if (!have_display ())
    {
      g_test_message ("no display: run the GUI tests under xvfb-run (build-aux/test does)");
      g_test_fail ();
    }
}

static void
test_window (void)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GListModel *columns;
  PlWindow *window;
  guint n_colons = 0, n_checked = 0;

  REQUIRE_ZH ();

  window = pl_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  gtk_window_present (GTK_WINDOW (window));
  pl_window_open_file (window, file);
  wait_idle (window);

  /* The summary line and the column titles, in Chinese. */
  {
    g_autofree char *summary = g_strdup_printf ("%u 帧，%u 个 TCP 流", pl_capture_get_n_frames (pl_window_get_capture (window)),
                                                pl_capture_get_n_streams (pl_window_get_capture (window)));

    g_assert_cmpstr (pl_stream_page_get_summary (pl_window_get_stream_page (window)), ==, summary);
  }
  columns = gtk_column_view_get_columns (pl_stream_list_get_column_view (pl_window_get_stream_list (window)));
  {
    g_autoptr(GtkColumnViewColumn) first = g_list_model_get_item (columns, 0);
    g_autoptr(GtkColumnViewColumn) client = g_list_model_get_item (columns, 1);

    g_assert_cmpstr (gtk_column_view_column_get_title (first), ==, "流");
    g_assert_cmpstr (gtk_column_view_column_get_title (client), ==, "客户端");
  }

  /* A filter that keeps nothing: its page in Chinese, with "：". */
  pl_window_set_filter (window, "tcp port 80 and (");
  wait_idle (window);
  g_test_message ("%s", pl_ladder_page_get_description (pl_window_get_ladder_page (window)));
  g_assert_true (g_str_has_prefix (pl_ladder_page_get_description (pl_window_get_ladder_page (window)),
                                   "不是有效的 tcpdump 表达式："));
  pl_window_set_filter (window, "");
  wait_idle (window);

  /* The SYN-ACK's fields: every label shown, no ASCII colon after
   * Chinese. */
  pl_ladder_view_set_selected_frame (pl_window_get_ladder_view (window), 1);
  spin (200);
  collect_labels (GTK_WIDGET (window), labels);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (labels->pdata[i]);

      if (strchr (text, ':') != NULL || strstr (text, "：") != NULL)
        n_checked++;
      if (strstr (text, "：") != NULL)
        n_colons++;
      if (mixes_colons (text))
        g_error ("an ASCII colon after Chinese text: “%s”", text);
    }
  g_test_message ("%u labels shown, %u with a colon, %u with the full-width one", labels->len, n_checked, n_colons);
  g_assert_cmpuint (n_colons, >=, 10);

  /* The frame number column: 帧号, in the text export as on screen. */
  {
    g_autofree char *dir = g_dir_make_tmp ("pl-test-zh-XXXXXX", &error);
    g_autofree char *out = g_build_filename (dir, "ladder.txt", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(GFile) out_file = g_file_new_for_path (out);

    g_assert_true (pl_export_write (window, out_file, "text", PL_EXPORT_SCOPE_SELECTED, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (out, &contents, NULL, &error));
    g_assert_nonnull (strstr (contents, "帧号"));
    g_assert_null (strstr (contents, "序号"));
    g_unlink (out);
    g_rmdir (dir);
  }
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "ladder column", "No."), ==, "帧号");

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
}

/* Compiles po/zh_CN.po into DIR/zh_CN/LC_MESSAGES; FALSE without msgfmt. */
static gboolean
compile_catalogue (const char *dir)
{
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");
  g_autofree char *po = g_build_filename (PL_TEST_SOURCE_ROOT, "po", "zh_CN.po", NULL);
  g_autofree char *messages = g_build_filename (dir, "zh_CN", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  const char *argv[] = { msgfmt, "-o", mo, po, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (msgfmt == NULL)
    return FALSE;
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Chinese before anything reads the locale; GTK must not reset it. */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    missing = "the zh_CN.UTF-8 locale is not generated (localedef -i zh_CN -f UTF-8 zh_CN.UTF-8)";
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  gtk_disable_setlocale ();
  localedir = g_dir_make_tmp ("pl-test-zh-mo-XXXXXX", &error);
  g_assert_no_error (error);
  if (missing == NULL && !compile_catalogue (localedir))
    missing = "msgfmt (gettext) is not installed";
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui-zh/display", test_display);
  g_test_add_func ("/gui-zh/window/labels", test_window);

  if (have_display () && missing == NULL)
    {
      app = pl_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }

  ret = g_test_run ();

  if (app != NULL)
    {
      while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
        gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
      spin (50);
      g_clear_object (&app);
    }
  {
    g_autofree char *mo = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
    g_autofree char *messages = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", NULL);
    g_autofree char *lang = g_build_filename (localedir, "zh_CN", NULL);

    g_unlink (mo);
    g_rmdir (messages);
    g_rmdir (lang);
    g_rmdir (localedir);
    g_free (localedir);
  }
  return ret;
}
