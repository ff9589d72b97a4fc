/* pl-tcp-analysis.c: TCP sequence analysis with Wireshark's meanings (its
 * tcp_analyze_sequence_number(), packet-tcp.c, 4.0), one segment at a time
 * in capture order, and the reasons for each flag in words.
 *
 * Each direction keeps: nextseq (the highest seq + len seen, SYN and FIN
 * counting one), the frame and time that set it, maxseqtobeacked (the end of
 * what was seen without a hole), the last ack field with its time (the
 * field as sent, also on segments without ACK), the last raw window, the
 * duplicate ACK count and the flags of the last segment.  "fwd" is the
 * sender of the segment at hand, "rev" the other side.
 *
 * Like Wireshark we read a raw value of 0 in nextseq, maxseqtobeacked and
 * lastack as "not known yet".  That is a sentinel, not a meaning, but the
 * flags are Wireshark's definitions and users compare them with it: a
 * segment whose sequence number happens to be 0, or a RST without ACK whose
 * ack field is 0 (Linux sends those), makes tshark skip the checks that
 * need the value, and so do we.  (A RST without ACK carries no
 * acknowledgment, RFC 9293 section 3.1: its zero ack field must not make
 * the peer's next data look acknowledged already.)
 *
 * The checks run in Wireshark's order, because several of them end the
 * first group early and later ones read what earlier ones found:
 *
 *  1. zero window probe: exactly 1 byte at fwd.nextseq while rev's last
 *     window is 0.  A probe tests whether the window opened; it does not
 *     advance nextseq, so the next probe of the same byte is a probe again.
 *     Skips to step 10.
 *  2. zero window: window field 0, not SYN/FIN/RST (a RST's window means
 *     nothing, and a SYN's cannot be scaled yet).
 *  3. lost segment ("previous segment not captured"): seq beyond
 *     fwd.nextseq, not RST: bytes in between were sent but not captured.
 *  4. keep-alive: 0 or 1 byte at fwd.nextseq - 1, not SYN/FIN/RST: the
 *     byte before the next one provokes an ACK without new data (RFC 9293
 *     section 3.8.4).
 *  5. window update: no data, seq = fwd.nextseq, ack = fwd.lastack, window
 *     not 0 and different from fwd's last, not SYN/FIN/RST: the segment's
 *     only news is the window.
 *  6. window full: data ending exactly at rev.lastack + rev's window
 *     (shifted by rev's scale once rev sent an ACK after its SYN), when
 *     rev's window scale is known, not SYN/FIN/RST: the sender used all of
 *     the window it was given.
 *  7. keep-alive ACK: no data, same seq/ack/window as fwd's last segment,
 *     window not 0, and rev's last segment was a keep-alive.  Skips to 10.
 *  8. zero window probe ACK: no data, window 0 again, seq = fwd.nextseq,
 *     ack = fwd.lastack, and rev's last segment was a probe.  Skips to 10.
 *  9. duplicate ACK: no data, same seq/ack/window as fwd's last segment,
 *     window not 0 (a repeated zero window is not a request for data), not
 *     SYN/FIN/RST.  Counted: #n of the last ACK that was not a duplicate.
 * 10. A new ack number resets fwd's duplicate count (a segment with data
 *     or a window change that repeats the ack keeps it: the receiver is
 *     still asking for the same byte).
 * 11. ACKed lost segment ("ACKed segment that wasn't captured"): ACK flag
 *     and ack beyond rev.maxseqtobeacked: the other side received bytes we
 *     never saw.  When rev sent more since (maxseqtobeacked < rev.nextseq)
 *     the mark jumps to rev.nextseq and the segment is flagged.  Otherwise
 *     it is flagged only if rev's duplicate count is 0, which is then set
 *     to -1: one report per gap until rev sends a segment with a new ack
 *     (or a duplicate ACK), however often this side repeats itself.
 * 12. Segments with data, SYN or FIN ("seq not advanced": seq below
 *     fwd.nextseq; a segment of 2 bytes or more starting at nextseq - 1
 *     brings new data and does not count); keep-alives are excluded.  The
 *     first that applies wins:
 *     a. spurious retransmission: data ending at or below rev.lastack: the
 *        receiver had it, the resend was useless (whether or not seq
 *        advanced: a late copy of acknowledged bytes);
 *     b. fast retransmission: seq not advanced, rev sent >= 2 duplicate
 *        ACKs asking for exactly this seq, and the last of them came
 *        < 20 ms ago (the sender reacted to them, RFC 5681 section 3.2);
 *     c. out-of-order: seq not advanced, within the out-of-order threshold
 *        (the stream's iRTT, 3 ms while that is unknown) after the segment
 *        that set fwd.nextseq, and not ending exactly at nextseq (SYN and
 *        FIN counted): too soon to be a reaction to a loss, so the network
 *        reordered it; a copy of the latest segment is no reordering;
 *     d. retransmission: seq not advanced.
 *     As in tshark, fast and spurious retransmissions are retransmissions
 *     too (both columns are set).
 * 13. Then the state moves on: nextseq advances (never backwards, never for
 *     a probe), maxseqtobeacked follows nextseq while segments arrive
 *     without a hole, and the last ack, window, time and flags are kept.
 *
 * Before the checks, a retried SYN (same ISN) puts nextseq back to
 * maxseqtobeacked, as Wireshark does (a RST sent with the acknowledged
 * number as its seq may have moved it); port reuse (a new SYN with another
 * ISN, or a SYN-ACK with another ISN than the one seen) is decided by the
 * conversation table, which sets that flag.  The iRTT is taken after the
 * segment's checks: from the most recent SYN without ACK to the first
 * segment with ACK and without SYN after it.
 *
 * Sequence numbers are compared only through pl-seq.h.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-capture.h"
#include "pl-seq.h"
#include "pl-tcp-analysis.h"

enum
{
  VALID_SEEN      = 1 << 0,  /* a segment was seen in this direction */
  VALID_FIRST_ACK = 1 << 1,  /* a SYN was sent and no ACK without SYN since:
                              * the window is read unscaled (Wireshark's
                              * is_first_ack) */
  VALID_NEXTSEQ   = 1 << 2,  /* nextseq_frame is set */
  VALID_BIF       = 1 << 4,  /* bytes in flight can be trusted (no hole seen) */
};

