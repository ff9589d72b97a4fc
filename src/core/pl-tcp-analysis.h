/* pl-tcp-analysis.h: Wireshark's TCP sequence analysis (the tcp.analysis.*
 * expert flags), one bit set per TCP frame, with the reasons in words.
 *
 * The analysis runs while the capture loads, one segment at a time in
 * capture order, with a small state per direction that the conversation
 * table keeps for each stream while loading (PlTcpAnalysis, freed after
 * the load).  Only the flags are stored per frame
 * (PlFrame.analysis).  Everything else (the numbers behind each flag, the
 * frame an ACK acknowledges, RTTs, bytes in flight) is recomputed on demand
 * by replaying the stream up to the frame asked about: nothing is kept per
 * frame, and the replay runs the very code the loader ran.
 *
 * The rules and the reasons for them are written down in pl-tcp-analysis.c.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One bit per tshark column tcp.analysis.<name>, in this order.  As in
 * tshark, a fast or spurious retransmission is also a retransmission. */
typedef enum
{
  PL_ANALYSIS_RETRANSMISSION          = 1 << 0,
  PL_ANALYSIS_FAST_RETRANSMISSION     = 1 << 1,
  PL_ANALYSIS_SPURIOUS_RETRANSMISSION = 1 << 2,
  PL_ANALYSIS_OUT_OF_ORDER            = 1 << 3,
  PL_ANALYSIS_LOST_SEGMENT            = 1 << 4,
  PL_ANALYSIS_ACK_LOST_SEGMENT        = 1 << 5,
  PL_ANALYSIS_DUPLICATE_ACK           = 1 << 6,
  PL_ANALYSIS_ZERO_WINDOW             = 1 << 7,
  PL_ANALYSIS_ZERO_WINDOW_PROBE       = 1 << 8,
  PL_ANALYSIS_ZERO_WINDOW_PROBE_ACK   = 1 << 9,
  PL_ANALYSIS_WINDOW_FULL             = 1 << 10,
  PL_ANALYSIS_WINDOW_UPDATE           = 1 << 11,
  PL_ANALYSIS_KEEP_ALIVE              = 1 << 12,
  PL_ANALYSIS_KEEP_ALIVE_ACK          = 1 << 13,
  PL_ANALYSIS_REUSED_PORTS            = 1 << 14,
  /* Not a tshark flag: the segment's length is unknown (the first
   * fragment of an IP datagram that was not captured whole, or a header
   * longer than the IP payload), so, as in Wireshark, it was not analysed,
   * its numbers are shown raw and its window unscaled. */
  PL_ANALYSIS_LENGTH_UNKNOWN          = 1 << 15,
} PlAnalysisFlags;

/* The tshark flags (bits 0 to 14). */
#define PL_ANALYSIS_N_FLAGS 15

/* "retransmission", ... (the tshark field name after "tcp.analysis."), for
 * bit i (0 <= i < PL_ANALYSIS_N_FLAGS); NULL beyond. */
const char *pl_analysis_flag_name  (guint i);
/* Wireshark's expert summary of bit i ("This frame is a (suspected)
 * retransmission"), untranslated. */
const char *pl_analysis_flag_title (guint i);

/* What the analysis remembers of one direction (what one endpoint sent).
 * As in Wireshark, a raw sequence number of 0 in nextseq, maxseqtobeacked
 * and lastack means "not known yet" (see pl-tcp-analysis.c). */
typedef struct
{
  guint32 nextseq;          /* highest seq + len seen (SYN and FIN count 1), 0 unknown */
  guint32 nextseq_frame;    /* frame that set nextseq (its time is Wireshark's nextseqtime) */
  guint32 maxseqtobeacked;  /* end of what was seen without a hole, 0 unknown */
  guint32 lastack;          /* ack field of the last segment, whatever its flags */
  guint32 last_frame;       /* frame of the last segment (its time: lastacktime) */
  guint32 window;           /* raw window field of the last segment (G_MAXUINT32 before any) */
  gint32  dupacknum;        /* duplicate ACKs in a row; -1 after an "ACKed unseen segment"
                             * with no new ack since */
  guint32 lastnondupack;    /* frame of the last ACK that was not a duplicate */
  guint16 lastsegmentflags; /* PlAnalysisFlags of the last segment */
  guint8  valid;            /* private bits */
} PlTcpAnalysisDir;

