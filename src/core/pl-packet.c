/* pl-packet.c: decodes one frame down to its TCP header (see pl-packet.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pl-packet.h"

#define IPPROTO_TCP_NUM 6

void
pl_packet_decode (guint32       linktype,
                  const guint8 *data,
                  guint32       caplen,
                  guint32       origlen,
                  PlPacket     *pkt)
{
  const char *problem = NULL;

  pkt->status = caplen < origlen ? PL_FRAME_SNAP_CUT : 0;
  pkt->problem = NULL;
  memset (&pkt->ip, 0, sizeof pkt->ip);
  memset (&pkt->tcp, 0, sizeof pkt->tcp);

  pl_link_decode (linktype, data, caplen, &pkt->link);
  if (!pkt->link.supported)
    {
      pkt->status |= PL_FRAME_LINK_UNSUPPORTED;
      return;
    }
  if (pkt->link.net == PL_NET_NONE)
    {
      pkt->status |= PL_FRAME_MALFORMED;
      pkt->problem = N_("link-layer header cut short");
      return;
    }
  if (pkt->link.net == PL_NET_OTHER)
    {
      pkt->status |= PL_FRAME_NOT_IP;
      return;
    }

  if (!pl_ip_decode (data, caplen, pkt->link.net_off, pkt->link.net, &pkt->ip, &problem))
    {
      pkt->status |= PL_FRAME_MALFORMED;
      pkt->problem = problem;
      return;
    }
  /* An IP length claiming more than the frame held on the wire (a damaged
   * or forged header): as in Wireshark, the payload ends with the frame. */
  {
    guint32 wire = MAX (origlen, caplen);

    if (pkt->ip.payload_off >= wire)
      pkt->ip.payload_len = 0;
    else if (pkt->ip.payload_len > wire - pkt->ip.payload_off)
      pkt->ip.payload_len = wire - pkt->ip.payload_off;
  }
  if (pkt->ip.fragment)
    {
      pkt->status |= PL_FRAME_IP_FRAGMENT;
      /* Wireshark reassembles a fragment whose bytes were all captured;
       * the first fragment of a datagram it cannot reassemble (cut by the
       * snap length, or by the frame) it dissects as it is: a TCP segment
       * of unknown length, counted in its stream but not analysed.  Later
       * fragments, and fragments it reassembles, carry no TCP header of
       * their own.  (We do not reassemble.) */
      if (pkt->ip.version != 4 || (pkt->ip.frag_field & 0x1fff) != 0 ||
          pkt->ip.proto != IPPROTO_TCP_NUM ||
          (pkt->ip.payload_off <= caplen &&
           pkt->ip.length - pkt->ip.hdr_len <= caplen - pkt->ip.payload_off))
        return;
      if (!pl_tcp_decode (data, caplen, &pkt->ip, &pkt->tcp, &problem))
        return;
      pkt->tcp.length_unknown = TRUE;
      pkt->tcp.payload_len = 0;
      pkt->status |= PL_FRAME_TCP;
      return;
    }
  if (pkt->ip.proto != IPPROTO_TCP_NUM)
    return;

  if (!pl_tcp_decode (data, caplen, &pkt->ip, &pkt->tcp, &problem))
    {
      pkt->status |= PL_FRAME_MALFORMED;
      pkt->problem = problem;
      return;
    }
  pkt->status |= PL_FRAME_TCP;
}
