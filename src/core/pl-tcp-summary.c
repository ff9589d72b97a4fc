/* pl-tcp-summary.c: handshake and teardown of one stream (see
 * pl-tcp-summary.h).  One pass over the stream's frames, on demand. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-tcp-summary.h"

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
