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
 * Each segment's bytes are copied to their own allocation, which lives
 * until the end as the reassembler's lifetime contract asks, so that
 * AddressSanitizer catches any read outside a segment.
 */
#include "config.h"

#include <string.h>

#include "pl-conversation.h"
#include "pl-fuzz.h"
#include "pl-reassembler.h"
#include "pl-tcp-state.h"

#define HEADER_LEN 9
#define RECORD_LEN 13

typedef struct
{
  guint   side;
  guint64 next;           /* offset of the next byte to be delivered */
  guint64 gap_bytes;
  guint32 current_frame;
  guint   sum;
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

  /* In order, contiguous from 0, never empty. */
  PL_FUZZ_CHECK (offset == sink->next);
  PL_FUZZ_CHECK (len > 0);
  PL_FUZZ_CHECK (frame == PL_REASSEMBLER_NO_FRAME || frame <= sink->current_frame);
  sink->next += len;
  if (data == NULL)
    sink->gap_bytes += len;
  else
    sink->sum += pl_fuzz_touch (data, len);
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
check_spans (PlReassembler *r,
             guint32        n_frames)
{
  const PlReassemblerSpan *spans;
  guint n_spans = 0;
  guint64 off = 0;
  guint32 frames[8];
  guint i, n;

  spans = pl_reassembler_get_spans (r, &n_spans);
  for (i = 0; i < n_spans; i++)
    {
      PL_FUZZ_CHECK (spans[i].offset == off);
      PL_FUZZ_CHECK (spans[i].length > 0);
      PL_FUZZ_CHECK (spans[i].frame == PL_REASSEMBLER_NO_FRAME || spans[i].frame < n_frames);
      if (spans[i].data != NULL)
        (void) pl_fuzz_touch (spans[i].data, spans[i].length);
      off += spans[i].length;
    }
  PL_FUZZ_CHECK (off == pl_reassembler_get_delivered (r));

  /* Lookups over the whole stream and a few pieces of it. */
  n = pl_reassembler_find_frames (r, 0, G_MAXUINT64, frames, G_N_ELEMENTS (frames));
  PL_FUZZ_CHECK (n <= n_spans);
  for (i = 0; i < MIN (n, G_N_ELEMENTS (frames)); i++)
    PL_FUZZ_CHECK (frames[i] < n_frames);
  for (i = 0; i < n_spans && i < 8; i++)
    {
      n = pl_reassembler_find_frames (r, spans[i].offset + spans[i].length / 2, 1, frames, 1);
      PL_FUZZ_CHECK (n <= 1);
    }
  (void) pl_reassembler_find_frames (r, off, 100, NULL, 0);
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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PlConversationTable) table = NULL;
  g_autoptr(GPtrArray) buffers = NULL;
  PlReassembler *r[2];
  Sink sink[2] = { { 0 }, { 0 } };
  PlTcpStateTrack track;
  gsize max_buffered;
  gsize pos = HEADER_LEN;
  guint32 frame_index = 0;
  guint side;

  if (size < HEADER_LEN)
    return 0;

  table = pl_conversation_table_new ();
  buffers = g_ptr_array_new_with_free_func (g_free);
  pl_tcp_state_init (&track);
  max_buffered = (gsize) 64 << (data[0] & 0x0f);

  for (side = 0; side < 2; side++)
    {
      sink[side].side = side;
      r[side] = pl_reassembler_new (sink_deliver, sink_note, &sink[side]);
      pl_reassembler_set_max_buffered (r[side], max_buffered);
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
        {
          copy = g_memdup2 (data + pos, captured);
          g_ptr_array_add (buffers, copy);
        }
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

      /* The reassembler of that direction. */
      sink[dir].current_frame = frame_index;
      status = pl_reassembler_add (r[dir], frame_index, seq, flags, copy, captured,
                                   payload_len, &result);
      PL_FUZZ_CHECK (status == result.status);
      PL_FUZZ_CHECK ((guint64) result.new_bytes + result.old_bytes + result.skipped_bytes == payload_len);
      PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[dir]) <= max_buffered);
      PL_FUZZ_CHECK (sink[dir].next == pl_reassembler_get_delivered (r[dir]));

      if (rec[0] & 0x04)
        {
          for (side = 0; side < 2; side++)
            {
              pl_reassembler_flush (r[side]);
              PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[side]) == 0);
            }
        }
      frame_index++;
    }

  for (side = 0; side < 2; side++)
    {
      guint64 fin;

      pl_reassembler_flush (r[side]);
      PL_FUZZ_CHECK (pl_reassembler_get_buffered (r[side]) == 0);
      PL_FUZZ_CHECK (sink[side].next == pl_reassembler_get_delivered (r[side]));
      if (pl_reassembler_get_fin_offset (r[side], &fin))
        PL_FUZZ_CHECK (pl_reassembler_get_delivered (r[side]) >= fin);
      check_spans (r[side], frame_index);
      pl_reassembler_free (r[side]);
    }

  (void) pl_tcp_close_kind_to_string (pl_tcp_state_close_kind (&track));
  return 0;
}
