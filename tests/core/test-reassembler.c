/* test-reassembler.c: TCP reassembly of one direction (RFC 9293): in-order,
 * shuffled, duplicated and overlapping segments, sequence numbers wrapping
 * at 2^32, holes delivered as gaps, the out-of-order cap, FIN, snap-cut
 * segments, and randomized streams (run with --seed to replay; -m thorough
 * for more rounds).  The figures live in tests/bench/bench-reassembler.c.
 *
 * Everything is observed the way the HTTP table observes it: through the
 * deliver and note callbacks.  The sink records each delivery as (offset,
 * length, data pointer, frame), so the tests check the order and the
 * contiguity of the stream, its bytes, its gaps, and which frame each byte
 * was credited to (first copy wins). */
#include "config.h"

#include <string.h>

#include "pl-frame.h"
#include "pl-reassembler.h"

/* One call of the deliver callback. */
typedef struct
{
  guint64       offset;
  guint64       len;
  const guint8 *data;   /* NULL: a gap */
  guint32       frame;
} Delivery;

typedef struct
{
  guint32           frame;
  PlReassemblerNote note;
} Note;

typedef struct
{
  GByteArray   *bytes;       /* delivered stream; gap bytes are 0 */
  GByteArray   *gap;         /* 1 for each byte delivered as a gap */
  GArray       *deliveries;  /* Delivery, every call */
  GArray       *gaps;        /* Delivery, the gaps only */
  GArray       *notes;       /* Note */
  guint64       next;
  guint         n_deliveries;
  guint32       last_frame;  /* frame of the last delivery */
  gboolean      record;      /* keep bytes and deliveries (off for huge streams) */
  /* When set, every data delivery must point at base + offset: the bytes
   * are handed over, never copied (tests whose segments all point into
   * one stream buffer). */
  const guint8 *base;
  /* When set (huge streams), every data delivery must be exactly frame f's
   * uniform_len bytes at offset f * uniform_len, from uniform_data. */
  guint32       uniform_len;
  const guint8 *uniform_data;
} Sink;

static void
sink_deliver (gpointer      user_data,
              guint64       offset,
              const guint8 *data,
              gsize         len,
              guint32       frame)
{
  Sink *sink = user_data;
  Delivery d = { offset, len, data, frame };

  /* In order, contiguous from 0, never empty, always a frame. */
  g_assert_cmpuint (offset, ==, sink->next);
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpuint (frame, !=, PL_REASSEMBLER_NO_FRAME);
  sink->next += len;
  sink->n_deliveries++;
  sink->last_frame = frame;

  if (data != NULL && sink->base != NULL)
    g_assert_true (data == sink->base + offset);
  if (data != NULL && sink->uniform_len > 0)
    {
      g_assert_cmpuint (offset, ==, (guint64) frame * sink->uniform_len);
      g_assert_cmpuint (len, ==, sink->uniform_len);
      g_assert_true (data == sink->uniform_data);
    }

  if (data == NULL)
    g_array_append_val (sink->gaps, d);

  if (!sink->record)
    return;

  /* Bound what a test can make us hold. */
  g_assert_cmpuint (sink->next, <=, 64 * 1024 * 1024);
  g_array_append_val (sink->deliveries, d);
  if (data != NULL)
    {
      g_byte_array_append (sink->bytes, data, (guint) len);
      g_byte_array_set_size (sink->gap, sink->gap->len + (guint) len);
      memset (sink->gap->data + sink->gap->len - len, 0, len);
    }
  else
    {
      g_byte_array_set_size (sink->bytes, sink->bytes->len + (guint) len);
      memset (sink->bytes->data + sink->bytes->len - len, 0, len);
      g_byte_array_set_size (sink->gap, sink->gap->len + (guint) len);
      memset (sink->gap->data + sink->gap->len - len, 1, len);
    }
}

static void
sink_note (gpointer           user_data,
           guint32            frame,
           PlReassemblerNote  note,
           const char        *text)
{
  Sink *sink = user_data;
  Note n = { frame, note };

  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), >, 0);
  g_array_append_val (sink->notes, n);
}

static void
sink_init (Sink *sink)
{
  memset (sink, 0, sizeof *sink);
  sink->bytes = g_byte_array_new ();
  sink->gap = g_byte_array_new ();
  sink->deliveries = g_array_new (FALSE, FALSE, sizeof (Delivery));
  sink->gaps = g_array_new (FALSE, FALSE, sizeof (Delivery));
  sink->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  sink->last_frame = PL_REASSEMBLER_NO_FRAME;
  sink->record = TRUE;
}

static void
sink_clear (Sink *sink)
{
  g_byte_array_unref (sink->bytes);
  g_byte_array_unref (sink->gap);
  g_array_unref (sink->deliveries);
  g_array_unref (sink->gaps);
  g_array_unref (sink->notes);
}

static guint
sink_count_notes (Sink              *sink,
                  PlReassemblerNote  note)
{
  guint i, n = 0;

  for (i = 0; i < sink->notes->len; i++)
    if (g_array_index (sink->notes, Note, i).note == note)
      n++;
  return n;
}

/* The frames credited with the data bytes of [offset, offset + length), in
 * stream order, without repeating a frame twice in a row (what a consumer
 * keeping the frames of a message sees).  Gaps name no carrier. */
static guint
sink_frames (Sink    *sink,
             guint64  offset,
             guint64  length,
             guint32 *frames,
             guint    max)
{
  guint32 last = PL_REASSEMBLER_NO_FRAME;
  guint n = 0;
  guint i;

  for (i = 0; i < sink->deliveries->len; i++)
    {
      const Delivery *d = &g_array_index (sink->deliveries, Delivery, i);

      if (d->offset + d->len <= offset || d->data == NULL)
        continue;
      if (d->offset >= offset + length)
        break;
      if (d->frame == last)
        continue;
      g_assert_cmpuint (n, <, max);
      frames[n++] = d->frame;
      last = d->frame;
    }
  return n;
}

static void
assert_delivery (Sink         *sink,
                 guint         i,
                 guint64       offset,
                 guint64       len,
                 const guint8 *data,
                 guint32       frame)
{
  const Delivery *d;

  g_assert_cmpuint (i, <, sink->deliveries->len);
  d = &g_array_index (sink->deliveries, Delivery, i);
  g_assert_cmpuint (d->offset, ==, offset);
  g_assert_cmpuint (d->len, ==, len);
  g_assert_true (d->data == data);
  g_assert_cmpuint (d->frame, ==, frame);
}

static PlReassembler *
new_reassembler_with_cap (Sink  *sink,
                          gsize  max_buffered)
{
  sink_init (sink);
  return pl_reassembler_new (max_buffered, sink_deliver, sink_note, sink);
}

/* As the HTTP table makes them. */
static PlReassembler *
new_reassembler (Sink *sink)
{
  return new_reassembler_with_cap (sink, PL_REASSEMBLER_DEFAULT_MAX_BUFFERED);
}

/* A recognisable stream: byte i is a function of i. */
static guint8 *
make_stream (gsize len)
{
  guint8 *s = g_malloc (MAX (len, 1));
  gsize i;

  for (i = 0; i < len; i++)
    s[i] = (guint8) ((i * 131u + (i >> 8) * 7u + 1u) & 0xff);
  return s;
}

