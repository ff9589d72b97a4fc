/* test-live-capture.c: packet-ladder --capture on real traffic.
 *
 * As root, each case makes a private network namespace (pl17-live-PID,
 * loopback up), runs python3's http.server in it and fetches from it with
 * curl while `packet-ladder --capture=lo` captures, so nothing leaves the
 * namespace.  Checked:
 *
 * - the rows of --dump-frames come out while the capture runs (before the
 *   command ends), the command exits 0, and its output equals
 *   `--dump-frames` of the file it wrote in every column but time (time
 *   too, in fact: the same bytes are read), and that file agrees with
 *   tshark on every column of every TCP frame (test-tshark-agree with
 *   PL_TSHARK_AGREE_FILE);
 * - SIGINT ends a capture cleanly (exit 0, a complete file tshark reads);
 *   --count stops after that many frames;
 * - an unprivileged user (nobody, through setpriv) with a dumpcap that may
 *   capture (a copy given the capabilities with setcap) captures through
 *   it, with the same answer;
 * - a filter libpcap cannot compile, and a user who may not capture, get
 *   their messages (exit 2 and 1), and leave no file behind.
 *
 * Without root, ip, curl or python3 the cases that need them are skipped
 * (failures under PL_REQUIRE_CORPUS=1).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pl-test-require.h"

#define PORT "8080"

static char *netns;       /* the namespace, once made */
static GPid  server_pid;  /* http.server in it */
static char *www;         /* what it serves */
static char *work;        /* a scratch folder anyone may write */

static const char *
cli (void)
{
  const char *path = g_getenv ("PL_CLI");

  g_assert_nonnull (path);
  return path;
}

/* Runs argv to completion; stdout and stderr into *out / *err. */
static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

static gboolean
have_tools (const char *const *tools,
            char              **missing)
{
  for (; *tools != NULL; tools++)
    {
      g_autofree char *path = g_find_program_in_path (*tools);

      if (path == NULL)
        {
          *missing = g_strdup (*tools);
          return FALSE;
        }
    }
  return TRUE;
}

