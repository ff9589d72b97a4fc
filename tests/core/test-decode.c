/* test-decode.c: link, IP and TCP decoding on hand-built frames: every
 * supported link type, VLAN stacks, IPv6 extension headers, fragments, TCP
 * options, and every prefix of a frame (no read past the captured bytes). */
#include "config.h"

#include <string.h>

#include "pl-capture.h"
#include "pl-packet.h"

typedef struct
{
  guint8 b[512];
  guint  len;
} Buf;

static void
put (Buf          *buf,
     const guint8 *bytes,
     guint         n)
{
  g_assert_cmpuint (buf->len + n, <=, sizeof buf->b);
  memcpy (buf->b + buf->len, bytes, n);
  buf->len += n;
}

static void
put_u8 (Buf   *buf,
        guint8 v)
{
  put (buf, &v, 1);
}

static void
put_u16 (Buf    *buf,
         guint16 v)
{
  guint8 b[2] = { v >> 8, v & 0xff };
  put (buf, b, 2);
}

static void
put_u32 (Buf    *buf,
         guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  put (buf, b, 4);
}

static void
put_u32_le (Buf    *buf,
            guint32 v)
{
  guint8 b[4] = { v, v >> 8, v >> 16, v >> 24 };
  put (buf, b, 4);
}

/* A TCP header with MSS 1460, SACK permitted, timestamps, NOP, WS 7
 * (Linux's SYN layout), flags SYN, and payload_len bytes of 'x'. */
static guint
put_tcp (Buf     *buf,
         guint16  flags,
         guint    payload_len)
{
  static const guint8 opts[] = {
    2, 4, 0x05, 0xb4,            /* MSS 1460 */
    4, 2,                        /* SACK permitted */
    8, 10, 0, 0, 0, 1, 0, 0, 0, 2, /* TS 1, 2 */
    1,                           /* NOP */
    3, 3, 7,                     /* WS 7 */
  };
  guint i;

  put_u16 (buf, 40000);
  put_u16 (buf, 80);
  put_u32 (buf, 0xfffffff0);
  put_u32 (buf, 0x12345678);
  put_u16 (buf, (guint16) (((20 + sizeof opts) / 4) << 12 | flags));
  put_u16 (buf, 65535);
  put_u16 (buf, 0xabcd);
  put_u16 (buf, 0);
  put (buf, opts, sizeof opts);
  for (i = 0; i < payload_len; i++)
    put_u8 (buf, 'x');
  return 20 + sizeof opts + payload_len;
}

static void
put_ipv4 (Buf    *buf,
          guint   l4_len,
          guint16 frag)
{
  static const guint8 src[4] = { 10, 0, 0, 1 }, dst[4] = { 10, 0, 0, 2 };

  put_u8 (buf, 0x45);
  put_u8 (buf, 0);
  put_u16 (buf, (guint16) (20 + l4_len));
  put_u16 (buf, 0x1234);
  put_u16 (buf, frag);
  put_u8 (buf, 64);
  put_u8 (buf, 6);
  put_u16 (buf, 0);
  put (buf, src, 4);
  put (buf, dst, 4);
}

static void
put_ipv6 (Buf   *buf,
          guint  payload_len,
          guint8 next)
{
  guint8 src[16] = { 0 }, dst[16] = { 0 };

  src[15] = 1;
  dst[0] = 0x20;
  dst[1] = 0x01;
  dst[15] = 2;
  put_u32 (buf, 0x60000000);
  put_u16 (buf, (guint16) payload_len);
  put_u8 (buf, next);
  put_u8 (buf, 64);
  put (buf, src, 16);
  put (buf, dst, 16);
}

static const guint tcp_len = 40 + 5;

/* Builds link header + IPv4 + TCP with 5 payload bytes. */
static void
build_v4 (Buf     *buf,
          guint16  frag)
{
  put_ipv4 (buf, tcp_len, frag);
  put_tcp (buf, PL_TCP_SYN, 5);
}

