/* pl-read-ahead.h: a file's bytes, front to back, read with read() on a
 * helper thread into a few reused buffers while the caller works.
 *
 * Why: a capture is mapped (frames point into the mapping for as long as
 * the capture lives), but the first touch of each page of a mapping costs
 * a page fault, and under a hypervisor that keeps shadow page tables a
 * second, hidden one: about 0.45 s per GB on the machine of issue 16, as
 * much as libpcap's whole read loop.  read() copies through the kernel's
 * own mapping instead, 0.15 s per GB, and the copy runs on the other core.
 * The load parses each record from these buffers and leaves the mapping
 * untouched except where it must keep a pointer (a segment waiting behind a
 * hole) or a record does not fit a window.
 *
 * Window k holds the file's bytes [start + k * chunk, start + k * chunk +
 * chunk + overlap) (shorter at the end): a record that starts in the first chunk bytes and
 * is at most overlap long lies wholly in it.  The caller moves only
 * forward; asking for an offset at or past the end of window k's chunk
 * releases window k to the thread for refilling and waits for the next.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 128 KB reads cost no more per byte than larger ones; the overlap holds
 * a 64 KB frame (loopback captures without offloads turned off are full of
 * them) with its record header and pcapng options.  Three windows: 588 KB
 * of memory in all. */
#define PL_READ_AHEAD_CHUNK   ((gsize) 128 * 1024)
#define PL_READ_AHEAD_OVERLAP ((gsize) 68 * 1024)

typedef struct _PlReadAhead PlReadAhead;

/* Reads the descriptor's bytes [0, len) with pread() (the descriptor is
 * only read, never moved or closed).  chunk > 0; overlap may be 0.  Starts
 * the thread; NULL when it cannot be started. */
PlReadAhead *pl_read_ahead_new  (int           fd,
                                 guint64       len,
                                 gsize         chunk,
                                 gsize         overlap);
/* The same from the byte start on (start <= len): nothing before it is
 * read. */
PlReadAhead *pl_read_ahead_new_from (int       fd,
                                     guint64   start,
                                     guint64   len,
                                     gsize     chunk,
                                     gsize     overlap);
/* Frees the buffers once the thread has stopped. */
void         pl_read_ahead_free (PlReadAhead  *self);

/* The window holding the bytes [off, off + n): TRUE and its first byte
 * *data, which is the file's byte *start, and its length *len (the window
 * then holds [*start, *start + *len), at least [off, off + n)).  FALSE
 * when no window holds them: they lie before the current window (the
 * caller moved back), in a record longer than the overlap, past the file's
 * end, or past where a read stopped (the file shrank, or failed).  The
 * bytes stay valid until a call with an offset in a later window. */
gboolean     pl_read_ahead_get  (PlReadAhead   *self,
                                 guint64        off,
                                 gsize          n,
                                 const guint8 **data,
                                 guint64       *start,
                                 gsize         *len);

/* Asks the thread to make the pages of [mem, mem + len) resident (mapped,
 * and past any hypervisor's first-touch cost) before the caller writes
 * them: memory it has allocated and will fill soon (the next block of the
 * frame table).  Replaces an earlier request.  The thread only reads the
 * memory, and stops at pl_read_ahead_claim(). */
void         pl_read_ahead_prepare (PlReadAhead *self,
                                    gpointer     mem,
                                    gsize        len);
/* After it, the thread touches no memory given to pl_read_ahead_prepare()
 * (waits for the page it is at).  Call before writing that memory. */
void         pl_read_ahead_claim   (PlReadAhead *self);

/* Bytes pread() copied so far, the overlaps not counted twice (for tests:
 * once the caller has been given the last window, the file's length). */
guint64      pl_read_ahead_get_bytes_read (PlReadAhead *self);

G_END_DECLS
