/* pl-conversation.h: the TCP conversation table and its streams.
 *
 * Streams are numbered as Wireshark numbers tcp.stream: in order of their
 * first frame, one per 4-tuple, and a new one when a SYN (without ACK)
 * arrives on a tuple whose stream already has a different initial sequence
 * number in that direction ("TCP port numbers reused").  Relative numbers
 * and the calculated window follow Wireshark's rules (see pl-conversation.c).
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
} PlPeerFlags;

/* One direction of a stream: what one endpoint sent. */
typedef struct
{
  guint32 base_seq;     /* raw sequence number that shows as relative 0 */
  guint32 flags;        /* PlPeerFlags */
  gint8   wscale;       /* shift, or PL_WSCALE_UNKNOWN / PL_WSCALE_NONE */
  gint8   wscale_offered; /* shift in this side's SYN, -1 when absent */
  guint16 mss;          /* from the SYN, 0 when absent */
  gboolean sack_perm;
  gboolean timestamps;
  guint32 n_frames;
  guint64 payload_bytes;
} PlTcpPeer;

typedef struct
{
  guint32    index;        /* tcp.stream */
  PlEndpoint ep[2];        /* [0] client, [1] server */
  PlTcpPeer  peer[2];      /* [0] what the client sent, [1] what the server sent */
  guint32    first_frame;  /* frame index (from 0) */
  guint32    last_frame;
  guint32    n_frames;
  gint64     first_ts_ns;
  gint64     last_ts_ns;
  PlTcpStateTrack state;   /* inferred endpoint states (pl-tcp-state.h) */
} PlTcpStream;

typedef struct _PlConversationTable PlConversationTable;

PlConversationTable *pl_conversation_table_new        (void);
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

/* Relative numbers as Wireshark shows them (tcp.seq, tcp.ack). */
static inline guint32
pl_tcp_stream_relative_seq (const PlTcpStream *stream,
                            const PlFrame     *frame)
{
  return frame->seq - stream->peer[frame->dir].base_seq;
}

static inline guint32
pl_tcp_stream_relative_ack (const PlTcpStream *stream,
                            const PlFrame     *frame)
{
  return frame->ack - stream->peer[!frame->dir].base_seq;
}

/* "addr:port" or "[v6addr]:port" into buf (at least 56 bytes). */
const char          *pl_endpoint_to_string            (const PlEndpoint    *ep,
                                                       char                *buf,
                                                       gsize                buf_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlConversationTable, pl_conversation_table_free)

G_END_DECLS