static void
check_tcp (const PlPacket *pkt,
           guint           net_off)
{
  g_assert_cmpuint (pkt->status & PL_FRAME_TCP, ==, PL_FRAME_TCP);
  g_assert_cmpuint (pkt->status & PL_FRAME_MALFORMED, ==, 0);
  g_assert_cmpuint (pkt->link.net_off, ==, net_off);
  g_assert_cmpuint (pkt->tcp.sport, ==, 40000);
  g_assert_cmpuint (pkt->tcp.dport, ==, 80);
  g_assert_cmpuint (pkt->tcp.seq, ==, 0xfffffff0);
  g_assert_cmpuint (pkt->tcp.ack, ==, 0x12345678);
  g_assert_cmpuint (pkt->tcp.flags, ==, PL_TCP_SYN);
  g_assert_cmpuint (pkt->tcp.hdr_len, ==, 40);
  g_assert_cmpuint (pkt->tcp.payload_len, ==, 5);
  g_assert_true (pkt->tcp.has_mss);
  g_assert_cmpuint (pkt->tcp.mss, ==, 1460);
  g_assert_true (pkt->tcp.sack_perm);
  g_assert_true (pkt->tcp.has_ts);
  g_assert_cmpuint (pkt->tcp.tsval, ==, 1);
  g_assert_cmpuint (pkt->tcp.tsecr, ==, 2);
  g_assert_cmpint (pkt->tcp.wscale, ==, 7);
  g_assert_false (pkt->tcp.options_bad);
}

/* Every prefix of a frame decodes without reading past it (ASan watches)
 * and the full frame decodes to TCP. */
static void
check_prefixes (guint32     linktype,
                const Buf  *buf)
{
  guint n;

  for (n = 0; n < buf->len; n++)
    {
      guint8 *copy = g_memdup2 (buf->b, n > 0 ? n : 1);
      PlPacket pkt;

      pl_packet_decode (linktype, copy, n, buf->len, &pkt);
      g_assert_cmpuint (pkt.status & PL_FRAME_SNAP_CUT, ==, PL_FRAME_SNAP_CUT);
      g_free (copy);
    }
}

