/* pl-frame.h: the compact per-frame entry of the frame table.
 *
 * One PlFrame per record in the capture, stored by value in one array.
 * Frame bytes are never copied: offset points into the mapped file.  Keep
 * this small (issue: at most 64 bytes of memory per frame in all).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PL_NO_STREAM  G_MAXUINT32
#define PL_NO_OFFSET  G_MAXUINT16

/* TCP header flag bits (the 12 bits of the flags field, RFC 9293 + 3168 + AccECN). */
typedef enum
{
  PL_TCP_FIN = 1 << 0,
  PL_TCP_SYN = 1 << 1,
  PL_TCP_RST = 1 << 2,
  PL_TCP_PSH = 1 << 3,
  PL_TCP_ACK = 1 << 4,
  PL_TCP_URG = 1 << 5,
  PL_TCP_ECE = 1 << 6,
  PL_TCP_CWR = 1 << 7,
  PL_TCP_AE  = 1 << 8,  /* formerly NS (RFC 3540) */
} PlTcpFlags;

/* What decoding found, a bit set. */
typedef enum
{
  PL_FRAME_LINK_UNSUPPORTED = 1 << 0, /* link type we do not decode */
  PL_FRAME_NOT_IP           = 1 << 1, /* decoded link layer, not IPv4/IPv6 */
  PL_FRAME_MALFORMED        = 1 << 2, /* a header is cut short or inconsistent: see notes */
  PL_FRAME_TCP              = 1 << 3, /* a TCP segment, counted in a stream */
  PL_FRAME_IP_FRAGMENT      = 1 << 4, /* IPv4/IPv6 fragment: not reassembled */
  PL_FRAME_SNAP_CUT         = 1 << 5, /* caplen < origlen */
  PL_FRAME_AFTER_REBASE     = 1 << 6, /* a TCP frame that came after its stream's
                                       * relative numbers were rebased (see
                                       * pl_tcp_bases_update()) */
} PlFrameStatus;

typedef struct
{
  gint64  ts_ns;       /* nanoseconds since the epoch */
  guint64 offset;      /* of the frame's bytes in the mapped file */
  guint32 caplen;
  guint32 origlen;
  guint32 stream;      /* PL_NO_STREAM unless PL_FRAME_TCP */
  guint32 seq;         /* raw sequence number */
  guint32 ack;         /* raw acknowledgment number */
  guint32 win;         /* calculated window (raw << scale) */
  guint32 payload_len; /* TCP payload bytes (by IP length, not caplen) */
  guint16 iface;
  guint16 l3_off;      /* IP header offset in the frame, PL_NO_OFFSET if none */
  guint16 l4_off;      /* TCP header offset in the frame, PL_NO_OFFSET if none */
  guint16 tcp_flags;   /* PlTcpFlags */
  guint16 analysis;    /* PlAnalysisFlags (filled by the TCP analysis) */
  guint8  dir : 1;     /* 0: client to server, 1: server to client */
  guint8  status : 7;  /* PlFrameStatus */
  guint8  states;      /* PlTcpState of the client (low nibble) and the server
                        * (high nibble) after this segment, as the capture
                        * point saw them */
} PlFrame;

/* The frame table is the one per-frame cost of a capture: keep it at 56
 * bytes (a cache line holds one frame and most of the next). */
G_STATIC_ASSERT (sizeof (PlFrame) == 56);

G_END_DECLS
