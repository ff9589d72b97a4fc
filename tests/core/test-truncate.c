/* test-truncate.c: a capture file that shrinks while it is open (truncated,
 * or written again from the start by a new tcpdump) never kills us.
 *
 * The file is mapped; without the guard, reading a page past its new end
 * raises SIGBUS.  Each case runs in a subprocess, so a crash fails the case
 * (and says how) rather than the whole program: after a load, every read
 * of the frames (field trees, headers, bytes, HTTP bodies) returns, and
 * the capture reports the file as truncated; during a load (truncated from
 * the progress callback), the load fails with that error.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pl-field.h"
#include "pl-http-message.h"

static char *tmp_dir;

static char *
copy_sample (const char *name)
{
  g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
  g_autofree char *contents = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);
  gsize len;

  g_assert_true (g_file_get_contents (sample, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
  return path;
}

static void
assert_truncated (PlCapture  *capture,
                  const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pl_capture_check_file (capture, &error));
  g_assert_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
}

/* Reads everything a window or a dump reads from the mapping. */
static guint64
read_everything (PlCapture *capture)
{
  guint64 sum = 0;
  guint i;

  for (i = 0; i < pl_capture_get_n_frames (capture); i++)
    {
      g_autoptr(PlField) tree = pl_field_tree_build (capture, i);
      const guint8 *data;
      guint32 caplen, k;
      PlPacket pkt;

      g_assert_nonnull (tree);
      pl_capture_decode_frame (capture, i, &pkt);
      data = pl_capture_get_frame_data (capture, i, &caplen);
      for (k = 0; k < caplen; k++)
        sum += data[k];
    }
  for (i = 0; i < pl_capture_get_n_http_messages (capture); i++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, i);
      g_autoptr(GBytes) body = pl_http_message_dup_body (msg, TRUE, NULL);

      sum += pl_http_message_get_last_frame (msg);
    }
  return sum;
}

static void
test_after_load (void)
{
  g_autofree char *path = copy_sample ("after-load.pcap");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  guint64 before;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      g_unlink (path);
      return;
    }

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pl_capture_check_file (capture, NULL));
  before = read_everything (capture);
  g_assert_cmpuint (before, >, 0);

  /* What `tcpdump -w` run again on the same name does first. */
  g_assert_cmpint (truncate (path, 1000), ==, 0);
  assert_truncated (capture, path);

  /* Every page past byte 1000 is gone: reading them returns. */
  read_everything (capture);
  assert_truncated (capture, path);
}

/* The guard catches the read itself, not only the size: the file shrinks,
 * then grows back past its old size with other bytes, so its size says
 * nothing; the pages read before the shrink are gone all the same. */
static void
test_shrink_and_regrow (void)
{
  g_autofree char *path = copy_sample ("regrow.pcap");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  guint32 caplen;
  guint last;
  volatile guint8 byte;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      g_unlink (path);
      return;
    }

  g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  last = pl_capture_get_n_frames (capture) - 1;
  data = pl_capture_get_frame_data (capture, last, &caplen);
  byte = data[caplen - 1];
  (void) byte;

  /* Shrunk: the next read of the last frame faults, and reads zeros. */
  g_assert_cmpint (truncate (path, 24), ==, 0);
  data = pl_capture_get_frame_data (capture, last, &caplen);
  g_assert_cmpuint (data[caplen - 1], ==, 0);
  g_assert_cmpint (truncate (path, 4 << 20), ==, 0);
  assert_truncated (capture, path);
}

/* Shrunk while the loader reads it: the load fails, saying so. */
static void
truncate_on_progress (double   fraction,
                      gpointer user_data)
{
  const char *path = user_data;

  if (fraction < 1.0)
    g_assert_cmpint (truncate (path, 4096), ==, 0);
}

static void
test_while_loading (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "while-loading.pcap", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_autofree char *sample = g_build_filename (PL_TEST_SOURCE_ROOT, "data", "samples", "lab.pcap", NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GByteArray) big = g_byte_array_new ();
      gsize len;
      guint copies;

      /* The sample's records again and again: 40,000 frames, so the
       * loader reports progress (every 8192) long before the end. */
      g_assert_true (g_file_get_contents (sample, &contents, &len, NULL));
      g_byte_array_append (big, (const guint8 *) contents, (guint) len);
      for (copies = 1; copies < 100; copies++)
        g_byte_array_append (big, (const guint8 *) contents + 24, (guint) len - 24);
      g_assert_true (g_file_set_contents (path, (const char *) big->data, big->len, NULL));

      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      g_unlink (path);
      return;
    }

  g_assert_false (pl_capture_load (capture, NULL, truncate_on_progress, path, &error));
  g_assert_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, path));
}

int
main (int    argc,
      char **argv)
{
  gboolean owner = FALSE;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The parent makes the folder; the children find it here. */
  tmp_dir = g_strdup (g_getenv ("PL_TRUNCATE_TMPDIR"));
  if (tmp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmp_dir = g_dir_make_tmp ("pl-truncate-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("PL_TRUNCATE_TMPDIR", tmp_dir, TRUE);
      owner = TRUE;
    }

  g_test_add_func ("/capture/truncate/after-load", test_after_load);
  g_test_add_func ("/capture/truncate/shrink-and-regrow", test_shrink_and_regrow);
  g_test_add_func ("/capture/truncate/while-loading", test_while_loading);
  ret = g_test_run ();

  if (owner)
    g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
