/* test-cli.c: the headless command line as users meet it: exit statuses,
 * messages that name the file, a capture cut short, and the stream list. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pl-cli-test.h"
#include "pl-test-require.h"

static guint
count_lines (const char *s)
{
  guint n = 0;

  for (; *s; s++)
    if (*s == '\n')
      n++;
  return n;
}

static void
test_usage (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(Run) none = { 0 };
  g_auto(Run) both = { 0 };
  g_auto(Run) two_files = { 0 };
  g_auto(Run) bad_option = { 0 };

  run_cli (&none, "--dump-frames", NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpstr (none.out, ==, "");

  run_cli (&both, "--dump-frames", "--list-streams", sample, NULL);
  g_assert_cmpint (both.status, ==, 2);

  run_cli (&two_files, "--dump-frames", sample, sample, NULL);
  g_assert_cmpint (two_files.status, ==, 2);

  run_cli (&bad_option, "--dump-frames", "--no-such-option", sample, NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
}

static void
test_unreadable (void)
{
  g_autofree char *readme = g_build_filename (PL_TEST_SOURCE_ROOT, "README.md", NULL);
  g_autofree char *missing = g_build_filename (PL_TEST_SOURCE_ROOT, "no-such-capture.pcap", NULL);
  g_auto(Run) not_capture = { 0 };
  g_auto(Run) absent = { 0 };
  g_auto(Run) folder = { 0 };

  run_cli (&not_capture, "--dump-frames", readme, NULL);
  g_assert_cmpint (not_capture.status, ==, 1);
  g_assert_cmpstr (not_capture.out, ==, "");
  g_assert_nonnull (strstr (not_capture.err, readme));
  g_assert_cmpuint (count_lines (not_capture.err), ==, 1);

  run_cli (&absent, "--list-streams", missing, NULL);
  g_assert_cmpint (absent.status, ==, 1);
  g_assert_nonnull (strstr (absent.err, missing));

  run_cli (&folder, "--list-streams", PL_TEST_SOURCE_ROOT, NULL);
  g_assert_cmpint (folder.status, ==, 1);
  g_assert_nonnull (strstr (folder.err, PL_TEST_SOURCE_ROOT));
}

/* A capture that tcpdump is still writing ends inside a record: every
 * complete frame is printed, a warning goes to stderr, exit 0. */
