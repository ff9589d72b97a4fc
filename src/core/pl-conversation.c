/* pl-conversation.c: TCP conversation table (tcp.stream numbering, relative
 * sequence numbers, calculated window), with Wireshark's semantics:
 *
 * - Streams: one per canonical 4-tuple, numbered in order of first frame.
 *   A SYN without ACK whose sequence number differs from the base of that
 *   direction starts a new stream on the same tuple (ports reused); the same
 *   sequence number is a retransmitted SYN of the same stream.
 * - Base sequence (relative 0): the SYN's sequence number; without a SYN,
 *   the first sequence number seen minus 1 (so data starts at relative 1).
 *   The first segment with ACK from the other side sets it to ack - 1 when
 *   this side has not been seen yet.  A SYN-ACK with another sequence number
 *   than the base moves the base to it ("ports reused": what came before
 *   was a stray segment of an earlier connection); frames before it keep
 *   the numbers they were shown with, as in Wireshark, which numbers while
 *   it reads (PL_FRAME_AFTER_REBASE, pl_tcp_stream_base_for()).
 * - Calculated window: the raw window shifted by the sender's scale when
 *   both SYNs carried the option; never on SYN segments; raw when the SYNs
 *   were not captured (scale unknown) or scaling is not in use.
 */
#include "config.h"

#include <string.h>

#include "pl-conversation.h"
#include "pl-tcp-state.h"

typedef struct
{
  guint8  version;
  guint8  addr_lo[16];
  guint8  addr_hi[16];
  guint16 port_lo;
  guint16 port_hi;
} TupleKey;

/* Streams live in blocks that never move (no regrowth, no copies, at most
 * one block of slack), as frames do in pl-capture.c. */
#define BLOCK_SHIFT 10
#define BLOCK_SIZE  (1u << BLOCK_SHIFT)
#define BLOCK_MASK  (BLOCK_SIZE - 1)

/* Memory per stream: the PlTcpStream, kept; while loading, its analysis
 * state (PlTcpAnalysis, only the loader needs it) and a slot or two of
 * the tuple index, both freed by pl_conversation_table_end_load().  The
 * index holds stream numbers only (open addressing, linear probing): the
 * tuple of a slot is read from its stream's endpoints, so no key is
 * allocated per stream. */
struct _PlConversationTable
{
  GPtrArray *stream_blocks;    /* PlTcpStream[BLOCK_SIZE] */
  GPtrArray *analysis_blocks;  /* PlTcpAnalysis[BLOCK_SIZE]; NULL after the load */
  PlFrameTimeFunc frame_time;  /* for the analysis: times of earlier frames */
  gpointer   frame_time_data;
  guint      n_streams;
  guint32   *slots;            /* current stream of a tuple + 1, 0 free; NULL after the load */
  guint      n_slots;          /* a power of two, at least twice n_used */
  guint      n_used;
  /* The tuple of the last segment and its slot: segments come in bursts
   * of one connection, and the hash and the probes (each reading a
   * stream's endpoints, seldom in the cache) are then skipped. */
  TupleKey   last_key;
  guint      last_slot;
  gboolean   last_valid;       /* cleared when the index grows */
};

static guint
tuple_key_hash (const TupleKey *k)
{
  guint h = 2166136261u;
  const guint8 *bytes = (const guint8 *) k;
  gsize i;

  /* FNV-1a over the packed key (no padding: all members are bytes and
   * 16-bit values at even offsets). */
  for (i = 0; i < sizeof *k; i++)
    h = (h ^ bytes[i]) * 16777619u;
  return h;
}

static inline PlTcpStream *
stream_at (PlConversationTable *table,
           guint                index)
{
  return &((PlTcpStream *) g_ptr_array_index (table->stream_blocks, index >> BLOCK_SHIFT))[index & BLOCK_MASK];
}