static void
test_ethernet (void)
{
  Buf buf = { { 0 }, 0 };
  guint8 macs[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  PlPacket pkt;

  put (&buf, macs, 12);
  put_u16 (&buf, 0x0800);
  build_v4 (&buf, 0x4000);
  pl_packet_decode (PL_LINKTYPE_ETHERNET, buf.b, buf.len, buf.len, &pkt);
  check_tcp (&pkt, 14);
  g_assert_cmpuint (pkt.ip.version, ==, 4);
  g_assert_cmpuint (pkt.ip.src[3], ==, 1);
  g_assert_false (pkt.ip.fragment);
  check_prefixes (PL_LINKTYPE_ETHERNET, &buf);
}

static void
test_vlan (void)
{
  Buf one = { { 0 }, 0 }, two = { { 0 }, 0 };
  guint8 macs[12] = { 0 };
  PlPacket pkt;

  put (&one, macs, 12);
  put_u16 (&one, 0x8100);
  put_u16 (&one, 0x2000 | 42);
  put_u16 (&one, 0x0800);
  build_v4 (&one, 0);
  pl_packet_decode (PL_LINKTYPE_ETHERNET, one.b, one.len, one.len, &pkt);
  check_tcp (&pkt, 18);
  g_assert_cmpuint (pkt.link.n_vlans, ==, 1);
  g_assert_cmpuint (pkt.link.vlan_tci[0] & 0xfff, ==, 42);

  /* QinQ: 802.1ad outer tag, 802.1Q inner tag. */
  put (&two, macs, 12);
  put_u16 (&two, 0x88a8);
  put_u16 (&two, 100);
  put_u16 (&two, 0x8100);
  put_u16 (&two, 200);
  put_u16 (&two, 0x86dd);
  put_ipv6 (&two, tcp_len, 6);
  put_tcp (&two, PL_TCP_SYN, 5);
  pl_packet_decode (PL_LINKTYPE_ETHERNET, two.b, two.len, two.len, &pkt);
  check_tcp (&pkt, 22);
  g_assert_cmpuint (pkt.link.n_vlans, ==, 2);
  g_assert_cmpuint (pkt.link.vlan_tci[1], ==, 200);
  g_assert_cmpuint (pkt.ip.version, ==, 6);
  check_prefixes (PL_LINKTYPE_ETHERNET, &two);
}

static void
test_pppoe (void)
{
  Buf buf = { { 0 }, 0 };
  guint8 macs[12] = { 0 };
  PlPacket pkt;

  put (&buf, macs, 12);
  put_u16 (&buf, 0x8864);
  put_u8 (&buf, 0x11);
  put_u8 (&buf, 0);
  put_u16 (&buf, 0x0001);
  put_u16 (&buf, (guint16) (2 + 20 + tcp_len));
  put_u16 (&buf, 0x0021);
  build_v4 (&buf, 0);
  pl_packet_decode (PL_LINKTYPE_ETHERNET, buf.b, buf.len, buf.len, &pkt);
  check_tcp (&pkt, 22);
  g_assert_true (pkt.link.pppoe);
}

static void
test_null_loop (void)
{
  struct { guint32 linktype; guint32 af; gboolean be; } cases[] = {
    { PL_LINKTYPE_NULL, 2, FALSE },
    { PL_LINKTYPE_NULL, 30, FALSE },  /* macOS AF_INET6 */
    { PL_LINKTYPE_NULL, 28, FALSE },  /* FreeBSD */
    { PL_LINKTYPE_NULL, 24, FALSE },  /* NetBSD, OpenBSD */
    { PL_LINKTYPE_NULL, 2, TRUE },    /* written on a big-endian host */
    { PL_LINKTYPE_NULL, 30, TRUE },
    { PL_LINKTYPE_LOOP, 2, TRUE },    /* DLT_LOOP: always network order */
    { PL_LINKTYPE_LOOP, 24, TRUE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Buf buf = { { 0 }, 0 };
      PlPacket pkt;

      if (cases[i].be)
        put_u32 (&buf, cases[i].af);
      else
        put_u32_le (&buf, cases[i].af);
      if (cases[i].af == 2)
        build_v4 (&buf, 0);
      else
        {
          put_ipv6 (&buf, tcp_len, 6);
          put_tcp (&buf, PL_TCP_SYN, 5);
        }
      pl_packet_decode (cases[i].linktype, buf.b, buf.len, buf.len, &pkt);
      check_tcp (&pkt, 4);
      g_assert_cmpuint (pkt.link.af, ==, cases[i].af);
      g_assert_cmpuint (pkt.ip.version, ==, cases[i].af == 2 ? 4 : 6);
      check_prefixes (cases[i].linktype, &buf);
    }
}

static void
test_sll (void)
{
  Buf v1 = { { 0 }, 0 }, v2 = { { 0 }, 0 };
  guint8 addr[8] = { 0, 1, 2, 3, 4, 5, 0, 0 };
  PlPacket pkt;

  put_u16 (&v1, 0);      /* to us */
  put_u16 (&v1, 772);    /* ARPHRD_LOOPBACK */
  put_u16 (&v1, 6);
  put (&v1, addr, 8);
  put_u16 (&v1, 0x0800);
  build_v4 (&v1, 0);
  pl_packet_decode (PL_LINKTYPE_LINUX_SLL, v1.b, v1.len, v1.len, &pkt);
  check_tcp (&pkt, 16);
  g_assert_cmpuint (pkt.link.sll_hatype, ==, 772);

  put_u16 (&v2, 0x86dd);
  put_u16 (&v2, 0);
  put_u32 (&v2, 1);      /* ifindex */
  put_u16 (&v2, 772);
  put_u8 (&v2, 4);       /* outgoing */
  put_u8 (&v2, 6);
  put (&v2, addr, 8);
  put_ipv6 (&v2, tcp_len, 6);
  put_tcp (&v2, PL_TCP_SYN, 5);
  pl_packet_decode (PL_LINKTYPE_LINUX_SLL2, v2.b, v2.len, v2.len, &pkt);
  check_tcp (&pkt, 20);
  g_assert_cmpuint (pkt.link.sll_ifindex, ==, 1);
  g_assert_cmpuint (pkt.link.sll_pkttype, ==, 4);
  check_prefixes (PL_LINKTYPE_LINUX_SLL2, &v2);
}

static void
put_u16_le (Buf    *buf,
            guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };
  put (buf, b, 2);
}

/* PPP (with and without HDLC-like framing, compressed protocol field),
 * PPP over Ethernet, Cisco HDLC, NFLOG (TLVs little- and big-endian), IP
 * over InfiniBand and Juniper Ethernet (extensions, no magic, L2
 * stripped), each down to the same TCP segment. */
static void
test_more_links (void)
{
  static const guint8 hdlc[] = { 0xff, 0x03, 0x00, 0x21 };
  static const guint8 ppp[] = { 0x00, 0x21 };
  static const guint8 pfc[] = { 0x21 };
  static const guint8 pppoe[] = { 0x11, 0x00, 0x00, 0x01, 0x00, 0x40, 0x00, 0x21 };
  static const guint8 chdlc[] = { 0x0f, 0x00, 0x08, 0x00 };
  static const guint8 mac[12] = { 0 };
  static const struct { guint32 linktype; const guint8 *hdr; guint len; } plain[] = {
    { 9, hdlc, sizeof hdlc },
    { 9, ppp, sizeof ppp },
    { 9, pfc, sizeof pfc },
    { 50, hdlc, sizeof hdlc },
    { 51, pppoe, sizeof pppoe },
    { 104, chdlc, sizeof chdlc },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      Buf buf = { { 0 }, 0 };
      PlPacket pkt;

      put (&buf, plain[i].hdr, plain[i].len);
      build_v4 (&buf, 0);
      pl_packet_decode (plain[i].linktype, buf.b, buf.len, buf.len, &pkt);
      check_tcp (&pkt, plain[i].len);
      check_prefixes (plain[i].linktype, &buf);
    }

  /* NFLOG: header, NFULA_PACKET_HDR (8), NFULA_PREFIX (5, padded to 8),
   * NFULA_PAYLOAD. */
  for (i = 0; i < 2; i++)
    {
      Buf buf = { { 0 }, 0 };
      PlPacket pkt;
      void (*tlv16) (Buf *, guint16) = i == 0 ? put_u16_le : put_u16;

      put_u8 (&buf, 2);
      put_u8 (&buf, 0);
      put_u16 (&buf, 40);
      tlv16 (&buf, 8);
      tlv16 (&buf, 1);
      put_u32 (&buf, 0x08000300);
      tlv16 (&buf, 5);
      tlv16 (&buf, 10);
      put_u32 (&buf, 0);
      tlv16 (&buf, (guint16) (4 + 20 + tcp_len));
      tlv16 (&buf, 9);
      build_v4 (&buf, 0);
      pl_packet_decode (239, buf.b, buf.len, buf.len, &pkt);
      check_tcp (&pkt, 24);
      check_prefixes (239, &buf);
    }

  /* IPoIB: 40-byte GRH, Ethertype, reserved. */
  {
    Buf buf = { { 0 }, 0 };
    PlPacket pkt;
    guint k;

    for (k = 0; k < 40; k++)
      put_u8 (&buf, 0);
    put_u16 (&buf, 0x0800);
    put_u16 (&buf, 0);
    build_v4 (&buf, 0);
    pl_packet_decode (242, buf.b, buf.len, buf.len, &pkt);
    check_tcp (&pkt, 44);
    check_prefixes (242, &buf);
  }

  /* Juniper Ethernet: with 4 bytes of extensions; without the magic (an
   * older JUNOS: plain Ethernet); L2 header stripped (protocol 2, IPv4). */
  {
    Buf ext = { { 0 }, 0 }, bare = { { 0 }, 0 }, nol2 = { { 0 }, 0 };
    PlPacket pkt;

    put (&ext, (const guint8 *) "MGC", 3);
    put_u8 (&ext, 0x80);
    put_u16 (&ext, 4);
    put_u32 (&ext, 0x03010100);
    put (&ext, mac, 12);
    put_u16 (&ext, 0x0800);
    build_v4 (&ext, 0);
    pl_packet_decode (178, ext.b, ext.len, ext.len, &pkt);
    check_tcp (&pkt, 10 + 14);
    check_prefixes (178, &ext);

    put (&bare, mac, 12);
    put_u16 (&bare, 0x0800);
    build_v4 (&bare, 0);
    pl_packet_decode (178, bare.b, bare.len, bare.len, &pkt);
    check_tcp (&pkt, 14);

    put (&nol2, (const guint8 *) "MGC", 3);
    put_u8 (&nol2, 0x02);
    put_u32_le (&nol2, 2);
    build_v4 (&nol2, 0);
    pl_packet_decode (178, nol2.b, nol2.len, nol2.len, &pkt);
    check_tcp (&pkt, 8);
  }
}

static void
test_raw (void)
{
  const guint32 v4_types[] = { PL_LINKTYPE_RAW, PL_LINKTYPE_RAW_12, PL_LINKTYPE_RAW_14, PL_LINKTYPE_IPV4 };
  const guint32 v6_types[] = { PL_LINKTYPE_RAW, PL_LINKTYPE_RAW_12, PL_LINKTYPE_IPV6 };
  Buf v4 = { { 0 }, 0 }, v6 = { { 0 }, 0 };
  PlPacket pkt;
  guint i;

  build_v4 (&v4, 0);
  put_ipv6 (&v6, tcp_len, 6);
  put_tcp (&v6, PL_TCP_SYN, 5);
  for (i = 0; i < G_N_ELEMENTS (v4_types); i++)
    {
      pl_packet_decode (v4_types[i], v4.b, v4.len, v4.len, &pkt);
      check_tcp (&pkt, 0);
    }
  for (i = 0; i < G_N_ELEMENTS (v6_types); i++)
    {
      pl_packet_decode (v6_types[i], v6.b, v6.len, v6.len, &pkt);
      check_tcp (&pkt, 0);
    }
}

static void
test_ipv6_extensions (void)
{
  Buf buf = { { 0 }, 0 }, frag = { { 0 }, 0 };
  PlPacket pkt;
  guint8 pad[6] = { 1, 4, 0, 0, 0, 0 };  /* PadN */

  /* Hop-by-hop (8 bytes), destination options (8 bytes), TCP. */
  put_ipv6 (&buf, 16 + tcp_len, 0);
  put_u8 (&buf, 60);
  put_u8 (&buf, 0);
  put (&buf, pad, 6);
  put_u8 (&buf, 6);
  put_u8 (&buf, 0);
  put (&buf, pad, 6);
  put_tcp (&buf, PL_TCP_SYN, 5);
  pl_packet_decode (PL_LINKTYPE_RAW, buf.b, buf.len, buf.len, &pkt);
  check_tcp (&pkt, 0);
  g_assert_cmpuint (pkt.ip.hdr_len, ==, 56);
  g_assert_cmpuint (pkt.ip.payload_off, ==, 56);
  check_prefixes (PL_LINKTYPE_RAW, &buf);

  /* A first fragment: flagged, not decoded as TCP. */
  put_ipv6 (&frag, 8 + tcp_len, 44);
  put_u8 (&frag, 6);
  put_u8 (&frag, 0);
  put_u16 (&frag, 0x0001);  /* offset 0, more fragments */
  put_u32 (&frag, 99);
  put_tcp (&frag, PL_TCP_SYN, 5);
  pl_packet_decode (PL_LINKTYPE_RAW, frag.b, frag.len, frag.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_IP_FRAGMENT, ==, PL_FRAME_IP_FRAGMENT);
  g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, 0);
}