static void
test_cut_short (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *contents = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("pl-cli-XXXXXX", NULL);
  g_autofree char *cut = g_build_filename (tmpdir, "growing.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) full = { 0 };
  g_auto(Run) partial = { 0 };
  gsize len;
  guint full_frames, partial_frames;

  g_assert_true (g_file_get_contents (sample, &contents, &len, &error));
  /* Cut in the middle of the file: almost surely inside a record. */
  g_assert_true (g_file_set_contents (cut, contents, len / 2 + 7, &error));

  run_cli (&full, "--dump-frames", sample, NULL);
  run_cli (&partial, "--dump-frames", cut, NULL);
  g_assert_cmpint (full.status, ==, 0);
  g_assert_cmpint (partial.status, ==, 0);
  g_assert_nonnull (strstr (partial.err, "warning"));
  g_assert_nonnull (strstr (partial.err, cut));

  full_frames = count_lines (full.out) - 1;
  partial_frames = count_lines (partial.out) - 1;
  g_assert_cmpuint (partial_frames, >, 0);
  g_assert_cmpuint (partial_frames, <, full_frames);
  /* The frames we have are the same rows as in the full file. */
  g_assert_cmpint (strncmp (full.out, partial.out, strlen (partial.out)), ==, 0);

  g_unlink (cut);
  g_rmdir (tmpdir);
}

/* A gzip-compressed capture gives the same dumps as the plain file; a .gz
 * that is damaged from the start fails with one line naming it. */
static void
test_gzip (void)
{
  g_autofree char *plain = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab.pcapng", NULL);
  g_autofree char *gz = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab.pcapng.gz", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("pl-cli-gz-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "bad.pcapng.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) plain_frames = { 0 };
  g_auto(Run) gz_frames = { 0 };
  g_auto(Run) plain_streams = { 0 };
  g_auto(Run) gz_streams = { 0 };
  g_auto(Run) damaged = { 0 };
  gsize len;

  run_cli (&plain_frames, "--dump-frames", plain, NULL);
  run_cli (&gz_frames, "--dump-frames", gz, NULL);
  g_assert_cmpint (gz_frames.status, ==, 0);
  g_assert_cmpstr (gz_frames.err, ==, "");
  g_assert_cmpuint (count_lines (gz_frames.out), >, 10);
  g_assert_cmpstr (gz_frames.out, ==, plain_frames.out);

  run_cli (&plain_streams, "--list-streams", plain, NULL);
  run_cli (&gz_streams, "--list-streams", gz, NULL);
  g_assert_cmpstr (gz_streams.out, ==, plain_streams.out);

  g_assert_true (g_file_get_contents (gz, &contents, &len, &error));
  g_assert_no_error (error);
  contents[3] = (char) 0xe0;  /* reserved header flags: zlib refuses it */
  g_assert_true (g_file_set_contents (bad, contents, (gssize) len, &error));
  g_assert_no_error (error);
  run_cli (&damaged, "--dump-frames", bad, NULL);
  g_assert_cmpint (damaged.status, ==, 1);
  g_assert_cmpstr (damaged.out, ==, "");
  g_assert_nonnull (strstr (damaged.err, bad));
  g_assert_nonnull (strstr (damaged.err, "gzip"));
  g_assert_cmpuint (count_lines (damaged.err), ==, 1);

  g_unlink (bad);
  g_rmdir (tmpdir);
}

/* --follow: a capture still being written.  The command prints what is
 * there, picks up the frames appended later, and stops once the file has
 * not grown for the seconds given; the result is the dump of the whole
 * file. */
static void
test_follow (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *contents = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("pl-follow-XXXXXX", NULL);
  g_autofree char *growing = g_build_filename (tmpdir, "growing.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(Run) full = { 0 };
  const char *argv[] = { g_getenv ("PL_CLI"), "--dump-frames", "--follow=1", growing, NULL };
  gsize len, half;
  GPid pid;
  int out_fd, wait_status;
  FILE *f;
  char buf[4096];
  gssize got;

  g_assert_true (g_file_get_contents (sample, &contents, &len, &error));
  half = len / 3 + 5;
  g_assert_true (g_file_set_contents (growing, contents, half, &error));

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);

  /* The writer goes on: the rest arrives in two pieces. */
  g_usleep (400 * 1000);
  f = fopen (growing, "ab");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (contents + half, 1, (len - half) / 2, f), ==, (len - half) / 2);
  fclose (f);
  g_usleep (400 * 1000);
  f = fopen (growing, "ab");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (contents + half + (len - half) / 2, 1, len - half - (len - half) / 2, f),
                    ==, len - half - (len - half) / 2);
  fclose (f);

  /* Read to the end: the command exits about a second after the last write. */
  while ((got = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, got);
  close (out_fd);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  run_cli (&full, "--dump-frames", sample, NULL);
  g_assert_cmpstr (out->str, ==, full.out);

  g_unlink (growing);
  g_rmdir (tmpdir);
}

/* --follow when the file shrinks under it (tcpdump -w started again on the
 * same name): what was printed cannot be continued, so the command says
 * "FILE was truncated" and exits 1, never killed by a signal (the file is
 * mapped: reading past its new end would raise SIGBUS). */
static void
test_follow_truncated (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *contents = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("pl-follow-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "rewritten.pcap", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_auto(Run) full = { 0 };
  const char *argv[] = { g_getenv ("PL_CLI"), "--dump-frames", "--follow=5", path, NULL };
  gsize len;
  GPid pid;
  int out_fd, err_fd, wait_status;
  gint64 deadline;
  FILE *f;
  char buf[4096];
  gssize got;

  g_assert_true (g_file_get_contents (sample, &contents, &len, &error));
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  run_cli (&full, "--dump-frames", sample, NULL);

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, &err_fd, &error));
  g_assert_no_error (error);

  /* The whole first dump, then the writer starts over on the same file
   * (same inode, O_TRUNC) and writes a third of it again. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (out->len < strlen (full.out) && g_get_monotonic_time () < deadline &&
         (got = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, got);
  g_assert_cmpstr (out->str, ==, full.out);
  f = fopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (contents, 1, len / 3, f), ==, len / 3);
  fclose (f);

  while ((got = read (out_fd, buf, sizeof buf)) > 0)
    g_string_append_len (out, buf, got);
  while ((got = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (err, buf, got);
  close (out_fd);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_test_message ("stderr: %s", err->str);
  g_assert_false (WIFSIGNALED (wait_status));
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_true (g_str_has_prefix (err->str, "packet-ladder: "));
  g_assert_nonnull (strstr (err->str, path));
  g_assert_nonnull (strstr (err->str, "was truncated"));
  /* Nothing printed after the first dump. */
  g_assert_cmpstr (out->str, ==, full.out);

  g_unlink (path);
  g_rmdir (tmpdir);
}

