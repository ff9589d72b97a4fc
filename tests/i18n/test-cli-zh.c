/* test-cli-zh.c: the headless command line in Simplified Chinese.  The
 * catalogue is compiled from po/zh_CN.po into a temporary folder, so the
 * test sees the translation in the tree, not an installed one.  Each case
 * skips when the zh_CN.UTF-8 locale or msgfmt is missing, and fails then
 * with PL_REQUIRE_CORPUS=1 (CI). */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pl-test-require.h"

static char *localedir;
/* Why the cases cannot run, or NULL. */
static const char *zh_missing;

#define REQUIRE_ZH()                 \
  G_STMT_START {                     \
    if (zh_missing != NULL)          \
      {                              \
        pl_test_missing (zh_missing);\
        return;                      \
      }                              \
  } G_STMT_END

typedef struct
{
  int   status;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli_zh (Run        *run,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PL_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "LANGUAGE", "zh_CN", TRUE);
  envp = g_environ_setenv (envp, "LANG", "zh_CN.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "zh_CN.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "PL_LOCALEDIR", localedir, TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("stderr: %s", run->err);
  g_assert_true (g_utf8_validate (run->err, -1, NULL));
}

/* A file that is not there: the message names it, in Chinese (GLib's own
 * catalogue says why), with the untranslated command name in front. */
static void
test_missing_file (void)
{
  g_autofree char *missing = g_build_filename (PL_TEST_SOURCE_ROOT, "no-such-capture.pcap", NULL);
  g_auto(Run) run = { 0 };

  REQUIRE_ZH ();

  run_cli_zh (&run, "--list-streams", missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "packet-ladder: "));
  g_assert_nonnull (strstr (run.err, missing));
  g_assert_null (strstr (run.err, "Failed to open"));
  g_assert_null (strstr (run.err, "No such file"));
}

/* Messages of our own catalogue. */
static void
test_own_messages (void)
{
  g_autofree char *readme = g_build_filename (PL_TEST_SOURCE_ROOT, "README.md", NULL);
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_auto(Run) not_capture = { 0 };
  g_auto(Run) no_file = { 0 };
  g_auto(Run) bad_stream = { 0 };

  REQUIRE_ZH ();

  run_cli_zh (&not_capture, "--dump-frames", readme, NULL);
  g_assert_cmpint (not_capture.status, ==, 1);
  g_assert_nonnull (strstr (not_capture.err, readme));
  g_assert_null (strstr (not_capture.err, "not a pcap"));
  g_assert_nonnull (strstr (not_capture.err, "抓包文件"));

  run_cli_zh (&no_file, "--dump-frames", NULL);
  g_assert_cmpint (no_file.status, ==, 2);
  g_assert_true (g_str_has_prefix (no_file.err, "packet-ladder: "));
  g_assert_null (strstr (no_file.err, "give exactly one capture file"));

  run_cli_zh (&bad_stream, "--export=/dev/null.txt", "--stream=99", sample, NULL);
  g_assert_cmpint (bad_stream.status, ==, 2);
  g_assert_null (strstr (bad_stream.err, "TCP stream"));
  g_assert_nonnull (strstr (bad_stream.err, "99"));
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

/* --report in Chinese: the headings, the explanations and the notes of
 * its pictures are the catalogue's. */
static void
test_report (void)
{
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-report-zh-XXXXXX", &error);
  g_autofree char *arg = g_strconcat ("--report=", dir, NULL);
  g_autofree char *md_path = g_build_filename (dir, "report.md", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "close.svg", NULL);
  g_autofree char *md = NULL;
  g_autofree char *svg = NULL;
  g_auto(Run) run = { 0 };

  REQUIRE_ZH ();

  g_assert_no_error (error);
  run_cli_zh (&run, arg, sample, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (md_path, &md, NULL, &error));
  g_assert_nonnull (strstr (md, "## 三次握手"));
  g_assert_nonnull (strstr (md, "## 关闭连接"));
  g_assert_null (strstr (md, "The three-way handshake"));
  g_assert_nonnull (strstr (md, "TIME_WAIT"));
  g_assert_nonnull (strstr (md, "206 Partial Content：共 3365242 字节中的第 0-1 字节"));
  g_assert_true (g_file_get_contents (svg_path, &svg, NULL, &error));
  g_assert_nonnull (strstr (svg, "注释"));
  g_assert_nonnull (strstr (svg, "FIN 占用一个序列号"));
  remove_tree (dir);
}

/* Compiles po/zh_CN.po into DIR/zh_CN/LC_MESSAGES. */
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
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The child runs in zh_CN.UTF-8: see that the locale exists here.
   * Without it (or msgfmt) the cases still run, each reporting what is
   * missing: a skip, or a failure in CI (pl-test-require.h). */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    zh_missing = "the zh_CN.UTF-8 locale is not installed (build-aux/test generates it with localedef)";
  setlocale (LC_ALL, "C.UTF-8");

  localedir = g_dir_make_tmp ("pl-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  if (zh_missing == NULL && !compile_catalogue (localedir))
    zh_missing = "msgfmt is not installed (apt-get install gettext)";

  g_test_add_func ("/i18n/cli/missing-file", test_missing_file);
  g_test_add_func ("/i18n/cli/own-messages", test_own_messages);
  g_test_add_func ("/i18n/cli/report", test_report);
  status = g_test_run ();
  remove_tree (localedir);
  g_free (localedir);
  return status;
}