static void
test_ipv4_special (void)
{
  Buf frag = { { 0 }, 0 }, tso = { { 0 }, 0 }, bad = { { 0 }, 0 };
  PlPacket pkt;

  build_v4 (&frag, 0x2000);  /* more fragments */
  pl_packet_decode (PL_LINKTYPE_RAW, frag.b, frag.len, frag.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_IP_FRAGMENT, ==, PL_FRAME_IP_FRAGMENT);

  /* Total length 0 (TSO): the length comes from the frame. */
  build_v4 (&tso, 0);
  tso.b[2] = tso.b[3] = 0;
  pl_packet_decode (PL_LINKTYPE_RAW, tso.b, tso.len, tso.len, &pkt);
  check_tcp (&pkt, 0);
  g_assert_true (pkt.ip.length_zero);

  /* A total length beyond the frame as it was on the wire (a damaged
   * header, 820 bytes claimed in a 60-byte frame): the payload ends with
   * the frame, as in Wireshark; a frame cut by the snap length keeps the
   * length the header says. */
  {
    Buf big = { { 0 }, 0 };

    build_v4 (&big, 0);
    big.b[2] = 820 >> 8;
    big.b[3] = 820 & 0xff;
    pl_packet_decode (PL_LINKTYPE_RAW, big.b, big.len, big.len, &pkt);
    g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, PL_FRAME_TCP);
    g_assert_cmpuint (pkt.tcp.payload_len, ==, 5);
    pl_packet_decode (PL_LINKTYPE_RAW, big.b, big.len, 820, &pkt);
    g_assert_cmpuint (pkt.tcp.payload_len, ==, 820 - 20 - 40);
  }

  /* The first fragment of a datagram not captured whole (its total
   * length says more than the frame holds): a TCP segment of unknown
   * length, as Wireshark dissects it.  Captured whole (Wireshark
   * reassembles it) or not the first: no TCP of its own. */
  {
    Buf first = { { 0 }, 0 }, whole = { { 0 }, 0 }, later = { { 0 }, 0 };

    build_v4 (&first, 0x2000);
    first.b[2] = 0x05;  /* total length 1300+ */
    pl_packet_decode (PL_LINKTYPE_RAW, first.b, first.len, first.len, &pkt);
    g_assert_cmpuint (pkt.status & (PL_FRAME_TCP | PL_FRAME_IP_FRAGMENT), ==, PL_FRAME_TCP | PL_FRAME_IP_FRAGMENT);
    g_assert_true (pkt.tcp.length_unknown);
    g_assert_cmpuint (pkt.tcp.payload_len, ==, 0);
    g_assert_cmpuint (pkt.tcp.sport, ==, 40000);

    build_v4 (&whole, 0x2000);
    pl_packet_decode (PL_LINKTYPE_RAW, whole.b, whole.len, whole.len, &pkt);
    g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, 0);

    build_v4 (&later, 0x2000 | 185);
    later.b[2] = 0x05;
    pl_packet_decode (PL_LINKTYPE_RAW, later.b, later.len, later.len, &pkt);
    g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, 0);
  }

  /* A TCP header longer than the IP payload (a short segment): in its
   * stream, length unknown. */
  {
    Buf shrt = { { 0 }, 0 };

    put_ipv4 (&shrt, 32, 0);
    put_tcp (&shrt, PL_TCP_SYN, 0);
    pl_packet_decode (PL_LINKTYPE_RAW, shrt.b, shrt.len, shrt.len, &pkt);
    g_assert_cmpuint (pkt.status & (PL_FRAME_TCP | PL_FRAME_MALFORMED), ==, PL_FRAME_TCP);
    g_assert_true (pkt.tcp.length_unknown);
    g_assert_cmpuint (pkt.tcp.payload_len, ==, 0);
  }

  /* IHL below 5: malformed with a reason, no TCP. */
  build_v4 (&bad, 0);
  bad.b[0] = 0x44;
  pl_packet_decode (PL_LINKTYPE_RAW, bad.b, bad.len, bad.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_MALFORMED, ==, PL_FRAME_MALFORMED);
  g_assert_nonnull (pkt.problem);
  g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, 0);
}