static inline PlTcpAnalysis *
analysis_at (PlConversationTable *table,
             guint                index)
{
  return &((PlTcpAnalysis *) g_ptr_array_index (table->analysis_blocks, index >> BLOCK_SHIFT))[index & BLOCK_MASK];
}

PlConversationTable *
pl_conversation_table_new (PlFrameTimeFunc frame_time,
                           gpointer        frame_time_data)
{
  PlConversationTable *table = g_new0 (PlConversationTable, 1);

  g_return_val_if_fail (frame_time != NULL, NULL);
  table->frame_time = frame_time;
  table->frame_time_data = frame_time_data;

  table->stream_blocks = g_ptr_array_new_with_free_func (g_free);
  table->analysis_blocks = g_ptr_array_new_with_free_func (g_free);
  table->n_slots = 1024;
  table->slots = g_new0 (guint32, table->n_slots);
  return table;
}

void
pl_conversation_table_end_load (PlConversationTable *table)
{
  g_clear_pointer (&table->analysis_blocks, g_ptr_array_unref);
  g_clear_pointer (&table->slots, g_free);
  table->n_slots = table->n_used = 0;
}

void
pl_conversation_table_free (PlConversationTable *table)
{
  if (table == NULL)
    return;
  pl_conversation_table_end_load (table);
  g_ptr_array_unref (table->stream_blocks);
  g_free (table);
}

guint
pl_conversation_table_get_n_streams (PlConversationTable *table)
{
  return table->n_streams;
}

const PlTcpStream *
pl_conversation_table_get_stream (PlConversationTable *table,
                                  guint                index)
{
  g_return_val_if_fail (index < table->n_streams, NULL);
  return stream_at (table, index);
}

static void
make_key (const PlPacket *pkt,
          TupleKey       *key)
{
  gsize alen = pkt->ip.version == 4 ? 4 : 16;
  int c;

  memset (key, 0, sizeof *key);
  key->version = pkt->ip.version;
  c = memcmp (pkt->ip.src, pkt->ip.dst, alen);
  if (c < 0 || (c == 0 && pkt->tcp.sport <= pkt->tcp.dport))
    {
      memcpy (key->addr_lo, pkt->ip.src, alen);
      memcpy (key->addr_hi, pkt->ip.dst, alen);
      key->port_lo = pkt->tcp.sport;
      key->port_hi = pkt->tcp.dport;
    }
  else
    {
      memcpy (key->addr_lo, pkt->ip.dst, alen);
      memcpy (key->addr_hi, pkt->ip.src, alen);
      key->port_lo = pkt->tcp.dport;
      key->port_hi = pkt->tcp.sport;
    }
}

/* The key of a stream's tuple, as make_key() makes it from any of its
 * segments. */
static void
key_of_stream (const PlTcpStream *stream,
               TupleKey          *key)
{
  const PlEndpoint *a = &stream->ep[0], *b = &stream->ep[1];
  gsize alen = a->version == 4 ? 4 : 16;
  int c;

  memset (key, 0, sizeof *key);
  key->version = a->version;
  c = memcmp (a->addr, b->addr, alen);
  if (!(c < 0 || (c == 0 && a->port <= b->port)))
    {
      const PlEndpoint *t = a;

      a = b;
      b = t;
    }
  memcpy (key->addr_lo, a->addr, alen);
  memcpy (key->addr_hi, b->addr, alen);
  key->port_lo = a->port;
  key->port_hi = b->port;
}

/* The slot of the tuple: the one holding its stream, or the free one where
 * it would go. */
static guint32 *
find_slot (PlConversationTable *table,
           const TupleKey      *key)
{
  guint mask = table->n_slots - 1;
  guint i = tuple_key_hash (key) & mask;

  for (;; i = (i + 1) & mask)
    {
      TupleKey other;

      if (table->slots[i] == 0)
        return &table->slots[i];
      key_of_stream (stream_at (table, table->slots[i] - 1), &other);
      if (memcmp (key, &other, sizeof other) == 0)
        return &table->slots[i];
    }
}

