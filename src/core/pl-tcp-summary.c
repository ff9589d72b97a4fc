/* pl-tcp-summary.c: handshake and teardown of one stream (see
 * pl-tcp-summary.h).  One pass over the stream's frames, on demand. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-http-message.h"
#include "pl-seq.h"
#include "pl-tcp-summary.h"

/* "timeout=5, max=100" -> 5; 0 when absent. */
static guint
keep_alive_timeout (const char *value)
{
  const char *p = value;

  while (p != NULL && *p != '\0')
    {
      while (*p == ' ' || *p == ',' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, "timeout=", 8) == 0)
        {
          guint64 v = g_ascii_strtoull (p + 8, NULL, 10);

          return v <= G_MAXUINT ? (guint) v : 0;
        }
      p = strchr (p, ',');
    }
  return 0;
}

static void
compute_teardown (PlCapture    *capture,
                  guint         index,
                  PlTcpSummary *sum)
{
  const PlTcpStream *stream = pl_capture_get_stream (capture, index);
  guint32 first_fin, i, prev = PL_NO_FRAME, fin_end;
  guint a, n, m;

  sum->idle_ns = -1;
  sum->fin_ack_frame = PL_NO_FRAME;
  sum->last_ack_frame = PL_NO_FRAME;
  if (sum->first_closer < 0 || sum->fin_frame[sum->first_closer] == PL_NO_FRAME)
    return;
  a = (guint) sum->first_closer;
  first_fin = sum->fin_frame[a];

  for (i = stream->first_frame; i < first_fin; i++)
    if (pl_capture_get_frame (capture, i)->stream == index)
      prev = i;
  if (prev != PL_NO_FRAME)
    sum->idle_ns = pl_capture_get_frame (capture, first_fin)->ts_ns - pl_capture_get_frame (capture, prev)->ts_ns;

  /* The timeout the closer announced in its HTTP messages (RFC 9112
   * Keep-Alive, as Node.js and Apache send it); the last one counts. */
  n = pl_capture_get_n_http_messages (capture);
  for (m = 0; m < n; m++)
    {
      g_autoptr(PlHttpMessage) msg = pl_capture_get_http_message (capture, m);
      g_autofree char *value = NULL;
      guint t;

      if (pl_http_message_get_stream (msg) != index || pl_http_message_get_direction (msg) != a)
        continue;
      value = pl_http_message_dup_header (msg, "Keep-Alive");
      if (value != NULL && (t = keep_alive_timeout (value)) > 0)
        sum->keep_alive_s = t;
    }
  /* Timers fire a little early or late against the wire: the response may
   * have been handed to the kernel before its last segment left. */
  if (sum->keep_alive_s > 0 && sum->idle_ns >= 0)
    sum->idle_is_keep_alive = sum->idle_ns >= (gint64) sum->keep_alive_s * 1000000000 - 500000000 &&
                              sum->idle_ns <= (gint64) sum->keep_alive_s * 1000000000 + 1000000000;

  /* The passive side's first ACK of the FIN, and whether its own FIN
   * rides on it; then the active side's ACK of that FIN. */
  {
    const PlFrame *ff = pl_capture_get_frame (capture, first_fin);

    fin_end = ff->seq + ff->payload_len + 1;
  }
  for (i = first_fin + 1; i <= stream->last_frame; i++)
    {
      const PlFrame *f = pl_capture_get_frame (capture, i);

      if (f->stream != index)
        continue;
      if (sum->fin_ack_frame == PL_NO_FRAME && f->dir != a && (f->tcp_flags & PL_TCP_ACK) &&
          PL_SEQ_GEQ (f->ack, fin_end))
        {
          sum->fin_ack_frame = i;
          sum->fin_rides_ack = (f->tcp_flags & PL_TCP_FIN) != 0;
        }
      if (sum->fin_frame[!a] != PL_NO_FRAME && i > sum->fin_frame[!a] && f->dir == a &&
          (f->tcp_flags & PL_TCP_ACK))
        {
          const PlFrame *pf = pl_capture_get_frame (capture, sum->fin_frame[!a]);

          if (PL_SEQ_GEQ (f->ack, pf->seq + pf->payload_len + 1))
            {
              sum->last_ack_frame = i;
              break;
            }
        }
    }
}