static void
test_tcp_options (void)
{
  Buf buf = { { 0 }, 0 }, bad = { { 0 }, 0 }, short_hdr = { { 0 }, 0 };
  PlPacket pkt;
  guint tcp_off;

  /* SACK with two blocks, an unknown kind, then EOL. */
  put_ipv4 (&buf, 20 + 24, 0);
  tcp_off = buf.len;
  put_u16 (&buf, 1);
  put_u16 (&buf, 2);
  put_u32 (&buf, 100);
  put_u32 (&buf, 200);
  put_u16 (&buf, (guint16) ((44 / 4) << 12 | PL_TCP_ACK));
  put_u16 (&buf, 10);
  put_u16 (&buf, 0);
  put_u16 (&buf, 0);
  put_u8 (&buf, 5);
  put_u8 (&buf, 18);
  put_u32 (&buf, 1000);
  put_u32 (&buf, 2000);
  put_u32 (&buf, 3000);
  put_u32 (&buf, 4000);
  put_u8 (&buf, 99);  /* unknown kind, length 4 */
  put_u8 (&buf, 4);
  put_u16 (&buf, 0);
  put_u8 (&buf, 0);   /* EOL */
  put_u8 (&buf, 0);
  pl_packet_decode (PL_LINKTYPE_RAW, buf.b, buf.len, buf.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, PL_FRAME_TCP);
  g_assert_cmpuint (pkt.tcp.n_sack, ==, 2);
  g_assert_cmpuint (pkt.tcp.sack_left[1], ==, 3000);
  g_assert_cmpuint (pkt.tcp.sack_right[1], ==, 4000);
  g_assert_false (pkt.tcp.options_bad);
  g_assert_cmpuint (pkt.tcp.payload_len, ==, 0);
  g_assert_cmpuint (tcp_off, ==, 20);

  /* An option whose length runs past the header. */
  put_ipv4 (&bad, 24, 0);
  put_u16 (&bad, 1);
  put_u16 (&bad, 2);
  put_u32 (&bad, 0);
  put_u32 (&bad, 0);
  put_u16 (&bad, (guint16) ((24 / 4) << 12 | PL_TCP_SYN));
  put_u16 (&bad, 0);
  put_u32 (&bad, 0);
  put_u8 (&bad, 2);
  put_u8 (&bad, 40);
  put_u16 (&bad, 0);
  pl_packet_decode (PL_LINKTYPE_RAW, bad.b, bad.len, bad.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_TCP, ==, PL_FRAME_TCP);
  g_assert_true (pkt.tcp.options_bad);
  g_assert_false (pkt.tcp.has_mss);

  /* Data offset 4 (16 bytes): malformed. */
  put_ipv4 (&short_hdr, 20, 0);
  put_u16 (&short_hdr, 1);
  put_u16 (&short_hdr, 2);
  put_u32 (&short_hdr, 0);
  put_u32 (&short_hdr, 0);
  put_u16 (&short_hdr, (guint16) (4 << 12));
  put_u16 (&short_hdr, 0);
  put_u32 (&short_hdr, 0);
  pl_packet_decode (PL_LINKTYPE_RAW, short_hdr.b, short_hdr.len, short_hdr.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_MALFORMED, ==, PL_FRAME_MALFORMED);
}