/* The time of a frame the state names: the segment's own, or an earlier
 * one's. */
static gint64
frame_time (const PlTcpSegment *seg,
            guint32             frame)
{
  if (frame == seg->frame)
    return seg->ts_ns;
  g_return_val_if_fail (seg->frame_time != NULL, 0);
  return seg->frame_time (seg->frame_time_data, frame);
}

/* Wireshark's nextseqtime and lastacktime of one direction: 0 until set. */
static gint64
nextseq_time (const PlTcpAnalysisDir *d,
              const PlTcpSegment     *seg)
{
  return (d->valid & VALID_NEXTSEQ) ? frame_time (seg, d->nextseq_frame) : 0;
}

static gint64
lastack_time (const PlTcpAnalysisDir *d,
              const PlTcpSegment     *seg)
{
  return (d->valid & VALID_SEEN) ? frame_time (seg, d->last_frame) : 0;
}

/* Wireshark's limits: a fast retransmission follows the last duplicate
 * ACK within 20 ms; without an iRTT, out-of-order means within 3 ms. */
#define FAST_RETRANSMISSION_NS  G_GINT64_CONSTANT (20000000)
#define DEFAULT_OOO_NS          G_GINT64_CONSTANT (3000000)

/* Wireshark stops remembering unacknowledged segments beyond this many. */
#define MAX_UNACKED 10000

static const char * const flag_names[PL_ANALYSIS_N_FLAGS] = {
  "retransmission",
  "fast_retransmission",
  "spurious_retransmission",
  "out_of_order",
  "lost_segment",
  "ack_lost_segment",
  "duplicate_ack",
  "zero_window",
  "zero_window_probe",
  "zero_window_probe_ack",
  "window_full",
  "window_update",
  "keep_alive",
  "keep_alive_ack",
  "reused_ports",
};

/* Wireshark's expert-info titles; translated at use. */
static const char * const flag_titles[PL_ANALYSIS_N_FLAGS] = {
  N_("This frame is a (suspected) retransmission"),
  N_("This frame is a (suspected) fast retransmission"),
  N_("This frame is a (suspected) spurious retransmission"),
  N_("This frame is a (suspected) out-of-order segment"),
  N_("Previous segment(s) not captured (common at capture start)"),
  N_("ACKed segment that wasn't captured (common at capture start)"),
  N_("Duplicate ACK"),
  N_("TCP Zero Window segment"),
  N_("TCP Zero Window Probe"),
  N_("ACK to a TCP Zero Window Probe"),
  N_("TCP window specified by the receiver is now completely full"),
  N_("TCP window update"),
  N_("TCP keep-alive segment"),
  N_("ACK to a TCP keep-alive segment"),
  N_("A new tcp session is started with the same ports as an earlier session in this trace"),
};

const char *
pl_analysis_flag_name (guint i)
{
  return i < PL_ANALYSIS_N_FLAGS ? flag_names[i] : NULL;
}

const char *
pl_analysis_flag_title (guint i)
{
  return i < PL_ANALYSIS_N_FLAGS ? _(flag_titles[i]) : NULL;
}

void
pl_tcp_analysis_init (PlTcpAnalysis *state)
{
  guint i;

  memset (state, 0, sizeof *state);
  for (i = 0; i < 2; i++)
    {
      state->dir[i].valid = VALID_BIF;
      state->dir[i].window = G_MAXUINT32;
    }
}

/* A window as the other side must read it: shifted, unless scaling is off
 * or unknown, or the side has not sent an ACK after its SYN yet.  32-bit
 * arithmetic, as Wireshark's. */
static guint32
calculated_window (const PlTcpAnalysisDir *d,
                   gint8                   wscale)
{
  if ((d->valid & VALID_FIRST_ACK) || wscale < 0)
    return d->window;
  return d->window << wscale;
}

/* Time from then to now as Wireshark computes it: unsigned, so a clock
 * going backwards gives a huge value, never a small one. */
static guint64
elapsed (gint64 now,
         gint64 then)
{
  return (guint64) now - (guint64) then;
}

