/* pl-conversation.h: the TCP conversation table and its streams.
 *
 * Streams are numbered as Wireshark numbers tcp.stream: in order of their
 * first frame, one per 4-tuple, and a new one when a SYN (without ACK)
 * arrives on a tuple whose stream already has a different initial sequence
 * number in that direction ("TCP port numbers reused"; a SYN-ACK with a new
 * ISN is flagged so too, and moves that direction's relative numbers).
 * Relative numbers and the calculated window follow Wireshark's rules (see
 * pl-conversation.c).
 */
#pragma once

#include <glib.h>

#include "pl-frame.h"
#include "pl-packet.h"
#include "pl-tcp-analysis.h"
#include "pl-tcp-state.h"

G_BEGIN_DECLS

typedef struct
{
  guint8  version;     /* 4 or 6 */
  guint8  addr[16];
  guint16 port;
} PlEndpoint;

#define PL_WSCALE_UNKNOWN   (-1)  /* no SYN seen for this side */
#define PL_WSCALE_NONE      (-2)  /* SYNs seen, scaling not in use */

typedef enum
{
  PL_PEER_BASE_SET  = 1 << 0,  /* base_seq is known */
  PL_PEER_SAW_SYN   = 1 << 1,  /* this side sent a SYN (or SYN-ACK) */
  PL_PEER_SAW_FIN   = 1 << 2,
  PL_PEER_SAW_RST   = 1 << 3,
  PL_PEER_REBASED   = 1 << 4,  /* a SYN-ACK moved base_seq; first_base_seq is the old one */
} PlPeerFlags;

/* One direction of a stream: what one endpoint sent. */
typedef struct
{
  guint64 payload_bytes;
  guint32 base_seq;     /* raw sequence number that shows as relative 0 */
  guint32 first_base_seq; /* with PL_PEER_REBASED: the base before the rebase,
                         * for frames without PL_FRAME_AFTER_REBASE */
  guint32 n_frames;
  guint16 mss;          /* from the SYN, 0 when absent */
  guint8  flags;        /* PlPeerFlags */
  gint8   wscale;       /* shift, or PL_WSCALE_UNKNOWN / PL_WSCALE_NONE */
  gint8   wscale_offered; /* shift in this side's SYN, -1 when absent */
  guint8  sack_perm;    /* boolean */
  guint8  timestamps;   /* boolean */
} PlTcpPeer;

/* Kept for every stream after the load: fields in order of size, no
 * padding but the tail's. */
typedef struct
{
  guint32    index;        /* tcp.stream */
  guint32    first_frame;  /* frame index (from 0) */
  guint32    last_frame;
  guint32    n_frames;
  gint64     first_ts_ns;
  gint64     last_ts_ns;
  PlTcpPeer  peer[2];      /* [0] what the client sent, [1] what the server sent */
  PlEndpoint ep[2];        /* [0] client, [1] server */
  PlTcpStateTrack state;   /* inferred endpoint states (pl-tcp-state.h) */
} PlTcpStream;

G_STATIC_ASSERT (sizeof (PlTcpStream) <= 176);

/* The base sequence numbers of a stream's two directions as Wireshark
 * keeps them while reading (relative 0 of each direction). */
typedef struct
{
  guint32 base_seq[2];
  gboolean set[2];
} PlTcpBases;

typedef enum
{
  PL_TCP_BASES_SYN_RETRY = 1 << 0, /* a SYN without ACK with the ISN already seen */
  PL_TCP_BASES_REBASED   = 1 << 1, /* a SYN-ACK with another ISN than the base */
} PlTcpBasesEvent;

/* One segment of direction dir, in capture order, after the stream was
 * chosen (a SYN with a new ISN starts a new stream with fresh bases):
 *
 * - a SYN-ACK whose sequence number differs from the known base of its
 *   direction moves that base to it ("TCP port numbers reused", as
 *   Wireshark 4.0 flags it): the earlier numbers came from a stray segment
 *   of another connection, nothing of this one had been exchanged;
 * - the first segment of a direction sets its base (the SYN's sequence
 *   number, else seq - 1 so that data starts at relative 1), and the first
 *   segment with ACK sets the other direction's to ack - 1 if unknown.
 *
 * A segment whose length is unknown (PL_ANALYSIS_LENGTH_UNKNOWN) sets no
 * base, as in Wireshark (length_known FALSE); the SYN-ACK rule applies.
 *
 * Returns PlTcpBasesEvent bits.  The conversation table and the analysis
 * replay both call it, so they agree. */
guint pl_tcp_bases_update (PlTcpBases *bases,
                           guint8      dir,
                           guint16     flags,
                           guint32     seq,
                           guint32     ack,
                           gboolean    length_known);

typedef struct _PlConversationTable PlConversationTable;

/* frame_time gives the time of a frame added earlier (the sequence
 * analysis keeps frame numbers, not times). */
PlConversationTable *pl_conversation_table_new        (PlFrameTimeFunc      frame_time,
                                                       gpointer             frame_time_data);
void                 pl_conversation_table_free       (PlConversationTable *table);
/* The last frame was added: frees what only adding needs (the sequence
 * analysis state of each stream, the tuple index).  The streams stay. */
void                 pl_conversation_table_end_load   (PlConversationTable *table);

/* Finds or creates the stream of a decoded TCP segment (pkt->status has
 * PL_FRAME_TCP) and fills frame->stream, ->dir, ->seq, ->ack, ->win,
 * ->payload_len and ->tcp_flags. */
void                 pl_conversation_table_add        (PlConversationTable *table,
                                                       guint32              frame_index,
                                                       PlFrame             *frame,
                                                       const PlPacket      *pkt);

guint                pl_conversation_table_get_n_streams (PlConversationTable *table);
const PlTcpStream   *pl_conversation_table_get_stream (PlConversationTable *table,
                                                       guint                index);

/* The base a frame's numbers of direction dir are relative to: as
 * Wireshark numbers while reading, frames before a rebase keep the base
 * they were shown with then. */
static inline guint32
pl_tcp_stream_base_for (const PlTcpStream *stream,
                        guint              dir,
                        const PlFrame     *frame)
{
  const PlTcpPeer *peer = &stream->peer[dir & 1];

  if ((peer->flags & PL_PEER_REBASED) && !(frame->status & PL_FRAME_AFTER_REBASE))
    return peer->first_base_seq;
  return peer->base_seq;
}

/* Relative numbers as Wireshark shows them (tcp.seq, tcp.ack). */
static inline guint32
pl_tcp_stream_relative_seq (const PlTcpStream *stream,
                            const PlFrame     *frame)
{
  return frame->seq - pl_tcp_stream_base_for (stream, frame->dir, frame);
}

static inline guint32
pl_tcp_stream_relative_ack (const PlTcpStream *stream,
                            const PlFrame     *frame)
{
  return frame->ack - pl_tcp_stream_base_for (stream, !frame->dir, frame);
}

/* "addr:port" or "[v6addr]:port" into buf (at least 56 bytes). */
const char          *pl_endpoint_to_string            (const PlEndpoint    *ep,
                                                       char                *buf,
                                                       gsize                buf_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlConversationTable, pl_conversation_table_free)

G_END_DECLS
