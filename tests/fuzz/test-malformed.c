/* test-malformed.c: damaged captures open with notes or fail with a
 * PL_CAPTURE_ERROR naming the file; none crashes, hangs or leaks.
 *
 * Inputs: every file of the shared corpus's malformed/ folder (skipped when
 * the corpus is absent; never copied into the project), and 200 mutations
 * of our own real captures (the fuzz seeds of the capture targets): bit
 * flips, cuts, and byte runs overwritten with 0x00 or 0xff, chosen with
 * g_test_rand (replay one with --seed).  Each is loaded from a file as the
 * application loads it, then read back as the application would
 * (pl_fuzz_check_capture: field trees, --dump-frames values, stream
 * summaries, HTTP messages).  The sanitizer run catches UB and leaks.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pl-capture.h"
#include "pl-fuzz-capture.h"
#include "pl-test-require.h"

#define N_MUTATIONS 200

static void
load_and_check (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PlCapture) capture = g_object_new (PL_TYPE_CAPTURE,
                                               "file", file,
                                               "display-name", path,
                                               NULL);
  g_autoptr(GError) error = NULL;
  const GError *warning;

  if (!pl_capture_load (capture, NULL, NULL, NULL, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == PL_CAPTURE_ERROR);
      g_assert_nonnull (strstr (error->message, path));
      g_test_message ("refused: %s", error->message);
      return;
    }
  g_assert_no_error (error);
  warning = pl_capture_get_warning (capture);
  if (warning != NULL)
    {
      g_assert_true (warning->domain == PL_CAPTURE_ERROR);
      g_assert_nonnull (strstr (warning->message, path));
    }
  pl_fuzz_check_capture (capture);
}

static void
test_shared_malformed (void)
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

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      load_and_check (path);
      n++;
    }
  g_test_message ("%u malformed files", n);
}

/* Our real captures, cut to a few KB: the fuzz seeds. */
static GPtrArray *
load_seeds (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *dir_path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "fuzz", "corpus",
                                                "capture-reader", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      char *contents;
      gsize len;

      if (!g_str_has_prefix (name, "seed-"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
    }
  g_assert_cmpuint (seeds->len, >, 0);
  return seeds;
}

static GByteArray *
mutate (GBytes *seed)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (seed, &len);
  GByteArray *out = g_byte_array_sized_new ((guint) len);
  guint n_edits = g_test_rand_int_range (1, 9);
  guint i;

  g_byte_array_append (out, data, (guint) len);
  for (i = 0; i < n_edits && out->len > 0; i++)
    {
      guint at = g_test_rand_int_range (0, (gint32) out->len);
      /* Drawn once: MIN() evaluates its arguments twice. */
      guint run = g_test_rand_int_range (1, 64);

      switch (g_test_rand_int_range (0, 4))
        {
        case 0:  /* a bit flip */
          out->data[at] ^= (guint8) (1u << g_test_rand_int_range (0, 8));
          break;
        case 1:  /* a cut: the file ends here */
          g_byte_array_set_size (out, at);
          break;
        case 2:  /* a run of zeros or ones (lengths, counts) */
        default:
          memset (out->data + at, g_test_rand_bit () ? 0xff : 0x00, MIN (out->len - at, run % 4 + 1));
          break;
        case 3:  /* a piece removed from the middle */
          g_byte_array_remove_range (out, at, MIN (out->len - at, run));
          break;
        }
    }
  return out;
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) seeds = load_seeds ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pl-malformed-XXXXXX", &error);
  g_autofree char *path = NULL;
  guint i;

  g_assert_no_error (error);
  path = g_build_filename (dir, "mutant.pcap", NULL);
  for (i = 0; i < N_MUTATIONS; i++)
    {
      GBytes *seed = g_ptr_array_index (seeds, g_test_rand_int_range (0, (gint32) seeds->len));
      g_autoptr(GByteArray) mutant = mutate (seed);

      g_assert_true (g_file_set_contents (path, (const char *) mutant->data, mutant->len, NULL));
      load_and_check (path);
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/malformed/shared-corpus", test_shared_malformed);
  g_test_add_func ("/malformed/mutations", test_mutations);

  return g_test_run ();
}
