/* bench-reassembler.c: the TCP reassembler alone, driven the way the HTTP
 * table drives it (deliver and note callbacks, the default out-of-order
 * cap), over a million 1448-byte segments in four orders: in order, pairs
 * swapped, windows of 64 segments arriving in reverse, and every segment
 * sent twice.  Prints segments per second, MiB per second and nanoseconds
 * per segment (best of 3), and the heap the reassembler holds per segment:
 * after a million delivered segments (it keeps nothing per delivered
 * segment) and with segments waiting behind a hole (one record each).
 * Checks that every byte was delivered once, in order; asserts nothing
 * about time.
 *
 *   meson test -C BUILD --benchmark bench-reassembler -v
 *   BUILD/tests/bench/bench-reassembler [N_SEGMENTS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "pl-frame.h"
#include "pl-reassembler.h"

#define MSS  1448u
#define RUNS 3

typedef struct
{
  guint64 next;
  guint64 gap_bytes;
  guint64 n_deliveries;
  guint64 n_notes;
  guint   sum;
} Sink;

static void
on_deliver (gpointer      user_data,
            guint64       offset,
            const guint8 *data,
            gsize         len,
            guint32       frame)
{
  Sink *sink = user_data;

  if (offset != sink->next)
    g_error ("delivered offset %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT,
             offset, sink->next);
  sink->next += len;
  sink->n_deliveries++;
  if (data == NULL)
    sink->gap_bytes += len;
  else
    sink->sum += data[0] + data[len - 1];  /* a consumer reads the bytes */
}

static void
on_note (gpointer           user_data,
         guint32            frame,
         PlReassemblerNote  note,
         const char        *text)
{
  Sink *sink = user_data;

  sink->n_notes++;
}

/* Bytes in use on the heap, or -1 where the C library cannot say (not
 * glibc, or a sanitizer's allocator, whose statistics stay at zero). */
static gint64
heap_in_use (void)
{
#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 33)
  struct mallinfo2 mi = mallinfo2 ();

  return (gint64) (mi.uordblks + mi.hblkhd);
#else
  return -1;
#endif
#else
  return -1;
#endif
}

static gboolean
heap_measurable (void)
{
  gint64 before = heap_in_use ();
  volatile guint8 *probe;
  gint64 after;

  if (before < 0)
    return FALSE;
  probe = g_malloc (1 << 20);
  probe[0] = 1;
  after = heap_in_use ();
  g_free ((gpointer) probe);
  return after - before >= (1 << 20);
}

typedef enum
{
  ORDER_IN_ORDER,
  ORDER_PAIRS_SWAPPED,
  ORDER_WINDOW_REVERSED,
  ORDER_TWICE,
} Order;

static const char *const order_names[] = {
  "in order",
  "pairs swapped",
  "windows of 64 reversed",
  "every segment twice",
};

/* Segment i of the stream, as the capture would number it. */
static void
add_segment (PlReassembler *r,
             guint32        isn,
             const guint8  *payload,
             guint32        i,
             guint32        frame)
{
  pl_reassembler_add (r, frame, isn + 1 + i * MSS, PL_TCP_ACK, payload, MSS, MSS, NULL);
}

