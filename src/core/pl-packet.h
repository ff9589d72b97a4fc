/* pl-packet.h: decoding of one frame's link, IP and TCP headers.
 *
 * The decoders fill plain structs from bounds-checked reads; nothing is
 * allocated.  The same decode serves the loader (hot path), the dumps and
 * the field tree.  Link layers: pl-link.c; IPv4/IPv6: pl-ip.c (RFC 791,
 * RFC 8200); TCP and its options: pl-tcp.c (RFC 9293, RFC 7323, RFC 2018).
 */
#pragma once

#include <glib.h>

#include "pl-frame.h"

G_BEGIN_DECLS

/* File LINKTYPE_ values we decode (https://www.tcpdump.org/linktypes.html). */
enum
{
  PL_LINKTYPE_NULL      = 0,
  PL_LINKTYPE_ETHERNET  = 1,
  PL_LINKTYPE_RAW_12    = 12,  /* DLT_RAW on most systems (OpenBSD: DLT_LOOP) */
  PL_LINKTYPE_RAW_14    = 14,  /* DLT_RAW on OpenBSD */
  PL_LINKTYPE_RAW       = 101,
  PL_LINKTYPE_LOOP      = 108,
  PL_LINKTYPE_LINUX_SLL = 113,
  PL_LINKTYPE_IPV4      = 228,
  PL_LINKTYPE_IPV6      = 229,
  PL_LINKTYPE_NFLOG     = 239,  /* Linux netfilter log (tcpdump -i nflog:N) */
  PL_LINKTYPE_LINUX_SLL2 = 276,
};

typedef enum
{
  PL_NET_NONE,   /* link layer not decoded */
  PL_NET_IPV4,
  PL_NET_IPV6,
  PL_NET_OTHER,  /* decoded link layer carrying something else */
} PlNetProto;

#define PL_LINK_MAX_VLANS 4
#define PL_LINK_MAX_MPLS  8

typedef struct
{
  guint32    linktype;
  gboolean   supported;          /* we know this link type */
  PlNetProto net;
  guint16    net_off;            /* offset of the network header */
  guint16    ethertype;          /* Ethernet/SLL protocol after tags; 0 for AF-based links */
  guint32    af;                 /* NULL/LOOP: address family as decoded */
  gboolean   af_big_endian;      /* NULL: the AF field was in big-endian order */
  gboolean   pppoe;              /* PPPoE session header (RFC 2516) before the IP header */
  guint16    ppp_protocol;
  guint8     n_vlans;
  guint16    vlan_tci[PL_LINK_MAX_VLANS];
  guint16    vlan_tpid[PL_LINK_MAX_VLANS];
  guint16    sll_pkttype;        /* SLL/SLL2 packet type */
  guint16    sll_hatype;
  guint32    sll_ifindex;        /* SLL2 only */
  guint8     sll_addr_len;
  guint8     sll_addr[8];
  guint16    nflog_resource_id;  /* NFLOG: the log group */
  guint8     nflog_version;
  gboolean   nflog_tlv_big_endian; /* NFLOG TLVs are in the writer's byte order */
  guint16    nflog_payload_len;  /* bytes of the payload TLV's value */
  guint8     n_mpls;             /* MPLS label stack entries (RFC 3032) before net_off */
  guint16    mpls_off;           /* offset of the first label stack entry */
} PlLinkInfo;

typedef struct
{
  guint8   version;      /* 4 or 6; 0 when not IP */
  guint8   src[16];      /* IPv4 uses the first 4 bytes */
  guint8   dst[16];
  guint8   proto;        /* transport protocol (after IPv6 extension headers) */
  guint8   ttl;          /* TTL / hop limit */
  guint8   tos;          /* DSCP+ECN / traffic class */
  guint16  hdr_len;      /* IPv4 IHL*4, or 40 + extension headers */
  guint16  id;           /* IPv4 identification; IPv6 fragment id low bits */
  guint16  frag_field;   /* IPv4 flags+offset word */
  guint16  checksum;     /* IPv4 header checksum */
  guint32  flow_label;   /* IPv6 */
  guint32  length;       /* datagram length from the header (IPv4 total length, 40 + IPv6 payload length) */
  guint32  payload_off;  /* transport header offset in the frame */
  guint32  payload_len;  /* transport bytes by the header lengths */
  gboolean fragment;     /* a fragment: transport header absent or incomplete */
  gboolean length_zero;  /* IPv4 total length 0 (TSO): length taken from the frame */
} PlIpInfo;

#define PL_TCP_MAX_SACK 4