/* Doubles the index when it is half full, so probes stay short. */
static void
grow_slots (PlConversationTable *table)
{
  guint32 *old = table->slots;
  guint n_old = table->n_slots, i;

  table->n_slots *= 2;
  table->slots = g_new0 (guint32, table->n_slots);
  table->last_valid = FALSE;
  for (i = 0; i < n_old; i++)
    if (old[i] != 0)
      {
        TupleKey key;

        key_of_stream (stream_at (table, old[i] - 1), &key);
        *find_slot (table, &key) = old[i];
      }
  g_free (old);
}

static void
set_endpoint (PlEndpoint   *ep,
              guint8        version,
              const guint8 *addr,
              guint16       port)
{
  memset (ep, 0, sizeof *ep);
  ep->version = version;
  memcpy (ep->addr, addr, version == 4 ? 4 : 16);
  ep->port = port;
}

static guint32
new_stream (PlConversationTable *table,
            const PlPacket      *pkt,
            guint32              frame_index,
            gint64               ts_ns)
{
  PlTcpStream stream;
  gboolean src_is_client;
  guint i;

  memset (&stream, 0, sizeof stream);
  stream.index = table->n_streams;
  stream.first_frame = frame_index;
  stream.first_ts_ns = ts_ns;

  /* The client sent the SYN; a SYN-ACK goes to it; otherwise the sender
   * of the first frame we saw. */
  src_is_client = (pkt->tcp.flags & (PL_TCP_SYN | PL_TCP_ACK)) != (PL_TCP_SYN | PL_TCP_ACK);
  if (src_is_client)
    {
      set_endpoint (&stream.ep[0], pkt->ip.version, pkt->ip.src, pkt->tcp.sport);
      set_endpoint (&stream.ep[1], pkt->ip.version, pkt->ip.dst, pkt->tcp.dport);
    }
  else
    {
      set_endpoint (&stream.ep[0], pkt->ip.version, pkt->ip.dst, pkt->tcp.dport);
      set_endpoint (&stream.ep[1], pkt->ip.version, pkt->ip.src, pkt->tcp.sport);
    }
  pl_tcp_state_init (&stream.state);
  for (i = 0; i < 2; i++)
    {
      stream.peer[i].wscale = PL_WSCALE_UNKNOWN;
      stream.peer[i].wscale_offered = -1;
    }

  if ((stream.index & BLOCK_MASK) == 0)
    {
      g_ptr_array_add (table->stream_blocks, g_new (PlTcpStream, BLOCK_SIZE));
      g_ptr_array_add (table->analysis_blocks, g_new (PlTcpAnalysis, BLOCK_SIZE));
    }
  *stream_at (table, stream.index) = stream;
  pl_tcp_analysis_init (analysis_at (table, stream.index));
  table->n_streams++;
  return stream.index;
}

static guint8
direction_of (const PlTcpStream *stream,
              const PlPacket    *pkt)
{
  gsize alen = pkt->ip.version == 4 ? 4 : 16;

  /* A socket talking to itself matches ep[0] both ways: client to server. */
  if (stream->ep[0].port == pkt->tcp.sport &&
      memcmp (stream->ep[0].addr, pkt->ip.src, alen) == 0)
    return 0;
  return 1;
}

static void
note_syn (PlTcpStream    *stream,
          guint8          dir,
          const PlPacket *pkt)
{
  PlTcpPeer *fwd = &stream->peer[dir];
  PlTcpPeer *rev = &stream->peer[!dir];
  const PlTcpInfo *tcp = &pkt->tcp;

  fwd->flags |= PL_PEER_SAW_SYN;
  fwd->wscale_offered = tcp->wscale;
  if (tcp->has_mss)
    fwd->mss = tcp->mss;
  fwd->sack_perm = tcp->sack_perm;
  fwd->timestamps = tcp->has_ts;

  /* RFC 7323 section 2.2: the shift applies only when both SYNs carry the
   * option; larger shifts than 14 are treated as 14. */
  fwd->wscale = tcp->wscale >= 0 ? MIN (tcp->wscale, 14) : PL_WSCALE_NONE;
  if (tcp->flags & PL_TCP_ACK)
    {
      if (fwd->wscale == PL_WSCALE_NONE || rev->wscale == PL_WSCALE_NONE)
        fwd->wscale = rev->wscale = PL_WSCALE_NONE;
    }
}