/* Feeds n segments in the given order; returns the seconds it took. */
static double
run (Order         order,
     guint32       n,
     const guint8 *payload,
     Sink         *sink)
{
  const guint32 isn = 0xfff00000;  /* wraps early on */
  PlReassembler *r;
  gint64 start;
  guint32 i, j, frame = 0;

  memset (sink, 0, sizeof *sink);
  r = pl_reassembler_new (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED, on_deliver, on_note, sink);
  pl_reassembler_set_isn (r, isn);

  start = g_get_monotonic_time ();
  switch (order)
    {
    case ORDER_IN_ORDER:
      for (i = 0; i < n; i++)
        add_segment (r, isn, payload, i, frame++);
      break;
    case ORDER_PAIRS_SWAPPED:
      for (i = 0; i + 1 < n; i += 2)
        {
          add_segment (r, isn, payload, i + 1, frame++);
          add_segment (r, isn, payload, i, frame++);
        }
      for (; i < n; i++)
        add_segment (r, isn, payload, i, frame++);
      break;
    case ORDER_WINDOW_REVERSED:
      for (i = 0; i < n; i += 64)
        for (j = MIN (n, i + 64); j > i; j--)
          add_segment (r, isn, payload, j - 1, frame++);
      break;
    case ORDER_TWICE:
      for (i = 0; i < n; i++)
        {
          add_segment (r, isn, payload, i, frame++);
          add_segment (r, isn, payload, i, frame++);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  pl_reassembler_flush (r);
  pl_reassembler_free (r);

  return (double) (g_get_monotonic_time () - start) / 1e6;
}

/* Heap held by one reassembler: after n segments delivered in order, and
 * with n_waiting segments buffered behind a one-segment hole. */
static void
measure_memory (guint32       n,
                guint32       n_waiting,
                const guint8 *payload)
{
  const guint32 isn = 1000;
  PlReassembler *r;
  Sink sink = { 0 };
  gint64 base, delivered, waiting, after_flush;
  guint32 i;

  if (!heap_measurable ())
    {
      g_print ("memory: not measured (no heap statistics from this C library or allocator)\n");
      return;
    }

  base = heap_in_use ();
  r = pl_reassembler_new (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED, on_deliver, on_note, &sink);
  pl_reassembler_set_isn (r, isn);
  for (i = 0; i < n; i++)
    add_segment (r, isn, payload, i, i);
  delivered = heap_in_use () - base;
  pl_reassembler_free (r);

  memset (&sink, 0, sizeof sink);
  base = heap_in_use ();
  r = pl_reassembler_new (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED, on_deliver, on_note, &sink);
  pl_reassembler_set_isn (r, isn);
  /* Segment 0 is the hole. */
  for (i = 1; i <= n_waiting; i++)
    add_segment (r, isn, payload, i, i);
  if (pl_reassembler_get_buffered (r) != (gsize) n_waiting * MSS)
    g_error ("%" G_GSIZE_FORMAT " bytes buffered, expected %u",
             pl_reassembler_get_buffered (r), n_waiting * MSS);
  waiting = heap_in_use () - base;
  add_segment (r, isn, payload, 0, 0);
  after_flush = heap_in_use () - base;
  pl_reassembler_free (r);

  g_print ("memory: %" G_GINT64_FORMAT " bytes held after %u segments delivered in order "
           "(%.4f bytes per segment)\n", delivered, n, (double) delivered / n);
  g_print ("memory: %" G_GINT64_FORMAT " bytes held with %u segments waiting behind a hole "
           "(%.1f bytes per waiting segment)\n",
           waiting, n_waiting, (double) waiting / n_waiting);
  g_print ("memory: %" G_GINT64_FORMAT " bytes held once the hole is filled "
           "(the record array keeps its size until the reassembler is freed)\n", after_flush);
}

int
main (int   argc,
      char *argv[])
{
  guint32 n = 1000000;
  guint8 payload[MSS];
  guint k, run_i;

  if (argc > 1)
    n = (guint32) CLAMP (strtoul (argv[1], NULL, 10), 2, 2000000);
  for (k = 0; k < MSS; k++)
    payload[k] = (guint8) (k * 131u + 7u);

  g_print ("reassembler: %u segments of %u bytes (%.1f MiB) per run, default cap, best of %d\n",
           n, MSS, (double) n * MSS / (1024.0 * 1024.0), RUNS);
  for (k = 0; k < G_N_ELEMENTS (order_names); k++)
    {
      double best = G_MAXDOUBLE;
      guint32 n_added = k == ORDER_TWICE ? 2 * n : n;
      Sink sink;

      for (run_i = 0; run_i < RUNS; run_i++)
        {
          double secs = run ((Order) k, n, payload, &sink);

          /* Every byte once, in order, nothing lost, nothing noted. */
          if (sink.next != (guint64) n * MSS || sink.gap_bytes != 0 || sink.n_notes != 0 ||
              sink.n_deliveries != n)
            g_error ("%s: delivered %" G_GUINT64_FORMAT " bytes in %" G_GUINT64_FORMAT
                     " deliveries, %" G_GUINT64_FORMAT " gap bytes, %" G_GUINT64_FORMAT " notes",
                     order_names[k], sink.next, sink.n_deliveries, sink.gap_bytes, sink.n_notes);
          best = MIN (best, secs);
        }
      best = MAX (best, 1e-9);
      g_print ("%-24s %8.3f s  %6.2f M segments/s  %8.1f MiB/s  %6.1f ns/segment\n",
               order_names[k], best, n_added / best / 1e6,
               (double) n * MSS / (1024.0 * 1024.0) / best, best * 1e9 / n_added);
    }

  measure_memory (n, MIN (n - 1, (guint32) (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED / MSS)), payload);
  return 0;
}
