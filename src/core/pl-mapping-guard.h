/* pl-mapping-guard.h: keeps a mapped file's reader alive when the file
 * shrinks under it.
 *
 * Reading a page of a mapped file that lies past the file's end raises
 * SIGBUS, which kills the process: it happens when a capture is truncated
 * or rewritten (tcpdump -w run again on the same name) while it is open.
 * A guarded mapping answers such a read with zeros instead (the pages past
 * the end are replaced by anonymous zero pages) and remembers that it
 * happened, so the owner can tell its user that the file changed.  Any
 * thread may read the mapping; faults outside guarded mappings go to the
 * handler that was there before (or kill the process as usual).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PlMappingGuard PlMappingGuard;

/* Guards [start, start + length) of a mapping made with mmap().  Never
 * fails; the first call installs the SIGBUS handler. */
PlMappingGuard *pl_mapping_guard_add     (const void     *start,
                                          gsize           length);
/* TRUE once a read past the file's end was answered with zeros. */
gboolean        pl_mapping_guard_faulted (PlMappingGuard *guard);
/* Before the mapping is unmapped, when nobody reads it any more. */
void            pl_mapping_guard_remove  (PlMappingGuard *guard);

G_END_DECLS