void
pl_tcp_summary_compute (PlCapture    *capture,
                        guint         index,
                        PlTcpSummary *sum)
{
  const PlTcpStream *stream = pl_capture_get_stream (capture, index);
  gint64 syn_ts = 0;
  guint i, side;

  g_return_if_fail (stream != NULL);

  memset (sum, 0, sizeof *sum);
  sum->syn_frame[0] = sum->syn_frame[1] = PL_NO_FRAME;
  sum->fin_frame[0] = sum->fin_frame[1] = PL_NO_FRAME;
  sum->handshake_ack_frame = PL_NO_FRAME;
  sum->rst_frame = PL_NO_FRAME;
  sum->irtt_ns = -1;
  sum->reset_by = -1;

  for (side = 0; side < 2; side++)
    {
      const PlTcpPeer *peer = &stream->peer[side];

      sum->isn_known[side] = (peer->flags & PL_PEER_SAW_SYN) != 0;
      sum->isn[side] = peer->base_seq;
      sum->mss[side] = peer->mss;
      sum->wscale[side] = peer->wscale_offered;
      sum->sack_perm[side] = peer->sack_perm;
      sum->timestamps[side] = peer->timestamps;
    }

  for (i = stream->first_frame; i <= stream->last_frame; i++)
    {
      const PlFrame *f = pl_capture_get_frame (capture, i);

      if (f->stream != index)
        continue;
      if ((f->tcp_flags & PL_TCP_SYN) && sum->syn_frame[f->dir] == PL_NO_FRAME)
        {
          sum->syn_frame[f->dir] = i;
          if (f->dir == 0)
            syn_ts = f->ts_ns;
        }
      else if (f->dir == 0 && sum->handshake_ack_frame == PL_NO_FRAME &&
               sum->syn_frame[0] != PL_NO_FRAME && sum->syn_frame[1] != PL_NO_FRAME &&
               (f->tcp_flags & (PL_TCP_SYN | PL_TCP_ACK | PL_TCP_RST)) == PL_TCP_ACK)
        {
          sum->handshake_ack_frame = i;
          sum->irtt_ns = f->ts_ns - syn_ts;
        }
      if ((f->tcp_flags & PL_TCP_FIN) && sum->fin_frame[f->dir] == PL_NO_FRAME)
        sum->fin_frame[f->dir] = i;
      if ((f->tcp_flags & PL_TCP_RST) && sum->rst_frame == PL_NO_FRAME)
        sum->rst_frame = i;
    }

  sum->close_kind = pl_tcp_state_close_kind (&stream->state);
  sum->first_closer = stream->state.first_closer;
  sum->reset_by = stream->state.reset_by;
  sum->reset_reason = stream->state.reset_reason;
  sum->reset_in_window = stream->state.reset_in_window;
  compute_teardown (capture, index, sum);
}

static void
append_options (GString            *s,
                const PlTcpSummary *sum,
                guint               side)
{
  g_autoptr(GPtrArray) opts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  if (sum->mss[side] != 0)
    g_ptr_array_add (opts, g_strdup_printf (_("MSS %u"), sum->mss[side]));
  if (sum->wscale[side] >= 0)
    g_ptr_array_add (opts, g_strdup_printf (_("window scale %d (×%u)"), sum->wscale[side],
                                            1u << MIN (sum->wscale[side], 14)));
  if (sum->sack_perm[side])
    g_ptr_array_add (opts, g_strdup (_("SACK permitted")));
  if (sum->timestamps[side])
    g_ptr_array_add (opts, g_strdup (_("timestamps")));
  g_ptr_array_add (opts, NULL);
  /* Translators: between the SYN options of a list ("MSS 1460, SACK permitted"). */
  joined = g_strjoinv (C_("list separator", ", "), (char **) opts->pdata);
  if (joined[0] != '\0')
    /* Translators: the SYN options after the sentence about a SYN. */
    g_string_append_printf (s, _(" (%s)"), joined);
}

