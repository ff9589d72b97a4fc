/* pl-gui-test.h: what every GUI test program needs: whether there is a
 * display (a visible SKIP, or a failure under PL_REQUIRE_CORPUS=1, when
 * there is none), and spinning the main loop for a while or until a
 * condition holds, bounded so that a hang fails the case rather than the
 * suite's timeout. */
#pragma once

#include <gtk/gtk.h>

#include "pl-test-require.h"

#ifndef TIMEOUT_S
#define TIMEOUT_S 20
#endif

static inline gboolean
have_display (void)
{
  static int result = -1;

  if (result < 0)
    result = (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL) && gtk_init_check ();
  return result;
}

#define REQUIRE_DISPLAY()                                       \
  G_STMT_START {                                                \
    if (!have_display ())                                       \
      {                                                         \
        pl_test_missing ("no display: run under xvfb-run");     \
        return;                                                 \
      }                                                         \
  } G_STMT_END

static inline gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets redraws, idle work and timeouts run for ms milliseconds. */
static inline void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

/* Spins until cond holds, at most TIMEOUT_S seconds. */
static inline void
wait_for (Condition   cond,
          gpointer    data,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (TIMEOUT_S, set_flag, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (source);
}