/* LINKTYPE_NFLOG: a prefix TLV, then the payload TLV holding the packet;
 * TLV lengths and types in the writer's byte order, either one. */
static void
test_nflog (void)
{
  guint order;

  for (order = 0; order < 2; order++)
    {
      gboolean be = order == 1;
      Buf buf = { { 0 }, 0 }, ip = { { 0 }, 0 };
      PlPacket pkt;
      guint16 tlv[2];

      build_v4 (&ip, 0);
      put_u8 (&buf, 2);          /* AF_INET */
      put_u8 (&buf, 0);          /* version */
      put_u16 (&buf, 5);         /* resource id: nflog group 5 */
      tlv[0] = 4 + 3;            /* NFULA_PREFIX "pl\0", padded to 8 */
      tlv[1] = 10;
      put_u8 (&buf, be ? 0 : tlv[0]);
      put_u8 (&buf, be ? tlv[0] : 0);
      put_u8 (&buf, be ? 0 : tlv[1]);
      put_u8 (&buf, be ? tlv[1] : 0);
      put (&buf, (const guint8 *) "pl\0\0", 4);
      tlv[0] = (guint16) (4 + ip.len);  /* NFULA_PAYLOAD */
      tlv[1] = 9;
      put_u8 (&buf, be ? tlv[0] >> 8 : tlv[0] & 0xff);
      put_u8 (&buf, be ? tlv[0] & 0xff : tlv[0] >> 8);
      put_u8 (&buf, be ? 0 : tlv[1]);
      put_u8 (&buf, be ? tlv[1] : 0);
      put (&buf, ip.b, ip.len);
      pl_packet_decode (PL_LINKTYPE_NFLOG, buf.b, buf.len, buf.len, &pkt);
      check_tcp (&pkt, 16);
      g_assert_cmpuint (pkt.link.af, ==, 2);
      g_assert_cmpuint (pkt.link.nflog_resource_id, ==, 5);
      g_assert_cmpint (pkt.link.nflog_tlv_big_endian, ==, be);
      g_assert_cmpuint (pkt.link.nflog_payload_len, ==, ip.len);
      check_prefixes (PL_LINKTYPE_NFLOG, &buf);
    }
}