guint16
pl_tcp_analysis_segment (PlTcpAnalysis       *state,
                         const PlTcpSegment  *seg,
                         PlTcpAnalysisDetail *detail)
{
  PlTcpAnalysisDir *fwd = &state->dir[seg->dir & 1];
  PlTcpAnalysisDir *rev = &state->dir[!(seg->dir & 1)];
  const guint16 sfr = PL_TCP_SYN | PL_TCP_FIN | PL_TCP_RST;
  guint16 fl = 0;
  guint64 ooo_thres;
  guint32 nextseq;

  /* A retried SYN (the conversation table saw the same ISN again). */
  if (seg->notes & PL_TCP_SEGMENT_SYN_RETRY)
    fwd->nextseq = fwd->maxseqtobeacked;

  ooo_thres = state->irtt_ns != 0 ? (guint64) state->irtt_ns : (guint64) DEFAULT_OOO_NS;

  if (detail != NULL)
    {
      memset (detail, 0, sizeof *detail);
      detail->fwd_nextseq = fwd->nextseq;
      detail->fwd_nextseq_frame = fwd->nextseq_frame;
      detail->fwd_nextseq_ts = nextseq_time (fwd, seg);
      detail->fwd_lastack = fwd->lastack;
      detail->fwd_window = fwd->window;
      detail->fwd_window_calc = calculated_window (fwd, seg->fwd_wscale);
      detail->fwd_lastnondupack = fwd->lastnondupack;
      detail->rev_nextseq = rev->nextseq;
      detail->rev_maxseqtobeacked = rev->maxseqtobeacked;
      detail->rev_lastack = rev->lastack;
      detail->rev_last_frame = rev->last_frame;
      detail->rev_lastack_ts = lastack_time (rev, seg);
      detail->rev_dupacknum = rev->dupacknum;
      detail->rev_window = calculated_window (rev, seg->rev_wscale);
      detail->ooo_threshold_ns = (gint64) ooo_thres;
    }

  if (seg->flags & PL_TCP_ACK)
    rev->valid |= VALID_BIF;

  /* 1. Zero window probe. */
  if (seg->len == 1 && seg->seq == fwd->nextseq && rev->window == 0)
    {
      fl |= PL_ANALYSIS_ZERO_WINDOW_PROBE;
      goto finished_fwd;
    }

  /* 2. Zero window. */
  if (seg->window == 0 && (seg->flags & sfr) == 0)
    fl |= PL_ANALYSIS_ZERO_WINDOW;

  /* 3. Lost segment: a hole before this one. */
  if (fwd->nextseq != 0 && PL_SEQ_GT (seg->seq, fwd->nextseq) && !(seg->flags & PL_TCP_RST))
    {
      fl |= PL_ANALYSIS_LOST_SEGMENT;
      /* Bytes in flight cannot be counted across a hole. */
      fwd->valid &= ~VALID_BIF;
    }

  /* 4. Keep-alive. */
  if (seg->len <= 1 && seg->seq == fwd->nextseq - 1 && (seg->flags & sfr) == 0)
    fl |= PL_ANALYSIS_KEEP_ALIVE;

  /* 5. Window update. */
  if (seg->len == 0 && seg->window != 0 && seg->window != fwd->window &&
      seg->seq == fwd->nextseq && seg->ack == fwd->lastack && (seg->flags & sfr) == 0)
    fl |= PL_ANALYSIS_WINDOW_UPDATE;

  /* 6. Window full. */
  if (seg->len > 0 && seg->rev_wscale != PL_WSCALE_UNKNOWN &&
      seg->seq + seg->len == rev->lastack + calculated_window (rev, seg->rev_wscale) &&
      (seg->flags & sfr) == 0)
    fl |= PL_ANALYSIS_WINDOW_FULL;

  /* 7. Keep-alive ACK. */
  if (seg->len == 0 && seg->window != 0 && seg->window == fwd->window &&
      seg->seq == fwd->nextseq && seg->ack == fwd->lastack &&
      (rev->lastsegmentflags & PL_ANALYSIS_KEEP_ALIVE) && (seg->flags & sfr) == 0)
    {
      fl |= PL_ANALYSIS_KEEP_ALIVE_ACK;
      goto finished_fwd;
    }

  /* 8. Zero window probe ACK. */
  if (seg->len == 0 && seg->window == 0 && seg->window == fwd->window &&
      seg->seq == fwd->nextseq && seg->ack == fwd->lastack &&
      (rev->lastsegmentflags & PL_ANALYSIS_ZERO_WINDOW_PROBE) && (seg->flags & sfr) == 0)
    {
      fl |= PL_ANALYSIS_ZERO_WINDOW_PROBE_ACK;
      goto finished_fwd;
    }

  /* 9. Duplicate ACK (after an "ACKed unseen segment" report the count
   * starts again at 1). */
  if (seg->len == 0 && seg->window != 0 && seg->window == fwd->window &&
      seg->seq == fwd->nextseq && seg->ack == fwd->lastack && (seg->flags & sfr) == 0)
    {
      fwd->dupacknum = fwd->dupacknum == -1 ? 1 : fwd->dupacknum + 1;
      fl |= PL_ANALYSIS_DUPLICATE_ACK;
      if (detail != NULL)
        detail->dupack_num = (guint32) fwd->dupacknum;
    }

finished_fwd:
  /* 10. */
  if (seg->ack != fwd->lastack)
    {
      fwd->lastnondupack = seg->frame;
      fwd->dupacknum = 0;
    }

  /* 11. ACKed lost segment. */
  if (rev->maxseqtobeacked != 0 && PL_SEQ_GT (seg->ack, rev->maxseqtobeacked) &&
      (seg->flags & PL_TCP_ACK))
    {
      if (PL_SEQ_LT (rev->maxseqtobeacked, rev->nextseq))
        {
          rev->maxseqtobeacked = rev->nextseq;
          fl |= PL_ANALYSIS_ACK_LOST_SEGMENT;
        }
      else
        {
          if (rev->dupacknum == 0)
            fl |= PL_ANALYSIS_ACK_LOST_SEGMENT;
          rev->dupacknum = -1;
        }
    }

  /* 12. Spurious, fast retransmission, out-of-order, retransmission. */
  if ((seg->len > 0 || (seg->flags & (PL_TCP_SYN | PL_TCP_FIN))) &&
      !(fl & PL_ANALYSIS_KEEP_ALIVE))
    {
      gboolean seq_not_advanced = fwd->nextseq != 0 && PL_SEQ_LT (seg->seq, fwd->nextseq);
      guint32 end = seg->seq + seg->len + ((seg->flags & (PL_TCP_SYN | PL_TCP_FIN)) ? 1 : 0);

      /* New data after a probe byte is not a repeat. */
      if (seg->len > 1 && fwd->nextseq - 1 == seg->seq)
        seq_not_advanced = FALSE;

      if (seg->len > 0 && rev->lastack != 0 && PL_SEQ_LEQ (seg->seq + seg->len, rev->lastack))
        fl |= PL_ANALYSIS_SPURIOUS_RETRANSMISSION | PL_ANALYSIS_RETRANSMISSION;
      else if (seq_not_advanced && rev->dupacknum >= 2 && rev->lastack == seg->seq &&
               elapsed (seg->ts_ns, lastack_time (rev, seg)) < (guint64) FAST_RETRANSMISSION_NS)
        fl |= PL_ANALYSIS_FAST_RETRANSMISSION | PL_ANALYSIS_RETRANSMISSION;
      else if (seq_not_advanced && elapsed (seg->ts_ns, nextseq_time (fwd, seg)) < ooo_thres &&
               fwd->nextseq != end)
        fl |= PL_ANALYSIS_OUT_OF_ORDER;
      else if (seq_not_advanced)
        fl |= PL_ANALYSIS_RETRANSMISSION;
    }

  /* 13. Move on. */
  nextseq = seg->seq + seg->len;
  if (seg->flags & (PL_TCP_SYN | PL_TCP_FIN))
    nextseq++;
  if ((PL_SEQ_GT (nextseq, fwd->nextseq) || fwd->nextseq == 0) &&
      !(fl & PL_ANALYSIS_ZERO_WINDOW_PROBE))
    {
      fwd->nextseq = nextseq;
      fwd->nextseq_frame = seg->frame;
      fwd->valid |= VALID_NEXTSEQ;
    }
  if ((seg->seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0) &&
      !(fl & PL_ANALYSIS_ZERO_WINDOW_PROBE))
    fwd->maxseqtobeacked = fwd->nextseq;

  fwd->window = seg->window;
  fwd->lastack = seg->ack;
  fwd->last_frame = seg->frame;
  fwd->lastsegmentflags = fl;
  fwd->valid |= VALID_SEEN;

  /* After the checks, as in Wireshark: the window of a side is read
   * unscaled from its SYN until it sends an ACK without SYN; the iRTT runs
   * from the most recent SYN to the first such ACK.  A zero time is
   * Wireshark's "unset" for both. */
  if (seg->flags & PL_TCP_SYN)
    fwd->valid |= VALID_FIRST_ACK;
  if ((seg->flags & (PL_TCP_SYN | PL_TCP_ACK)) == PL_TCP_SYN)
    {
      state->syn_frame = seg->frame;
      state->syn_seen = TRUE;
    }
  if ((seg->flags & (PL_TCP_SYN | PL_TCP_ACK)) == PL_TCP_ACK)
    {
      gint64 syn_ts = state->syn_seen ? frame_time (seg, state->syn_frame) : 0;

      fwd->valid &= ~VALID_FIRST_ACK;
      if (syn_ts != 0 && state->irtt_ns == 0)
        state->irtt_ns = seg->ts_ns - syn_ts;
    }

  if (detail != NULL)
    detail->flags = fl;
  return fl;
}

