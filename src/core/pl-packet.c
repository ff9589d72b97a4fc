/* pl-packet.c: decodes one frame down to its TCP header (see pl-packet.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pl-byte-reader.h"
#include "pl-packet.h"

#define IPPROTO_TCP_NUM  6
#define IPPROTO_IPIP_NUM 4
#define IPPROTO_UDP_NUM  17
#define IPPROTO_IPV6_NUM 41
#define IPPROTO_GRE_NUM  47

#define UDP_PORT_VXLAN  4789
#define UDP_PORT_GENEVE 6081

/* Tunnels inside tunnels are followed this deep. */
#define MAX_TUNNEL_DEPTH 4

static gboolean
push_encap (PlEncap *encaps,
            guint   *n,
            guint8   kind,
            guint32  off,
            guint32  len)
{
  if (*n >= PL_MAX_ENCAPS)
    return FALSE;
  encaps[*n].kind = kind;
  encaps[*n].off = off;
  encaps[*n].len = len;
  (*n)++;
  return TRUE;
}

/* What an inner link layer (GRE's, VXLAN's, Geneve's payload) carries. */
static gboolean
inner_from_ptype (guint16       ptype,
                  const guint8 *data,
                  guint32       caplen,
                  guint32       off,
                  PlEncap      *encaps,
                  guint        *n,
                  guint32      *next_off,
                  PlNetProto   *next_net)
{
  PlLinkInfo inner;

  pl_link_decode_inner (ptype, data, caplen, off, &inner);
  if (inner.net != PL_NET_IPV4 && inner.net != PL_NET_IPV6)
    return FALSE;
  if (ptype == 0x6558 &&
      !push_encap (encaps, n, PL_ENCAP_ETHERNET, off,
                   (inner.n_mpls > 0 ? inner.mpls_off : inner.net_off) - off))
    return FALSE;
  if (inner.n_mpls > 0 &&
      !push_encap (encaps, n, PL_ENCAP_MPLS, inner.mpls_off, inner.net_off - inner.mpls_off))
    return FALSE;
  *next_off = inner.net_off;
  *next_net = inner.net;
  return TRUE;
}

/* The IP header a tunnel in ip's payload carries, as Wireshark decodes them
 * by default: IP in IP (protocol 4 and 41: IP-in-IP, 6in4, 4in6, 6in6), GRE
 * version 0 (RFC 2784, with RFC 2890's key and sequence number) and VXLAN
 * and Geneve by their UDP ports.  The headers passed over are appended to
 * encaps; FALSE when ip carries no tunnel we follow. */
static gboolean
find_inner (const guint8   *data,
            guint32         caplen,
            const PlIpInfo *ip,
            guint32         ip_off,
            PlEncap        *encaps,
            guint          *n,
            guint32        *next_off,
            PlNetProto     *next_net)
{
  guint32 p = ip->payload_off;
  guint32 end = MIN (caplen, p + ip->payload_len);
  PlByteReader r;

  if (ip->fragment || p >= end)
    return FALSE;
  pl_byte_reader_init (&r, data, end);
  if (!push_encap (encaps, n, ip->version == 4 ? PL_ENCAP_IPV4 : PL_ENCAP_IPV6, ip_off, p - ip_off))
    return FALSE;

  switch (ip->proto)
    {
    case IPPROTO_IPIP_NUM:
      *next_off = p;
      *next_net = PL_NET_IPV4;
      return TRUE;

    case IPPROTO_IPV6_NUM:
      *next_off = p;
      *next_net = PL_NET_IPV6;
      return TRUE;

    case IPPROTO_GRE_NUM:
      {
        guint16 flags = pl_byte_reader_peek_u16_be (&r, p);
        guint16 ptype = pl_byte_reader_peek_u16_be (&r, p + 2);
        guint32 hlen = 4;

        /* Version 1 is PPTP's enhanced GRE (PPP inside); a routing field
         * (RFC 1701) is obsolete: neither is followed. */
        if (r.overrun || (flags & 0x0007) != 0 || (flags & 0x4000) != 0)
          return FALSE;
        if (flags & 0x8000)  /* checksum present */
          hlen += 4;
        if (flags & 0x2000)  /* key present */
          hlen += 4;
        if (flags & 0x1000)  /* sequence number present */
          hlen += 4;
        if (p + hlen > end || !push_encap (encaps, n, PL_ENCAP_GRE, p, hlen))
          return FALSE;
        return inner_from_ptype (ptype, data, end, p + hlen, encaps, n, next_off, next_net);
      }

    case IPPROTO_UDP_NUM:
      {
        guint16 sport = pl_byte_reader_peek_u16_be (&r, p);
        guint16 dport = pl_byte_reader_peek_u16_be (&r, p + 2);
        guint32 u = p + 8;

        if (r.overrun)
          return FALSE;
        if (sport == UDP_PORT_VXLAN || dport == UDP_PORT_VXLAN)
          {
            /* RFC 7348: flags (I = 0x08), 24 reserved bits, VNI, 8 reserved bits. */
            if (u + 8 > end ||
                !push_encap (encaps, n, PL_ENCAP_UDP, p, 8) ||
                !push_encap (encaps, n, PL_ENCAP_VXLAN, u, 8))
              return FALSE;
            return inner_from_ptype (0x6558, data, end, u + 8, encaps, n, next_off, next_net);
          }
        if (sport == UDP_PORT_GENEVE || dport == UDP_PORT_GENEVE)
          {
            /* RFC 8926: version and option length (4-byte words), flags,
             * protocol type, VNI, options. */
            guint8 b0 = pl_byte_reader_peek_u8 (&r, u);
            guint16 gtype = pl_byte_reader_peek_u16_be (&r, u + 2);
            guint32 glen = 8 + (guint32) (b0 & 0x3f) * 4;

            if (r.overrun || (b0 >> 6) != 0 || u + glen > end ||
                !push_encap (encaps, n, PL_ENCAP_UDP, p, 8) ||
                !push_encap (encaps, n, PL_ENCAP_GENEVE, u, glen))
              return FALSE;
            return inner_from_ptype (gtype, data, end, u + glen, encaps, n, next_off, next_net);
          }
        return FALSE;
      }

    default:
      return FALSE;
    }
}

