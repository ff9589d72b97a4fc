/* pl-link.c: link-layer decoding (https://www.tcpdump.org/linktypes.html).
 *
 * Ethernet II with 802.1Q/802.1ad/QinQ tags, BSD loopback (DLT_NULL: the
 * address family in the writer's byte order; DLT_LOOP: network order), Linux
 * cooked capture v1 and v2 (what `tcpdump -i any` writes) and raw IP; also
 * PPP (RFC 1661/1662, with or without HDLC-like framing, and over
 * Ethernet), Cisco HDLC, Linux NFLOG, IP over InfiniBand and Juniper's
 * Ethernet encapsulation, as Wireshark reads them.  The result is where
 * the network header starts and what it is.
 */
#include "config.h"

#include "pl-byte-reader.h"
#include "pl-packet.h"

#define ETHERTYPE_IPV4   0x0800
#define ETHERTYPE_IPV6   0x86dd
#define ETHERTYPE_VLAN   0x8100
#define ETHERTYPE_QINQ   0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOE_SESSION 0x8864
#define ETHERTYPE_MPLS   0x8847
#define ETHERTYPE_MPLS_MC 0x8848
#define ETHERTYPE_TEB    0x6558   /* transparent Ethernet bridging (GRE, Geneve) */

#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057
#define PPP_MPLS 0x0281

/* Link types decoded besides those of PlLinktype (pl-packet.h). */
#define LINKTYPE_PPP           9
#define LINKTYPE_PPP_HDLC     50   /* PPP in HDLC-like framing (RFC 1662) */
#define LINKTYPE_PPP_ETHER    51   /* PPPoE session: 6-byte header, then PPP */
#define LINKTYPE_C_HDLC      104   /* Cisco HDLC: address, control, Ethertype */
#define LINKTYPE_JUNIPER_ETHER 178
#define LINKTYPE_NFLOG       239
#define LINKTYPE_IPOIB       242   /* 40-byte GRH pseudo-header, 4-byte IPoIB header */

static PlNetProto
net_from_ethertype (guint16 ethertype)
{
  if (ethertype == ETHERTYPE_IPV4)
    return PL_NET_IPV4;
  if (ethertype == ETHERTYPE_IPV6)
    return PL_NET_IPV6;
  return PL_NET_OTHER;
}

/* BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD,
 * OpenBSD), 28 (FreeBSD, DragonFly) or 30 (macOS, iOS) and 10 on Linux. */
static PlNetProto
net_from_af (guint32 af)
{
  switch (af)
    {
    case 2:
      return PL_NET_IPV4;
    case 10:
    case 24:
    case 28:
    case 30:
      return PL_NET_IPV6;
    default:
      return PL_NET_OTHER;
    }
}

static PlNetProto
net_from_version_nibble (PlByteReader *r,
                         gsize         off)
{
  guint8 b = pl_byte_reader_peek_u8 (r, off);

  if (r->overrun)
    return PL_NET_OTHER;
  if ((b >> 4) == 4)
    return PL_NET_IPV4;
  if ((b >> 4) == 6)
    return PL_NET_IPV6;
  return PL_NET_OTHER;
}

/* The network layer after an Ethertype whose payload starts at off.  An
 * MPLS label stack (RFC 3032) is walked to its bottom entry; what it
 * carries has no type field, so IPv4 or IPv6 is read from the version
 * nibble below it, as Wireshark guesses it. */
static void
set_net (PlByteReader *r,
         PlLinkInfo   *link,
         gsize         off,
         guint16       type)
{
  guint n;

  link->ethertype = type;
  link->net_off = (guint16) MIN (off, G_MAXUINT16);
  link->net = net_from_ethertype (type);
  if (type != ETHERTYPE_MPLS && type != ETHERTYPE_MPLS_MC)
    return;

  link->mpls_off = link->net_off;
  for (n = 0; n < PL_LINK_MAX_MPLS; n++)
    {
      guint32 lse = pl_byte_reader_peek_u32_be (r, off + 4 * n);

      if (r->overrun)
        {
          link->net = PL_NET_NONE;
          return;
        }
      if (lse & 0x100)  /* bottom of stack */
        {
          gsize below = off + 4 * (n + 1);

          link->n_mpls = (guint8) (n + 1);
          if (below >= G_MAXUINT16)
            {
              link->net = PL_NET_OTHER;
              return;
            }
          link->net_off = (guint16) below;
          link->net = below < r->len ? net_from_version_nibble (r, below) : PL_NET_OTHER;
          return;
        }
    }
  /* A deeper stack than we follow. */
  link->n_mpls = PL_LINK_MAX_MPLS;
  link->net = PL_NET_OTHER;
}

