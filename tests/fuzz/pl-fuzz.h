/* pl-fuzz.h: what every fuzz target shares.
 *
 * A target defines LLVMFuzzerTestOneInput() (and may define
 * LLVMFuzzerInitialize()).  Built with -Dfuzzing=true it links libFuzzer's
 * main; otherwise replay.c supplies a main that runs the target once per
 * file of its corpus, as an ordinary g_test case.
 *
 * PL_FUZZ_CHECK() states an invariant of the code under test.  It aborts
 * (so libFuzzer saves the input) whatever the build type: a plain g_assert()
 * could be compiled out.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

/* The largest input: seeds (make-seeds.py) and reproducers are no bigger,
 * and libFuzzer runs with -max_len=16384 (README.md). */
#define PL_FUZZ_MAX_LEN 16384

int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);
int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);

#define PL_FUZZ_CHECK(cond)                                              \
  G_STMT_START {                                                         \
    if (G_UNLIKELY (!(cond)))                                            \
      {                                                                  \
        fprintf (stderr, "%s:%d: invariant failed: %s\n",                \
                 __FILE__, __LINE__, #cond);                             \
        abort ();                                                        \
      }                                                                  \
  } G_STMT_END

static inline GLogWriterOutput
pl_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  GLogWriterOutput ret = g_log_writer_default (log_level, fields, n_fields, user_data);

  /* abort(), not GLib's breakpoint trap: libFuzzer saves the input on
   * SIGABRT. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return ret;
}

/* Any warning or critical from GLib, Pango or our code is a finding, and
 * nothing should reach stderr on hostile input (bad packets become notes). */
static inline void
pl_fuzz_make_warnings_fatal (void)
{
  static gboolean done;

  /* Not g_log_set_always_fatal(): that traps before the writer runs. */
  if (!done)
    g_log_set_writer_func (pl_fuzz_log_writer, NULL, NULL);
  done = TRUE;
}

/* Touches every byte so that AddressSanitizer checks the whole range. */
static inline guint
pl_fuzz_touch (const guint8 *data,
               gsize         len)
{
  guint sum = 0;
  gsize i;

  for (i = 0; i < len; i++)
    sum += data[i];
  return sum;
}

G_END_DECLS