/* ------------------------------------------------------------------------
 * On demand: replay one stream, up to a frame or frame by frame.
 */

typedef struct
{
  guint32 frame;
  guint32 seq;
  guint32 nextseq;
  gint64  ts_ns;
} Unacked;

/* A segment not yet covered by an ACK of the other side, for the ACK
 * arithmetic (what an ACK acknowledges for the first time). */
typedef struct
{
  guint32 frame;
  guint32 seq;
  guint32 end;      /* seq + len, SYN and FIN counting one */
  guint8  syn, fin;
} Pending;

/* The SACK blocks of one side's latest segment. */
typedef struct
{
  guint8  n;
  guint32 left[PL_TCP_MAX_SACK];
  guint32 right[PL_TCP_MAX_SACK];
} Sacks;

struct _PlTcpReplay
{
  PlCapture         *capture;
  const PlTcpStream *stream;
  guint              index;       /* the stream's */
  guint32            next_frame;  /* the first frame not replayed yet */
  PlTcpAnalysis      state;
  GArray            *unacked[2];  /* Unacked, what each side sent */
  GArray            *pending[2];  /* Pending */
  Sacks              sacks[2];
  PlTcpBases         bases;       /* the loader's bookkeeping, redone to know a retried SYN */
  guint32            last_ack[2];
  guint8             have_last_ack[2];
  guint32            push_bytes[2];
  guint8             push_set_last[2];
};

static gint64
capture_frame_time (gpointer data,
                    guint32  frame)
{
  return pl_capture_get_frame (data, frame)->ts_ns;
}

static void
segment_from_frame (PlCapture         *capture,
                    const PlTcpStream *stream,
                    guint              index,
                    const PlFrame     *frame,
                    PlTcpSegment      *seg,
                    Sacks             *sacks)
{
  PlPacket pkt;
  guint k;

  /* The raw window and the SACK blocks are not in the frame table: decode
   * the header again. */
  pl_capture_decode_frame (capture, index, &pkt);
  sacks->n = (pkt.status & PL_FRAME_TCP) ? MIN (pkt.tcp.n_sack, PL_TCP_MAX_SACK) : 0;
  for (k = 0; k < sacks->n; k++)
    {
      sacks->left[k] = pkt.tcp.sack_left[k];
      sacks->right[k] = pkt.tcp.sack_right[k];
    }
  memset (seg, 0, sizeof *seg);
  seg->frame = index;
  seg->ts_ns = frame->ts_ns;
  seg->frame_time = capture_frame_time;
  seg->frame_time_data = capture;
  seg->dir = frame->dir;
  seg->flags = frame->tcp_flags;
  seg->seq = frame->seq;
  seg->ack = frame->ack;
  seg->len = frame->payload_len;
  seg->window = pkt.tcp.window;
  seg->fwd_wscale = stream->peer[frame->dir].wscale;
  seg->rev_wscale = stream->peer[!frame->dir].wscale;
}