/* Output that cannot be written (a full disk): the dumps exit 1 with one
 * line on stderr, rather than 0 with the output cut short. */
static void
test_write_error (void)
{
  const char *commands[] = { "--dump-frames", "--list-streams", "--dump-http" };
  g_autofree char *sample = sample_path ();
  guint i;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      pl_test_missing ("no /dev/full on this system");
      return;
    }
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      /* The shell points standard output at /dev/full, then becomes the
       * command. */
      run_cli_shell (&run, "exec \"$0\" \"$1\" \"$2\" > /dev/full", commands[i], sample, NULL);
      g_test_message ("%s > /dev/full: exit %d, stderr: %s", commands[i], run.status, run.err);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_true (g_str_has_prefix (run.err, "packet-ladder: "));
      g_assert_nonnull (strstr (run.err, "standard output"));
      g_assert_cmpuint (count_lines (run.err), ==, 1);
    }
}

/* An output name that is a FIFO, a device or a folder is refused and left
 * as it was, by --export as by --save-body: replacing a device node with a
 * file would destroy it, and opening a FIFO would wait for a reader.  (A
 * hang shows as exit 124 of timeout(1).) */
static void
test_output_not_regular (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *tmpdir = g_dir_make_tmp ("pl-output-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (tmpdir, "ladder.svg", NULL);
  g_autofree char *folder = g_build_filename (tmpdir, "ladder.txt", NULL);
  g_autofree char *export_to_fifo = g_strconcat ("--export=", fifo, NULL);
  g_autofree char *export_to_folder = g_strconcat ("--export=", folder, NULL);
  g_autofree char *body_to_fifo = g_strconcat ("--save-body=6:", fifo, NULL);
  g_auto(Run) export_fifo = { 0 };
  g_auto(Run) export_folder = { 0 };
  g_auto(Run) body_fifo = { 0 };
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  guint n = 0;

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);

  run_cli_shell (&export_fifo, "exec timeout 30 \"$0\" \"$1\" \"$2\"",
                 export_to_fifo, sample, NULL);
  g_test_message ("--export to a FIFO: exit %d, %s", export_fifo.status, export_fifo.err);
  g_assert_cmpint (export_fifo.status, ==, 1);
  g_assert_nonnull (strstr (export_fifo.err, fifo));
  g_assert_nonnull (strstr (export_fifo.err, "not a regular file"));
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  run_cli_shell (&export_folder, "exec timeout 30 \"$0\" \"$1\" \"$2\"",
                 export_to_folder, sample, NULL);
  g_assert_cmpint (export_folder.status, ==, 1);
  g_assert_nonnull (strstr (export_folder.err, "not a regular file"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));

  /* Frame 6 of the sample completes the response to GET /. */
  run_cli_shell (&body_fifo, "exec timeout 30 \"$0\" \"$1\" \"$2\"",
                 body_to_fifo, sample, NULL);
  g_test_message ("--save-body to a FIFO: exit %d, %s", body_fifo.status, body_fifo.err);
  g_assert_cmpint (body_fifo.status, ==, 1);
  g_assert_nonnull (strstr (body_fifo.err, "not a regular file"));
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));

  /* Nothing else was left in the folder (no temporary file). */
  dir = g_dir_open (tmpdir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 2);

  g_rmdir (folder);
  g_unlink (fifo);
  g_rmdir (tmpdir);
}

