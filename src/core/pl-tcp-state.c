/* pl-tcp-state.c: infers each endpoint's TCP state (RFC 9293 section 3.3.2,
 * figure 5) from the segments in capture order.
 *
 * The capture point sees a segment once; we apply it as if it were sent and
 * received at that moment: first what its ACK tells the receiver (its SYN or
 * FIN was acknowledged), then the sender's own transition (it sent SYN, FIN
 * or RST), then the receiver's transition on getting that SYN or FIN.  A FIN
 * whose ACK does not cover the other side's FIN was sent before that FIN
 * arrived: a simultaneous close, both sides go through CLOSING.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-frame.h"
#include "pl-seq.h"
#include "pl-tcp-state.h"

void
pl_tcp_state_init (PlTcpStateTrack *track)
{
  memset (track, 0, sizeof *track);
  track->state[0] = track->state[1] = PL_TCP_STATE_UNKNOWN;
  track->first_closer = -1;
  track->reset_by = -1;
  track->last_talker = -1;
}

static gboolean
is_open (guint8 state)
{
  return state == PL_TCP_STATE_ESTABLISHED || state == PL_TCP_STATE_SYN_RECEIVED;
}

/* What the ACK of a segment from the other side does to side s. */
static void
receive_ack (PlTcpStateTrack *t,
             guint            s,
             guint32          ack)
{
  gboolean acks_fin = t->fin_sent[s] && PL_SEQ_GT (ack, t->fin_seq[s]);

  if (acks_fin)
    t->fin_acked[s] = TRUE;

  switch (t->state[s])
    {
    case PL_TCP_STATE_SYN_RECEIVED:
      /* The third segment of the handshake (or any later one). */
      if (!t->next_seq_known[s] || PL_SEQ_GEQ (ack, t->next_seq[s]) || acks_fin)
        t->state[s] = PL_TCP_STATE_ESTABLISHED;
      break;
    case PL_TCP_STATE_FIN_WAIT_1:
      if (acks_fin)
        t->state[s] = PL_TCP_STATE_FIN_WAIT_2;
      break;
    case PL_TCP_STATE_CLOSING:
      if (acks_fin)
        t->state[s] = PL_TCP_STATE_TIME_WAIT;
      break;
    case PL_TCP_STATE_LAST_ACK:
      if (acks_fin)
        t->state[s] = PL_TCP_STATE_CLOSED;
      break;
    default:
      break;
    }
}

static void
note_next_seq (PlTcpStateTrack *t,
               guint            d,
               guint32          end)
{
  if (!t->next_seq_known[d] || PL_SEQ_GT (end, t->next_seq[d]))
    {
      t->next_seq[d] = end;
      t->next_seq_known[d] = TRUE;
    }
}

static void
handle_rst (PlTcpStateTrack *t,
            guint            d,
            guint16          flags,
            guint32          seq,
            guint32          ack)
{
  guint o = !d;
  gboolean in_window;

  /* RFC 9293 3.10.7: in SYN-SENT a RST is acceptable when it acknowledges
   * the SYN; otherwise when its sequence number is where the receiver
   * expects the sender's next byte (RFC 5961 also takes the window, which
   * the capture does not show the receiver's side of: allow 64 KiB). */
  if (t->state[o] == PL_TCP_STATE_SYN_SENT)
    in_window = (flags & PL_TCP_ACK) && (!t->next_seq_known[o] || ack == t->next_seq[o]);
  else
    in_window = !t->next_seq_known[d] ||
                (PL_SEQ_GEQ (seq, t->next_seq[d]) && PL_SEQ_LT (seq, t->next_seq[d] + 65536));

  if (t->reset_by < 0)
    {
      t->reset_by = (gint8) d;
      t->reset_in_window = in_window;
      if (t->state[o] == PL_TCP_STATE_SYN_SENT && t->n_payload[0] + t->n_payload[1] == 0)
        t->reset_reason = PL_TCP_RESET_REFUSED;
      else if (t->fin_sent[0] && t->fin_sent[1])
        t->reset_reason = PL_TCP_RESET_AFTER_CLOSE;
      else if (t->last_talker == 0 && d == 1)
        t->reset_reason = PL_TCP_RESET_UNANSWERED;
      else
        t->reset_reason = PL_TCP_RESET_ABORT;
    }

  t->state[d] = PL_TCP_STATE_CLOSED;
  if (in_window)
    t->state[o] = PL_TCP_STATE_CLOSED;
}