PlTcpReplay *
pl_tcp_replay_new (PlCapture *capture,
                   guint      stream)
{
  PlTcpReplay *self;
  guint d;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (stream < pl_capture_get_n_streams (capture), NULL);

  self = g_new0 (PlTcpReplay, 1);
  self->capture = g_object_ref (capture);
  self->stream = pl_capture_get_stream (capture, stream);
  self->index = stream;
  self->next_frame = self->stream->first_frame;
  pl_tcp_analysis_init (&self->state);
  for (d = 0; d < 2; d++)
    {
      self->unacked[d] = g_array_new (FALSE, FALSE, sizeof (Unacked));
      self->pending[d] = g_array_new (FALSE, FALSE, sizeof (Pending));
    }
  return self;
}

void
pl_tcp_replay_free (PlTcpReplay *self)
{
  guint d;

  if (self == NULL)
    return;
  for (d = 0; d < 2; d++)
    {
      g_array_unref (self->unacked[d]);
      g_array_unref (self->pending[d]);
    }
  g_object_unref (self->capture);
  g_free (self);
}

/* What an ACK of side d covers for the first time: the pending segments of
 * the other side whose end lies in (prev_ack, ack].  Covered ones leave the
 * list; a bounded list, so a stream of pure data costs no more. */
static void
replay_ack_arithmetic (PlTcpReplay         *self,
                       const PlTcpSegment  *seg,
                       PlTcpAnalysisReport *report)
{
  guint d = seg->dir;
  GArray *list = self->pending[!d];
  guint32 prev = self->have_last_ack[d] ? self->last_ack[d]
                                         : self->stream->peer[!d].base_seq - 1;
  guint i, keep;

  if (report != NULL)
    report->prev_ack = prev;
  for (i = keep = 0; i < list->len; i++)
    {
      Pending p = g_array_index (list, Pending, i);

      if (!PL_SEQ_LEQ (p.end, seg->ack))
        {
          g_array_index (list, Pending, keep++) = p;
          continue;
        }
      if (report != NULL && PL_SEQ_GT (p.end, prev))
        {
          if (report->acked_first_frame == PL_ANALYSIS_NO_FRAME)
            {
              report->acked_first_frame = p.frame;
              report->acked_seq = p.seq;
            }
          report->acked_first_frame = MIN (report->acked_first_frame, p.frame);
          report->acked_last_frame = report->acked_last_frame == PL_ANALYSIS_NO_FRAME
                                     ? p.frame : MAX (report->acked_last_frame, p.frame);
          if (PL_SEQ_LT (p.seq, report->acked_seq))
            report->acked_seq = p.seq;
          report->acked_syn |= p.syn;
          report->acked_fin |= p.fin;
        }
    }
  g_array_set_size (list, keep);
  self->last_ack[d] = seg->ack;
  self->have_last_ack[d] = TRUE;
}

/* One segment of the stream through the analysis and the lists; report
 * (may be NULL) gets what is known about it.  FALSE for a segment the
 * loader did not analyse (PL_ANALYSIS_LENGTH_UNKNOWN). */