static PlReassemblerStatus
add_data (PlReassembler       *r,
          guint32              frame,
          guint32              isn,
          const guint8        *stream,
          guint64              off,
          guint32              len,
          PlReassemblerResult *res)
{
  return pl_reassembler_add (r, frame, isn + 1 + (guint32) off, PL_TCP_ACK,
                             stream + off, len, len, res);
}

static void
assert_stream (Sink         *sink,
               const guint8 *stream,
               gsize         len)
{
  g_assert_cmpuint (sink->bytes->len, ==, len);
  g_assert_cmpmem (sink->bytes->data, len, stream, len);
}

static void
test_in_order (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (300);
  PlReassemblerResult res;
  guint32 isn = 1000;
  guint32 frames[4];

  sink.base = s;
  g_assert_cmpint (pl_reassembler_add (r, 0, isn, PL_TCP_SYN, NULL, 0, 0, &res), ==, PL_REASSEMBLER_NO_PAYLOAD);
  g_assert_cmpint (add_data (r, 2, isn, s, 0, 100, &res), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (res.offset, ==, 0);
  g_assert_cmpuint (res.new_bytes, ==, 100);
  g_assert_cmpuint (res.old_bytes, ==, 0);
  g_assert_cmpint (add_data (r, 3, isn, s, 100, 100, &res), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (res.offset, ==, 100);
  g_assert_cmpint (add_data (r, 5, isn, s, 200, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  /* A pure ACK changes nothing. */
  g_assert_cmpint (pl_reassembler_add (r, 6, isn + 301, PL_TCP_ACK, NULL, 0, 0, NULL), ==, PL_REASSEMBLER_NO_PAYLOAD);

  assert_stream (&sink, s, 300);
  g_assert_cmpuint (sink.n_deliveries, ==, 3);
  assert_delivery (&sink, 0, 0, 100, s, 2);
  assert_delivery (&sink, 1, 100, 100, s + 100, 3);
  assert_delivery (&sink, 2, 200, 100, s + 200, 5);
  g_assert_cmpuint (pl_reassembler_get_delivered (r), ==, 300);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  g_assert_cmpuint (sink_frames (&sink, 150, 100, frames, G_N_ELEMENTS (frames)), ==, 2);
  g_assert_cmpuint (frames[0], ==, 3);
  g_assert_cmpuint (frames[1], ==, 5);

  pl_reassembler_flush (r);
  assert_stream (&sink, s, 300);
  g_assert_cmpuint (sink.n_deliveries, ==, 3);
  g_assert_cmpuint (sink.gaps->len, ==, 0);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

/* Without a SYN: the caller's base, or else the first segment is offset 0;
 * with a SYN carrying data (TCP Fast Open) the data follows the SYN. */
static void
test_base (void)
{
  g_autofree guint8 *s = make_stream (100);
  PlReassemblerResult res;

  {
    Sink sink;
    g_autoptr(PlReassembler) r = new_reassembler (&sink);

    pl_reassembler_set_isn (r, 5000);
    g_assert_cmpint (add_data (r, 1, 5000, s, 40, 60, &res), ==, PL_REASSEMBLER_OUT_OF_ORDER);
    g_assert_cmpint (res.offset, ==, 40);
    g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 60);
    g_assert_cmpint (add_data (r, 2, 5000, s, 0, 40, &res), ==, PL_REASSEMBLER_IN_ORDER);
    assert_stream (&sink, s, 100);
    assert_delivery (&sink, 0, 0, 40, s, 2);
    assert_delivery (&sink, 1, 40, 60, s + 40, 1);
    sink_clear (&sink);
  }
  {
    Sink sink;
    g_autoptr(PlReassembler) r = new_reassembler (&sink);

    g_assert_cmpint (pl_reassembler_add (r, 1, 777, PL_TCP_ACK, s + 10, 90, 90, &res), ==, PL_REASSEMBLER_IN_ORDER);
    g_assert_cmpint (res.offset, ==, 0);
    /* Bytes numbered before offset 0 cannot be placed: old. */
    g_assert_cmpint (pl_reassembler_add (r, 2, 767, PL_TCP_ACK, s, 20, 20, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
    g_assert_cmpint (res.offset, ==, -10);
    g_assert_cmpuint (res.old_bytes, ==, 20);
    assert_stream (&sink, s + 10, 90);
    g_assert_cmpuint (sink.n_deliveries, ==, 1);
    assert_delivery (&sink, 0, 0, 90, s + 10, 1);
    sink_clear (&sink);
  }
  {
    Sink sink;
    g_autoptr(PlReassembler) r = new_reassembler (&sink);

    g_assert_cmpint (pl_reassembler_add (r, 0, 42, PL_TCP_SYN, s, 30, 30, &res), ==, PL_REASSEMBLER_IN_ORDER);
    g_assert_cmpint (res.offset, ==, 0);
    g_assert_cmpint (add_data (r, 1, 42, s, 30, 70, NULL), ==, PL_REASSEMBLER_IN_ORDER);
    /* A retransmitted SYN with its data is a retransmission. */
    g_assert_cmpint (pl_reassembler_add (r, 2, 42, PL_TCP_SYN, s, 30, 30, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
    assert_stream (&sink, s, 100);
    g_assert_cmpuint (sink.n_deliveries, ==, 2);
    assert_delivery (&sink, 0, 0, 30, s, 0);
    assert_delivery (&sink, 1, 30, 70, s + 30, 1);
    g_assert_cmpuint (sink.notes->len, ==, 0);
    sink_clear (&sink);
  }
}

static void
test_shuffled (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (500);
  static const guint order[] = { 3, 1, 4, 0, 2 };
  static const PlReassemblerStatus expect[] = {
    PL_REASSEMBLER_OUT_OF_ORDER, PL_REASSEMBLER_OUT_OF_ORDER, PL_REASSEMBLER_OUT_OF_ORDER,
    PL_REASSEMBLER_IN_ORDER, PL_REASSEMBLER_IN_ORDER,
  };
  guint32 isn = 0x7ffffff0;
  guint i;

  sink.base = s;
  pl_reassembler_set_isn (r, isn);
  for (i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_assert_cmpint (add_data (r, 10 + order[i], isn, s, order[i] * 100, 100, NULL), ==, expect[i]);
      if (i == 3)
        {
          /* Segment 0 delivered itself and 1; 3 and 4 still wait for 2. */
          g_assert_cmpuint (sink.bytes->len, ==, 200);
          g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 200);
        }
    }
  assert_stream (&sink, s, 500);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  g_assert_cmpuint (sink.gaps->len, ==, 0);
  /* Each segment is delivered on its own, in stream order, with its own
   * frame, whenever it arrived. */
  g_assert_cmpuint (sink.n_deliveries, ==, 5);
  for (i = 0; i < 5; i++)
    assert_delivery (&sink, i, i * 100, 100, s + i * 100, 10 + i);
  sink_clear (&sink);
}

/* pl_reassembler_add_staged(): in-order bytes come from the copy valid
 * during the call (a scratch buffer, scribbled over after each call, as
 * the loader's read buffers are reused), what waits behind a hole from the
 * kept copy; a retransmission of waiting bytes is compared with the kept
 * copy (same bytes: no conflict note). */
static void
test_staged (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (600);
  guint8 scratch[200];
  static const guint order[] = { 2, 4, 0, 1, 3, 5 };
  guint32 isn = 1000;
  guint i;

  pl_reassembler_set_isn (r, isn);
  for (i = 0; i < G_N_ELEMENTS (order); i++)
    {
      guint off = order[i] * 100;

      memcpy (scratch, s + off, 100);
      pl_reassembler_add_staged (r, 10 + order[i], isn + 1 + off, PL_TCP_ACK,
                                 scratch, s + off, 100, 100, NULL);
      memset (scratch, 0xee, sizeof scratch);
      if (i == 1)
        {
          /* A retransmission of waiting segment 2, from the scratch. */
          memcpy (scratch, s + 200, 100);
          pl_reassembler_add_staged (r, 30, isn + 1 + 200, PL_TCP_ACK, scratch, s + 200, 100, 100, NULL);
          memset (scratch, 0xee, sizeof scratch);
        }
    }
  pl_reassembler_flush (r);
  assert_stream (&sink, s, 600);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  /* 0, 1, 3 and 5 came in order: delivered from the scratch (during the
   * call); 2 and 4 waited behind a hole: from the kept copy. */
  g_assert_cmpuint (sink.n_deliveries, ==, 6);
  for (i = 0; i < 6; i++)
    {
      const Delivery *d = &g_array_index (sink.deliveries, Delivery, i);

      g_assert_cmpuint (d->offset, ==, i * 100);
      if (i == 2 || i == 4)
        g_assert_true (d->data == s + i * 100);
      else
        g_assert_true (d->data == scratch);
    }
  sink_clear (&sink);
}

/* pl_reassembler_fin_delivered(): only once a FIN was taken and every
 * byte before it delivered (not while a hole keeps them waiting); a pure
 * ACK may pass its payload pointers with a length of 0. */
static void
test_fin_delivered (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (200);
  guint32 isn = 5000;

  pl_reassembler_set_isn (r, isn);
  g_assert_cmpint (pl_reassembler_add_staged (r, 1, isn + 1, PL_TCP_ACK, s, s, 0, 0, NULL), ==,
                   PL_REASSEMBLER_NO_PAYLOAD);
  g_assert_false (pl_reassembler_fin_delivered (r));
  /* Bytes 100-199 with the FIN, before 0-99: the FIN waits behind a hole. */
  add_data (r, 2, isn, s, 100, 100, NULL);
  pl_reassembler_add (r, 3, isn + 1 + 200, PL_TCP_FIN | PL_TCP_ACK, NULL, 0, 0, NULL);
  g_assert_false (pl_reassembler_fin_delivered (r));
  add_data (r, 4, isn, s, 0, 100, NULL);
  g_assert_true (pl_reassembler_fin_delivered (r));
  assert_stream (&sink, s, 200);
  sink_clear (&sink);
}

static void
test_duplicated (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (300);
  PlReassemblerResult res;

  sink.base = s;
  pl_reassembler_set_isn (r, 0);
  g_assert_cmpint (add_data (r, 1, 0, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (add_data (r, 2, 0, s, 0, 100, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (res.new_bytes, ==, 0);
  g_assert_cmpuint (res.old_bytes, ==, 100);
  /* A duplicate of a buffered segment is a retransmission too. */
  g_assert_cmpint (add_data (r, 3, 0, s, 200, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpint (add_data (r, 4, 0, s, 200, 100, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 100);
  g_assert_cmpint (add_data (r, 5, 0, s, 100, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (add_data (r, 6, 0, s, 100, 100, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
  assert_stream (&sink, s, 300);
  /* The first copy of each is the one delivered. */
  g_assert_cmpuint (sink.n_deliveries, ==, 3);
  assert_delivery (&sink, 0, 0, 100, s, 1);
  assert_delivery (&sink, 1, 100, 100, s + 100, 5);
  assert_delivery (&sink, 2, 200, 100, s + 200, 3);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

static void
test_overlap_same (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (400);
  PlReassemblerResult res;
  guint32 frames[8];
  guint n;

  sink.base = s;
  pl_reassembler_set_isn (r, 9);
  g_assert_cmpint (add_data (r, 1, 9, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (add_data (r, 2, 9, s, 150, 50, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpint (add_data (r, 3, 9, s, 250, 50, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  /* 50..350 overlaps delivered bytes, two buffered records, and fills the
   * three holes around them. */
  g_assert_cmpint (add_data (r, 4, 9, s, 50, 300, &res), ==, PL_REASSEMBLER_PARTIAL_OVERLAP);
  g_assert_cmpuint (res.old_bytes, ==, 150);
  g_assert_cmpuint (res.new_bytes, ==, 150);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  assert_stream (&sink, s, 350);
  g_assert_cmpuint (sink.notes->len, ==, 0);

  /* First copy wins in the frames credited too: 150..200 came with
   * frame 2, 250..300 with frame 3. */
  assert_delivery (&sink, 2, 150, 50, s + 150, 2);
  assert_delivery (&sink, 4, 250, 50, s + 250, 3);
  n = sink_frames (&sink, 0, 350, frames, G_N_ELEMENTS (frames));
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (frames[0], ==, 1);
  g_assert_cmpuint (frames[1], ==, 4);
  g_assert_cmpuint (frames[2], ==, 2);
  g_assert_cmpuint (frames[3], ==, 4);
  g_assert_cmpuint (frames[4], ==, 3);
  g_assert_cmpuint (frames[5], ==, 4);
  sink_clear (&sink);
}

static void
test_overlap_differ (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (300);
  g_autofree guint8 *other = g_memdup2 (s, 300);
  PlReassemblerResult res;
  guint i;

  for (i = 0; i < 300; i++)
    other[i] ^= 0x5a;

  pl_reassembler_set_isn (r, 0xfffffffe);
  g_assert_cmpint (add_data (r, 1, 0xfffffffe, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (add_data (r, 2, 0xfffffffe, s, 200, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);

  /* Differs from bytes already delivered: those are forgotten, so there is
   * nothing to compare and no note (pl-reassembler.h says so); they count
   * as old and nothing is delivered again. */
  g_assert_cmpint (pl_reassembler_add (r, 3, 0xfffffffe + 1 + 50, 0, other + 50, 50, 50, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (res.notes, ==, 0);
  g_assert_cmpuint (res.old_bytes, ==, 50);
  g_assert_cmpuint (sink.n_deliveries, ==, 1);
  /* Same bytes as a buffered record: no note. */
  g_assert_cmpint (add_data (r, 4, 0xfffffffe, s, 220, 10, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (res.notes, ==, 0);
  /* Differs from a buffered record, and brings new bytes before it:
   * noted once, first copy kept. */
  g_assert_cmpint (pl_reassembler_add (r, 5, 0xfffffffe + 1 + 180, 0, other + 180, 40, 40, &res), ==, PL_REASSEMBLER_PARTIAL_OVERLAP);
  g_assert_cmpuint (res.notes, ==, PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT);
  g_assert_cmpuint (res.new_bytes, ==, 20);
  g_assert_cmpuint (res.old_bytes, ==, 20);
  /* One differing byte in the middle of a buffered record is enough. */
  {
    guint8 one[100];

    memcpy (one, s + 200, sizeof one);
    one[57] ^= 1;
    g_assert_cmpint (pl_reassembler_add (r, 6, 0xfffffffe + 1 + 200, 0, one, 100, 100, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
    g_assert_cmpuint (res.notes, ==, PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT);
  }

  g_assert_cmpuint (sink.notes->len, ==, 2);
  g_assert_cmpuint (g_array_index (sink.notes, Note, 0).frame, ==, 5);
  g_assert_cmpuint (g_array_index (sink.notes, Note, 0).note, ==, PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT);
  g_assert_cmpuint (g_array_index (sink.notes, Note, 1).frame, ==, 6);

  g_assert_cmpint (add_data (r, 7, 0xfffffffe, s, 100, 80, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpuint (sink.bytes->len, ==, 300);
  g_assert_cmpmem (sink.bytes->data, 180, s, 180);                /* first copy of 50..100 kept */
  g_assert_cmpmem (sink.bytes->data + 180, 20, other + 180, 20);  /* the new bytes frame 5 brought */
  g_assert_cmpmem (sink.bytes->data + 200, 100, s + 200, 100);    /* first copy of 200..300 kept */
  g_assert_cmpuint (sink.n_deliveries, ==, 4);
  assert_delivery (&sink, 0, 0, 100, s, 1);
  assert_delivery (&sink, 1, 100, 80, s + 100, 7);
  assert_delivery (&sink, 2, 180, 20, other + 180, 5);
  assert_delivery (&sink, 3, 200, 100, s + 200, 2);
  sink_clear (&sink);
}

/* ISN just below 2^32, segments across the wrap, in and out of order. */
static void
test_wrap (void)
{
  static const guint32 isns[] = { 0xffffffff, 0xfffffff0, 0xffffff00, 0x7fffffff, 0 };
  g_autofree guint8 *s = make_stream (1000);
  guint k;

  for (k = 0; k < G_N_ELEMENTS (isns); k++)
    {
      Sink sink;
      g_autoptr(PlReassembler) r = new_reassembler (&sink);
      guint32 isn = isns[k];
      PlReassemblerResult res;
      guint64 fin;

      sink.base = s;
      g_assert_cmpint (pl_reassembler_add (r, 0, isn, PL_TCP_SYN, NULL, 0, 0, NULL), ==, PL_REASSEMBLER_NO_PAYLOAD);
      g_assert_cmpint (add_data (r, 3, isn, s, 600, 400, &res), ==, PL_REASSEMBLER_OUT_OF_ORDER);
      g_assert_cmpint (res.offset, ==, 600);
      g_assert_cmpint (add_data (r, 1, isn, s, 0, 250, NULL), ==, PL_REASSEMBLER_IN_ORDER);
      g_assert_cmpint (add_data (r, 2, isn, s, 200, 450, &res), ==, PL_REASSEMBLER_PARTIAL_OVERLAP);
      g_assert_cmpuint (res.new_bytes, ==, 350);
      g_assert_cmpint (pl_reassembler_add (r, 4, isn + 1001, PL_TCP_FIN | PL_TCP_ACK, NULL, 0, 0, NULL), ==, PL_REASSEMBLER_NO_PAYLOAD);
      g_assert_true (pl_reassembler_get_fin_offset (r, &fin));
      g_assert_cmpuint (fin, ==, 1000);
      pl_reassembler_flush (r);
      assert_stream (&sink, s, 1000);
      g_assert_cmpuint (sink.n_deliveries, ==, 3);
      assert_delivery (&sink, 0, 0, 250, s, 1);
      assert_delivery (&sink, 1, 250, 350, s + 250, 2);
      assert_delivery (&sink, 2, 600, 400, s + 600, 3);
      g_assert_cmpuint (sink.gaps->len, ==, 0);
      g_assert_cmpuint (sink.notes->len, ==, 0);
      sink_clear (&sink);
    }
}

static void
test_gap_flush (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (600);
  guint32 isn = 0xfffffff8;
  guint32 frames[4];
  const Delivery *g;
  guint i;

  sink.base = s;
  pl_reassembler_set_isn (r, isn);
  g_assert_cmpint (add_data (r, 1, isn, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  /* 100..200 and 300..400 never come; the FIN says the stream is 600. */
  g_assert_cmpint (add_data (r, 3, isn, s, 200, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpint (add_data (r, 5, isn, s, 400, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpint (pl_reassembler_add (r, 7, isn + 601, PL_TCP_FIN | PL_TCP_ACK, NULL, 0, 0, NULL), ==, PL_REASSEMBLER_NO_PAYLOAD);
  g_assert_cmpuint (sink.bytes->len, ==, 100);

  pl_reassembler_flush (r);
  g_assert_cmpuint (sink.bytes->len, ==, 600);
  g_assert_cmpuint (sink.gaps->len, ==, 3);
  g = &g_array_index (sink.gaps, Delivery, 0);
  g_assert_cmpuint (g->offset, ==, 100);
  g_assert_cmpuint (g->len, ==, 100);
  g_assert_cmpuint (g->frame, ==, 3);
  g = &g_array_index (sink.gaps, Delivery, 1);
  g_assert_cmpuint (g->offset, ==, 300);
  g_assert_cmpuint (g->len, ==, 100);
  g_assert_cmpuint (g->frame, ==, 5);
  g = &g_array_index (sink.gaps, Delivery, 2);
  g_assert_cmpuint (g->offset, ==, 500);
  g_assert_cmpuint (g->len, ==, 100);
  g_assert_cmpuint (g->frame, ==, 7);
  for (i = 0; i < 600; i++)
    {
      gboolean hole = (i >= 100 && i < 200) || (i >= 300 && i < 400) || i >= 500;

      g_assert_cmpuint (sink.gap->data[i], ==, hole);
      if (!hole)
        g_assert_cmpuint (sink.bytes->data[i], ==, s[i]);
    }
  /* Gaps carry no bytes of the frame named with them. */
  g_assert_cmpuint (sink_frames (&sink, 100, 100, frames, G_N_ELEMENTS (frames)), ==, 0);
  g_assert_cmpuint (sink_frames (&sink, 150, 100, frames, G_N_ELEMENTS (frames)), ==, 1);
  g_assert_cmpuint (frames[0], ==, 3);
  g_assert_cmpuint (sink.n_deliveries, ==, 6);
  assert_delivery (&sink, 0, 0, 100, s, 1);
  assert_delivery (&sink, 2, 200, 100, s + 200, 3);
  assert_delivery (&sink, 4, 400, 100, s + 400, 5);

  /* A second flush has nothing to do; a late retransmission is old. */
  pl_reassembler_flush (r);
  g_assert_cmpuint (sink.bytes->len, ==, 600);
  g_assert_cmpint (add_data (r, 9, isn, s, 100, 100, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (sink.n_deliveries, ==, 6);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

static void
test_cap (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler_with_cap (&sink, 250);
  g_autofree guint8 *s = make_stream (1000);
  PlReassemblerResult res;
  guint i;

  sink.base = s;
  pl_reassembler_set_isn (r, 100);
  /* Hole at 0..100; 100..350 fits the cap exactly, 350..450 does not. */
  g_assert_cmpint (add_data (r, 1, 100, s, 100, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  /* One byte more than the room left is skipped whole. */
  g_assert_cmpint (add_data (r, 7, 100, s, 200, 151, &res), ==, PL_REASSEMBLER_BEYOND_CAP);
  g_assert_cmpuint (res.skipped_bytes, ==, 151);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 100);
  g_assert_cmpint (add_data (r, 2, 100, s, 200, 150, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 250);
  g_assert_cmpint (add_data (r, 3, 100, s, 350, 100, &res), ==, PL_REASSEMBLER_BEYOND_CAP);
  g_assert_cmpuint (res.skipped_bytes, ==, 100);
  g_assert_cmpuint (res.new_bytes, ==, 0);
  g_assert_true (res.notes & PL_REASSEMBLER_NOTE_BUFFER_FULL);
  /* Partly old, partly over the cap: the cap wins the status. */
  g_assert_cmpint (add_data (r, 4, 100, s, 300, 100, &res), ==, PL_REASSEMBLER_BEYOND_CAP);
  g_assert_cmpuint (res.old_bytes, ==, 50);
  g_assert_cmpuint (res.skipped_bytes, ==, 50);
  g_assert_cmpuint (sink_count_notes (&sink, PL_REASSEMBLER_NOTE_BUFFER_FULL), ==, 3);

  /* The hole fills: in-order bytes need no buffer, and the cap frees. */
  g_assert_cmpint (add_data (r, 5, 100, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  g_assert_cmpuint (sink.bytes->len, ==, 350);
  /* Now past the skipped bytes 350..450: buffered again. */
  g_assert_cmpint (add_data (r, 6, 100, s, 500, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  pl_reassembler_flush (r);
  g_assert_cmpuint (sink.bytes->len, ==, 600);
  g_assert_cmpuint (sink.gaps->len, ==, 1);
  g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).offset, ==, 350);
  g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).len, ==, 150);
  /* The hole is named after the segment that revealed it. */
  g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).frame, ==, 6);
  assert_delivery (&sink, 0, 0, 100, s, 5);
  assert_delivery (&sink, 1, 100, 100, s + 100, 1);
  assert_delivery (&sink, 2, 200, 150, s + 200, 2);
  assert_delivery (&sink, 4, 500, 100, s + 500, 6);
  g_assert_cmpuint (sink.n_deliveries, ==, 5);
  for (i = 0; i < 600; i++)
    if (!sink.gap->data[i])
      g_assert_cmpuint (sink.bytes->data[i], ==, s[i]);
  sink_clear (&sink);

  /* Tiny segments hit the record limit (cap / 512) before the byte cap. */
  {
    g_autoptr(PlReassembler) r3 = new_reassembler_with_cap (&sink, 64 * 512);

    pl_reassembler_set_isn (r3, 0);
    for (i = 0; i < 64; i++)
      g_assert_cmpint (add_data (r3, i, 0, s, 1 + 2 * i, 1, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
    g_assert_cmpint (add_data (r3, 64, 0, s, 1 + 2 * 64, 1, NULL), ==, PL_REASSEMBLER_BEYOND_CAP);
    g_assert_cmpuint (pl_reassembler_get_buffered (r3), ==, 64);
    pl_reassembler_flush (r3);
    g_assert_cmpuint (sink.bytes->len, ==, 130);
    g_assert_cmpuint (sink.gaps->len, ==, 65);
    sink_clear (&sink);
  }

  /* Skipped bytes at the very end still become a gap at flush. */
  {
    g_autoptr(PlReassembler) r2 = new_reassembler_with_cap (&sink, 0);

    pl_reassembler_set_isn (r2, 0);
    g_assert_cmpint (add_data (r2, 1, 0, s, 0, 10, NULL), ==, PL_REASSEMBLER_IN_ORDER);
    g_assert_cmpint (add_data (r2, 2, 0, s, 20, 10, NULL), ==, PL_REASSEMBLER_BEYOND_CAP);
    pl_reassembler_flush (r2);
    g_assert_cmpuint (sink.gaps->len, ==, 1);
    g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).offset, ==, 10);
    g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).len, ==, 20);
    g_assert_cmpuint (g_array_index (sink.gaps, Delivery, 0).frame, ==, 2);
    sink_clear (&sink);
  }
}

static void
test_fin (void)
{
  g_autofree guint8 *s = make_stream (400);
  PlReassemblerResult res;
  guint64 fin;

  /* FIN with data; later bytes after it are dropped with a note. */
  {
    Sink sink;
    g_autoptr(PlReassembler) r = new_reassembler (&sink);

    g_assert_cmpint (pl_reassembler_add (r, 0, 0xffffffff, PL_TCP_SYN, NULL, 0, 0, NULL), ==, PL_REASSEMBLER_NO_PAYLOAD);
    g_assert_false (pl_reassembler_get_fin_offset (r, &fin));
    g_assert_cmpint (add_data (r, 1, 0xffffffff, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
    g_assert_cmpint (pl_reassembler_add (r, 2, 0xffffffff + 101, PL_TCP_FIN | PL_TCP_PSH | PL_TCP_ACK,
                                         s + 100, 100, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
    g_assert_true (pl_reassembler_get_fin_offset (r, &fin));
    g_assert_cmpuint (fin, ==, 200);
    /* Straddles the FIN: 150..200 old, 200..250 dropped. */
    g_assert_cmpint (add_data (r, 3, 0xffffffff, s, 150, 100, &res), ==, PL_REASSEMBLER_BEYOND_FIN);
    g_assert_cmpuint (res.old_bytes, ==, 50);
    g_assert_cmpuint (res.skipped_bytes, ==, 50);
    g_assert_true (res.notes & PL_REASSEMBLER_NOTE_AFTER_FIN);
    g_assert_cmpint (add_data (r, 4, 0xffffffff, s, 300, 100, &res), ==, PL_REASSEMBLER_BEYOND_FIN);
    g_assert_cmpuint (res.skipped_bytes, ==, 100);
    /* A retransmitted FIN is fine; one elsewhere is noted and ignored. */
    g_assert_cmpint (pl_reassembler_add (r, 5, 0xffffffff + 201, PL_TCP_FIN | PL_TCP_ACK, NULL, 0, 0, &res), ==, PL_REASSEMBLER_NO_PAYLOAD);
    g_assert_cmpuint (res.notes, ==, 0);
    g_assert_cmpint (pl_reassembler_add (r, 6, 0xffffffff + 301, PL_TCP_FIN | PL_TCP_ACK, NULL, 0, 0, &res), ==, PL_REASSEMBLER_NO_PAYLOAD);
    g_assert_true (res.notes & PL_REASSEMBLER_NOTE_FIN_CONFLICT);
    g_assert_true (pl_reassembler_get_fin_offset (r, &fin));
    g_assert_cmpuint (fin, ==, 200);

    pl_reassembler_flush (r);
    assert_stream (&sink, s, 200);
    g_assert_cmpuint (sink.gaps->len, ==, 0);
    g_assert_cmpuint (sink_count_notes (&sink, PL_REASSEMBLER_NOTE_AFTER_FIN), ==, 2);
    g_assert_cmpuint (sink_count_notes (&sink, PL_REASSEMBLER_NOTE_FIN_CONFLICT), ==, 1);
    sink_clear (&sink);
  }
  /* A FIN before bytes already buffered is the odd one out. */
  {
    Sink sink;
    g_autoptr(PlReassembler) r = new_reassembler (&sink);

    pl_reassembler_set_isn (r, 0);
    g_assert_cmpint (add_data (r, 1, 0, s, 200, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
    g_assert_cmpint (pl_reassembler_add (r, 2, 101, PL_TCP_FIN, NULL, 0, 0, &res), ==, PL_REASSEMBLER_NO_PAYLOAD);
    g_assert_true (res.notes & PL_REASSEMBLER_NOTE_FIN_CONFLICT);
    g_assert_false (pl_reassembler_get_fin_offset (r, NULL));
    /* The FIN arrives before the data it ends (capture reordering). */
    g_assert_cmpint (pl_reassembler_add (r, 3, 401, PL_TCP_FIN, NULL, 0, 0, &res), ==, PL_REASSEMBLER_NO_PAYLOAD);
    g_assert_cmpuint (res.notes, ==, 0);
    g_assert_cmpint (add_data (r, 4, 0, s, 300, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
    g_assert_cmpint (add_data (r, 5, 0, s, 0, 200, NULL), ==, PL_REASSEMBLER_IN_ORDER);
    assert_stream (&sink, s, 400);
    sink_clear (&sink);
  }
}

static void
test_snap_cut (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (400);
  PlReassemblerResult res;
  const Delivery *g;

  pl_reassembler_set_isn (r, 0xfffffff0);
  /* 100 on the wire, 30 in the file: the other 70 are a gap of frame 1. */
  g_assert_cmpint (pl_reassembler_add (r, 1, 0xfffffff1, PL_TCP_ACK, s, 30, 100, &res), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpuint (res.new_bytes, ==, 100);
  g_assert_cmpuint (pl_reassembler_get_delivered (r), ==, 100);
  /* Out of order and cut: buffered as 20 bytes and an 80-byte hole. */
  g_assert_cmpint (pl_reassembler_add (r, 3, 0xfffffff1 + 200, PL_TCP_ACK, s + 200, 20, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 100);
  /* A full copy while the cut one waits: first wins, so its tail stays a
   * gap, and a cut tail has nothing to compare with, so no note. */
  g_assert_cmpint (add_data (r, 7, 0xfffffff0, s, 200, 100, &res), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (res.notes, ==, 0);
  g_assert_cmpuint (res.old_bytes, ==, 100);
  /* Nothing captured at all. */
  g_assert_cmpint (pl_reassembler_add (r, 2, 0xfffffff1 + 100, PL_TCP_ACK, NULL, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  /* A full copy of a delivered cut tail changes nothing. */
  g_assert_cmpint (add_data (r, 4, 0xfffffff0, s, 50, 50, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
  /* captured_len above payload_len (Ethernet padding) is clamped. */
  g_assert_cmpint (pl_reassembler_add (r, 5, 0xfffffff1 + 300, PL_TCP_ACK, s + 300, 100, 60, NULL), ==, PL_REASSEMBLER_IN_ORDER);

  g_assert_cmpuint (sink.bytes->len, ==, 360);
  g_assert_cmpmem (sink.bytes->data, 30, s, 30);
  g_assert_cmpmem (sink.bytes->data + 200, 20, s + 200, 20);
  g_assert_cmpmem (sink.bytes->data + 300, 60, s + 300, 60);
  g_assert_cmpuint (sink.gaps->len, ==, 3);
  g = &g_array_index (sink.gaps, Delivery, 0);
  g_assert_cmpuint (g->offset, ==, 30);
  g_assert_cmpuint (g->len, ==, 70);
  g_assert_cmpuint (g->frame, ==, 1);
  g = &g_array_index (sink.gaps, Delivery, 1);
  g_assert_cmpuint (g->offset, ==, 100);
  g_assert_cmpuint (g->len, ==, 100);
  g_assert_cmpuint (g->frame, ==, 2);
  g = &g_array_index (sink.gaps, Delivery, 2);
  g_assert_cmpuint (g->offset, ==, 220);
  g_assert_cmpuint (g->len, ==, 80);
  g_assert_cmpuint (g->frame, ==, 3);
  g_assert_cmpuint (sink.notes->len, ==, 0);

  /* The whole stream as delivered: a cut frame names its own missing
   * tail; the frame that carried nothing captured names its gap. */
  g_assert_cmpuint (sink.n_deliveries, ==, 6);
  assert_delivery (&sink, 0, 0, 30, s, 1);
  assert_delivery (&sink, 1, 30, 70, NULL, 1);
  assert_delivery (&sink, 2, 100, 100, NULL, 2);
  assert_delivery (&sink, 3, 200, 20, s + 200, 3);
  assert_delivery (&sink, 4, 220, 80, NULL, 3);
  assert_delivery (&sink, 5, 300, 60, s + 300, 5);
  sink_clear (&sink);
}

/* Which frame each byte is credited to, over many segments: in order,
 * then a window of segments that arrive in reverse behind a hole. */
static void
test_frames (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (100 * 1100);
  guint32 isn = 0xffff0000;
  guint32 frames[16];
  guint i;

  sink.base = s;
  pl_reassembler_set_isn (r, isn);
  /* 1000 segments of 100 bytes in order, frames 10, 12, 14, ... */
  for (i = 0; i < 1000; i++)
    g_assert_cmpint (add_data (r, 10 + 2 * i, isn, s, i * 100, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpuint (sink.n_deliveries, ==, 1000);
  for (i = 0; i < 1000; i++)
    assert_delivery (&sink, i, i * 100, 100, s + i * 100, 10 + 2 * i);

  /* 100 more, the last 99 first in reverse, then the one before them:
   * all 100 are delivered at once, each with its own frame. */
  for (i = 99; i >= 1; i--)
    g_assert_cmpint (add_data (r, 5000 + i, isn, s, 100000 + i * 100, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpuint (sink.n_deliveries, ==, 1000);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 9900);
  g_assert_cmpint (add_data (r, 5000, isn, s, 100000, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  g_assert_cmpuint (sink.n_deliveries, ==, 1100);
  for (i = 0; i < 100; i++)
    assert_delivery (&sink, 1000 + i, 100000 + i * 100, 100, s + 100000 + i * 100, 5000 + i);

  for (i = 0; i < 110000; i += 37)
    {
      g_assert_cmpuint (sink_frames (&sink, i, 1, frames, 1), ==, 1);
      g_assert_cmpuint (frames[0], ==, i < 100000 ? 10 + 2 * (i / 100) : 5000 + (i - 100000) / 100);
    }
  /* 250..650 touches segments 2..6. */
  g_assert_cmpuint (sink_frames (&sink, 250, 400, frames, G_N_ELEMENTS (frames)), ==, 5);
  for (i = 0; i < 5; i++)
    g_assert_cmpuint (frames[i], ==, 14 + 2 * i);
  assert_stream (&sink, s, 110000);
  g_assert_cmpuint (sink.gaps->len, ==, 0);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

/* Flush delivers what waits in stream order, each hole as a gap named
 * after the segment that revealed it (the next one buffered). */
static void
test_flush_order (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (300);

  sink.base = s;
  pl_reassembler_set_isn (r, 1);
  g_assert_cmpint (add_data (r, 2, 1, s, 200, 100, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpint (add_data (r, 1, 1, s, 0, 100, NULL), ==, PL_REASSEMBLER_IN_ORDER);
  g_assert_cmpint (add_data (r, 3, 1, s, 150, 10, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
  g_assert_cmpuint (sink.n_deliveries, ==, 1);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 110);
  pl_reassembler_flush (r);
  g_assert_cmpuint (pl_reassembler_get_delivered (r), ==, 300);
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 0);
  g_assert_cmpuint (sink.n_deliveries, ==, 5);
  assert_delivery (&sink, 0, 0, 100, s, 1);
  assert_delivery (&sink, 1, 100, 50, NULL, 3);
  assert_delivery (&sink, 2, 150, 10, s + 150, 3);
  assert_delivery (&sink, 3, 160, 40, NULL, 2);
  assert_delivery (&sink, 4, 200, 100, s + 200, 2);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

/* More than 4 GiB in one direction: offsets keep counting while the
 * sequence number wraps (twice). */
static void
test_long_stream (void)
{
  Sink sink;
  g_autoptr(PlReassembler) r = new_reassembler (&sink);
  g_autofree guint8 *s = make_stream (65535);
  guint32 isn = 0xf0000000;
  guint32 seq = isn + 1;
  guint64 total = 0;
  guint64 target = G_GUINT64_CONSTANT (9) * 1024 * 1024 * 1024;
  guint32 frame = 0;

  /* Too many bytes to keep: every delivery is checked as it arrives
   * instead (frame f's 65535 bytes at offset f * 65535, from s). */
  sink.record = FALSE;
  sink.uniform_len = 65535;
  sink.uniform_data = s;
  pl_reassembler_set_isn (r, isn);
  while (total < target)
    {
      /* Every 1000th segment arrives after its successor. */
      if (frame % 1000 == 999)
        {
          g_assert_cmpint (pl_reassembler_add (r, frame + 1, seq + 65535, PL_TCP_ACK, s, 65535, 65535, NULL), ==, PL_REASSEMBLER_OUT_OF_ORDER);
          g_assert_cmpint (pl_reassembler_add (r, frame, seq, PL_TCP_ACK, s, 65535, 65535, NULL), ==, PL_REASSEMBLER_IN_ORDER);
          seq += 2 * 65535;
          total += 2 * 65535;
          frame += 2;
        }
      else
        {
          g_assert_cmpint (pl_reassembler_add (r, frame, seq, PL_TCP_ACK, s, 65535, 65535, NULL), ==, PL_REASSEMBLER_IN_ORDER);
          seq += 65535;
          total += 65535;
          frame++;
        }
    }
  g_assert_cmpuint (pl_reassembler_get_delivered (r), ==, total);
  g_assert_cmpuint (sink.next, ==, total);
  g_assert_cmpuint (total, ==, (guint64) frame * 65535);
  g_assert_cmpuint (sink.n_deliveries, ==, frame);
  g_assert_cmpuint (sink.last_frame, ==, frame - 1);
  g_assert_cmpuint (sink.gaps->len, ==, 0);
  /* A retransmission three segments back is still recognised. */
  g_assert_cmpint (pl_reassembler_add (r, frame, seq - 3 * 65535, PL_TCP_ACK, s, 65535, 65535, NULL), ==, PL_REASSEMBLER_RETRANSMITTED);
  g_assert_cmpuint (sink.n_deliveries, ==, frame);
  g_assert_cmpuint (sink.notes->len, ==, 0);
  sink_clear (&sink);
}

/* Randomized streams.  Each round draws its own seed from g_test_rand_int()
 * (so --seed replays the whole run) and prints it when a check fails. */

typedef struct
{
  guint64 off;
  guint32 len;
  guint32 frame;
  guint16 flags;
} RSeg;

#define RCHECK(cond)                                                     \
  G_STMT_START {                                                         \
    if (!(cond))                                                         \
      {                                                                  \
        g_test_message ("round %u failed (round seed %u, see the test's " \
                        "random seed above to replay)", round, round_seed); \
        g_assert_true (cond);                                            \
      }                                                                  \
  } G_STMT_END

static void
shuffle (GRand *rand,
         RSeg  *segs,
         guint  n)
{
  guint i;

  for (i = n; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      RSeg tmp = segs[i - 1];

      segs[i - 1] = segs[j];
      segs[j] = tmp;
    }
}

static void
random_round (guint    round,
              guint32  round_seed,
              gboolean small_cap)
{
  GRand *rand = g_rand_new_with_seed (round_seed);
  gsize len = (gsize) g_rand_int_range (rand, 0, 20000);
  guint8 *stream;
  guint8 *covered;
  guint32 *first_frame;  /* by stream byte: the first frame that brought it */
  const RSeg **by_frame; /* by frame number: the segment it carried */
  guint32 n_frames;
  GArray *segs = g_array_new (FALSE, FALSE, sizeof (RSeg));
  guint32 isn;
  gboolean with_syn, with_fin, fin_kept;
  double drop;
  gint32 max_seg;
  guint64 expect_end = 0;
  Sink sink;
  PlReassembler *r;
  guint i;
  guint64 off;

  /* A quarter of the rounds start within a few KiB of the wrap. */
  isn = g_rand_boolean (rand) && g_rand_boolean (rand)
        ? G_MAXUINT32 - (guint32) g_rand_int_range (rand, 0, 30000)
        : g_rand_int (rand);
  with_syn = g_rand_boolean (rand);
  with_fin = g_rand_boolean (rand);
  drop = g_rand_boolean (rand) ? 0.0 : g_rand_double_range (rand, 0.0, 0.3);
  /* Tiny segments make one-byte holes and long runs of records. */
  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0:
      max_seg = 4;
      len /= 8;
      break;
    case 1:
      max_seg = 64;
      break;
    default:
      max_seg = 1500;
      break;
    }
  stream = g_malloc (MAX (len, 1));
  covered = g_malloc0 (MAX (len, 1));
  for (i = 0; i < len; i++)
    stream[i] = (guint8) g_rand_int (rand);

  /* The original segmentation, then retransmissions cut differently
   * (overlapping the original edges) and exact duplicates. */
  for (off = 0; off < len;)
    {
      /* MIN() evaluates its arguments twice: draw first. */
      guint64 want = (guint64) g_rand_int_range (rand, 1, max_seg + 1);
      RSeg sg = { off, (guint32) MIN (want, len - off), 0, PL_TCP_ACK };

      g_array_append_val (segs, sg);
      off += sg.len;
    }
  if (len > 0)
    {
      guint n_extra = (guint) g_rand_int_range (rand, 0, 1 + segs->len / 2);

      for (i = 0; i < n_extra; i++)
        {
          RSeg sg;

          if (g_rand_boolean (rand))
            sg = g_array_index (segs, RSeg, g_rand_int_range (rand, 0, (gint32) segs->len));
          else
            {
              guint64 want;

              sg.off = (guint64) g_rand_int_range (rand, 0, (gint32) len);
              want = (guint64) g_rand_int_range (rand, 1, 2 * max_seg + 1);
              sg.len = (guint32) MIN (want, len - sg.off);
              sg.flags = PL_TCP_ACK;
            }
          g_array_append_val (segs, sg);
        }
    }
  for (i = 0; i < segs->len; i++)
    g_array_index (segs, RSeg, i).frame = i + 1;
  /* Frames 1..n carry data; n + 1 is the FIN, if it is kept. */
  n_frames = segs->len + 2;

  /* Drop some (none of the bytes they alone carried may appear). */
  for (i = 0; i < segs->len;)
    if (g_rand_double (rand) < drop)
      g_array_remove_index_fast (segs, i);
    else
      i++;
  for (i = 0; i < segs->len; i++)
    {
      const RSeg *sg = &g_array_index (segs, RSeg, i);

      memset (covered + sg->off, 1, sg->len);
      expect_end = MAX (expect_end, sg->off + sg->len);
    }

  fin_kept = with_fin && g_rand_double (rand) >= drop;
  if (fin_kept)
    {
      RSeg fin = { len, 0, n_frames - 1, PL_TCP_FIN | PL_TCP_ACK };

      g_array_append_val (segs, fin);
      expect_end = len;
    }

  shuffle (rand, (RSeg *) (gpointer) segs->data, segs->len);

  /* First wins: each byte belongs to the first segment, in capture order,
   * that brought it. */
  first_frame = g_new0 (guint32, MAX (len, 1));
  by_frame = g_new0 (const RSeg *, n_frames);
  for (i = 0; i < segs->len; i++)
    {
      const RSeg *sg = &g_array_index (segs, RSeg, i);

      by_frame[sg->frame] = sg;
      for (off = sg->off; off < sg->off + sg->len; off++)
        if (first_frame[off] == 0)
          first_frame[off] = sg->frame;
    }

  r = new_reassembler_with_cap (&sink, small_cap ? (gsize) g_rand_int_range (rand, 0, 8000)
                                                 : PL_REASSEMBLER_DEFAULT_MAX_BUFFERED);
  sink.base = stream;
  if (with_syn)
    pl_reassembler_add (r, 0, isn, PL_TCP_SYN, NULL, 0, 0, NULL);
  else
    pl_reassembler_set_isn (r, isn);

  for (i = 0; i < segs->len; i++)
    {
      const RSeg *sg = &g_array_index (segs, RSeg, i);
      PlReassemblerResult res;
      PlReassemblerStatus st;

      st = pl_reassembler_add (r, sg->frame, isn + 1 + (guint32) sg->off, sg->flags,
                               stream + sg->off, sg->len, sg->len, &res);
      RCHECK (res.status == st);
      RCHECK (res.offset == (gint64) sg->off);
      RCHECK ((guint64) res.new_bytes + res.old_bytes + res.skipped_bytes == sg->len);
      RCHECK (small_cap || st != PL_REASSEMBLER_BEYOND_CAP);
      RCHECK (st != PL_REASSEMBLER_BEYOND_FIN);
      RCHECK (pl_reassembler_get_buffered (r) <= (small_cap ? 8000 : PL_REASSEMBLER_DEFAULT_MAX_BUFFERED));
    }
  pl_reassembler_flush (r);
  RCHECK (pl_reassembler_get_buffered (r) == 0);

  /* Nothing but identical copies: never a conflict note. */
  RCHECK (sink_count_notes (&sink, PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT) == 0);
  RCHECK (sink_count_notes (&sink, PL_REASSEMBLER_NOTE_FIN_CONFLICT) == 0);
  RCHECK (sink.bytes->len == expect_end);
  for (i = 0; i < expect_end; i++)
    {
      if (!sink.gap->data[i])
        RCHECK (covered[i] && sink.bytes->data[i] == stream[i]);
      else if (!small_cap)
        /* Gaps exactly where every copy was dropped. */
        RCHECK (!covered[i]);
    }
  if (small_cap && sink.gaps->len > 0)
    {
      /* Every gap over captured bytes was paid for with a cap note. */
      gboolean gap_over_covered = FALSE;

      for (i = 0; i < expect_end; i++)
        gap_over_covered |= sink.gap->data[i] && covered[i];
      RCHECK (!gap_over_covered || sink_count_notes (&sink, PL_REASSEMBLER_NOTE_BUFFER_FULL) > 0);
    }
  if (!small_cap)
    RCHECK (sink.notes->len == 0);

  /* Each delivery names a frame we gave.  Data came from that frame's
   * payload (the sink checked the pointer is stream + offset), and without
   * a cap from the first frame that brought those bytes. */
  for (i = 0; i < sink.deliveries->len; i++)
    {
      const Delivery *d = &g_array_index (sink.deliveries, Delivery, i);
      const RSeg *sg;

      RCHECK (d->frame < n_frames && by_frame[d->frame] != NULL);
      if (d->data == NULL)
        continue;
      sg = by_frame[d->frame];
      RCHECK (d->offset >= sg->off && d->offset + d->len <= sg->off + sg->len);
      if (!small_cap)
        for (off = d->offset; off < d->offset + d->len; off++)
          RCHECK (first_frame[off] == d->frame);
    }

  pl_reassembler_free (r);
  sink_clear (&sink);
  g_array_unref (segs);
  g_free (stream);
  g_free (covered);
  g_free (first_frame);
  g_free (by_frame);
  g_rand_free (rand);
}

static void
test_random (void)
{
  guint rounds = g_test_thorough () ? 5000 : 400;
  guint round;

  for (round = 0; round < rounds; round++)
    random_round (round, g_test_rand_int (), FALSE);
}

static void
test_random_cap (void)
{
  guint rounds = g_test_thorough () ? 5000 : 400;
  guint round;

  for (round = 0; round < rounds; round++)
    random_round (round, g_test_rand_int (), TRUE);
}

/* What the HTTP and TLS tables ask of a direction: would its receiver take
 * a RST with this sequence number (not one before what was sent), and did
 * the peer acknowledge bytes waiting behind a hole. */
static void
test_rst_and_acked_hole (void)
{
  static const guint8 bytes[100] = { 0 };
  PlReassembler *r;
  Sink sink;

  /* Nothing known: any RST is taken, no hole. */
  g_assert_true (pl_reassembler_accepts_rst (NULL, 5));
  g_assert_false (pl_reassembler_hole_acked (NULL, 1000, 2000));

  r = new_reassembler (&sink);
  pl_reassembler_set_isn (r, 1000);
  pl_reassembler_add (r, 0, 1001, PL_TCP_ACK, bytes, 100, 100, NULL);      /* offsets 0-99 */
  g_assert_true (pl_reassembler_accepts_rst (r, 1101));                   /* next byte */
  g_assert_true (pl_reassembler_accepts_rst (r, 1500));
  g_assert_false (pl_reassembler_accepts_rst (r, 1050));                  /* before it */
  g_assert_false (pl_reassembler_hole_acked (r, 1000, 1101));             /* nothing waits */

  pl_reassembler_add (r, 1, 1201, PL_TCP_ACK, bytes, 100, 100, NULL);      /* hole 100-199 */
  g_assert_cmpuint (pl_reassembler_get_buffered (r), ==, 100);
  g_assert_false (pl_reassembler_hole_acked (r, 1000, 1101));             /* up to the hole */
  g_assert_true (pl_reassembler_hole_acked (r, 1000, 1301));              /* past it */
  pl_reassembler_free (r);
  sink_clear (&sink);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reassembler/in-order", test_in_order);
  g_test_add_func ("/reassembler/rst-and-acked-hole", test_rst_and_acked_hole);
  g_test_add_func ("/reassembler/base", test_base);
  g_test_add_func ("/reassembler/shuffled", test_shuffled);
  g_test_add_func ("/reassembler/staged", test_staged);
  g_test_add_func ("/reassembler/fin-delivered", test_fin_delivered);
  g_test_add_func ("/reassembler/duplicated", test_duplicated);
  g_test_add_func ("/reassembler/overlap-same", test_overlap_same);
  g_test_add_func ("/reassembler/overlap-differ", test_overlap_differ);
  g_test_add_func ("/reassembler/wrap", test_wrap);
  g_test_add_func ("/reassembler/gap-flush", test_gap_flush);
  g_test_add_func ("/reassembler/cap", test_cap);
  g_test_add_func ("/reassembler/fin", test_fin);
  g_test_add_func ("/reassembler/snap-cut", test_snap_cut);
  g_test_add_func ("/reassembler/frames", test_frames);
  g_test_add_func ("/reassembler/flush-order", test_flush_order);
  g_test_add_func ("/reassembler/long-stream", test_long_stream);
  g_test_add_func ("/reassembler/random", test_random);
  g_test_add_func ("/reassembler/random-cap", test_random_cap);

  return g_test_run ();
}
