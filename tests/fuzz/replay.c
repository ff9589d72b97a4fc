/* replay.c: runs a fuzz target over its corpus without libFuzzer.
 *
 * Built into every target's replay executable (suite 'fuzz'), so the
 * ordinary test run, and the CI's ASan/UBSan run, checks every seed and
 * every crash reproducer ever found: one g_test case per corpus file.
 *
 * Each input is copied into a buffer of exactly its size, as libFuzzer
 * does, so that AddressSanitizer sees a read one byte past the end
 * (g_file_get_contents() would hide it behind a NUL).
 */
#include "config.h"

#include <string.h>

#include "pl-fuzz.h"

/* Weak, so that a target without an initializer links. */
__attribute__((weak)) int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  return 0;
}

static void
replay_one (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  /* libFuzzer runs with -max_len=16384 (README.md): a bigger input could
   * not have been found, and big seeds make the slow targets slower. */
  g_assert_cmpuint (len, <=, PL_FUZZ_MAX_LEN);

  /* g_malloc (0) is NULL; libFuzzer hands a valid pointer even then. */
  exact = g_malloc (MAX (len, 1));
  memcpy (exact, contents, len);
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (LLVMFuzzerTestOneInput (exact, len), ==, 0);
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_corpus_present (gconstpointer user_data)
{
  const char *dir = user_data;

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "fuzz", "corpus",
                                           PL_FUZZ_TARGET, NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint i;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  g_test_add_data_func ("/fuzz/" PL_FUZZ_TARGET "/corpus", dir, test_corpus_present);

  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      char *test_path = g_strdup_printf ("/fuzz/" PL_FUZZ_TARGET "/%s", file);
      char *full = g_build_filename (dir, file, NULL);

      g_test_add_data_func_full (test_path, full, replay_one, g_free);
      g_free (test_path);
    }

  return g_test_run ();
}