static gboolean
replay_one (PlTcpReplay         *self,
            guint                i,
            const PlFrame       *frame,
            PlTcpAnalysisReport *report)
{
  PlTcpSegment seg;
  PlTcpAnalysisDetail detail;
  GArray *fwd_list, *rev_list;
  guint16 fl;
  guint j, d = frame->dir;
  gboolean bif_valid;

  segment_from_frame (self->capture, self->stream, i, frame, &seg, &self->sacks[d]);
  if (pl_tcp_bases_update (&self->bases, seg.dir, seg.flags, seg.seq, seg.ack,
                           !(frame->analysis & PL_ANALYSIS_LENGTH_UNKNOWN)) & PL_TCP_BASES_SYN_RETRY)
    seg.notes |= PL_TCP_SEGMENT_SYN_RETRY;
  /* Not analysed while loading: not replayed either. */
  if (frame->analysis & PL_ANALYSIS_LENGTH_UNKNOWN)
    return FALSE;
  fl = pl_tcp_analysis_segment (&self->state, &seg, &detail);
  fwd_list = self->unacked[d];
  rev_list = self->unacked[!d];

  /* The segments still waiting for an ACK, as Wireshark keeps them:
   * data, SYN or FIN, at most MAX_UNACKED of them. */
  if ((seg.len > 0 || (seg.flags & (PL_TCP_SYN | PL_TCP_FIN))) && fwd_list->len < MAX_UNACKED)
    {
      Unacked u = { i, seg.seq, seg.seq + seg.len, seg.ts_ns };
      Pending p = { i, seg.seq, seg.seq + seg.len, (seg.flags & PL_TCP_SYN) != 0, (seg.flags & PL_TCP_FIN) != 0 };

      if (seg.flags & (PL_TCP_SYN | PL_TCP_FIN))
        u.nextseq++;
      g_array_append_val (fwd_list, u);
      p.end = u.nextseq;
      /* Bytes the other side acknowledged already are not news again. */
      if ((!self->have_last_ack[!d] || PL_SEQ_GT (p.end, self->last_ack[!d])) &&
          self->pending[d]->len < MAX_UNACKED)
        g_array_append_val (self->pending[d], p);
    }

  if (report != NULL)
    {
      memset (report, 0, sizeof *report);
      report->acks_frame = PL_ANALYSIS_NO_FRAME;
      report->first_sent_frame = PL_ANALYSIS_NO_FRAME;
      report->acked_first_frame = PL_ANALYSIS_NO_FRAME;
      report->acked_last_frame = PL_ANALYSIS_NO_FRAME;
      report->nxtseq = seg.seq + seg.len + ((seg.flags & PL_TCP_SYN) ? 1 : 0) + ((seg.flags & PL_TCP_FIN) ? 1 : 0);
    }

  /* This ACK completes the segments that end exactly at it (the
   * oldest of them is "the frame it acknowledges"), trims the ones it
   * covers in part and forgets the older ones. */
  if (seg.flags & PL_TCP_ACK)
    {
      for (j = rev_list->len; j > 0; j--)
        {
          Unacked *u = &g_array_index (rev_list, Unacked, j - 1);

          if (PL_SEQ_EQ (seg.ack, u->nextseq))
            {
              if (report != NULL)
                {
                  report->acks_frame = u->frame;
                  report->ack_rtt_ns = seg.ts_ns - u->ts_ns;
                }
            }
          else if (PL_SEQ_GT (seg.ack, u->seq) && PL_SEQ_LEQ (seg.ack, u->nextseq))
            {
              u->seq = seg.ack;
              continue;
            }
          else if (PL_SEQ_GT (u->nextseq, seg.ack))
            continue;
          g_array_remove_index (rev_list, j - 1);
        }
      replay_ack_arithmetic (self, &seg, report);
    }

  /* Bytes in flight and bytes since the last PSH are counted after a
   * segment with data, unless a hole was seen (Wireshark 4.0's condition). */
  bif_valid = seg.len > 0 && fwd_list->len > 0 && (self->state.dir[d].valid & VALID_BIF);
  if (bif_valid)
    {
      gboolean psh = (seg.flags & PL_TCP_PSH) != 0;

      if (psh && !self->push_set_last[d])
        self->push_bytes[d] += seg.len;
      else if (psh || self->push_set_last[d])
        self->push_bytes[d] = seg.len;
      else
        self->push_bytes[d] += seg.len;
      self->push_set_last[d] = psh;
    }

  if (report == NULL)
    return TRUE;

  report->detail = detail;
  report->detail.flags = fl;
  report->have_irtt = self->state.irtt_ns != 0;
  report->irtt_ns = self->state.irtt_ns;

  if (bif_valid)
    {
      const Unacked *u0 = &g_array_index (fwd_list, Unacked, 0);
      guint32 first = u0->seq, last = u0->nextseq, in_flight;

      report->push_bytes_sent = self->push_bytes[d];
      report->have_push_bytes_sent = TRUE;

      /* Bytes in flight: from the lowest unacknowledged byte to the
       * highest sent. */
      for (j = 1; j < fwd_list->len; j++)
        {
          const Unacked *u = &g_array_index (fwd_list, Unacked, j);

          first = PL_SEQ_MIN (first, u->seq);
          last = PL_SEQ_MAX (last, u->nextseq);
        }
      /* Bytes the receiver's latest ACK reported as received (SACK,
       * RFC 2018) are no longer in flight, as Wireshark counts them. */
      in_flight = last - first;
      for (j = 0; j < self->sacks[!d].n; j++)
        {
          guint32 left = PL_SEQ_MAX (self->sacks[!d].left[j], first);
          guint32 right = PL_SEQ_MIN (self->sacks[!d].right[j], last);

          if (PL_SEQ_LT (left, right) && right - left <= in_flight)
            in_flight -= right - left;
        }
      if (in_flight > 0 && in_flight < 2000000000u)
        {
          report->bytes_in_flight = in_flight;
          report->have_bytes_in_flight = TRUE;
        }
    }
  return TRUE;
}

/* A retransmission repeats bytes (or a SYN/FIN) that an earlier frame of
 * the same direction carried first. */
static guint32
first_sent_frame (PlCapture         *capture,
                  const PlTcpStream *stream,
                  guint              frame_index,
                  const PlFrame     *target)
{
  guint i;

  for (i = stream->first_frame; i < frame_index; i++)
    {
      const PlFrame *f = pl_capture_get_frame (capture, i);

      if (f->stream != target->stream || f->dir != target->dir)
        continue;
      if (target->payload_len > 0 && f->payload_len > 0 &&
          PL_SEQ_GEQ (target->seq, f->seq) &&
          PL_SEQ_LT (target->seq, f->seq + f->payload_len))
        return i;
      if (target->payload_len == 0 && (target->tcp_flags & f->tcp_flags & PL_TCP_SYN) &&
          PL_SEQ_EQ (target->seq, f->seq))
        return i;
      if (target->payload_len == 0 && (target->tcp_flags & f->tcp_flags & PL_TCP_FIN) &&
          PL_SEQ_EQ (target->seq, f->seq + f->payload_len))
        return i;
    }
  return PL_ANALYSIS_NO_FRAME;
}

gboolean
pl_tcp_replay_step (PlTcpReplay         *self,
                    guint                frame_index,
                    PlTcpAnalysisReport *report)
{
  const PlFrame *target;
  guint i;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  if (frame_index >= pl_capture_get_n_frames (self->capture) || frame_index < self->next_frame)
    return FALSE;
  target = pl_capture_get_frame (self->capture, frame_index);
  if (target->stream != self->index || !(target->status & PL_FRAME_TCP))
    return FALSE;

  for (i = self->next_frame; i < frame_index; i++)
    {
      const PlFrame *frame = pl_capture_get_frame (self->capture, i);

      if (frame->stream == self->index && (frame->status & PL_FRAME_TCP))
        replay_one (self, i, frame, NULL);
    }
  self->next_frame = frame_index + 1;
  if (!replay_one (self, frame_index, target, report))
    return FALSE;

  if (target->analysis & (PL_ANALYSIS_RETRANSMISSION | PL_ANALYSIS_OUT_OF_ORDER))
    report->first_sent_frame = first_sent_frame (self->capture, self->stream, frame_index, target);
  return TRUE;
}

