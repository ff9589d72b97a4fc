/* test-gzip.c: gzip-compressed captures (pl-gzip.c and the capture that
 * opens them): one and several members, the size bound, files cut short
 * and damaged, each with a message that names the file. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-gzip.h"

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
assert_inflates_to (const char *gz_name,
                    const char *plain_name)
{
  g_autoptr(GBytes) gz = read_fixture (gz_name);
  g_autoptr(GBytes) plain = read_fixture (plain_name);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) warning = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (gz, &len);

  g_assert_true (pl_gzip_is_gzip (data, len));
  out = pl_gzip_inflate (data, len, gz_name, PL_GZIP_MAX_INFLATED, &warning, &error);
  g_assert_no_error (error);
  g_assert_no_error (warning);
  g_assert_nonnull (out);
  g_assert_true (g_bytes_equal (out, plain));
}

static void
test_one_member (void)
{
  assert_inflates_to ("lab.pcapng.gz", "lab.pcapng");
}

/* Two members concatenated are one stream, as gunzip reads them. */
static void
test_two_members (void)
{
  assert_inflates_to ("nsec-2members.pcap.gz", "nsec.pcap");
}

static void
test_not_gzip (void)
{
  g_autoptr(GBytes) plain = read_fixture ("lab.pcapng");
  gsize len;
  const guint8 *data = g_bytes_get_data (plain, &len);
  static const guint8 other_method[] = { 0x1f, 0x8b, 0x07, 0 };

  g_assert_false (pl_gzip_is_gzip (data, len));
  g_assert_false (pl_gzip_is_gzip (other_method, sizeof other_method));
  g_assert_false (pl_gzip_is_gzip (other_method, 2));
}

/* Beyond the bound: refused, naming the file, and saying what to do. */
static void
test_size_bound (void)
{
  g_autoptr(GBytes) gz = read_fixture ("lab.pcapng.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) warning = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (gz, &len);
  GBytes *out;

  out = pl_gzip_inflate (data, len, "big.pcapng.gz", 50000, &warning, &error);
  g_assert_null (out);
  g_assert_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "big.pcapng.gz"));
  g_assert_nonnull (strstr (error->message, "gunzip"));
  g_assert_no_error (warning);
}

/* Cut short: what was inflated is kept (a prefix of the capture) with a
 * warning; cut inside the header, nothing is, and it is an error. */
static void
test_truncated (void)
{
  g_autoptr(GBytes) gz = read_fixture ("lab.pcapng.gz");
  g_autoptr(GBytes) plain = read_fixture ("lab.pcapng");
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) warning = NULL;
  g_autoptr(GError) header_error = NULL;
  gsize len, plain_len, out_len;
  const guint8 *data = g_bytes_get_data (gz, &len);
  const guint8 *plain_data = g_bytes_get_data (plain, &plain_len);
  const guint8 *out_data;

  out = pl_gzip_inflate (data, len / 2, "cut.pcapng.gz", PL_GZIP_MAX_INFLATED, &warning, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_error (warning, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (warning->message, "cut.pcapng.gz"));
  out_data = g_bytes_get_data (out, &out_len);
  g_assert_cmpuint (out_len, >, 0);
  g_assert_cmpuint (out_len, <, plain_len);
  g_assert_cmpmem (out_data, out_len, plain_data, out_len);

  g_assert_null (pl_gzip_inflate (data, 12, "header.pcapng.gz", PL_GZIP_MAX_INFLATED, NULL, &header_error));
  g_assert_error (header_error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (header_error->message, "header.pcapng.gz"));
}

/* Damage is never silent: a broken header is an error; damaged deflate
 * data, or a checksum that does not match, a warning at least. */
