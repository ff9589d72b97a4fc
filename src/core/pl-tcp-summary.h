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

  /* The teardown story (FIN closes). */
  gint64         idle_ns;           /* before the first FIN: since the stream's previous segment, -1 unknown */
  guint          keep_alive_s;      /* Keep-Alive: timeout=N the first closer sent in HTTP, 0 none */
  gboolean       idle_is_keep_alive;/* idle_ns is that timeout running out */
  guint32        fin_ack_frame;     /* the passive side's first segment acknowledging the first FIN */
  gboolean       fin_rides_ack;     /* ... and it carries the passive FIN too: a three-segment close */
  guint32        last_ack_frame;    /* the active side's ACK of the passive FIN */
} PlTcpSummary;

/* How long Linux keeps a socket in TIME_WAIT (TCP_TIMEWAIT_LEN: 2MSL with
 * an MSL of 30 s). */
#define PL_TCP_LINUX_TIME_WAIT_S 60

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
/* The close as a story: who closed first and after how long idle (and
 * whether that was the Keep-Alive timeout the closer announced), why it
 * took three or four segments, and what TIME_WAIT (2MSL) is for.  NULL
 * when the stream did not end with FINs. */
char *pl_tcp_summary_describe_teardown (PlCapture          *capture,
                                        guint               stream,
                                        const PlTcpSummary *summary);

G_END_DECLS
