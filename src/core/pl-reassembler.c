/* pl-reassembler.c: TCP reassembly of one direction of one stream
 * (RFC 9293 section 3.10.7.4).
 *
 * State: the next byte to deliver, kept both as a raw sequence number
 * (next_seq) and as a 64-bit stream offset (next_off).  A segment's offset is
 * next_off plus the wrap-safe signed distance of its sequence number from
 * next_seq, so an ISN near 2^32 and streams longer than 4 GiB need no special
 * case: the 32-bit circle is only ever read within +-2^31 of the edge.
 *
 * Out-of-order bytes wait in `segs`, sorted by offset and pairwise disjoint,
 * every record strictly after next_off (a record at next_off is delivered at
 * once).  Records leave from the front by advancing seg_head, so draining
 * does not move memory; the array is compacted when the dead head is large.
 * A new segment is cut against what is already known (first wins) into new
 * pieces, kept in the reusable `pieces` scratch array: no malloc per packet
 * once the arrays have grown.  Delivered bytes are forgotten: only the
 * offset of the next byte to deliver remembers them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pl-frame.h"
#include "pl-reassembler.h"
#include "pl-seq.h"

typedef struct
{
  guint64       off;
  const guint8 *data;   /* NULL: carried by frame but cut by the snap length */
  guint32       len;
  guint32       frame;
} Seg;

typedef struct
{
  guint64 off;
  guint32 len;
} Piece;

/* Per-call tallies behind PlReassemblerResult. */
typedef struct
{
  guint32 frame;
  guint32 notes;
  guint32 new_bytes;
  guint32 old_bytes;
  guint32 skipped_cap;
  guint32 skipped_fin;
  guint32 buffered;
} Tally;

struct _PlReassembler
{
  PlReassemblerDeliverFunc deliver;
  PlReassemblerNoteFunc    note;
  gpointer                 user_data;

  gboolean base_set;
  guint32  next_seq;       /* raw sequence number of the byte at next_off */
  guint64  next_off;

  /* One past the highest offset any segment reached (delivered, buffered
   * or skipped for the cap): flush delivers a gap up to it. */
  guint64  highest_end;
  guint32  highest_frame;

  gboolean fin_set;
  guint64  fin_off;
  guint32  fin_frame;

  gsize    max_buffered;
  gsize    buffered;       /* bytes referenced by live records */
  GArray  *segs;           /* Seg, live from seg_head */
  guint    seg_head;
  GArray  *pieces;         /* Piece scratch */
};

static const char *
note_text (PlReassemblerNote note)
{
  switch (note)
    {
    case PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT:
      return N_("Retransmitted bytes differ from the bytes first seen (first copy kept)");
    case PL_REASSEMBLER_NOTE_BUFFER_FULL:
      return N_("Out-of-order buffer full: segment bytes skipped");
    case PL_REASSEMBLER_NOTE_AFTER_FIN:
      return N_("Payload after the FIN's sequence number: dropped");
    case PL_REASSEMBLER_NOTE_FIN_CONFLICT:
      return N_("FIN at another sequence number than the bytes already seen: ignored");
    default:
      return N_("Reassembly note");
    }
}

static void
make_note (PlReassembler     *r,
           Tally             *t,
           PlReassemblerNote  note)
{
  /* One note of a kind per segment: a segment overlapping ten records
   * with other bytes is one remark for the user, not ten. */
  if (t->notes & note)
    return;
  t->notes |= note;
  r->note (r->user_data, t->frame, note, note_text (note));
}

PlReassembler *
pl_reassembler_new (gsize                    max_buffered,
                    PlReassemblerDeliverFunc deliver,
                    PlReassemblerNoteFunc    note,
                    gpointer                 user_data)
{
  PlReassembler *r;

  g_return_val_if_fail (deliver != NULL, NULL);
  g_return_val_if_fail (note != NULL, NULL);

  r = g_new0 (PlReassembler, 1);
  r->deliver = deliver;
  r->note = note;
  r->user_data = user_data;
  r->max_buffered = max_buffered;
  r->highest_frame = PL_REASSEMBLER_NO_FRAME;
  r->fin_frame = PL_REASSEMBLER_NO_FRAME;
  r->segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  r->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  return r;
}

void
pl_reassembler_free (PlReassembler *r)
{
  if (r == NULL)
    return;
  g_array_unref (r->segs);
  g_array_unref (r->pieces);
  g_free (r);
}

void
pl_reassembler_set_isn (PlReassembler *r,
                        guint32        isn)
{
  g_return_if_fail (r != NULL);
  /* Moving the origin after bytes were numbered would renumber them. */
  g_return_if_fail (r->next_off == 0 && r->seg_head == r->segs->len && r->highest_end == 0);

  r->base_set = TRUE;
  r->next_seq = isn + 1;
}