/* The analysis state of one stream. */
typedef struct
{
  PlTcpAnalysisDir dir[2];  /* [0] what the client sent, [1] the server */
  gint64  irtt_ns;          /* SYN to the first ACK after it; 0 not known */
  guint32 syn_frame;        /* the most recent SYN without ACK ... */
  guint8  syn_seen;         /* ... if any */
} PlTcpAnalysis;

G_STATIC_ASSERT (sizeof (PlTcpAnalysis) <= 88);

/* What the conversation table found about a segment before the analysis
 * (Wireshark does these steps in the same order). */
typedef enum
{
  /* A SYN without ACK repeating the sender's ISN: a retried SYN, for
   * which Wireshark first resets nextseq to maxseqtobeacked (a RST may
   * have moved it, RFC 9293 section 3.10.7.3). */
  PL_TCP_SEGMENT_SYN_RETRY = 1 << 0,
} PlTcpSegmentNotes;

/* The time of an earlier frame (the analysis keeps frame numbers, not
 * times: 40 bytes less per stream while a capture loads). */
typedef gint64 (*PlFrameTimeFunc) (gpointer user_data,
                                   guint32  frame);

/* One segment as the analysis sees it. */
typedef struct
{
  guint32 frame;        /* frame index, from 0 */
  gint64  ts_ns;
  guint8  dir;          /* sender: 0 client, 1 server */
  guint16 flags;        /* PlTcpFlags */
  guint32 seq;          /* raw */
  guint32 ack;          /* raw, also without the ACK flag */
  guint32 len;          /* payload bytes by the IP length */
  guint32 window;       /* raw window field */
  gint8   fwd_wscale;   /* the sender's window shift, or PL_WSCALE_UNKNOWN / _NONE */
  gint8   rev_wscale;   /* the receiver's window shift, or PL_WSCALE_UNKNOWN / _NONE */
  guint8  notes;        /* PlTcpSegmentNotes */
  PlFrameTimeFunc frame_time;  /* the time of the earlier frames the state names */
  gpointer        frame_time_data;
} PlTcpSegment;

/* The state just before the segment, as far as the reasons need it (raw
 * numbers; the explanations make them relative). */
typedef struct
{
  guint16 flags;              /* PlAnalysisFlags found */
  guint32 fwd_nextseq;        /* what the sender was expected to send next */
  guint32 fwd_nextseq_frame;
  gint64  fwd_nextseq_ts;
  guint32 fwd_lastack;
  guint32 fwd_window;         /* raw, of the sender's previous segment */
  guint32 fwd_lastnondupack;
  guint32 dupack_num;         /* duplicate ACK number of this segment */
  guint32 rev_nextseq;
  guint32 rev_maxseqtobeacked;
  guint32 rev_lastack;        /* the receiver's last segment acknowledged this ... */
  guint32 rev_last_frame;     /* ... in this frame ... */
  gint64  rev_lastack_ts;
  gint32  rev_dupacknum;      /* ... after this many duplicate ACKs */
  guint32 rev_window;         /* the receiver's calculated window */
  guint32 fwd_window_calc;    /* the sender's previous calculated window */
  gint64  ooo_threshold_ns;   /* out-of-order time limit used */
} PlTcpAnalysisDetail;

void     pl_tcp_analysis_init    (PlTcpAnalysis       *state);
/* Analyses one segment and updates the state; returns its PlAnalysisFlags
 * (never REUSED_PORTS: the conversation table knows that).  detail may be
 * NULL. */
guint16  pl_tcp_analysis_segment (PlTcpAnalysis       *state,
                                  const PlTcpSegment  *seg,
                                  PlTcpAnalysisDetail *detail);