typedef struct
{
  guint16  sport;
  guint16  dport;
  guint32  seq;
  guint32  ack;
  guint8   hdr_len;      /* data offset * 4 */
  guint16  flags;        /* 12 bits: PlTcpFlags and the 3 reserved bits above AE */
  guint16  window;       /* raw window field */
  guint16  checksum;
  guint16  urgent;
  guint32  payload_off;  /* in the frame */
  guint32  payload_len;  /* by IP length; may exceed what was captured */
  gboolean length_unknown; /* the segment's length cannot be known (see pl_packet_decode()) */
  /* options */
  gboolean has_mss;
  guint16  mss;
  gint8    wscale;       /* -1 when absent */
  gboolean sack_perm;
  gboolean has_ts;
  guint32  tsval;
  guint32  tsecr;
  guint8   n_sack;
  guint32  sack_left[PL_TCP_MAX_SACK];
  guint32  sack_right[PL_TCP_MAX_SACK];
  gboolean options_bad;  /* an option runs past the header or has a bad length */
} PlTcpInfo;

/* A header between the link layer's network header and the IP header
 * that carries the transport: the outer IP header of a tunnel and what
 * follows it. */
typedef enum
{
  PL_ENCAP_IPV4 = 1,  /* an outer IPv4 header (IP-in-IP, 6in4, GRE, UDP below) */
  PL_ENCAP_IPV6,      /* an outer IPv6 header (4in6, 6in6, GRE, UDP below) */
  PL_ENCAP_GRE,       /* RFC 2784/2890 GRE header */
  PL_ENCAP_UDP,       /* the UDP header of a VXLAN or Geneve tunnel */
  PL_ENCAP_VXLAN,     /* RFC 7348, UDP port 4789 */
  PL_ENCAP_GENEVE,    /* RFC 8926, UDP port 6081 */
  PL_ENCAP_ETHERNET,  /* an inner Ethernet frame (VXLAN, Geneve, GRE 0x6558) */
  PL_ENCAP_MPLS,      /* an MPLS label stack inside a tunnel (GRE 0x8847) */
} PlEncapKind;

#define PL_MAX_ENCAPS 12

typedef struct
{
  guint8  kind;   /* PlEncapKind */
  guint32 off;    /* in the frame */
  guint32 len;
} PlEncap;

typedef struct
{
  PlLinkInfo  link;
  PlIpInfo    ip;        /* the IP header that carries the transport (the innermost) */
  PlTcpInfo   tcp;
  guint32     ip_off;    /* offset of ip's header: link.net_off unless tunnelled */
  guint8      n_encaps;  /* tunnel headers between link.net_off and ip_off, outermost first */
  PlEncap     encaps[PL_MAX_ENCAPS];
  /* The addresses tshark prints first for the frame (-E occurrence=f):
   * of the outermost IPv4 header, else of the outermost IPv6 header; ip's
   * own unless tunnelled. */
  guint8      first_version;
  guint8      first_src[16];
  guint8      first_dst[16];
  guint8      status;    /* PlFrameStatus */
  const char *problem;   /* why PL_FRAME_MALFORMED, a static untranslated string */
} PlPacket;

void     pl_link_decode   (guint32        linktype,
                           const guint8  *data,
                           guint32        caplen,
                           PlLinkInfo    *link);
/* What a tunnel carries at off, by its protocol type: an Ethertype (IPv4,
 * IPv6, MPLS) or 0x6558 (transparent Ethernet bridging: an Ethernet frame).
 * Fills link's net, net_off, ethertype, VLAN and MPLS fields. */
void     pl_link_decode_inner (guint16        ptype,
                               const guint8  *data,
                               guint32        caplen,
                               guint32        off,
                               PlLinkInfo    *link);
gboolean pl_ip_decode     (const guint8  *data,
                           guint32        caplen,
                           guint32        off,
                           PlNetProto     net,
                           PlIpInfo      *ip,
                           const char   **problem);
gboolean pl_tcp_decode    (const guint8  *data,
                           guint32        caplen,
                           const PlIpInfo *ip,
                           PlTcpInfo     *tcp,
                           const char   **problem);

/* Decodes as far as the headers go; pkt->status says how far that was. */
void     pl_packet_decode (guint32        linktype,
                           const guint8  *data,
                           guint32        caplen,
                           guint32        origlen,
                           PlPacket      *pkt);

/* Writes the address as inet_ntop does into buf (at least 46 bytes). */
const char *pl_ip_address_to_string (guint8        version,
                                     const guint8 *addr,
                                     char         *buf,
                                     gsize         buf_len);

/* "FIN, SYN, ..." as Wireshark's tcp.flags.str order: flag names of the set bits. */
char    *pl_tcp_flags_to_string (guint16 flags);

G_END_DECLS
