/* pl-mapping-guard.c: answers reads past the end of a shrunken mapped file
 * with zeros instead of dying of SIGBUS (see pl-mapping-guard.h).
 *
 * The SIGBUS handler looks the faulting address up in a list of guarded
 * ranges.  When it falls in one, every page from the faulting one to the
 * end of the mapping lies past the file's new end (the kernel raises SIGBUS
 * only for a page wholly beyond it), so the handler maps anonymous zero
 * pages over them (MAP_FIXED) and returns: the read is retried and sees
 * zeros, and later reads of those pages cost nothing.  The guard's flag
 * tells the owner, who reports the file as changed.
 *
 * The handler may run in any thread at any moment, so it only reads the
 * list with atomic loads and calls mmap(), sigaction() and raise().  The
 * list only grows: a node is published once it is complete, and a removed
 * guard's node is reused by a later one, never freed.  Its owner removes a
 * guard only when no thread reads its mapping any more.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pl-mapping-guard.h"

enum
{
  GUARD_FREE,
  GUARD_CLAIMED,  /* being filled in by its new owner */
  GUARD_ACTIVE,
};

struct _PlMappingGuard
{
  PlMappingGuard *next;   /* set before the node is published, then never */
  gint            state;
  gint            faulted;
  guintptr        start;
  guintptr        end;    /* rounded up to a page: the mapping's last page */
};

static PlMappingGuard *guards;  /* atomic: the head of the list */
static struct sigaction previous_action;
static guintptr page_size;

static void
on_sigbus (int        sig,
           siginfo_t *info,
           void      *context)
{
  guintptr addr = (guintptr) info->si_addr;
  PlMappingGuard *guard;
  int saved_errno = errno;

  for (guard = g_atomic_pointer_get (&guards); guard != NULL; guard = guard->next)
    {
      guintptr page;

      if (g_atomic_int_get (&guard->state) != GUARD_ACTIVE || addr < guard->start || addr >= guard->end)
        continue;
      page = addr & ~(page_size - 1);
      if (mmap ((void *) page, guard->end - page, PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED)
        {
          g_atomic_int_set (&guard->faulted, TRUE);
          errno = saved_errno;
          return;
        }
      break;
    }
  errno = saved_errno;

  /* Not a read of a guarded mapping: what would have happened without us. */
  if (previous_action.sa_flags & SA_SIGINFO)
    {
      if (previous_action.sa_sigaction != NULL)
        {
          previous_action.sa_sigaction (sig, info, context);
          return;
        }
    }
  else if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN)
    {
      previous_action.sa_handler (sig);
      return;
    }
  {
    struct sigaction dfl = { 0 };

    dfl.sa_handler = SIG_DFL;
    sigemptyset (&dfl.sa_mask);
    sigaction (SIGBUS, &dfl, NULL);
    /* A fault happens again when the instruction is retried; a signal
     * someone sent is sent again. */
    if (info->si_code <= 0)
      raise (sig);
  }
}

static void
install_handler (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action = { 0 };

      page_size = (guintptr) sysconf (_SC_PAGESIZE);
      action.sa_sigaction = on_sigbus;
      action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
      sigemptyset (&action.sa_mask);
      if (sigaction (SIGBUS, &action, &previous_action) != 0)
        g_critical ("pl-mapping-guard: cannot install the SIGBUS handler: %s", g_strerror (errno));
      g_once_init_leave (&installed, 1);
    }
}

PlMappingGuard *
pl_mapping_guard_add (const void *start,
                      gsize       length)
{
  PlMappingGuard *guard;

  install_handler ();

  /* A free node, else a new one at the head. */
  for (guard = g_atomic_pointer_get (&guards); guard != NULL; guard = guard->next)
    if (g_atomic_int_compare_and_exchange (&guard->state, GUARD_FREE, GUARD_CLAIMED))
      break;
  if (guard == NULL)
    {
      guard = g_new0 (PlMappingGuard, 1);
      guard->state = GUARD_CLAIMED;
      do
        guard->next = g_atomic_pointer_get (&guards);
      while (!g_atomic_pointer_compare_and_exchange (&guards, guard->next, guard));
    }

  guard->start = (guintptr) start;
  guard->end = ((guintptr) start + length + page_size - 1) & ~(page_size - 1);
  g_atomic_int_set (&guard->faulted, FALSE);
  g_atomic_int_set (&guard->state, GUARD_ACTIVE);
  return guard;
}

gboolean
pl_mapping_guard_faulted (PlMappingGuard *guard)
{
  return guard != NULL && g_atomic_int_get (&guard->faulted);
}

void
pl_mapping_guard_remove (PlMappingGuard *guard)
{
  if (guard != NULL)
    g_atomic_int_set (&guard->state, GUARD_FREE);
}
