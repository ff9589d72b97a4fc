/* fuzz-tcp-segments.c: the conversation table (stream numbering, relative
 * numbers, TCP state inference) and the reassembler of each direction, fed
 * sequences of segments.
 *
 * Input: a 9-byte header, then records.
 *   header:  u8 config   bits 0-3: out-of-order cap = 64 << n bytes;
 *                        bit 4/5: the SYN of side 0/1 was not captured, so
 *                        its ISN is set from the next fields
 *            u32 isn[2]  big-endian
 *   record:  u8  mode    bit 0: direction (0 client, 1 server)
 *                        bit 1: the snap length kept only half the payload
 *                        bit 2: flush both reassemblers after this segment
 *                        bit 3: payload length in units of 64 KiB (huge
 *                               segments, as junk sequence numbers make)
 *                        bit 4: the snap length kept at most 32 bytes
 *            u16 flags   TCP flags (12 bits)
 *            u32 seq, u32 ack, u16 len  (all big-endian)
 *            then the captured payload bytes, as many as the input has.
 * Each segment's bytes are copied to their own allocation, so that
 * AddressSanitizer catches any read outside a segment, and freed as soon
 * as the reassembler's lifetime contract allows (every byte of it is
 * delivered), so that it also catches a pointer kept longer than that.
 *
 * The reassembler is observed as the HTTP table observes it, through its
 * callbacks: deliveries in order and contiguous from 0, each data delivery
 * pointing into the buffer of the frame it names at the place of its
 * offset, each gap naming a frame already added, notes on the frame being
 * added.
 */
#include "config.h"

#include <string.h>

#include "pl-conversation.h"
#include "pl-fuzz.h"
#include "pl-reassembler.h"
#include "pl-seq.h"
#include "pl-tcp-state.h"

#define HEADER_LEN 9
#define RECORD_LEN 13

/* One added segment of a direction, while its buffer may be referenced. */
typedef struct
{
  guint32       frame;
  gint64        offset;     /* stream offset of its first payload byte */
  guint8       *copy;       /* its captured bytes (NULL when none) */
  guint32       captured;
} Held;

typedef struct
{
  guint   side;
  guint64 next;           /* offset of the next byte to be delivered */
  guint64 gap_bytes;
  guint64 data_bytes;
  guint32 current_frame;
  guint   sum;
  GArray *held;           /* Held, the segments whose bytes may still be delivered */
} Sink;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