static void
decode_ethernet (PlByteReader *r,
                 PlLinkInfo   *link)
{
  gsize off = 12;
  guint16 type = pl_byte_reader_peek_u16_be (r, off);

  while (!r->overrun &&
         (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD))
    {
      if (link->n_vlans < PL_LINK_MAX_VLANS)
        {
          link->vlan_tpid[link->n_vlans] = type;
          link->vlan_tci[link->n_vlans] = pl_byte_reader_peek_u16_be (r, off + 2);
          link->n_vlans++;
        }
      else
        {
          /* Deeper stacks than we record: stop, and call it not IP. */
          link->net = PL_NET_OTHER;
          return;
        }
      off += 4;
      type = pl_byte_reader_peek_u16_be (r, off);
    }

  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }

  /* Values up to 1500 are an 802.3 length field (LLC follows), not a type. */
  set_net (r, link, off + 2, type);
  if (type <= 1500)
    link->net = PL_NET_OTHER;

  if (type == ETHERTYPE_PPPOE_SESSION)
    {
      /* RFC 2516: 6-byte PPPoE header, then the 2-byte PPP protocol. */
      guint16 ppp = pl_byte_reader_peek_u16_be (r, off + 2 + 6);

      if (r->overrun)
        {
          link->net = PL_NET_NONE;
          return;
        }
      link->pppoe = TRUE;
      link->ppp_protocol = ppp;
      link->net_off = (guint16) (off + 2 + 8);
      link->net = ppp == PPP_IPV4 ? PL_NET_IPV4 : ppp == PPP_IPV6 ? PL_NET_IPV6 : PL_NET_OTHER;
    }
}

static void
decode_sll (PlByteReader *r,
            PlLinkInfo   *link)
{
  link->sll_pkttype = pl_byte_reader_peek_u16_be (r, 0);
  link->sll_hatype = pl_byte_reader_peek_u16_be (r, 2);
  link->sll_addr_len = (guint8) pl_byte_reader_peek_u16_be (r, 4);
  pl_byte_reader_peek_bytes (r, 6, 8, link->sll_addr);
  link->ethertype = pl_byte_reader_peek_u16_be (r, 14);
  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }
  set_net (r, link, 16, link->ethertype);
}

static void
decode_sll2 (PlByteReader *r,
             PlLinkInfo   *link)
{
  link->ethertype = pl_byte_reader_peek_u16_be (r, 0);
  link->sll_ifindex = pl_byte_reader_peek_u32_be (r, 4);
  link->sll_hatype = pl_byte_reader_peek_u16_be (r, 8);
  link->sll_pkttype = pl_byte_reader_peek_u8 (r, 10);
  link->sll_addr_len = pl_byte_reader_peek_u8 (r, 11);
  pl_byte_reader_peek_bytes (r, 12, 8, link->sll_addr);
  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }
  set_net (r, link, 20, link->ethertype);
}

static void
decode_null (PlByteReader *r,
             PlLinkInfo   *link,
             gboolean      network_order)
{
  guint32 le = pl_byte_reader_peek_u32_le (r, 0);
  guint32 be = pl_byte_reader_peek_u32_be (r, 0);

  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }

  link->net_off = 4;
  if (network_order)
    {
      link->af = be;
      link->af_big_endian = TRUE;
    }
  else if ((le & 0xffff0000) == 0 || (be & 0xffff0000) != 0)
    {
      /* DLT_NULL is in the writer's byte order: pick the reading that fits
       * in 16 bits (address families are small numbers). */
      link->af = (le & 0xffff0000) == 0 ? le : be;
      link->af_big_endian = (le & 0xffff0000) != 0;
    }
  else
    {
      link->af = be;
      link->af_big_endian = TRUE;
    }

  link->net = net_from_af (link->af);
  if (link->net == PL_NET_OTHER)
    {
      /* Some writers put an Ethertype-like value here (e.g. 0f 00 08 00):
       * trust the IP version nibble when it is unambiguous. */
      guint16 maybe_type = (guint16) (be & 0xffff);
      if (maybe_type == ETHERTYPE_IPV4 || maybe_type == ETHERTYPE_IPV6)
        link->net = net_from_version_nibble (r, 4);
    }
}