static void
test_corrupt (void)
{
  g_autoptr(GBytes) gz = read_fixture ("lab.pcapng.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) warning = NULL;
  g_autoptr(GBytes) out = NULL;
  gsize len, i;
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (gz, &len), g_bytes_get_size (gz));

  /* FLG with reserved bits set: zlib refuses the header. */
  bad[3] = 0xe0;
  g_assert_null (pl_gzip_inflate (bad, len, "flags.pcapng.gz", PL_GZIP_MAX_INFLATED, NULL, &error));
  g_assert_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "flags.pcapng.gz"));
  g_clear_error (&error);

  /* The deflate data scrambled from the middle on. */
  memcpy (bad, g_bytes_get_data (gz, NULL), len);
  for (i = len / 2; i < len / 2 + 64; i++)
    bad[i] ^= 0x5a;
  out = pl_gzip_inflate (bad, len, "middle.pcapng.gz", PL_GZIP_MAX_INFLATED, &warning, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_error (warning, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (warning->message, "middle.pcapng.gz"));
}

static PlCapture *
load (const char *path,
      GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = pl_capture_new (file);

  if (!pl_capture_load (capture, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&capture);
}

/* A capture opened from its .gz has the same frames, byte for byte. */
static void
test_capture_same_frames (void)
{
  g_autofree char *plain_path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab.pcapng", NULL);
  g_autofree char *gz_path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", "lab.pcapng.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlCapture) plain = load (plain_path, &error);
  g_autoptr(PlCapture) gz = NULL;
  guint i, n;

  g_assert_no_error (error);
  gz = load (gz_path, &error);
  g_assert_no_error (error);
  g_assert_null (pl_capture_get_warning (gz));
  n = pl_capture_get_n_frames (plain);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (pl_capture_get_n_frames (gz), ==, n);
  g_assert_cmpuint (pl_capture_get_n_streams (gz), ==, pl_capture_get_n_streams (plain));
  for (i = 0; i < n; i++)
    {
      guint32 a_len, b_len;
      const guint8 *a = pl_capture_get_frame_data (plain, i, &a_len);
      const guint8 *b = pl_capture_get_frame_data (gz, i, &b_len);

      g_assert_cmpmem (a, a_len, b, b_len);
      g_assert_cmpint (pl_capture_get_frame (plain, i)->ts_ns, ==, pl_capture_get_frame (gz, i)->ts_ns);
    }
}

/* A .gz cut short opens with its complete frames and a warning naming it;
 * one damaged at the start does not open, with an error naming it. */
static void
test_capture_damaged_files (void)
{
  g_autoptr(GBytes) gz = read_fixture ("nsec-2members.pcap.gz");
  g_autofree char *dir = g_dir_make_tmp ("pl-gzip-XXXXXX", NULL);
  g_autofree char *cut_path = g_build_filename (dir, "cut.pcap.gz", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.pcap.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlCapture) cut = NULL;
  g_autoptr(PlCapture) bad = NULL;
  const GError *warning;
  gsize len;
  const guint8 *data = g_bytes_get_data (gz, &len);
  g_autofree guint8 *damaged = g_memdup2 (data, len);

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (cut_path, (const char *) data, (gssize) (len * 3 / 4), &error));
  g_assert_no_error (error);
  cut = load (cut_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pl_capture_get_n_frames (cut), >, 10);
  warning = pl_capture_get_warning (cut);
  g_assert_error (warning, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (warning->message, cut_path));

  damaged[3] = 0xe0;
  g_assert_true (g_file_set_contents (bad_path, (const char *) damaged, (gssize) len, &error));
  g_assert_no_error (error);
  bad = load (bad_path, &error);
  g_assert_null (bad);
  g_assert_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, bad_path));

  g_unlink (cut_path);
  g_unlink (bad_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gzip/inflate/one-member", test_one_member);
  g_test_add_func ("/gzip/inflate/two-members", test_two_members);
  g_test_add_func ("/gzip/inflate/not-gzip", test_not_gzip);
  g_test_add_func ("/gzip/inflate/size-bound", test_size_bound);
  g_test_add_func ("/gzip/inflate/truncated", test_truncated);
  g_test_add_func ("/gzip/inflate/corrupt", test_corrupt);
  g_test_add_func ("/gzip/capture/same-frames", test_capture_same_frames);
  g_test_add_func ("/gzip/capture/damaged-files", test_capture_damaged_files);

  return g_test_run ();
}