static void
test_unsupported (void)
{
  Buf buf = { { 0 }, 0 };
  PlPacket pkt;

  build_v4 (&buf, 0);
  pl_packet_decode (147 /* LINKTYPE_USER0 */, buf.b, buf.len, buf.len, &pkt);
  g_assert_cmpuint (pkt.status & PL_FRAME_LINK_UNSUPPORTED, ==, PL_FRAME_LINK_UNSUPPORTED);
  g_assert_false (pkt.link.supported);
}

static void
test_addresses_and_flags (void)
{
  guint8 v6[16] = { 0 };
  char buf[64];
  g_autofree char *syn_ack = pl_tcp_flags_to_string (PL_TCP_SYN | PL_TCP_ACK);
  g_autofree char *fin_psh_ack = pl_tcp_flags_to_string (PL_TCP_FIN | PL_TCP_PSH | PL_TCP_ACK);

  v6[15] = 1;
  g_assert_cmpstr (pl_ip_address_to_string (6, v6, buf, sizeof buf), ==, "::1");
  g_assert_cmpstr (syn_ack, ==, "SYN, ACK");
  g_assert_cmpstr (fin_psh_ack, ==, "FIN, PSH, ACK");
}

/* pl_capture_frame_has_tcp_option() against the full decode, on every
 * frame of the captures with SACK blocks. */