char *
pl_tcp_summary_describe_open (PlCapture          *capture,
                              guint               index,
                              const PlTcpSummary *sum)
{
  const PlTcpStream *stream = pl_capture_get_stream (capture, index);
  GString *s = g_string_new (NULL);
  char ep[2][80];
  guint side;

  pl_endpoint_to_string (&stream->ep[0], ep[0], sizeof ep[0]);
  pl_endpoint_to_string (&stream->ep[1], ep[1], sizeof ep[1]);

  if (sum->syn_frame[0] == PL_NO_FRAME && sum->syn_frame[1] == PL_NO_FRAME)
    {
      g_string_append_printf (s, _("The handshake was not captured: the capture starts in the middle of the connection between %s and %s."),
                              ep[0], ep[1]);
      return g_string_free (s, FALSE);
    }

  for (side = 0; side < 2; side++)
    {
      if (sum->syn_frame[side] == PL_NO_FRAME)
        {
          g_string_append_printf (s, side == 0 ? _("The client's SYN was not captured.") : _("The server's SYN-ACK was not captured."));
          g_string_append_c (s, ' ');
          continue;
        }
      g_string_append_printf (s, side == 0 ? _("%s opened with a SYN in frame %u, ISN %u") : _("%s answered with a SYN-ACK in frame %u, ISN %u"),
                              ep[side], sum->syn_frame[side] + 1, sum->isn[side]);
      append_options (s, sum, side);
      /* Translators: ends the sentence about a SYN, before the next one. */
      g_string_append (s, C_("sentence end", ". "));
    }

  if (sum->irtt_ns >= 0)
    g_string_append_printf (s, _("The handshake completed in frame %u; initial round-trip time %.3f ms."),
                            sum->handshake_ack_frame + 1, sum->irtt_ns / 1e6);
  else
    g_string_append (s, _("The ACK completing the handshake was not captured."));
  if (sum->wscale[0] >= 0 && sum->wscale[1] < 0 && sum->syn_frame[1] != PL_NO_FRAME)
    g_string_append (s, _(" The server did not offer window scaling, so neither side scales its window."));

  g_strchomp (s->str);
  s->len = strlen (s->str);
  return g_string_free (s, FALSE);
}

char *
pl_tcp_summary_describe_close (PlCapture          *capture,
                               guint               index,
                               const PlTcpSummary *sum)
{
  const PlTcpStream *stream = pl_capture_get_stream (capture, index);
  const char *who[2] = { _("the client"), _("the server") };
  char ep[2][80];

  pl_endpoint_to_string (&stream->ep[0], ep[0], sizeof ep[0]);
  pl_endpoint_to_string (&stream->ep[1], ep[1], sizeof ep[1]);

  switch (sum->close_kind)
    {
    case PL_TCP_CLOSE_RESET:
      return g_strdup_printf (_("Reset by %s (%s) in frame %u%s: %s."),
                              who[sum->reset_by], ep[sum->reset_by], sum->rst_frame + 1,
                              sum->reset_in_window ? "" : _(", outside the expected window"),
                              pl_tcp_reset_reason_describe (sum->reset_reason));
    case PL_TCP_CLOSE_FIN:
      {
        guint a = (guint) sum->first_closer, p = !a;

        return g_strdup_printf (_("Closed: %s (%s) closed first with a FIN in frame %u (active close, it ends in TIME_WAIT); %s answered with its FIN in frame %u (passive close)."),
                                who[a], ep[a], sum->fin_frame[a] + 1, who[p], sum->fin_frame[p] + 1);
      }
    case PL_TCP_CLOSE_HALF:
      {
        guint a = (guint) sum->first_closer;

        return g_strdup_printf (_("Half-closed: %s (%s) sent a FIN in frame %u; the other side's FIN was not captured."),
                                who[a], ep[a], sum->fin_frame[a] + 1);
      }
    case PL_TCP_CLOSE_NONE:
    default:
      return g_strdup (_("Still open at the end of the capture: no FIN or RST was captured."));
    }
}