guint
pl_tcp_bases_update (PlTcpBases *b,
                     guint8      dir,
                     guint16     flags,
                     guint32     seq,
                     guint32     ack,
                     gboolean    length_known)
{
  guint events = 0;

  dir &= 1;
  if ((flags & (PL_TCP_SYN | PL_TCP_ACK)) == PL_TCP_SYN && b->set[dir] && seq == b->base_seq[dir])
    events |= PL_TCP_BASES_SYN_RETRY;
  if ((flags & (PL_TCP_SYN | PL_TCP_ACK)) == (PL_TCP_SYN | PL_TCP_ACK) &&
      b->set[dir] && seq != b->base_seq[dir])
    {
      b->base_seq[dir] = seq;
      events |= PL_TCP_BASES_REBASED;
    }
  if (!length_known)
    return events;
  if (!b->set[dir])
    {
      b->base_seq[dir] = (flags & PL_TCP_SYN) ? seq : seq - 1;
      b->set[dir] = TRUE;
    }
  if (!b->set[!dir] && (flags & PL_TCP_ACK))
    {
      b->base_seq[!dir] = ack - 1;
      b->set[!dir] = TRUE;
    }
  return events;
}

void
pl_conversation_table_add (PlConversationTable *table,
                           guint32              frame_index,
                           PlFrame             *frame,
                           const PlPacket      *pkt)
{
  TupleKey key;
  guint32 *slot;
  guint32 index;
  PlTcpStream *stream;
  PlTcpPeer *fwd, *rev;
  guint8 dir;
  guint16 flags = pkt->tcp.flags;
  guint32 win;
  gboolean reused = FALSE;
  PlTcpSegment seg;
  PlTcpBases bases;
  guint events, i;

  g_return_if_fail (table->slots != NULL);

  make_key (pkt, &key);
  if (table->last_valid && memcmp (&key, &table->last_key, sizeof key) == 0)
    slot = &table->slots[table->last_slot];
  else
    {
      slot = find_slot (table, &key);
      table->last_key = key;
      table->last_slot = (guint) (slot - table->slots);
      table->last_valid = TRUE;
    }
  if (*slot != 0)
    {
      index = *slot - 1;
      stream = stream_at (table, index);
      dir = direction_of (stream, pkt);

      /* Ports reused: a new SYN with another initial sequence number. */
      if ((flags & (PL_TCP_SYN | PL_TCP_ACK)) == PL_TCP_SYN &&
          (stream->peer[dir].flags & PL_PEER_BASE_SET) &&
          pkt->tcp.seq != stream->peer[dir].base_seq)
        {
          index = new_stream (table, pkt, frame_index, frame->ts_ns);
          *slot = index + 1;
          stream = stream_at (table, index);
          dir = 0;
          reused = TRUE;
        }
    }
  else
    {
      index = new_stream (table, pkt, frame_index, frame->ts_ns);
      *slot = index + 1;
      stream = stream_at (table, index);
      dir = direction_of (stream, pkt);
      if (++table->n_used * 2 > table->n_slots)
        grow_slots (table);
    }

  fwd = &stream->peer[dir];
  rev = &stream->peer[!dir];

  for (i = 0; i < 2; i++)
    {
      bases.base_seq[i] = stream->peer[i].base_seq;
      bases.set[i] = (stream->peer[i].flags & PL_PEER_BASE_SET) != 0;
    }
  events = pl_tcp_bases_update (&bases, dir, flags, pkt->tcp.seq, pkt->tcp.ack, !pkt->tcp.length_unknown);
  if ((events & PL_TCP_BASES_REBASED) && !(fwd->flags & PL_PEER_REBASED))
    {
      /* Frames so far keep the numbers they had (see base_for()). */
      fwd->first_base_seq = fwd->base_seq;
      fwd->flags |= PL_PEER_REBASED;
    }
  for (i = 0; i < 2; i++)
    {
      stream->peer[i].base_seq = bases.base_seq[i];
      if (bases.set[i])
        stream->peer[i].flags |= PL_PEER_BASE_SET;
    }
  if (events & PL_TCP_BASES_REBASED)
    reused = TRUE;
  if ((stream->peer[0].flags | stream->peer[1].flags) & PL_PEER_REBASED)
    frame->status |= PL_FRAME_AFTER_REBASE;

  if (flags & PL_TCP_SYN)
    note_syn (stream, dir, pkt);
  if (flags & PL_TCP_FIN)
    fwd->flags |= PL_PEER_SAW_FIN;
  if (flags & PL_TCP_RST)
    fwd->flags |= PL_PEER_SAW_RST;

  win = pkt->tcp.window;
  if (!(flags & PL_TCP_SYN) && fwd->wscale >= 0 && !pkt->tcp.length_unknown)
    win <<= fwd->wscale;

  fwd->n_frames++;
  fwd->payload_bytes += pkt->tcp.payload_len;
  stream->n_frames++;
  stream->last_frame = frame_index;
  stream->last_ts_ns = frame->ts_ns;

  /* Inferred endpoint states (pl-tcp-state.c). */
  pl_tcp_state_update (&stream->state, dir, flags, pkt->tcp.seq, pkt->tcp.ack, pkt->tcp.payload_len);
  frame->states = pl_tcp_state_pack (&stream->state);

  /* Sequence analysis (pl-tcp-analysis.c), on raw numbers as Wireshark's;
   * the window scales are the ones known at this point of the capture. */
  seg.frame = frame_index;
  seg.ts_ns = frame->ts_ns;
  seg.dir = dir;
  seg.flags = flags;
  seg.seq = pkt->tcp.seq;
  seg.ack = pkt->tcp.ack;
  seg.len = pkt->tcp.payload_len;
  seg.window = pkt->tcp.window;
  seg.fwd_wscale = fwd->wscale;
  seg.rev_wscale = rev->wscale;
  seg.notes = (events & PL_TCP_BASES_SYN_RETRY) ? PL_TCP_SEGMENT_SYN_RETRY : 0;
  seg.frame_time = table->frame_time;
  seg.frame_time_data = table->frame_time_data;
  /* A segment of unknown length is not analysed (as in Wireshark). */
  frame->analysis = pkt->tcp.length_unknown ? PL_ANALYSIS_LENGTH_UNKNOWN
                                            : pl_tcp_analysis_segment (analysis_at (table, index), &seg, NULL);
  if (reused)
    frame->analysis |= PL_ANALYSIS_REUSED_PORTS;

  frame->stream = index;
  frame->dir = dir;
  frame->seq = pkt->tcp.seq;
  frame->ack = pkt->tcp.ack;
  frame->win = win;
  frame->payload_len = pkt->tcp.payload_len;
  frame->tcp_flags = flags;
}

const char *
pl_endpoint_to_string (const PlEndpoint *ep,
                       char             *buf,
                       gsize             buf_len)
{
  char addr[64];

  pl_ip_address_to_string (ep->version, ep->addr, addr, sizeof addr);
  if (ep->version == 6)
    g_snprintf (buf, buf_len, "[%s]:%u", addr, ep->port);
  else
    g_snprintf (buf, buf_len, "%s:%u", addr, ep->port);
  return buf;
}