gboolean
pl_tcp_analysis_replay (PlCapture           *capture,
                        guint                frame_index,
                        PlTcpAnalysisReport *report)
{
  const PlFrame *target;
  g_autoptr(PlTcpReplay) replay = NULL;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->acks_frame = PL_ANALYSIS_NO_FRAME;
  report->first_sent_frame = PL_ANALYSIS_NO_FRAME;
  report->acked_first_frame = PL_ANALYSIS_NO_FRAME;
  report->acked_last_frame = PL_ANALYSIS_NO_FRAME;
  if (frame_index >= pl_capture_get_n_frames (capture))
    return FALSE;
  target = pl_capture_get_frame (capture, frame_index);
  if (target->stream == PL_NO_STREAM)
    return FALSE;
  replay = pl_tcp_replay_new (capture, target->stream);
  return pl_tcp_replay_step (replay, frame_index, report);
}

/* ------------------------------------------------------------------------
 * The reasons in words.
 */

static char *
format_ms (gint64 ns)
{
  /* Translators: a duration in milliseconds. */
  return g_strdup_printf (_("%.3f ms"), (double) ns / 1e6);
}

static const PlTcpStream *
previous_stream_on_tuple (PlCapture         *capture,
                          const PlTcpStream *stream)
{
  guint i;

  for (i = stream->index; i > 0; i--)
    {
      const PlTcpStream *s = pl_capture_get_stream (capture, i - 1);
      guint a;

      for (a = 0; a < 2; a++)
        if (memcmp (&s->ep[a], &stream->ep[0], sizeof (PlEndpoint)) == 0 &&
            memcmp (&s->ep[!a], &stream->ep[1], sizeof (PlEndpoint)) == 0)
          return s;
    }
  return NULL;
}

static char *
explain_one (PlCapture                 *capture,
             const PlTcpStream         *stream,
             const PlFrame             *frame,
             const PlTcpAnalysisReport *report,
             guint16                    flag)
{
  const PlTcpAnalysisDetail *d = &report->detail;
  guint32 fbase = pl_tcp_stream_base_for (stream, frame->dir, frame);
  guint32 rbase = pl_tcp_stream_base_for (stream, !frame->dir, frame);
  guint32 seq = frame->seq - fbase;
  guint32 ack = frame->ack - rbase;
  guint32 len = frame->payload_len;
  guint32 expected = d->fwd_nextseq - fbase;
  g_autofree char *what = NULL;

  /* The subject with its verb, so the sentences agree in number. */
  if (len > 0)
    /* Translators: the subject of the sentences below ("Retransmission:
     * %s first sent in frame 12"), with its verb: a range of relative
     * sequence numbers. */
    what = g_strdup_printf (_("bytes %u-%u were"), seq, seq + len - 1);
  else if (frame->tcp_flags & PL_TCP_SYN)
    /* Translators: the subject of the sentences below, with its verb. */
    what = g_strdup (_("the SYN was"));
  else
    /* Translators: the subject of the sentences below, with its verb. */
    what = g_strdup (_("the FIN was"));

  switch (flag)
    {
    case PL_ANALYSIS_RETRANSMISSION:
      if (report->first_sent_frame != PL_ANALYSIS_NO_FRAME)
        return g_strdup_printf (_("Retransmission: %s first sent in frame %u"),
                                what, report->first_sent_frame + 1);
      return g_strdup_printf (_("Retransmission: %s sent before, below the next expected seq %u "
                                "(reached in frame %u); the first copy was not captured"),
                              what, expected, d->fwd_nextseq_frame + 1);

    case PL_ANALYSIS_FAST_RETRANSMISSION:
      {
        g_autofree char *ms = format_ms (frame->ts_ns - d->rev_lastack_ts);

        return g_strdup_printf (_("Fast retransmission: seq %u resent %s after duplicate ACK #%u "
                                  "asking for it (frame %u), within the 20 ms limit"),
                                seq, ms, d->rev_dupacknum, d->rev_last_frame + 1);
      }

    case PL_ANALYSIS_SPURIOUS_RETRANSMISSION:
      return g_strdup_printf (_("Spurious retransmission: %s already acknowledged "
                                "(ack %u in frame %u)"),
                              what, d->rev_lastack - fbase, d->rev_last_frame + 1);

    case PL_ANALYSIS_OUT_OF_ORDER:
      {
        g_autofree char *ms = format_ms (frame->ts_ns - d->fwd_nextseq_ts);
        g_autofree char *limit = format_ms (d->ooo_threshold_ns);

        return g_strdup_printf (_("Out-of-order: seq %u is below the next expected seq %u "
                                  "(reached in frame %u), and came %s after it, within %s (%s)"),
                                seq, expected, d->fwd_nextseq_frame + 1, ms, limit,
                                report->have_irtt ? _("the iRTT") : _("no iRTT yet: the default"));
      }

    case PL_ANALYSIS_LOST_SEGMENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Previous segment not captured: expected seq %u, got %u "
                                           "(%u byte missing)",
                                           "Previous segment not captured: expected seq %u, got %u "
                                           "(%u bytes missing)",
                                           seq - expected),
                              expected, seq, seq - expected);

    case PL_ANALYSIS_ACK_LOST_SEGMENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "ACKed segment that wasn't captured: ack %u is beyond seq %u, "
                                           "the end of what the other side was seen to send "
                                           "without a gap (%u byte never seen)",
                                           "ACKed segment that wasn't captured: ack %u is beyond seq %u, "
                                           "the end of what the other side was seen to send "
                                           "without a gap (%u bytes never seen)",
                                           frame->ack - d->rev_maxseqtobeacked),
                              ack, d->rev_maxseqtobeacked - rbase, frame->ack - d->rev_maxseqtobeacked);

    case PL_ANALYSIS_DUPLICATE_ACK:
      return g_strdup_printf (_("Duplicate ACK #%u of frame %u: ack %u again, no data, window unchanged"),
                              d->dupack_num, d->fwd_lastnondupack + 1, ack);

    case PL_ANALYSIS_ZERO_WINDOW:
      return g_strdup_printf (_("Zero window: the sender of this segment advertises a window of 0 bytes, "
                                "so the other side must stop sending after seq %u"),
                              ack);

    case PL_ANALYSIS_ZERO_WINDOW_PROBE:
      return g_strdup_printf (_("Zero window probe: 1 byte at the next expected seq %u while the "
                                "other side's window is 0 (frame %u)"),
                              seq, d->rev_last_frame + 1);

    case PL_ANALYSIS_ZERO_WINDOW_PROBE_ACK:
      return g_strdup_printf (_("Zero window probe ACK: answers the probe in frame %u with ack %u, "
                                "window still 0"),
                              d->rev_last_frame + 1, ack);

    case PL_ANALYSIS_WINDOW_FULL:
      return g_strdup_printf (_("Window full: the data ends at seq %u, the right edge of the window "
                                "the receiver gave (ack %u + window %u, frame %u)"),
                              seq + len, d->rev_lastack - fbase, d->rev_window, d->rev_last_frame + 1);

    case PL_ANALYSIS_WINDOW_UPDATE:
      return g_strdup_printf (_("Window update: window %u, was %u; seq %u and ack %u unchanged, no data"),
                              frame->win, d->fwd_window_calc, seq, ack);

    case PL_ANALYSIS_KEEP_ALIVE:
      if (len == 0)
        return g_strdup_printf (_("Keep-alive: no data at seq %u, one below the next expected seq %u"),
                                seq, expected);
      return g_strdup_printf (_("Keep-alive: 1 byte at seq %u, one below the next expected seq %u"),
                              seq, expected);

    case PL_ANALYSIS_KEEP_ALIVE_ACK:
      return g_strdup_printf (_("Keep-alive ACK: answers the keep-alive in frame %u with ack %u again, "
                                "window unchanged"),
                              d->rev_last_frame + 1, ack);

    case PL_ANALYSIS_REUSED_PORTS:
      {
        const PlTcpStream *prev = previous_stream_on_tuple (capture, stream);

        if ((frame->tcp_flags & (PL_TCP_SYN | PL_TCP_ACK)) == (PL_TCP_SYN | PL_TCP_ACK) &&
            (stream->peer[frame->dir].flags & PL_PEER_REBASED))
          return g_strdup_printf (_("TCP port numbers reused: a SYN-ACK with a new initial sequence "
                                    "number (raw seq %u), not the one the earlier segments from this "
                                    "side implied (raw %u): those belonged to an earlier connection "
                                    "on these ports, and relative numbers start again here"),
                                  frame->seq, stream->peer[frame->dir].first_base_seq);
        if (prev != NULL)
          return g_strdup_printf (_("TCP port numbers reused: a new SYN (raw seq %u) on the ports of "
                                    "stream %u, whose SYN had raw seq %u"),
                                  frame->seq, prev->index, prev->peer[0].base_seq);
        return g_strdup_printf (_("TCP port numbers reused: a new SYN (raw seq %u) on ports "
                                  "already in use"), frame->seq);
      }

    default:
      return NULL;
    }
}