static void
test_list_streams (void)
{
  g_autofree char *sample = sample_path ();
  g_auto(Run) streams = { 0 };
  g_auto(Run) frames = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) frame_lines = NULL;
  guint64 sum[8][2] = { { 0 } };
  guint counted[8] = { 0 };
  guint i;

  run_cli (&streams, "--list-streams", sample, NULL);
  run_cli (&frames, "--dump-frames", sample, NULL);
  g_assert_cmpint (streams.status, ==, 0);
  g_assert_cmpint (frames.status, ==, 0);

  /* Sum the len column per stream and direction from the frame dump. */
  frame_lines = g_strsplit (frames.out, "\n", -1);
  for (i = 1; frame_lines[i] && frame_lines[i][0]; i++)
    {
      g_auto(GStrv) f = g_strsplit (frame_lines[i], "\t", -1);
      guint s = (guint) g_ascii_strtoull (f[6], NULL, 10);
      gboolean to_server = strcmp (f[5], "8080") == 0;

      g_assert_cmpuint (s, <, 8);
      sum[s][to_server ? 0 : 1] += g_ascii_strtoull (f[12], NULL, 10);
      counted[s]++;
    }

  lines = g_strsplit (streams.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "stream\tclient\tserver\tframes\tbytes_c2s\tbytes_s2c\tfirst_frame\tlast_frame\tduration\tstate\thttp\tsni");
  /* The sample: the lab's one keep-alive connection, four requests. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 1 + 1);
  g_assert_true (g_str_has_suffix (lines[1], "\tclosed\tGET / -> 200; GET /logo.jpg -> 200; "
                                             "GET /music.mp3 -> 206; GET /music.mp3 -> 206\t"));
  for (i = 1; i <= 1; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 12);
      g_assert_cmpuint (g_ascii_strtoull (f[0], NULL, 10), ==, i - 1);
      g_assert_true (g_str_has_prefix (f[1], "127.0.0.1:"));
      g_assert_cmpstr (f[2], ==, "127.0.0.1:8080");
      g_assert_cmpuint (g_ascii_strtoull (f[3], NULL, 10), ==, counted[i - 1]);
      g_assert_cmpuint (g_ascii_strtoull (f[4], NULL, 10), ==, sum[i - 1][0]);
      g_assert_cmpuint (g_ascii_strtoull (f[5], NULL, 10), ==, sum[i - 1][1]);
    }
}

/* Every file of the shared corpus's malformed/ folder opens with its bad
 * frames marked or exits 1 with a message naming the file: never a crash. */