static void
cleanup (void)
{
  if (server_pid > 0)
    {
      kill (server_pid, SIGTERM);
      waitpid (server_pid, NULL, 0);
      server_pid = 0;
    }
  if (netns != NULL)
    {
      const char *argv[] = { "ip", "netns", "del", netns, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, NULL, NULL, NULL, NULL);
      g_clear_pointer (&netns, g_free);
    }
  if (work != NULL)
    {
      const char *argv[] = { "rm", "-rf", work, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
}

static void
on_signal (int sig)
{
  cleanup ();
  _exit (128 + sig);
}

/* Runs argv inside the namespace: "ip netns exec NS argv...". */
static GPtrArray *
in_netns (const char * const *argv)
{
  GPtrArray *full = g_ptr_array_new ();

  g_ptr_array_add (full, "ip");
  g_ptr_array_add (full, "netns");
  g_ptr_array_add (full, "exec");
  g_ptr_array_add (full, netns);
  for (; *argv != NULL; argv++)
    g_ptr_array_add (full, (char *) *argv);
  g_ptr_array_add (full, NULL);
  return full;
}

/* The namespace and the server, made once; FALSE (and a skip) when this
 * cannot run here. */
static gboolean
need_netns (void)
{
  static const char * const tools[] = { "ip", "curl", "python3", "tshark", NULL };
  g_autofree char *missing = NULL;
  g_autoptr(GError) error = NULL;
  guint tries;

  if (netns != NULL)
    return TRUE;
  if (getuid () != 0)
    {
      pl_test_missing ("capturing on real traffic needs root (a private network namespace)");
      return FALSE;
    }
  if (!have_tools (tools, &missing))
    {
      g_autofree char *reason = g_strdup_printf ("%s is not installed", missing);

      pl_test_missing (reason);
      return FALSE;
    }

  netns = g_strdup_printf ("pl17-live-%d", (int) getpid ());
  {
    const char *add[] = { "ip", "netns", "add", netns, NULL };
    const char *up[] = { "ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up", NULL };
    g_autofree char *err = NULL;

    if (run (add, NULL, &err) != 0)
      {
        g_autofree char *reason = g_strdup_printf ("cannot make a network namespace: %s", err);

        g_clear_pointer (&netns, g_free);
        pl_test_missing (reason);
        return FALSE;
      }
    g_assert_cmpint (run (up, NULL, NULL), ==, 0);
  }

  /* Three things to fetch: a listing, a small file, a large one. */
  {
    g_autofree char *small = g_build_filename (www, "hello.txt", NULL);
    g_autofree char *large = g_build_filename (www, "large.bin", NULL);
    g_autofree char *bytes = g_malloc (300000);
    guint i;

    for (i = 0; i < 300000; i++)
      bytes[i] = (char) (i * 7 + i / 251);
    g_assert_true (g_file_set_contents (small, "hello, ladder\n", -1, NULL));
    g_assert_true (g_file_set_contents (large, bytes, 300000, NULL));
  }
  {
    const char *argv[] = { "python3", "-m", "http.server", PORT, "--bind", "127.0.0.1",
                           "--directory", www, NULL };
    g_autoptr(GPtrArray) full = in_netns (argv);

    g_assert_true (g_spawn_async (NULL, (char **) full->pdata, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, &server_pid, &error));
    g_assert_no_error (error);
  }
  /* Until it answers (at most 10 s). */
  for (tries = 0; tries < 100; tries++)
    {
      const char *argv[] = { "curl", "-s", "-o", "/dev/null", "--max-time", "1",
                             "http://127.0.0.1:" PORT "/hello.txt", NULL };
      g_autoptr(GPtrArray) full = in_netns (argv);

      if (run ((const char * const *) full->pdata, NULL, NULL) == 0)
        return TRUE;
      g_usleep (100 * 1000);
    }
  g_error ("http.server did not start in %s", netns);
  return FALSE;
}

static void
fetch_three (void)
{
  static const char * const paths[] = { "/", "/hello.txt", "/large.bin" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:" PORT "%s", paths[i]);
      const char *argv[] = { "curl", "-s", "-o", "/dev/null", "--max-time", "5", url, NULL };
      g_autoptr(GPtrArray) full = in_netns (argv);

      g_assert_cmpint (run ((const char * const *) full->pdata, NULL, NULL), ==, 0);
    }
}

/* A capture command running in the background, read as it goes. */
typedef struct
{
  GPid     pid;
  int      out_fd;
  int      err_fd;
  GString *out;
  GString *err;
  guint    rows_while_running;  /* TCP rows read before the command ended */
  int      status;
  gboolean exited;
} Capture;

static void
capture_start (Capture            *c,
               const char * const *argv)
{
  g_autoptr(GError) error = NULL;

  memset (c, 0, sizeof *c);
  c->out = g_string_new (NULL);
  c->err = g_string_new (NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &c->pid, NULL, &c->out_fd, &c->err_fd, &error));
  g_assert_no_error (error);
  g_unix_set_fd_nonblocking (c->out_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (c->err_fd, TRUE, NULL);
}

static guint
count_rows (const char *text)
{
  guint n = 0;
  const char *p;

  /* Complete rows after the header. */
  for (p = strchr (text, '\n'); p != NULL && p[1] != '\0'; p = strchr (p + 1, '\n'))
    if (strchr (p + 1, '\n') != NULL)
      n++;
  return n;
}

/* Reads what came, for up to timeout_ms; TRUE once the command ended. */
static gboolean
capture_poll (Capture *c,
              int      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  do
    {
      struct pollfd fds[2] = { { c->out_fd, POLLIN, 0 }, { c->err_fd, POLLIN, 0 } };
      char buf[65536];
      ssize_t n;
      int status;

      poll (fds, 2, 50);
      while ((n = read (c->out_fd, buf, sizeof buf)) > 0)
        g_string_append_len (c->out, buf, n);
      while ((n = read (c->err_fd, buf, sizeof buf)) > 0)
        g_string_append_len (c->err, buf, n);
      if (!c->exited)
        {
          c->rows_while_running = count_rows (c->out->str);
          if (waitpid (c->pid, &status, WNOHANG) == c->pid)
            {
              c->exited = TRUE;
              c->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
            }
        }
      else
        {
          /* Drain the pipes once more, then done. */
          while ((n = read (c->out_fd, buf, sizeof buf)) > 0)
            g_string_append_len (c->out, buf, n);
          return TRUE;
        }
    }
  while (g_get_monotonic_time () < end);
  return c->exited;
}

static void
capture_wait_started (Capture *c)
{
  gint64 end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (strstr (c->err->str, "capturing on") == NULL && g_get_monotonic_time () < end)
    if (capture_poll (c, 50))
      break;
  if (strstr (c->err->str, "capturing on") == NULL)
    g_error ("the capture did not start: %s", c->err->str);
}

static void
capture_finish (Capture *c,
                int      timeout_s)
{
  if (!capture_poll (c, timeout_s * 1000))
    {
      kill (c->pid, SIGKILL);
      g_error ("the capture did not end within %d s", timeout_s);
    }
  close (c->out_fd);
  close (c->err_fd);
  g_spawn_close_pid (c->pid);
}

static void
capture_clear (Capture *c)
{
  g_string_free (c->out, TRUE);
  g_string_free (c->err, TRUE);
}

/* Rows without their time column. */
static char *
strip_time (const char *dump)
{
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = g_strsplit (lines[i], "\t", -1);
      guint k;

      if (lines[i][0] == '\0')
        continue;
      for (k = 0; cols[k] != NULL; k++)
        if (k != 1)
          g_string_append_printf (out, "%s%s", k > 0 ? "\t" : "", cols[k]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* The file's dump equals the live one (but for time), and tshark agrees. */
static void
check_file (const char *live_out,
            const char *path)
{
  const char *dump[] = { cli (), "--dump-frames", path, NULL };
  const char *ref[] = { PL_TEST_SOURCE_ROOT "/build-aux/tshark-reference.sh", path, NULL };
  g_autofree char *file_out = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *dir = g_path_get_dirname (cli ());
  g_autofree char *agree = g_build_filename (dir, "test-tshark-agree", NULL);
  g_autofree char *agree_out = NULL, *agree_err = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *agree_argv[] = { agree, "--tap", NULL };
  int status = 0;

  g_assert_cmpint (run (dump, &file_out, NULL), ==, 0);
  a = strip_time (live_out);
  b = strip_time (file_out);
  g_assert_cmpstr (a, ==, b);
  /* The time column too: both read the same bytes. */
  g_assert_cmpstr (live_out, ==, file_out);

  g_assert_cmpint (run (ref, NULL, NULL), ==, 0);
  env = g_environ_setenv (env, "PL_TSHARK_AGREE_FILE", path, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) agree_argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &agree_out, &agree_err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", agree_out);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (agree_out, "ok 1 /tshark-agree/one"));
  g_assert_null (strstr (agree_out, "not ok"));
}

static void
test_lo_http (void)
{
  g_autofree char *path = NULL;
  Capture c;
  const char *argv[] = { NULL, "--capture=lo", "--filter=tcp port " PORT, "--duration=6",
                         NULL, "--dump-frames", NULL };
  g_autoptr(GPtrArray) full = NULL;
  g_autofree char *write = NULL;
  guint rows;

  if (!need_netns ())
    return;
  path = g_build_filename (work, "lo-http.pcapng", NULL);
  write = g_strconcat ("--write=", path, NULL);
  argv[0] = cli ();
  argv[4] = write;
  full = in_netns (argv);

  capture_start (&c, (const char * const *) full->pdata);
  capture_wait_started (&c);
  fetch_three ();
  /* The rows arrive while the capture still runs (it lasts 6 s). */
  capture_poll (&c, 1500);
  g_test_message ("rows before the capture ended: %u", c.rows_while_running);
  g_assert_false (c.exited);
  g_assert_cmpuint (c.rows_while_running, >=, 10);
  capture_finish (&c, 20);
  g_test_message ("stderr: %s", c.err->str);
  g_assert_cmpint (c.status, ==, 0);
  rows = count_rows (c.out->str);
  g_assert_cmpuint (rows, >=, c.rows_while_running);
  /* Three connections: three handshakes, three HTTP requests and responses. */
  g_assert_nonnull (strstr (c.out->str, "\tGET /\t"));
  g_assert_nonnull (strstr (c.out->str, "\tGET /hello.txt\t"));
  g_assert_nonnull (strstr (c.out->str, "\tGET /large.bin\t"));
  g_assert_nonnull (strstr (c.out->str, "\t2\t0x002\t"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  check_file (c.out->str, path);
  capture_clear (&c);
}

/* Ctrl+C ends the capture with everything written; --count stops it. */
static void
test_sigint_and_count (void)
{
  g_autofree char *path = NULL, *write = NULL, *out = NULL, *count_path = NULL;
  Capture c;
  const char *argv[] = { NULL, "--capture=lo", "--filter=tcp port " PORT, NULL, "--dump-frames", NULL };
  g_autoptr(GPtrArray) full = NULL;

  if (!need_netns ())
    return;
  path = g_build_filename (work, "sigint.pcapng", NULL);
  write = g_strconcat ("--write=", path, NULL);
  argv[0] = cli ();
  argv[3] = write;
  full = in_netns (argv);
  capture_start (&c, (const char * const *) full->pdata);
  capture_wait_started (&c);
  fetch_three ();
  capture_poll (&c, 500);
  kill (c.pid, SIGINT);
  capture_finish (&c, 20);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_nonnull (strstr (c.out->str, "\tGET /large.bin\t"));
  check_file (c.out->str, path);
  capture_clear (&c);

  /* --count=5: the first five frames of a connection, then the end. */
  count_path = g_build_filename (work, "count.pcapng", NULL);
  {
    g_autofree char *w = g_strconcat ("--write=", count_path, NULL);
    const char *cargv[] = { cli (), "--capture=lo", "--filter=tcp port " PORT, "--count=5", w,
                            "--list-streams", NULL };
    g_autoptr(GPtrArray) cfull = in_netns (cargv);
    const char *dump[] = { cli (), "--dump-frames", count_path, NULL };

    capture_start (&c, (const char * const *) cfull->pdata);
    capture_wait_started (&c);
    fetch_three ();
    capture_finish (&c, 20);
    g_assert_cmpint (c.status, ==, 0);
    /* One stream row: the five frames are the first connection's. */
    g_assert_cmpuint (count_rows (c.out->str), ==, 1);
    g_assert_cmpint (run (dump, &out, NULL), ==, 0);
    g_assert_cmpuint (count_rows (out), ==, 5);
    capture_clear (&c);
  }
}

/* nobody, through a dumpcap that may capture: the same answer. */
static void
test_dumpcap (void)
{
  static const char * const tools[] = { "dumpcap", "setcap", "setpriv", NULL };
  g_autofree char *missing = NULL;
  g_autofree char *dumpcap = NULL, *copy = NULL, *path = NULL, *write = NULL, *env = NULL;
  g_autofree char *err = NULL;
  Capture c;

  if (!need_netns ())
    return;
  if (!have_tools (tools, &missing))
    {
      g_autofree char *reason = g_strdup_printf ("%s is not installed", missing);

      pl_test_missing (reason);
      return;
    }
  dumpcap = g_find_program_in_path ("dumpcap");
  copy = g_build_filename (work, "dumpcap", NULL);
  {
    const char *cp[] = { "cp", dumpcap, copy, NULL };
    const char *setcap[] = { "setcap", "cap_net_raw,cap_net_admin+eip", copy, NULL };

    g_assert_cmpint (run (cp, NULL, NULL), ==, 0);
    if (run (setcap, NULL, &err) != 0)
      {
        g_autofree char *reason = g_strdup_printf ("file capabilities are not available here: %s", err);

        pl_test_missing (reason);
        return;
      }
  }
  path = g_build_filename (work, "dumpcap.pcapng", NULL);
  write = g_strconcat ("--write=", path, NULL);
  env = g_strconcat ("PL_DUMPCAP=", copy, NULL);
  {
    const char *argv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "env", env, cli (), "--capture=lo", "--filter=tcp port " PORT,
                           "--duration=5", write, "--dump-frames", NULL };
    g_autoptr(GPtrArray) full = in_netns (argv);

    capture_start (&c, (const char * const *) full->pdata);
    capture_wait_started (&c);
    g_assert_nonnull (strstr (c.err->str, "(dumpcap)"));
    fetch_three ();
    capture_finish (&c, 20);
    g_test_message ("stderr: %s", c.err->str);
    g_assert_cmpint (c.status, ==, 0);
    g_assert_nonnull (strstr (c.out->str, "\tGET /large.bin\t"));
    check_file (c.out->str, path);
    capture_clear (&c);
  }
}

/* A capture killed outright (the app closed the hard way) leaves its
 * temporary file, with every frame written before: what the window
 * offers to recover. */
static void
test_killed (void)
{
  g_autofree char *path = NULL, *write = NULL, *part = NULL, *out = NULL;
  const char *argv[] = { NULL, "--capture=lo", "--filter=tcp port " PORT, NULL, "--dump-frames", NULL };
  g_autoptr(GPtrArray) full = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  Capture c;

  if (!need_netns ())
    return;
  path = g_build_filename (work, "killed.pcapng", NULL);
  write = g_strconcat ("--write=", path, NULL);
  argv[0] = cli ();
  argv[3] = write;
  full = in_netns (argv);
  capture_start (&c, (const char * const *) full->pdata);
  capture_wait_started (&c);
  fetch_three ();
  capture_poll (&c, 1500);
  g_assert_false (c.exited);
  g_assert_nonnull (strstr (c.out->str, "\tGET /large.bin\t"));
  kill (c.pid, SIGKILL);
  capture_finish (&c, 20);
  g_assert_cmpint (c.status, ==, 128 + SIGKILL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_dir_open (work, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".killed.pcapng.") && g_str_has_suffix (name, ".part"))
      part = g_build_filename (work, name, NULL);
  g_assert_nonnull (part);
  {
    const char *dump[] = { cli (), "--dump-frames", part, NULL };

    g_assert_cmpint (run (dump, &out, NULL), ==, 0);
    /* Every row printed before the kill is in the file. */
    g_assert_true (g_str_has_prefix (out, c.out->str));
  }
  capture_clear (&c);
}

static void
test_filter_error (void)
{
  g_autofree char *path = g_build_filename (work, "bad-filter.pcapng", NULL);
  g_autofree char *write = g_strconcat ("--write=", path, NULL);
  const char *argv[] = { cli (), "--capture=lo", "--filter=tcp port", "--duration=1", write,
                         "--dump-frames", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GDir) dir = NULL;

  g_assert_cmpint (run (argv, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Bad capture filter: "));
  g_assert_nonnull (strstr (err, "syntax error"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* No temporary file either. */
  dir = g_dir_open (work, 0, NULL);
  g_assert_nonnull (dir);
  {
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".bad-filter.pcapng."));
  }
}

/* A user who may not capture: the message says how to get the right. */
static void
test_permission_error (gconstpointer data)
{
  gboolean with_dumpcap = GPOINTER_TO_INT (data);
  g_autofree char *dumpcap = g_find_program_in_path ("dumpcap");
  g_autofree char *path = g_build_filename (work, "denied.pcapng", NULL);
  g_autofree char *write = g_strconcat ("--write=", path, NULL);
  g_autofree char *env = g_strconcat ("PL_DUMPCAP=", with_dumpcap && dumpcap != NULL ? dumpcap : "", NULL);
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *out = NULL, *err = NULL;
  GPtrArray *argv = g_ptr_array_new ();
  int status;

  if (getuid () == 0)
    {
      if (setpriv == NULL)
        {
          pl_test_missing ("setpriv is not installed (util-linux)");
          g_ptr_array_unref (argv);
          return;
        }
      /* nobody, without any capability. */
      g_ptr_array_add (argv, "setpriv");
      g_ptr_array_add (argv, "--reuid=65534");
      g_ptr_array_add (argv, "--regid=65534");
      g_ptr_array_add (argv, "--clear-groups");
      g_ptr_array_add (argv, "--inh-caps=-all");
    }
  if (with_dumpcap && dumpcap == NULL)
    {
      pl_test_missing ("dumpcap is not installed (wireshark-common)");
      g_ptr_array_unref (argv);
      return;
    }
  g_ptr_array_add (argv, "env");
  g_ptr_array_add (argv, env);
  g_ptr_array_add (argv, (char *) cli ());
  g_ptr_array_add (argv, "--capture=lo");
  g_ptr_array_add (argv, "--duration=2");
  g_ptr_array_add (argv, write);
  g_ptr_array_add (argv, "--dump-frames");
  g_ptr_array_add (argv, NULL);

  status = run ((const char * const *) argv->pdata, &out, &err);
  g_ptr_array_unref (argv);
  g_test_message ("stderr: %s", err);
  if (getuid () != 0 && status == 0)
    {
      pl_test_missing ("this user may capture: no permission error to see");
      return;
    }
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Capturing needs the CAP_NET_RAW capability"));
  g_assert_nonnull (strstr (err, "wireshark group"));
  g_assert_nonnull (strstr (err, "setcap cap_net_raw,cap_net_admin+eip"));
  if (with_dumpcap)
    g_assert_nonnull (strstr (err, "You may not capture on lo (dumpcap: "));
  else
    g_assert_nonnull (strstr (err, "Cannot capture on lo: "));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A folder every user may write into (nobody writes its capture here). */
  work = g_dir_make_tmp ("pl-live-XXXXXX", NULL);
  g_assert_nonnull (work);
  g_chmod (work, 01777);
  www = g_build_filename (work, "www", NULL);
  g_mkdir (www, 0755);
  signal (SIGTERM, on_signal);
  signal (SIGINT, on_signal);

  g_test_add_func ("/live/filter-error", test_filter_error);
  g_test_add_data_func ("/live/permission-error/libpcap", GINT_TO_POINTER (FALSE), test_permission_error);
  g_test_add_data_func ("/live/permission-error/dumpcap", GINT_TO_POINTER (TRUE), test_permission_error);
  g_test_add_func ("/live/lo-http", test_lo_http);
  g_test_add_func ("/live/sigint-count", test_sigint_and_count);
  g_test_add_func ("/live/dumpcap", test_dumpcap);
  g_test_add_func ("/live/killed", test_killed);

  status = g_test_run ();
  cleanup ();
  g_free (www);
  g_free (work);
  return status;
}