char *
pl_tcp_summary_describe_teardown (PlCapture          *capture,
                                  guint               index,
                                  const PlTcpSummary *sum)
{
  const PlTcpStream *stream = pl_capture_get_stream (capture, index);
  const char *who[2] = { _("the client"), _("the server") };
  const char *Who[2] = { _("The client"), _("The server") };
  GString *s;
  char ep[80];
  guint a, p;

  if (sum->close_kind != PL_TCP_CLOSE_FIN || sum->first_closer < 0)
    return NULL;
  a = (guint) sum->first_closer;
  p = !a;
  pl_endpoint_to_string (&stream->ep[a], ep, sizeof ep);
  s = g_string_new (NULL);

  /* Translators: the teardown story; %s is "The client" or "The server",
   * then its address, then a frame number. */
  g_string_append_printf (s, _("%s (%s) closed first, with the FIN in frame %u"), Who[a], ep, sum->fin_frame[a] + 1);
  if (sum->idle_ns >= 0)
    /* Translators: continues the sentence above: how long nothing was sent. */
    g_string_append_printf (s, _(", after %.3f s with nothing sent"), sum->idle_ns / 1e9);
  g_string_append (s, C_("sentence end", ". "));
  if (sum->idle_is_keep_alive)
    g_string_append_printf (s, _("That is the keep-alive timeout %s announced (Keep-Alive: timeout=%u): "
                                 "an idle persistent connection is closed when it runs out. "),
                            who[a], sum->keep_alive_s);
  else if (sum->keep_alive_s > 0)
    g_string_append_printf (s, _("%s had announced Keep-Alive: timeout=%u, but the idle time does not match it. "),
                            Who[a], sum->keep_alive_s);

  if (sum->fin_ack_frame != PL_NO_FRAME && sum->fin_rides_ack)
    g_string_append_printf (s, _("%s acknowledged that FIN and sent its own in the same segment (frame %u): "
                                 "its application had nothing more to send and closed at once, so the close "
                                 "took three segments instead of four, just as the SYN and the ACK of the "
                                 "handshake share the SYN-ACK. "),
                            Who[p], sum->fin_ack_frame + 1);
  else if (sum->fin_ack_frame != PL_NO_FRAME && sum->fin_frame[p] != PL_NO_FRAME)
    g_string_append_printf (s, _("%s acknowledged that FIN in frame %u and sent its own FIN in frame %u: "
                                 "four segments, because TCP acknowledges a FIN at once while the other "
                                 "direction stays open until its application closes too (a half-close); "
                                 "the handshake needs only three because the SYN-ACK carries both. "),
                            Who[p], sum->fin_ack_frame + 1, sum->fin_frame[p] + 1);
  if (sum->last_ack_frame != PL_NO_FRAME)
    g_string_append_printf (s, _("%s acknowledged the last FIN in frame %u and entered TIME_WAIT. "),
                            Who[a], sum->last_ack_frame + 1);
  g_string_append_printf (s, _("TIME_WAIT lasts 2MSL (twice the maximum segment lifetime) so that a lost "
                               "last ACK can be sent again when the peer repeats its FIN, and so that old "
                               "duplicate segments of this connection die out before its addresses and "
                               "ports are used again; Linux waits %u s."),
                          PL_TCP_LINUX_TIME_WAIT_S);
  return g_string_free (s, FALSE);
}