static inline Seg *
seg_at (PlReassembler *r,
        guint          i)
{
  return &g_array_index (r->segs, Seg, i);
}

/* First live record whose end is after off (records are disjoint and
 * sorted, so their ends are sorted too). */
static guint
segs_lower_bound (PlReassembler *r,
                  guint64        off)
{
  guint lo = r->seg_head;
  guint hi = r->segs->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const Seg *s = seg_at (r, mid);

      if (s->off + s->len <= off)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Hands [next_off, next_off + len) to the consumer. */
static void
emit (PlReassembler *r,
      const guint8  *data,
      guint32        len,
      guint32        frame)
{
  if (len == 0)
    return;

  r->deliver (r->user_data, r->next_off, data, len, frame);

  r->next_off += len;
  r->next_seq += len;  /* wraps modulo 2^32 by design */
}

/* A hole up to off, as gaps of at most 2^32 - 1 bytes (lengths are 32-bit
 * inside; holes that large only come from junk sequence numbers). */
static void
emit_gap_to (PlReassembler *r,
             guint64        off,
             guint32        frame)
{
  while (r->next_off < off)
    {
      guint64 n = MIN (off - r->next_off, (guint64) G_MAXUINT32);
      emit (r, NULL, (guint32) n, frame);
    }
}

static void
compact_segs (PlReassembler *r)
{
  if (r->seg_head == r->segs->len)
    {
      g_array_set_size (r->segs, 0);
      r->seg_head = 0;
    }
  else if (r->seg_head >= 64 && r->seg_head * 2 >= r->segs->len)
    {
      g_array_remove_range (r->segs, 0, r->seg_head);
      r->seg_head = 0;
    }
}

/* Records are also bounded, so tiny segments cannot turn the byte cap
 * into millions of records (and an insertion into the sorted array into a
 * memmove of many megabytes): one per 512 bytes of cap, 16384 by default,
 * enough for full-sized segments up to the byte cap. */
static gsize
max_records (PlReassembler *r)
{
  return MAX ((gsize) 64, r->max_buffered / 512);
}

/* Delivers the buffered records that have become contiguous. */
static void
drain (PlReassembler *r)
{
  while (r->seg_head < r->segs->len)
    {
      const Seg *s = seg_at (r, r->seg_head);

      if (s->off != r->next_off)
        break;
      r->buffered -= s->len;
      r->seg_head++;
      emit (r, s->data, s->len, s->frame);
    }
  compact_segs (r);
}

static void
compare (PlReassembler *r,
         Tally         *t,
         const guint8  *old_bytes,
         const guint8  *new_bytes,
         gsize          n)
{
  /* A snap-cut copy on either side has nothing to compare. */
  if (old_bytes == NULL || new_bytes == NULL)
    return;
  if (memcmp (old_bytes, new_bytes, n) != 0)
    make_note (r, t, PL_REASSEMBLER_NOTE_OVERLAP_CONFLICT);
}

/* Takes the bytes [off, off + len) of one frame (data NULL: carried but
 * not captured), len <= 2^32 - 1, none after the FIN.  keep holds the same
 * bytes as data, for as long as the reassembler lives: what waits is
 * remembered from there. */
static void
add_range (PlReassembler *r,
           Tally         *t,
           guint64        off,
           const guint8  *data,
           const guint8  *keep,
           guint32        len)
{
  guint64 end = off + len;
  guint64 cursor;
  guint i;

  if (len == 0)
    return;

  /* Already delivered: a retransmission of those bytes.  They are gone,
   * so they are counted as old but not compared (see the header). */
  if (off < r->next_off)
    {
      guint32 n = (guint32) MIN ((guint64) len, r->next_off - off);

      t->old_bytes += n;
      if (n == len)
        return;
      off += n;
      if (data != NULL)
        {
          data += n;
          keep += n;
        }
      len -= n;
    }

  /* Fast path, the common case: in order and nothing waiting. */
  if (off == r->next_off && r->seg_head == r->segs->len)
    {
      t->new_bytes += len;
      emit (r, data, len, t->frame);
      if (end > r->highest_end)
        {
          r->highest_end = end;
          r->highest_frame = t->frame;
        }
      return;
    }

  /* Cut the range against the buffered records: the gaps between them
   * are new pieces, the overlaps are old bytes (first wins). */
  g_array_set_size (r->pieces, 0);
  cursor = off;
  for (i = segs_lower_bound (r, off); i < r->segs->len; i++)
    {
      const Seg *s = seg_at (r, i);
      guint64 s_end = s->off + s->len;
      guint64 a, b;

      if (s->off >= end)
        break;
      if (s->off > cursor)
        {
          Piece p = { cursor, (guint32) (s->off - cursor) };
          g_array_append_val (r->pieces, p);
        }
      a = MAX (cursor, s->off);
      b = MIN (end, s_end);
      if (b > a)
        {
          if (data != NULL && s->data != NULL)
            compare (r, t, s->data + (a - s->off), data + (a - off), b - a);
          t->old_bytes += (guint32) (b - a);
        }
      cursor = MAX (cursor, s_end);
    }
  if (cursor < end)
    {
      Piece p = { cursor, (guint32) (end - cursor) };
      g_array_append_val (r->pieces, p);
    }

  for (i = 0; i < r->pieces->len; i++)
    {
      Piece p = g_array_index (r->pieces, Piece, i);
      const guint8 *pdata = data != NULL ? data + (p.off - off) : NULL;

      if (p.off == r->next_off)
        {
          t->new_bytes += p.len;
          emit (r, pdata, p.len, t->frame);
          drain (r);
        }
      else if (r->buffered > r->max_buffered || p.len > r->max_buffered - r->buffered ||
               r->segs->len - r->seg_head >= max_records (r))
        {
          /* Over the cap: skip.  The bytes become part of a hole, delivered
           * as a gap unless a retransmission brings them back in time. */
          t->skipped_cap += p.len;
          make_note (r, t, PL_REASSEMBLER_NOTE_BUFFER_FULL);
        }
      else
        {
          Seg s = { p.off, keep != NULL ? keep + (p.off - off) : NULL, p.len, t->frame };
          guint at = segs_lower_bound (r, p.off);

          g_array_insert_val (r->segs, at, s);
          r->buffered += p.len;
          t->new_bytes += p.len;
          t->buffered += p.len;
        }
    }

  if (end > r->highest_end)
    {
      r->highest_end = end;
      r->highest_frame = t->frame;
    }
}

PlReassemblerStatus
pl_reassembler_add (PlReassembler       *r,
                    guint32              frame,
                    guint32              seq,
                    guint16              tcp_flags,
                    const guint8        *data,
                    guint32              captured_len,
                    guint32              payload_len,
                    PlReassemblerResult *result)
{
  return pl_reassembler_add_staged (r, frame, seq, tcp_flags, data, data,
                                    captured_len, payload_len, result);
}

PlReassemblerStatus
pl_reassembler_add_staged (PlReassembler       *r,
                           guint32              frame,
                           guint32              seq,
                           guint16              tcp_flags,
                           const guint8        *data,
                           const guint8        *keep,
                           guint32              captured_len,
                           guint32              payload_len,
                           PlReassemblerResult *result)
{
  Tally t = { frame, 0, 0, 0, 0, 0, 0 };
  guint32 data_seq;
  gint64 start, end, cut;
  guint32 captured;
  PlReassemblerStatus status;

  g_return_val_if_fail (r != NULL, PL_REASSEMBLER_NO_PAYLOAD);
  if (captured_len == 0)
    data = keep = NULL;
  g_return_val_if_fail (data != NULL || captured_len == 0, PL_REASSEMBLER_NO_PAYLOAD);
  g_return_val_if_fail ((data == NULL) == (keep == NULL), PL_REASSEMBLER_NO_PAYLOAD);

  /* The SYN occupies one sequence number before the first payload byte
   * (RFC 9293 section 3.4); data on a SYN (TCP Fast Open) follows it. */
  data_seq = (tcp_flags & PL_TCP_SYN) ? seq + 1 : seq;
  if (!r->base_set)
    {
      r->base_set = TRUE;
      r->next_seq = data_seq;
    }

  start = (gint64) r->next_off + PL_SEQ_DIFF (data_seq, r->next_seq);
  end = start + payload_len;
  captured = MIN (captured_len, payload_len);

  /* Bytes numbered before offset 0 (junk, or a SYN retransmitted with data
   * we already took as the base) cannot be placed: count them as old. */
  if (start < 0)
    {
      gint64 n = MIN (-start, (gint64) payload_len);

      t.old_bytes += (guint32) n;
      start += n;
      if (data != NULL)
        {
          data += MIN ((gint64) captured, n);
          keep += MIN ((gint64) captured, n);
        }
      captured -= (guint32) MIN ((gint64) captured, n);
    }

  /* After an accepted FIN the sender has nothing more to say. */
  cut = end;
  if (r->fin_set && end > (gint64) r->fin_off && end > start)
    {
      cut = MAX (start, (gint64) r->fin_off);
      t.skipped_fin = (guint32) (end - cut);
      make_note (r, &t, PL_REASSEMBLER_NOTE_AFTER_FIN);
      captured = (guint32) MIN ((gint64) captured, cut - start);
    }

  /* The snap-cut tail was on the wire but not in the file: it is a
   * gap carried by this frame, not a hole. */
  add_range (r, &t, (guint64) start, data, keep, captured);
  add_range (r, &t, (guint64) start + captured, NULL, NULL, (guint32) (cut - start) - captured);

  if (tcp_flags & PL_TCP_FIN)
    {
      gint64 fin_at = (gint64) r->next_off + PL_SEQ_DIFF (data_seq + payload_len, r->next_seq);

      if (r->fin_set)
        {
          if (fin_at != (gint64) r->fin_off)
            make_note (r, &t, PL_REASSEMBLER_NOTE_FIN_CONFLICT);
        }
      else if (fin_at < 0 || (guint64) fin_at < r->highest_end)
        /* First wins: bytes already seen beyond it make this FIN the odd
         * one out. */
        make_note (r, &t, PL_REASSEMBLER_NOTE_FIN_CONFLICT);
      else
        {
          r->fin_set = TRUE;
          r->fin_off = (guint64) fin_at;
          r->fin_frame = frame;
        }
    }

  if (t.skipped_cap > 0)
    status = PL_REASSEMBLER_BEYOND_CAP;
  else if (t.skipped_fin > 0)
    status = PL_REASSEMBLER_BEYOND_FIN;
  else if (payload_len == 0)
    status = PL_REASSEMBLER_NO_PAYLOAD;
  else if (t.new_bytes == 0)
    status = PL_REASSEMBLER_RETRANSMITTED;
  else if (t.old_bytes > 0)
    status = PL_REASSEMBLER_PARTIAL_OVERLAP;
  else if (t.buffered > 0)
    status = PL_REASSEMBLER_OUT_OF_ORDER;
  else
    status = PL_REASSEMBLER_IN_ORDER;

  if (result != NULL)
    {
      result->status = status;
      result->notes = t.notes;
      result->offset = end - payload_len;
      result->new_bytes = t.new_bytes;
      result->old_bytes = t.old_bytes;
      result->skipped_bytes = t.skipped_cap + t.skipped_fin;
    }

  return status;
}

void
pl_reassembler_flush (PlReassembler *r)
{
  guint64 target;
  guint32 frame;

  g_return_if_fail (r != NULL);

  while (r->seg_head < r->segs->len)
    {
      const Seg *s = seg_at (r, r->seg_head);

      emit_gap_to (r, s->off, s->frame);
      drain (r);
    }

  /* The tail: bytes skipped for the cap, or missing before the FIN. */
  target = r->highest_end;
  frame = r->highest_frame;
  if (r->fin_set && r->fin_off > target)
    {
      target = r->fin_off;
      frame = r->fin_frame;
    }
  emit_gap_to (r, target, frame);
}

guint64
pl_reassembler_get_delivered (PlReassembler *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->next_off;
}

gboolean
pl_reassembler_get_origin (PlReassembler *r,
                           guint32       *seq)
{
  g_return_val_if_fail (r != NULL, FALSE);
  /* next_seq advances with next_off, modulo 2^32. */
  if (seq != NULL)
    *seq = r->next_seq - (guint32) r->next_off;
  return r->base_set;
}

gsize
pl_reassembler_get_buffered (PlReassembler *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->buffered;
}

gboolean
pl_reassembler_accepts_rst (PlReassembler *r,
                            guint32        seq)
{
  guint32 origin, next;

  if (r == NULL || !pl_reassembler_get_origin (r, &origin))
    return TRUE;
  next = origin + (guint32) pl_reassembler_get_delivered (r);
  return !PL_SEQ_LT (seq, next);
}

gboolean
pl_reassembler_hole_acked (PlReassembler *r,
                           guint32        base_seq,
                           guint32        ack)
{
  if (r == NULL || r->buffered == 0)
    return FALSE;
  return PL_SEQ_GT (ack, base_seq + 1 + (guint32) pl_reassembler_get_delivered (r));
}

gboolean
pl_reassembler_get_fin_offset (PlReassembler *r,
                               guint64       *offset)
{
  g_return_val_if_fail (r != NULL, FALSE);
  if (offset != NULL)
    *offset = r->fin_off;
  return r->fin_set;
}

gboolean
pl_reassembler_fin_delivered (PlReassembler *r)
{
  g_return_val_if_fail (r != NULL, FALSE);
  return r->fin_set && r->next_off >= r->fin_off;
}