/* An IP length claiming more than the frame held on the wire (a damaged
 * or forged header): as in Wireshark, the payload ends with the frame. */
static void
clamp_to_wire (PlIpInfo *ip,
               guint32   caplen,
               guint32   origlen)
{
  guint32 wire = MAX (origlen, caplen);

  if (ip->payload_off >= wire)
    ip->payload_len = 0;
  else if (ip->payload_len > wire - ip->payload_off)
    ip->payload_len = wire - ip->payload_off;
}

static void
set_first (PlPacket       *pkt,
           const PlIpInfo *ip)
{
  pkt->first_version = ip->version;
  memcpy (pkt->first_src, ip->src, sizeof pkt->first_src);
  memcpy (pkt->first_dst, ip->dst, sizeof pkt->first_dst);
}

void
pl_packet_decode (guint32       linktype,
                  const guint8 *data,
                  guint32       caplen,
                  guint32       origlen,
                  PlPacket     *pkt)
{
  const char *problem = NULL;
  guint depth;

  pkt->n_encaps = 0;
  pkt->ip_off = 0;
  pkt->first_version = 0;
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

  pkt->ip_off = pkt->link.net_off;
  if (!pl_ip_decode (data, caplen, pkt->link.net_off, pkt->link.net, &pkt->ip, &problem))
    {
      pkt->status |= PL_FRAME_MALFORMED;
      pkt->problem = problem;
      return;
    }
  clamp_to_wire (&pkt->ip, caplen, origlen);
  set_first (pkt, &pkt->ip);

  /* Tunnels: the transport is that of the innermost IP header.  The
   * headers on the way are kept only once the inner IP header decodes. */
  for (depth = 0; depth < MAX_TUNNEL_DEPTH; depth++)
    {
      PlEncap encaps[PL_MAX_ENCAPS];
      guint n = pkt->n_encaps;
      guint32 next_off = 0;
      PlNetProto next_net = PL_NET_NONE;
      PlIpInfo inner;

      memcpy (encaps, pkt->encaps, n * sizeof encaps[0]);
      if (!find_inner (data, caplen, &pkt->ip, pkt->ip_off, encaps, &n, &next_off, &next_net))
        break;
      memset (&inner, 0, sizeof inner);
      if (!pl_ip_decode (data, MIN (caplen, pkt->ip.payload_off + pkt->ip.payload_len),
                         next_off, next_net, &inner, &problem))
        {
          pkt->status |= PL_FRAME_MALFORMED;
          pkt->problem = problem;
          return;
        }
      memcpy (pkt->encaps, encaps, n * sizeof encaps[0]);
      pkt->n_encaps = (guint8) n;
      pkt->ip = inner;
      pkt->ip_off = next_off;
      clamp_to_wire (&pkt->ip, caplen, origlen);
      if (pkt->first_version == 6 && inner.version == 4)
        set_first (pkt, &inner);
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