/* ------------------------------------------------------------------------
 * On demand, for one frame of a loaded capture.
 */
typedef struct _PlCapture PlCapture;

#define PL_ANALYSIS_NO_FRAME G_MAXUINT32

typedef struct
{
  PlTcpAnalysisDetail detail;
  guint32 acks_frame;        /* the frame whose segment this ACK completes, or PL_ANALYSIS_NO_FRAME */
  gint64  ack_rtt_ns;        /* from that frame to this one */
  gboolean have_irtt;
  gint64  irtt_ns;           /* the stream's initial RTT, known once the handshake is done */
  guint32 bytes_in_flight;   /* sent and not yet acknowledged after this segment */
  gboolean have_bytes_in_flight;
  guint32 first_sent_frame;  /* retransmissions: the first frame that carried this seq */

  /* tcp.nxtseq: seq + len (SYN and FIN count one), raw. */
  guint32 nxtseq;
  /* tcp.analysis.push_bytes_sent: payload bytes this side sent since its
   * last PSH, this segment's included (set with have_bytes_in_flight's
   * condition, as Wireshark 4.0 does). */
  guint32 push_bytes_sent;
  gboolean have_push_bytes_sent;

  /* The arithmetic of an ACK: the other side's segments whose end (seq +
   * len, SYN and FIN counting one) it covers for the first time, that is
   * lies in (prev_ack, ack].  acked_first_frame is PL_ANALYSIS_NO_FRAME when
   * it acknowledges nothing new. */
  guint32 prev_ack;          /* raw: this side's previous ack, or the other ISN - 1 */
  guint32 acked_first_frame;
  guint32 acked_last_frame;
  guint32 acked_seq;         /* raw: the lowest seq of those segments */
  guint8  acked_syn;         /* a SYN among them */
  guint8  acked_fin;         /* a FIN among them */
} PlTcpAnalysisReport;

/* Replays the frame's stream up to it.  FALSE when the frame is not TCP or
 * was not analysed (PL_ANALYSIS_LENGTH_UNKNOWN).  Costs a walk of the
 * stream up to the frame: for many frames of one stream, use a
 * PlTcpReplay. */
gboolean pl_tcp_analysis_replay  (PlCapture           *capture,
                                  guint                frame_index,
                                  PlTcpAnalysisReport *report);

/* The same replay kept open, for reports on many frames of one stream in
 * one walk (explanations beside every arrow of an export). */
typedef struct _PlTcpReplay PlTcpReplay;

PlTcpReplay *pl_tcp_replay_new   (PlCapture           *capture,
                                  guint                stream);
/* Advances to frame_index, a frame of the replay's stream at or after the
 * last one asked for, and fills report for it.  FALSE when the frame is not
 * of the stream or lies behind the replay. */
gboolean     pl_tcp_replay_step  (PlTcpReplay         *self,
                                  guint                frame_index,
                                  PlTcpAnalysisReport *report);
void         pl_tcp_replay_free  (PlTcpReplay         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlTcpReplay, pl_tcp_replay_free)

/* One sentence per flag of the frame, in flag order, with the numbers and
 * frames involved (relative numbers, frames from 1).  *sentences (may be
 * NULL) gets a NULL-terminated array to free with g_strfreev(), and
 * flags_out (may be NULL) the bit of each.  Returns how many. */
guint    pl_tcp_analysis_explain (PlCapture           *capture,
                                  guint                frame_index,
                                  char              ***sentences,
                                  guint16            **flags_out);
/* The same from a report the caller already has (a PlTcpReplay stepped to
 * the frame): no replay of its own, so explaining every flag of a stream
 * costs one walk of it. */
guint    pl_tcp_analysis_explain_report (PlCapture                 *capture,
                                         guint                      frame_index,
                                         const PlTcpAnalysisReport *report,
                                         char                    ***sentences,
                                         guint16                  **flags_out);

G_END_DECLS
