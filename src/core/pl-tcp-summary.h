/* pl-tcp-summary.h: what happened at both ends of one TCP stream: how it
 * was opened (each side's ISN and SYN options, the initial RTT) and how it
 * ended (who closed first, or which RST and why).  Computed on demand.
 */
#pragma once

#include "pl-capture.h"

G_BEGIN_DECLS

#define PL_NO_FRAME G_MAXUINT32

typedef struct
{
  /* Handshake: [0] client, [1] server.  Frames are indexes from 0. */
  guint32        syn_frame[2];      /* SYN (client), SYN-ACK (server) */
  guint32        handshake_ack_frame; /* the client's ACK completing it */
  gboolean       isn_known[2];
  guint32        isn[2];
  guint16        mss[2];            /* 0: not offered */
  gint8          wscale[2];         /* -1: not offered */
  gboolean       sack_perm[2];
  gboolean       timestamps[2];
  gint64         irtt_ns;           /* SYN to the ACK completing the handshake, -1 unknown */

  /* Teardown. */
  PlTcpCloseKind close_kind;
  gint8          first_closer;      /* 0 client, 1 server, -1 none */
  guint32        fin_frame[2];      /* first FIN of each side */
  gint8          reset_by;          /* -1 none */
  guint32        rst_frame;
  PlTcpResetReason reset_reason;
  gboolean       reset_in_window;
} PlTcpSummary;

void  pl_tcp_summary_compute        (PlCapture          *capture,
                                     guint               stream,
                                     PlTcpSummary       *summary);
/* Sentences for the UI and the stream list ("Opened by 10.0.0.1:4000 ..."). */
char *pl_tcp_summary_describe_open  (PlCapture          *capture,
                                     guint               stream,
                                     const PlTcpSummary *summary);
char *pl_tcp_summary_describe_close (PlCapture          *capture,
                                     guint               stream,
                                     const PlTcpSummary *summary);

G_END_DECLS