static void
test_has_option (void)
{
  static const char *names[] = { "loss-output.pcap", "reorder.pcap", "zero-window.pcap", "lab.pcapng" };
  guint with_sack = 0, frames = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (PL_TEST_SOURCE_ROOT, "tests", "data", names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(PlCapture) capture = pl_capture_new (file);
      g_autoptr(GError) error = NULL;

      g_assert_true (pl_capture_load (capture, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint f = 0; f < (guint) pl_capture_get_n_frames (capture); f++)
        {
          PlPacket pkt;
          gboolean sack;

          pl_capture_decode_frame (capture, f, &pkt);
          sack = (pkt.status & PL_FRAME_TCP) && pkt.tcp.n_sack > 0;
          g_assert_cmpint (pl_capture_frame_has_tcp_option (capture, f, 5), ==, sack);
          g_assert_cmpint (pl_capture_frame_has_tcp_option (capture, f, 2), ==,
                           (pkt.status & PL_FRAME_TCP) && pkt.tcp.has_mss);
          with_sack += sack;
          frames++;
        }
    }
  g_test_message ("%u frames, %u with SACK blocks", frames, with_sack);
  g_assert_cmpuint (with_sack, >, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decode/ethernet", test_ethernet);
  g_test_add_func ("/decode/vlan", test_vlan);
  g_test_add_func ("/decode/pppoe", test_pppoe);
  g_test_add_func ("/decode/null-loop", test_null_loop);
  g_test_add_func ("/decode/sll", test_sll);
  g_test_add_func ("/decode/raw", test_raw);
  g_test_add_func ("/decode/more-links", test_more_links);
  g_test_add_func ("/decode/ipv6-extensions", test_ipv6_extensions);
  g_test_add_func ("/decode/ipv4-special", test_ipv4_special);
  g_test_add_func ("/decode/tcp-options", test_tcp_options);
  g_test_add_func ("/decode/has-tcp-option", test_has_option);
  g_test_add_func ("/decode/nflog", test_nflog);
  g_test_add_func ("/decode/unsupported", test_unsupported);
  g_test_add_func ("/decode/addresses-flags", test_addresses_and_flags);
  return g_test_run ();
}