guint
pl_tcp_analysis_explain (PlCapture   *capture,
                         guint        frame_index,
                         char      ***sentences,
                         guint16    **flags_out)
{
  PlTcpAnalysisReport report;
  const PlFrame *frame;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), 0);

  if (sentences != NULL)
    *sentences = NULL;
  if (flags_out != NULL)
    *flags_out = NULL;
  if (frame_index >= pl_capture_get_n_frames (capture))
    return 0;
  frame = pl_capture_get_frame (capture, frame_index);
  if (frame->stream == PL_NO_STREAM || frame->analysis == 0)
    return 0;
  if (!pl_tcp_analysis_replay (capture, frame_index, &report))
    return 0;
  return pl_tcp_analysis_explain_report (capture, frame_index, &report, sentences, flags_out);
}

guint
pl_tcp_analysis_explain_report (PlCapture                 *capture,
                                 guint                      frame_index,
                                 const PlTcpAnalysisReport *report,
                                 char                    ***sentences,
                                 guint16                  **flags_out)
{
  const PlFrame *frame;
  const PlTcpStream *stream;
  GPtrArray *out;
  guint16 *bits;
  guint i, n = 0;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), 0);
  g_return_val_if_fail (report != NULL, 0);

  if (sentences != NULL)
    *sentences = NULL;
  if (flags_out != NULL)
    *flags_out = NULL;
  if (frame_index >= pl_capture_get_n_frames (capture))
    return 0;
  frame = pl_capture_get_frame (capture, frame_index);
  if (frame->stream == PL_NO_STREAM || frame->analysis == 0)
    return 0;
  stream = pl_capture_get_stream (capture, frame->stream);

  out = g_ptr_array_new ();
  bits = g_new0 (guint16, PL_ANALYSIS_N_FLAGS);
  for (i = 0; i < PL_ANALYSIS_N_FLAGS; i++)
    {
      guint16 flag = (guint16) (1u << i);

      /* The stored flags are the truth; the replay gives the numbers. */
      if (!(frame->analysis & flag))
        continue;
      g_ptr_array_add (out, explain_one (capture, stream, frame, report, flag));
      bits[n++] = flag;
    }
  g_ptr_array_add (out, NULL);

  if (sentences != NULL)
    *sentences = (char **) g_ptr_array_free (out, FALSE);
  else
    g_strfreev ((char **) g_ptr_array_free (out, FALSE));
  if (flags_out != NULL)
    *flags_out = bits;
  else
    g_free (bits);
  return n;
}
