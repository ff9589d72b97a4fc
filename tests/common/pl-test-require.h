/* pl-test-require.h: what a test needs and may not find here (the shared
 * capture corpus, a tool, a locale).
 *
 * Locally, a missing piece is a visible TAP skip that says what is missing.
 * In CI every piece is provided (build-aux/test installs the tools and the
 * locale, the corpus sits beside the clone), and .ci/run sets
 * PL_REQUIRE_CORPUS=1: then a missing piece is a failure, so a check can
 * never drop out of the suite quietly.
 */
#pragma once

#include <glib.h>
#include <string.h>

/* TRUE when everything must run (PL_REQUIRE_CORPUS=1). */
static inline gboolean
pl_test_required (void)
{
  const char *value = g_getenv ("PL_REQUIRE_CORPUS");

  return value != NULL && strcmp (value, "1") == 0;
}

/* Ends the current test case: a skip with its reason, or (when everything
 * must run) a failure with the same reason.  The caller returns after it. */
static inline void
pl_test_missing (const char *reason)
{
  if (pl_test_required ())
    g_test_fail_printf ("%s (PL_REQUIRE_CORPUS=1: nothing may be skipped)", reason);
  else
    g_test_skip (reason);
}

/* The shared corpus folder (PL_SHARED_PCAPS, set by meson to ../shared/pcaps
 * beside the source tree), or NULL when it is not there. */
static inline const char *
pl_test_corpus_dir (void)
{
  const char *corpus = g_getenv ("PL_SHARED_PCAPS");

  if (corpus == NULL || corpus[0] == '\0' || !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    return NULL;
  return corpus;
}

/* A test case for a missing corpus: register it instead of the cases that
 * would have read it, so the TAP output says what did not run. */
static inline void
pl_test_corpus_absent (gconstpointer what)
{
  g_autofree char *reason =
    g_strdup_printf ("the shared capture corpus is not here (PL_SHARED_PCAPS=%s): %s not checked",
                     g_getenv ("PL_SHARED_PCAPS") != NULL ? g_getenv ("PL_SHARED_PCAPS") : "(unset)",
                     (const char *) what);

  pl_test_missing (reason);
}