/* PPP from off: HDLC-like framing (ff 03) is optional for LINKTYPE_PPP;
 * the protocol field may be compressed to one byte (RFC 1661 6.5). */
static void
decode_ppp (PlByteReader *r,
            gsize         off,
            PlLinkInfo   *link)
{
  guint16 proto;

  if (pl_byte_reader_peek_u8 (r, off) == 0xff && pl_byte_reader_peek_u8 (r, off + 1) == 0x03)
    off += 2;
  proto = pl_byte_reader_peek_u8 (r, off);
  if (proto & 1)
    off += 1;
  else
    {
      proto = pl_byte_reader_peek_u16_be (r, off);
      off += 2;
    }
  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }
  link->ppp_protocol = proto;
  link->net_off = (guint16) off;
  link->net = proto == PPP_IPV4 ? PL_NET_IPV4 : proto == PPP_IPV6 ? PL_NET_IPV6 : PL_NET_OTHER;
  if (proto == PPP_MPLS)
    {
      set_net (r, link, off, ETHERTYPE_MPLS);
      link->ethertype = 0;
    }
}

/* Linux NFLOG: a 4-byte header (address family, version, resource id in
 * network order), then TLVs of (length, type) in the byte order of the host
 * that wrote them, each padded to 4 bytes; length counts the 4-byte TLV
 * header.  The packet is the value of the NFULA_PAYLOAD (9) TLV. */
#define NFULA_PAYLOAD 9

static gboolean
nflog_tlv_fits (PlByteReader *r,
                gsize         off,
                gboolean      big_endian)
{
  guint16 len = pl_byte_reader_peek_u16 (r, off, big_endian);

  return !r->overrun && len >= 4 && off + len <= r->len;
}

static void
decode_nflog (PlByteReader *r,
              PlLinkInfo   *link)
{
  gsize off = 4;
  gboolean be;
  guint n;

  link->af = pl_byte_reader_peek_u8 (r, 0);
  link->nflog_version = pl_byte_reader_peek_u8 (r, 1);
  link->nflog_resource_id = pl_byte_reader_peek_u16_be (r, 2);
  if (r->overrun)
    {
      link->net = PL_NET_NONE;
      return;
    }
  /* The first TLV tells the byte order: the reading whose length fits. */
  be = !nflog_tlv_fits (r, off, FALSE) && nflog_tlv_fits (r, off, TRUE);
  link->nflog_tlv_big_endian = be;
  link->net = PL_NET_OTHER;
  for (n = 0; n < 256 && off + 4 <= r->len; n++)
    {
      guint16 len = pl_byte_reader_peek_u16 (r, off, be);
      guint16 type = pl_byte_reader_peek_u16 (r, off + 2, be) & 0x7fff;

      if (r->overrun || len < 4)
        break;
      if (type == NFULA_PAYLOAD)
        {
          if (off + 4 > G_MAXUINT16)
            break;
          link->net_off = (guint16) (off + 4);
          link->nflog_payload_len = (guint16) (len - 4);
          link->net = link->af == 2 ? PL_NET_IPV4 : link->af == 10 ? PL_NET_IPV6
                                                                   : net_from_version_nibble (r, off + 4);
          return;
        }
      off += ((gsize) len + 3) & ~(gsize) 3;
    }
}

/* Juniper's Ethernet encapsulation: "MGC", flags, then (flag 0x80) a
 * 2-byte length of extension TLVs; then the Ethernet frame, or with flag
 * 0x02 (L2 header stripped) a 4-byte protocol in host order and the IP
 * packet.  Without the magic the frame is plain Ethernet. */