void
pl_tcp_state_update (PlTcpStateTrack *t,
                     guint8           dir,
                     guint16          flags,
                     guint32          seq,
                     guint32          ack,
                     guint32          payload_len)
{
  guint d = dir ? 1 : 0;
  guint o = !d;
  guint32 end = seq + payload_len + ((flags & PL_TCP_SYN) ? 1 : 0) + ((flags & PL_TCP_FIN) ? 1 : 0);

  if (flags & PL_TCP_RST)
    {
      handle_rst (t, d, flags, seq, ack);
      return;
    }

  /* 1. What the ACK tells the receiver. */
  if (flags & PL_TCP_ACK)
    receive_ack (t, o, ack);

  /* A capture that starts mid-connection: data or a bare ACK shows both
   * ends have a connection. */
  if (!(flags & PL_TCP_SYN))
    {
      if (t->state[d] == PL_TCP_STATE_UNKNOWN)
        t->state[d] = PL_TCP_STATE_ESTABLISHED;
      if (t->state[o] == PL_TCP_STATE_UNKNOWN)
        t->state[o] = PL_TCP_STATE_ESTABLISHED;
    }

  if (payload_len > 0)
    {
      t->n_payload[d]++;
      t->last_talker = (gint8) d;
    }

  /* 2. The sender's own transition, 3. the receiver's on getting it. */
  if (flags & PL_TCP_SYN)
    {
      t->syn_seen[d] = TRUE;
      if (flags & PL_TCP_ACK)
        {
          /* SYN-ACK: the sender got a SYN; the receiver completes. */
          t->state[d] = PL_TCP_STATE_SYN_RECEIVED;
          if (t->state[o] == PL_TCP_STATE_SYN_SENT || t->state[o] == PL_TCP_STATE_SYN_RECEIVED ||
              t->state[o] == PL_TCP_STATE_UNKNOWN || t->state[o] == PL_TCP_STATE_LISTEN)
            t->state[o] = PL_TCP_STATE_ESTABLISHED;
        }
      else
        {
          /* A retransmitted SYN changes nothing; a SYN from a side that
           * already got one is a simultaneous open. */
          if (t->state[d] == PL_TCP_STATE_SYN_RECEIVED)
            {
              /* already answered a SYN: nothing new */
            }
          else if (t->state[o] == PL_TCP_STATE_SYN_SENT && t->state[d] != PL_TCP_STATE_SYN_SENT)
            {
              t->state[d] = PL_TCP_STATE_SYN_RECEIVED;
              t->state[o] = PL_TCP_STATE_SYN_RECEIVED;
            }
          else
            {
              t->state[d] = PL_TCP_STATE_SYN_SENT;
              if (t->state[o] == PL_TCP_STATE_UNKNOWN || t->state[o] == PL_TCP_STATE_CLOSED)
                t->state[o] = PL_TCP_STATE_LISTEN;
            }
        }
    }

  if ((flags & PL_TCP_FIN) && !(t->fin_sent[d] && t->fin_seq[d] == seq + payload_len))
    {
      gboolean peer_fin_acked = t->fin_sent[o] && (flags & PL_TCP_ACK) &&
                                PL_SEQ_GT (ack, t->fin_seq[o]);

      t->fin_sent[d] = TRUE;
      t->fin_seq[d] = seq + payload_len;
      if (t->first_closer < 0)
        t->first_closer = (gint8) d;

      /* The sender's side. */
      if (is_open (t->state[d]) || t->state[d] == PL_TCP_STATE_UNKNOWN)
        t->state[d] = PL_TCP_STATE_FIN_WAIT_1;
      else if (t->state[d] == PL_TCP_STATE_CLOSE_WAIT)
        t->state[d] = peer_fin_acked ? PL_TCP_STATE_LAST_ACK : PL_TCP_STATE_CLOSING;

      /* The receiver's side. */
      if (is_open (t->state[o]) || t->state[o] == PL_TCP_STATE_UNKNOWN)
        t->state[o] = PL_TCP_STATE_CLOSE_WAIT;
      else if (t->state[o] == PL_TCP_STATE_FIN_WAIT_1)
        t->state[o] = t->fin_acked[o] ? PL_TCP_STATE_TIME_WAIT : PL_TCP_STATE_CLOSING;
      else if (t->state[o] == PL_TCP_STATE_FIN_WAIT_2)
        t->state[o] = PL_TCP_STATE_TIME_WAIT;
    }

  note_next_seq (t, d, end);
}