static guint32
get_be (const guint8 *p,
        guint         n)
{
  guint32 v = 0;
  guint i;

  for (i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

static void
sink_deliver (gpointer      user_data,
              guint64       offset,
              const guint8 *data,
              gsize         len,
              guint32       frame)
{
  Sink *sink = user_data;

  /* In order, contiguous from 0, never empty, always a frame added so far
   * (frames are numbered in capture order). */
  PL_FUZZ_CHECK (offset == sink->next);
  PL_FUZZ_CHECK (len > 0);
  PL_FUZZ_CHECK (frame <= sink->current_frame);
  sink->next += len;
  if (data == NULL)
    sink->gap_bytes += len;
  else
    {
      gboolean found = FALSE;
      guint i;

      /* The bytes are that frame's own, at the place of their offset:
       * its buffer is still held (not freed early), and the pointer is
       * where offset falls in it. */
      for (i = 0; i < sink->held->len && !found; i++)
        {
          const Held *h = &g_array_index (sink->held, Held, i);

          if (h->frame != frame || h->copy == NULL)
            continue;
          found = TRUE;
          PL_FUZZ_CHECK ((gint64) offset >= h->offset);
          PL_FUZZ_CHECK ((gint64) (offset + len) <= h->offset + h->captured);
          PL_FUZZ_CHECK (data == h->copy + ((gint64) offset - h->offset));
        }
      PL_FUZZ_CHECK (found);
      sink->data_bytes += len;
      sink->sum += pl_fuzz_touch (data, len);
    }
}

/* Frees the buffers the reassembler may no longer read: every byte of
 * them lies before the next offset to deliver. */
static void
release_delivered (Sink *sink)
{
  guint i;

  for (i = 0; i < sink->held->len;)
    {
      Held *h = &g_array_index (sink->held, Held, i);

      if (h->offset + h->captured <= (gint64) sink->next)
        {
          g_free (h->copy);
          g_array_remove_index_fast (sink->held, i);
        }
      else
        i++;
    }
}

static void
sink_note (gpointer           user_data,
           guint32            frame,
           PlReassemblerNote  note,
           const char        *text)
{
  Sink *sink = user_data;

  PL_FUZZ_CHECK (frame == sink->current_frame);
  PL_FUZZ_CHECK (text != NULL && text[0] != '\0');
  PL_FUZZ_CHECK (note != 0 && (note & (note - 1)) == 0);
}

static void
fill_packet (PlPacket *pkt,
             guint     dir,
             guint16   flags,
             guint32   seq,
             guint32   ack,
             guint32   payload_len)
{
  static const guint8 addr[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };
  static const guint16 port[2] = { 40000, 80 };

  memset (pkt, 0, sizeof *pkt);
  pkt->status = PL_FRAME_TCP;
  pkt->link.linktype = PL_LINKTYPE_RAW;
  pkt->link.supported = TRUE;
  pkt->link.net = PL_NET_IPV4;
  pkt->ip.version = 4;
  memcpy (pkt->ip.src, addr[dir], 4);
  memcpy (pkt->ip.dst, addr[!dir], 4);
  pkt->ip.proto = 6;
  pkt->ip.hdr_len = 20;
  pkt->ip.payload_off = 20;
  pkt->tcp.sport = port[dir];
  pkt->tcp.dport = port[!dir];
  pkt->tcp.seq = seq;
  pkt->tcp.ack = ack;
  pkt->tcp.hdr_len = 20;
  pkt->tcp.flags = flags;
  pkt->tcp.window = (guint16) (seq ^ ack);
  pkt->tcp.payload_off = 40;
  pkt->tcp.payload_len = payload_len;
  /* SYNs offer options taken from the ack field (meaningless on a SYN). */
  pkt->tcp.wscale = (flags & PL_TCP_SYN) && (ack & 0x80) ? (gint8) (ack & 0x1f) : -1;
  pkt->tcp.has_mss = (flags & PL_TCP_SYN) && (ack & 0x100);
  pkt->tcp.mss = (guint16) (ack >> 16);
  pkt->tcp.sack_perm = (flags & PL_TCP_SYN) && (ack & 0x200);
}

/* The harness gives frame i the time i microseconds. */
static gint64
frame_time (gpointer data,
            guint32  frame)
{
  return (gint64) frame * 1000;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PlConversationTable) table = NULL;
  PlReassembler *r[2];
  Sink sink[2] = { { 0 }, { 0 } };
  PlTcpStateTrack track;
  gsize max_buffered;
  gsize pos = HEADER_LEN;
  guint32 frame_index = 0;
  guint side;

  if (size < HEADER_LEN)
    return 0;

  table = pl_conversation_table_new (frame_time, NULL);
  pl_tcp_state_init (&track);
  max_buffered = (gsize) 64 << (data[0] & 0x0f);

  for (side = 0; side < 2; side++)
    {
      sink[side].side = side;
      sink[side].held = g_array_new (FALSE, FALSE, sizeof (Held));
      r[side] = pl_reassembler_new (max_buffered, sink_deliver, sink_note, &sink[side]);
      if (data[0] & (0x10 << side))
        pl_reassembler_set_isn (r[side], get_be (data + 1 + 4 * side, 4));
    }

  while (size - pos >= RECORD_LEN)
    {
      const guint8 *rec = data + pos;
      guint dir = rec[0] & 1;
      guint16 flags = (guint16) (get_be (rec + 1, 2) & 0x0fff);
      guint32 seq = get_be (rec + 3, 4);
      guint32 ack = get_be (rec + 7, 4);
      guint32 payload_len = get_be (rec + 11, 2);
      guint32 captured;
      guint8 *copy = NULL;
      PlReassemblerResult result;
      PlReassemblerStatus status;
      guint32 data_seq, origin;
      gint64 expect_off = 0;
      PlFrame frame;
      PlPacket pkt;

      pos += RECORD_LEN;
      if (rec[0] & 0x08)
        payload_len <<= 16;
      captured = (rec[0] & 0x02) ? payload_len / 2 : payload_len;
      if (rec[0] & 0x10)
        captured = MIN (captured, 32);
      captured = (guint32) MIN ((gsize) captured, size - pos);
      if (captured > 0)
        copy = g_memdup2 (data + pos, captured);
      pos += captured;

      /* The conversation table and the state inference. */
      memset (&frame, 0, sizeof frame);
      frame.stream = PL_NO_STREAM;
      frame.ts_ns = (gint64) frame_index * 1000;
      fill_packet (&pkt, dir, flags, seq, ack, payload_len);
      pl_conversation_table_add (table, frame_index, &frame, &pkt);
      PL_FUZZ_CHECK (frame.stream < pl_conversation_table_get_n_streams (table));
      PL_FUZZ_CHECK (frame.dir <= 1);
      PL_FUZZ_CHECK (pl_tcp_state_unpack (frame.states, 0) <= PL_TCP_STATE_LAST_ACK);
      PL_FUZZ_CHECK (pl_tcp_state_unpack (frame.states, 1) <= PL_TCP_STATE_LAST_ACK);
      pl_tcp_state_update (&track, (guint8) dir, flags, seq, ack, payload_len);
      PL_FUZZ_CHECK (track.state[0] <= PL_TCP_STATE_LAST_ACK && track.state[1] <= PL_TCP_STATE_LAST_ACK);

      /* The reassembler of that direction.  Its first payload byte falls
       * at this offset (pl-reassembler.h): the SYN takes one number, and
       * offset 0 is the origin, else this segment is. */
      data_seq = (flags & PL_TCP_SYN) ? seq + 1 : seq;
      if (pl_reassembler_get_origin (r[dir], &origin))
        {
          guint64 next = pl_reassembler_get_delivered (r[dir]);

          expect_off = (gint64) next + PL_SEQ_DIFF (data_seq, origin + (guint32) next);
        }
      if (copy != NULL)
        {
          Held h = { frame_index, expect_off, copy, captured };

          g_array_append_val (sink[dir].held, h);
        }
      sink[dir].current_frame = frame_index;
      status = pl_reassembler_add (r[dir], frame_index, seq, flags, copy, captured,
                                   payload_len, &result);
      PL_FUZZ_CHECK (result.offset == expect_off);
      PL_FUZZ_CHECK (status == result.status);
      PL_FUZZ_CHECK ((guint64) result.new_bytes + result.old_bytes + result.skipped_bytes == payload_len);
      PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[dir]) <= max_buffered);
      PL_FUZZ_CHECK (sink[dir].next == pl_reassembler_get_delivered (r[dir]));
      release_delivered (&sink[dir]);

      if (rec[0] & 0x04)
        {
          for (side = 0; side < 2; side++)
            {
              pl_reassembler_flush (r[side]);
              PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[side]) == 0);
              release_delivered (&sink[side]);
            }
        }
      frame_index++;
    }

  for (side = 0; side < 2; side++)
    {
      guint64 fin;
      guint i;

      pl_reassembler_flush (r[side]);
      PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[side]) == 0);
      PL_FUZZ_CHECK (sink[side].next == pl_reassembler_get_delivered (r[side]));
      if (pl_reassembler_get_fin_offset (r[side], &fin))
        PL_FUZZ_CHECK (pl_reassembler_get_delivered (r[side]) >= fin);
      PL_FUZZ_CHECK (sink[side].data_bytes + sink[side].gap_bytes == sink[side].next);
      release_delivered (&sink[side]);
      /* Flushing delivered up to the FIN or the highest byte seen: what is
       * left can only be bytes after the FIN, dropped. */
      for (i = 0; i < sink[side].held->len; i++)
        {
          Held *h = &g_array_index (sink[side].held, Held, i);

          PL_FUZZ_CHECK (pl_reassembler_get_fin_offset (r[side], &fin));
          PL_FUZZ_CHECK (h->offset + h->captured > (gint64) fin);
          g_free (h->copy);
        }
      g_array_unref (sink[side].held);
      pl_reassembler_free (r[side]);
    }

  (void) pl_tcp_close_kind_to_string (pl_tcp_state_close_kind (&track));
  return 0;
}