static void
decode_juniper_ether (PlByteReader *r,
                      PlLinkInfo   *link)
{
  guint8 flags = pl_byte_reader_peek_u8 (r, 3);
  gsize hdr = 0;

  if (pl_byte_reader_peek_u8 (r, 0) == 'M' && pl_byte_reader_peek_u8 (r, 1) == 'G' &&
      pl_byte_reader_peek_u8 (r, 2) == 'C')
    hdr = (flags & 0x80) ? 6 + (gsize) pl_byte_reader_peek_u16_be (r, 4) : 4;
  if (r->overrun || hdr > r->len)
    {
      link->net = PL_NET_NONE;
      return;
    }
  if (hdr > 0 && (flags & 0x02))
    {
      guint32 proto = pl_byte_reader_peek_u32_le (r, hdr);

      link->net_off = (guint16) MIN (hdr + 4, G_MAXUINT16);
      link->net = r->overrun ? PL_NET_NONE : proto == 2 ? PL_NET_IPV4 : proto == 6 ? PL_NET_IPV6 : PL_NET_OTHER;
      return;
    }
  {
    PlByteReader eth;

    pl_byte_reader_init (&eth, r->data + hdr, r->len - hdr);
    decode_ethernet (&eth, link);
    link->net_off = (guint16) MIN (link->net_off + hdr, G_MAXUINT16);
    if (link->n_mpls > 0)
      link->mpls_off = (guint16) MIN (link->mpls_off + hdr, G_MAXUINT16);
  }
}

void
pl_link_decode (guint32       linktype,
                const guint8 *data,
                guint32       caplen,
                PlLinkInfo   *link)
{
  PlByteReader r;

  memset (link, 0, sizeof *link);
  link->linktype = linktype;
  link->supported = TRUE;
  link->net = PL_NET_NONE;
  pl_byte_reader_init (&r, data, caplen);

  switch (linktype)
    {
    case PL_LINKTYPE_ETHERNET:
      decode_ethernet (&r, link);
      break;
    case PL_LINKTYPE_NULL:
      decode_null (&r, link, FALSE);
      break;
    case PL_LINKTYPE_LOOP:
      decode_null (&r, link, TRUE);
      break;
    case PL_LINKTYPE_LINUX_SLL:
      decode_sll (&r, link);
      break;
    case PL_LINKTYPE_LINUX_SLL2:
      decode_sll2 (&r, link);
      break;
    case PL_LINKTYPE_RAW_12:
    case PL_LINKTYPE_RAW_14:
    case PL_LINKTYPE_RAW:
      link->net_off = 0;
      link->net = caplen > 0 ? net_from_version_nibble (&r, 0) : PL_NET_NONE;
      break;
    case PL_LINKTYPE_IPV4:
      link->net_off = 0;
      link->net = PL_NET_IPV4;
      break;
    case PL_LINKTYPE_IPV6:
      link->net_off = 0;
      link->net = PL_NET_IPV6;
      break;
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC:
      decode_ppp (&r, 0, link);
      break;
    case LINKTYPE_PPP_ETHER:
      link->pppoe = TRUE;
      decode_ppp (&r, 6, link);
      break;
    case LINKTYPE_C_HDLC:
      link->ethertype = pl_byte_reader_peek_u16_be (&r, 2);
      if (r.overrun)
        link->net = PL_NET_NONE;
      else
        set_net (&r, link, 4, link->ethertype);
      break;
    case LINKTYPE_NFLOG:
      decode_nflog (&r, link);
      break;
    case LINKTYPE_IPOIB:
      link->ethertype = pl_byte_reader_peek_u16_be (&r, 40);
      if (r.overrun)
        link->net = PL_NET_NONE;
      else
        set_net (&r, link, 44, link->ethertype);
      break;
    case LINKTYPE_JUNIPER_ETHER:
      decode_juniper_ether (&r, link);
      break;
    default:
      link->supported = FALSE;
      break;
    }
}

void
pl_link_decode_inner (guint16       ptype,
                      const guint8 *data,
                      guint32       caplen,
                      guint32       off,
                      PlLinkInfo   *link)
{
  PlByteReader r;

  memset (link, 0, sizeof *link);
  link->linktype = PL_LINKTYPE_ETHERNET;
  link->supported = TRUE;
  link->net = PL_NET_NONE;
  if (off >= caplen || off >= G_MAXUINT16)
    return;
  pl_byte_reader_init (&r, data + off, caplen - off);
  if (ptype == ETHERTYPE_TEB)
    decode_ethernet (&r, link);
  else
    set_net (&r, link, 0, ptype);
  if (link->net == PL_NET_NONE)
    return;
  if ((guint32) link->net_off + off >= G_MAXUINT16)
    {
      link->net = PL_NET_OTHER;
      return;
    }
  link->net_off = (guint16) (link->net_off + off);
  if (link->n_mpls > 0)
    link->mpls_off = (guint16) (link->mpls_off + off);
}