const char *
pl_tcp_state_to_string (PlTcpState state)
{
  switch (state)
    {
    case PL_TCP_STATE_UNKNOWN: return "UNKNOWN";
    case PL_TCP_STATE_CLOSED: return "CLOSED";
    case PL_TCP_STATE_LISTEN: return "LISTEN";
    case PL_TCP_STATE_SYN_SENT: return "SYN_SENT";
    case PL_TCP_STATE_SYN_RECEIVED: return "SYN_RECEIVED";
    case PL_TCP_STATE_ESTABLISHED: return "ESTABLISHED";
    case PL_TCP_STATE_FIN_WAIT_1: return "FIN_WAIT_1";
    case PL_TCP_STATE_FIN_WAIT_2: return "FIN_WAIT_2";
    case PL_TCP_STATE_CLOSING: return "CLOSING";
    case PL_TCP_STATE_TIME_WAIT: return "TIME_WAIT";
    case PL_TCP_STATE_CLOSE_WAIT: return "CLOSE_WAIT";
    case PL_TCP_STATE_LAST_ACK: return "LAST_ACK";
    default: return "UNKNOWN";
    }
}

const char *
pl_tcp_state_describe (PlTcpState state)
{
  switch (state)
    {
    case PL_TCP_STATE_UNKNOWN:
      return _("Not known yet: the capture started after this connection was opened");
    case PL_TCP_STATE_CLOSED:
      return _("No connection (as seen at the capture point)");
    case PL_TCP_STATE_LISTEN:
      return _("Waiting for a connection request (inferred from the SYN it received)");
    case PL_TCP_STATE_SYN_SENT:
      return _("Sent a SYN, waiting for the SYN-ACK (as seen at the capture point)");
    case PL_TCP_STATE_SYN_RECEIVED:
      return _("Got a SYN and answered it, waiting for the ACK that completes the handshake");
    case PL_TCP_STATE_ESTABLISHED:
      return _("Connection open: data can flow both ways");
    case PL_TCP_STATE_FIN_WAIT_1:
      return _("Closed its sending side (sent FIN), waiting for it to be acknowledged");
    case PL_TCP_STATE_FIN_WAIT_2:
      return _("Its FIN was acknowledged; waiting for the other side's FIN");
    case PL_TCP_STATE_CLOSING:
      return _("Both sides sent FIN at the same time; waiting for the ACK of its own FIN");
    case PL_TCP_STATE_TIME_WAIT:
      return _("Closed both ways; waiting twice the maximum segment lifetime before forgetting the connection");
    case PL_TCP_STATE_CLOSE_WAIT:
      return _("The other side closed (sent FIN); this side may still send before closing");
    case PL_TCP_STATE_LAST_ACK:
      return _("Sent its FIN after the other side's; waiting for the last ACK");
    default:
      return "";
    }
}

PlTcpCloseKind
pl_tcp_state_close_kind (const PlTcpStateTrack *t)
{
  if (t->reset_by >= 0)
    return PL_TCP_CLOSE_RESET;
  if (t->fin_sent[0] && t->fin_sent[1])
    return PL_TCP_CLOSE_FIN;
  if (t->fin_sent[0] || t->fin_sent[1])
    return PL_TCP_CLOSE_HALF;
  return PL_TCP_CLOSE_NONE;
}

const char *
pl_tcp_close_kind_to_string (PlTcpCloseKind kind)
{
  switch (kind)
    {
    case PL_TCP_CLOSE_RESET: return "reset";
    case PL_TCP_CLOSE_FIN: return "closed";
    case PL_TCP_CLOSE_HALF: return "half-closed";
    case PL_TCP_CLOSE_NONE: return "open";
    default: return "open";
    }
}

const char *
pl_tcp_reset_reason_describe (PlTcpResetReason reason)
{
  switch (reason)
    {
    case PL_TCP_RESET_REFUSED:
      return _("the RST answered a SYN: nothing was listening on that port");
    case PL_TCP_RESET_UNANSWERED:
      return _("the RST came while the client's last data had no answer: the request was dropped");
    case PL_TCP_RESET_ABORT:
      return _("the RST came after data: the connection was aborted");
    case PL_TCP_RESET_AFTER_CLOSE:
      return _("the RST came after both FINs: a socket closed with data unread, or a late segment");
    case PL_TCP_RESET_NONE:
    default:
      return "";
    }
}
