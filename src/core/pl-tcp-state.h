/* pl-tcp-state.h: the TCP state of each endpoint as the capture point saw
 * it (RFC 9293 section 3.3.2), inferred from the segments in capture order.
 *
 * These are inferences: a capture taken on the client sees the client's
 * segments before the server gets them, and a capture that starts in the
 * middle of a connection does not know the states until the segments show
 * them (PL_TCP_STATE_UNKNOWN).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PL_TCP_STATE_UNKNOWN,
  PL_TCP_STATE_CLOSED,
  PL_TCP_STATE_LISTEN,
  PL_TCP_STATE_SYN_SENT,
  PL_TCP_STATE_SYN_RECEIVED,
  PL_TCP_STATE_ESTABLISHED,
  PL_TCP_STATE_FIN_WAIT_1,
  PL_TCP_STATE_FIN_WAIT_2,
  PL_TCP_STATE_CLOSING,
  PL_TCP_STATE_TIME_WAIT,
  PL_TCP_STATE_CLOSE_WAIT,
  PL_TCP_STATE_LAST_ACK,
} PlTcpState;

typedef enum
{
  PL_TCP_CLOSE_NONE,        /* neither side closed (yet) */
  PL_TCP_CLOSE_HALF,        /* one side sent FIN, the other did not */
  PL_TCP_CLOSE_FIN,         /* both sides sent FIN */
  PL_TCP_CLOSE_RESET,       /* a RST ended it */
} PlTcpCloseKind;

typedef struct
{
  guint32  fin_seq[2];      /* the sequence number of the FIN this side sent */
  guint32  next_seq[2];     /* highest seq + len (+SYN/FIN) seen per side */
  guint32  n_payload[2];    /* segments with payload per side */
  guint8   state[2];        /* PlTcpState of [0] client, [1] server */
  guint8   fin_sent[2];     /* this side sent FIN (at fin_seq) */
  guint8   fin_acked[2];    /* the other side acknowledged that FIN */
  gint8    first_closer;    /* 0 client, 1 server, -1 nobody yet */
  gint8    reset_by;        /* side that sent the first RST, -1 none */
  guint8   reset_in_window; /* that RST was in the expected window */
  guint8   syn_seen[2];
  guint8   next_seq_known[2];
  gint8    last_talker;     /* side that sent the latest payload, -1 none */
  guint8   reset_reason;    /* PlTcpResetReason of the first RST */
} PlTcpStateTrack;

typedef enum
{
  PL_TCP_RESET_NONE,
  PL_TCP_RESET_REFUSED,     /* RST answering a SYN: nothing listened on the port */
  PL_TCP_RESET_UNANSWERED,  /* RST while the client's last data had no answer */
  PL_TCP_RESET_ABORT,       /* RST after data: the connection was aborted */
  PL_TCP_RESET_AFTER_CLOSE, /* RST once FINs were exchanged (closing a lingering socket) */
} PlTcpResetReason;

void        pl_tcp_state_init     (PlTcpStateTrack *track);
/* Feeds one segment sent by side dir (0 client, 1 server). */
void        pl_tcp_state_update   (PlTcpStateTrack *track,
                                   guint8           dir,
                                   guint16          flags,
                                   guint32          seq,
                                   guint32          ack,
                                   guint32          payload_len);
/* Both states in one byte: client in the low nibble, server in the high. */
static inline guint8
pl_tcp_state_pack (const PlTcpStateTrack *track)
{
  return (guint8) ((track->state[0] & 0x0f) | (track->state[1] << 4));
}
static inline PlTcpState
pl_tcp_state_unpack (guint8 packed,
                     guint  side)
{
  return (PlTcpState) (side == 0 ? packed & 0x0f : packed >> 4);
}

const char *pl_tcp_state_to_string (PlTcpState state);
/* One sentence on what the state means, for tooltips and the field tree. */
const char *pl_tcp_state_describe  (PlTcpState state);
PlTcpCloseKind pl_tcp_state_close_kind (const PlTcpStateTrack *track);
const char *pl_tcp_close_kind_to_string (PlTcpCloseKind kind);
const char *pl_tcp_reset_reason_describe (PlTcpResetReason reason);

G_END_DECLS