static void
test_malformed (void)
{
  const char *corpus = pl_test_corpus_dir ();
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  if (corpus == NULL)
    {
      pl_test_corpus_absent ("its malformed/ captures");
      return;
    }
  dir_path = g_build_filename (corpus, "malformed", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    {
      pl_test_missing ("the shared corpus has no malformed/ folder");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_auto(Run) dump = { 0 };
      g_auto(Run) streams = { 0 };

      if (!g_str_has_suffix (name, ".pcap") && !g_str_has_suffix (name, ".pcapng"))
        continue;
      run_cli (&dump, "--dump-frames", path, NULL);
      run_cli (&streams, "--list-streams", path, NULL);
      g_test_message ("%s: exit %d: %s", name, dump.status, dump.err);
      g_assert_cmpint (dump.status, >=, 0);
      g_assert_true (dump.status == 0 || dump.status == 1);
      g_assert_cmpint (streams.status, ==, dump.status);
      if (dump.status == 1 || dump.err[0] != '\0')
        g_assert_nonnull (strstr (dump.err, path));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* --no-states leaves out the state labels the text ladder writes beside
 * the lifelines (the window's "show-states" off); nothing else changes. */
static void
test_export_no_states (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *dir = g_dir_make_tmp ("pl-cli-states-XXXXXX", NULL);
  g_autofree char *with_path = g_build_filename (dir, "with.txt", NULL);
  g_autofree char *without_path = g_build_filename (dir, "without.txt", NULL);
  g_autofree char *with_arg = g_strdup_printf ("--export=%s", with_path);
  g_autofree char *without_arg = g_strdup_printf ("--export=%s", without_path);
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };

  run_cli (&a, with_arg, "--stream=0", sample, NULL);
  run_cli (&b, without_arg, "--stream=0", "--no-states", sample, NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_true (g_file_get_contents (with_path, &with, NULL, NULL));
  g_assert_true (g_file_get_contents (without_path, &without, NULL, NULL));
  g_assert_nonnull (strstr (with, "ESTABLISHED"));
  g_assert_nonnull (strstr (with, "TIME_WAIT"));
  g_assert_null (strstr (without, "ESTABLISHED"));
  g_assert_null (strstr (without, "TIME_WAIT"));
  g_assert_nonnull (strstr (without, "[SYN]"));
  g_unlink (with_path);
  g_unlink (without_path);
  g_rmdir (dir);
}

/* --paper paginates a PDF onto the paper (pdfinfo reads the page size);
 * given for another format, or an unknown paper, it is a usage error and
 * nothing is written. */
static void
test_export_paper (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *dir = g_dir_make_tmp ("pl-cli-paper-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "lab.pdf", NULL);
  g_autofree char *svg = g_build_filename (dir, "lab.svg", NULL);
  g_autofree char *pdf_arg = g_strdup_printf ("--export=%s", pdf);
  g_autofree char *svg_arg = g_strdup_printf ("--export=%s", svg);
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *info = NULL;
  g_auto(Run) letter = { 0 };
  g_auto(Run) not_pdf = { 0 };
  g_auto(Run) unknown = { 0 };

  run_cli (&not_pdf, svg_arg, "--paper=a4", sample, NULL);
  g_assert_cmpint (not_pdf.status, ==, 2);
  g_assert_nonnull (strstr (not_pdf.err, "--paper"));
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));

  run_cli (&unknown, pdf_arg, "--paper=a3", sample, NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "a4|letter"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  run_cli (&letter, pdf_arg, "--paper=letter", "--stream=0", sample, NULL);
  g_assert_cmpint (letter.status, ==, 0);
  if (pdfinfo == NULL)
    {
      g_unlink (pdf);
      g_rmdir (dir);
      pl_test_missing ("pdfinfo (poppler-utils) is not installed");
      return;
    }
  {
    const char *argv[] = { pdfinfo, pdf, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &info, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_nonnull (strstr (info, "792 x 612 pts (letter)"));
  g_unlink (pdf);
  g_rmdir (dir);
}

/* The load parses records from the read-ahead's buffers (see
 * pl-read-ahead.h) and keeps pointers into the mapping: every capture of
 * tests/data and the sample dumps the same parsed from the mapping alone
 * (PL_LOAD_READ_AHEAD=0), with the default windows, and with windows of
 * 4096 and 1000 bytes (overlaps of 2048 and 500), which most records
 * cross or outgrow. */
static void
test_read_ahead_identical (void)
{
  g_autofree char *data = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (data, 0, NULL);
  const char *modes[] = { "--dump-frames", "--list-streams", "--dump-http" };
  const char *knobs[] = { "PL_LOAD_READ_AHEAD=", "PL_LOAD_READ_AHEAD=4096", "PL_LOAD_READ_AHEAD=1000" };
  const char *name;
  guint i, k, n_lines = 0;

  g_assert_nonnull (dir);
  g_ptr_array_add (paths, sample_path ());
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pcap") || g_str_has_suffix (name, ".pcapng"))
      g_ptr_array_add (paths, g_build_filename (data, name, NULL));
  g_assert_cmpuint (paths->len, >, 20);
  for (i = 0; i < paths->len; i++)
    for (k = 0; k < G_N_ELEMENTS (modes); k++)
      {
        g_auto(Run) mapped = { 0 };

        run_cli_shell (&mapped, "PL_LOAD_READ_AHEAD=0 \"$0\" \"$1\" \"$2\"", modes[k],
                       (const char *) paths->pdata[i], NULL);
        for (guint v = 0; v < G_N_ELEMENTS (knobs); v++)
          {
            g_auto(Run) ahead = { 0 };
            g_autofree char *command = g_strdup_printf ("%s \"$0\" \"$1\" \"$2\"", knobs[v]);

            run_cli_shell (&ahead, command, modes[k], (const char *) paths->pdata[i], NULL);
            g_assert_cmpint (ahead.status, ==, mapped.status);
            g_assert_cmpstr (ahead.out, ==, mapped.out);
            g_assert_cmpstr (ahead.err, ==, mapped.err);
          }
        n_lines += count_lines (mapped.out);
      }
  g_test_message ("%u captures, %u lines equal in 4 ways", paths->len, n_lines);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("PL_CLI"));
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/unreadable", test_unreadable);
  g_test_add_func ("/cli/cut-short", test_cut_short);
  g_test_add_func ("/cli/gzip", test_gzip);
  g_test_add_func ("/cli/list-streams", test_list_streams);
  g_test_add_func ("/cli/follow", test_follow);
  g_test_add_func ("/cli/follow-truncated", test_follow_truncated);
  g_test_add_func ("/cli/write-error", test_write_error);
  g_test_add_func ("/cli/output-not-regular", test_output_not_regular);
  g_test_add_func ("/cli/malformed", test_malformed);
  g_test_add_func ("/cli/export-no-states", test_export_no_states);
  g_test_add_func ("/cli/export-paper", test_export_paper);
  g_test_add_func ("/cli/read-ahead-identical", test_read_ahead_identical);
  return g_test_run ();
}
