/* pl-ladder-layout.c: the geometry of a ladder diagram (see
 * pl-ladder-layout.h).
 *
 * One pass over the selected frame range makes the rows and, per stream,
 * bounds of its label widths; lifeline positions then follow from those
 * bounds, and a second pass over the rows places them vertically.  Label
 * widths are bounded without formatting or measuring every label: a label
 * is "[FLAGS] Seq=S Ack=A Win=W Len=L", so its width is the widest flags
 * text seen plus fixed parts plus digits, and digits are tabular in every
 * sans font we ship with.  Only rare text (SYN options, analysis marks,
 * folded transfers, brackets) is measured string by string, through a
 * cache keyed by the string with its digits zeroed.
 *
 * Arrow slope.  A single capture point records one time per segment; when
 * the segment reached the other end is not in the file.  Ending an arrow
 * at the receiver's next segment would invent causality (a burst of ten
 * segments would converge on one ACK), so every arrow drops by the same
 * small fixed amount in every spacing: it reads as "travels forward in
 * time", as in textbook figures, and never reaches the next row.
 *
 * Time spacing.  A row is never closer than one row pitch to the previous
 * one (labels must not overlap), and idle time longer than that is drawn
 * to scale.  The scale is chosen so the whole diagram is at most three
 * times as tall as the uniform one.  The compressed spacing first takes
 * out the long idle gaps (the top 2% of the gaps that are also over 50
 * times the median gap), draws each as a short break with its duration,
 * and scales the rest: one long pause no longer flattens everything else.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "pl-ladder-layout.h"
#include "pl-tls-table.h"
#include "pl-seq.h"
#include "pl-tcp-analysis.h"
#include "pl-tcp-state.h"
#include "pl-tcp-summary.h"

#define SCAN_LIMIT     65536   /* frames looked back for ACK arithmetic */
#define TIME_BUDGET    3.0     /* time spacing: at most this times uniform height */
#define CUT_BUDGET     2.0     /* compressed: what is left after the cuts */
#define CUT_QUANTILE   0.98    /* compressed: gaps above this quantile ... */
#define CUT_FACTOR     50.0    /* ... and this many times the median are cut */
#define MAX_LIFELINES  G_MAXUINT16

/* ------------------------------------------------------------------------
 * Text metrics.
 */

typedef struct
{
  PlTextMetrics parent;
  double        char_width;
} FixedMetrics;

static double
fixed_width (PlTextMetrics *self,
             PlTextRole     role,
             const char    *text,
             gssize         len)
{
  FixedMetrics *fixed = (FixedMetrics *) self;

  if (len < 0)
    len = strlen (text);
  return fixed->char_width * g_utf8_strlen (text, len);
}

static void
fixed_destroy (PlTextMetrics *self)
{
  g_free (self);
}

PlTextMetrics *
pl_text_metrics_new_fixed (double char_width,
                           double line_height)
{
  FixedMetrics *self = g_new0 (FixedMetrics, 1);
  guint i;

  self->parent.width = fixed_width;
  self->parent.destroy = fixed_destroy;
  self->parent.ref_count = 1;
  for (i = 0; i < PL_TEXT_N_ROLES; i++)
    self->parent.line_height[i] = line_height;
  self->char_width = char_width;
  return &self->parent;
}

PlTextMetrics *
pl_text_metrics_ref (PlTextMetrics *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pl_text_metrics_unref (PlTextMetrics *self)
{
  if (self != NULL && g_atomic_int_dec_and_test (&self->ref_count))
    self->destroy (self);
}

double
pl_text_metrics_width (PlTextMetrics *self,
                       PlTextRole     role,
                       const char    *text)
{
  return self->width (self, role, text, -1);
}

/* ------------------------------------------------------------------------
 * The layout.
 */

typedef struct
{
  guint16 ll[2];          /* lifelines of client and server; MAX: not shown */
  guint8  shown_states;   /* states at the last row shown */
  guint8  seen;           /* a row of this stream was made */
  guint8  next_known;     /* bit per side */
  guint32 next_seq[2];    /* per side: highest seq + len seen */
  guint32 last_ack[2];
  guint32 dup[2];         /* duplicate ACKs in a row per side */
  guint32 fold_end;       /* frames up to this one are in a folded row */
  guint32 max_num[6];     /* seq, ack, win, len as shown; raw seq, raw ack (numbers both) */
  double  flags_w;        /* widest flags text */
  double  extra_w;        /* widest folded label or details line */
  guint   fold_count;     /* index in self->folds of the open folded row, or G_MAXUINT */
  PlTcpReplay *replay;    /* explanations: the stream's replay, open until its last frame */
  guint32 prev_raw_win[2];/* explanations: each side's last raw window ... */
  guint8  win_known;      /* ... bit per side */
} StreamState;

/* What happened inside a folded transfer, for its label. */
typedef struct
{
  guint32 row;
  guint32 retransmissions;
  guint32 lost;           /* previous segment not captured */
  guint32 zero_windows;
} FoldCounts;

/* What --explain writes beside a row, as numbers (the words are made when
 * drawn): one per row, only when the option is on. */
typedef enum
{
  EXPLAIN_NEXT_SEQ  = 1 << 0,
  EXPLAIN_IN_FLIGHT = 1 << 1,
  EXPLAIN_ACK       = 1 << 2,   /* acknowledges something new */
  EXPLAIN_ACK_NONE  = 1 << 3,   /* a pure ACK acknowledging nothing new */
  EXPLAIN_ACK_SYN   = 1 << 4,
  EXPLAIN_ACK_FIN   = 1 << 5,
  EXPLAIN_RTT       = 1 << 6,
  EXPLAIN_WINDOW    = 1 << 7,
  EXPLAIN_FIRST_SYN = 1 << 8,
  EXPLAIN_FIRST_FIN = 1 << 9,
  EXPLAIN_FIRST_PSH = 1 << 10,
} ExplainBits;

typedef struct
{
  guint32 acked_first;    /* frames the ACK acknowledges for the first time */
  guint32 acked_last;
  guint32 acked_seq;      /* raw: their lowest seq */
  guint32 in_flight;
  guint32 push_bytes;
  guint32 note_first;     /* its notes, numbered from 1; 0 none */
  guint32 note_last;
  gint64  rtt_ns;
  guint16 bits;           /* ExplainBits */
} ExplainRow;

struct _PlLadderLayout
{
  PlLadderSelection *selection;
  PlCapture         *capture;
  guint              serial;
  PlLadderOptions    options;
  PlTextMetrics     *metrics;
  PlLadderGeometry   g;
  double             width;
  double             height;

  GArray            *lifelines;   /* PlLadderLifeline */
  GStringChunk      *strings;
  GArray            *rows;        /* PlLadderRow */
  GArray            *states;      /* PlLadderStateLabel */
  GArray            *brackets;    /* PlLadderBracketBox */
  GHashTable        *widths;      /* zeroed-digit string → double* */
  char             **flag_names;  /* 4096, made on demand */
  double            *flag_widths; /* 4096, of flag_names; < 0 until measured */
  gint64             t0;          /* time of the first row */
  double             pitch_base;  /* row pitch without details */
  double             details_h;
  double             explain_h;   /* per line of explanation */
  GArray            *explain;     /* ExplainRow per row, with options.explain */
  GArray            *folds;       /* FoldCounts per folded row, in row order */
  GHashTable        *explain_widths; /* ExplainShape → double*, with options.explain */
  GPtrArray         *notes;       /* the numbered notes ("1. Frame 23: ..."), with options.explain */
  GPtrArray         *note_lines;  /* the same wrapped to the ladder's width */
  double             notes_top;   /* top of the first note line */
  gint64             capture_t0;  /* time of the capture's first frame */
  guint              time_chars;  /* widest time shown, in characters */
};

static const char *
flags_text (PlLadderLayout *self,
            guint16         flags)
{
  flags &= 0x0fff;
  if (self->flag_names == NULL)
    self->flag_names = g_new0 (char *, 4096);
  if (self->flag_names[flags] == NULL)
    {
      g_autofree char *names = pl_tcp_flags_to_string (flags);

      self->flag_names[flags] = g_strdup_printf ("[%s]", *names ? names : "<None>");
    }
  return self->flag_names[flags];
}

static double cached_width (PlLadderLayout *self,
                            PlTextRole      role,
                            const char     *text);

/* The label width of a flags value: measured once per value, then read
 * for every row without making the text again. */
static double
flags_width (PlLadderLayout *self,
             guint16         flags)
{
  flags &= 0x0fff;
  if (self->flag_widths == NULL)
    {
      self->flag_widths = g_new (double, 4096);
      for (guint i = 0; i < 4096; i++)
        self->flag_widths[i] = -1;
    }
  if (self->flag_widths[flags] < 0)
    self->flag_widths[flags] = cached_width (self, PL_TEXT_LABEL, flags_text (self, flags));
  return self->flag_widths[flags];
}

/* Width of rare text, cached by shape: digits do not change widths. */
static double
cached_width (PlLadderLayout *self,
              PlTextRole      role,
              const char     *text)
{
  g_autofree char *key = g_strdup_printf ("%d%s", role, text);
  double *w;
  char *p;

  for (p = key + 1; *p; p++)
    if (g_ascii_isdigit (*p))
      *p = '0';
  w = g_hash_table_lookup (self->widths, key);
  if (w == NULL)
    {
      w = g_new (double, 1);
      *w = pl_text_metrics_width (self->metrics, role, text);
      g_hash_table_insert (self->widths, g_steal_pointer (&key), w);
    }
  return *w;
}

static guint
n_digits (guint64 v)
{
  guint n = 1;

  while (v >= 10)
    {
      v /= 10;
      n++;
    }
  return n;
}

static gboolean
is_pure_ack (const PlFrame *f)
{
  return f->payload_len == 0 &&
         (f->tcp_flags & PL_TCP_ACK) != 0 &&
         (f->tcp_flags & (PL_TCP_SYN | PL_TCP_FIN | PL_TCP_RST)) == 0;
}

static guint32
shown_seq (PlLadderLayout    *self,
           const PlTcpStream *stream,
           const PlFrame     *f)
{
  return self->options.numbers == PL_LADDER_NUMBERS_RAW ? f->seq : pl_tcp_stream_relative_seq (stream, f);
}

static guint32
shown_ack (PlLadderLayout    *self,
           const PlTcpStream *stream,
           const PlFrame     *f)
{
  return self->options.numbers == PL_LADDER_NUMBERS_RAW ? f->ack : pl_tcp_stream_relative_ack (stream, f);
}

static double
row_pitch (PlLadderLayout    *self,
           const PlLadderRow *row)
{
  return self->pitch_base + ((row->flags & PL_LADDER_ROW_DETAILS) ? self->details_h : 0) +
         row->n_explain * self->explain_h;
}

/* Lifelines: one per socket (or host), clients left of servers, each
 * group in order of first appearance. */
typedef struct
{
  char  *key;
  char  *label;
  guint8 side;
  guint  order;
} LifelineKey;

static void
lifeline_key_free (gpointer data)
{
  LifelineKey *k = data;

  g_free (k->key);
  g_free (k->label);
  g_free (k);
}

static gint
lifeline_key_compare (gconstpointer a,
                      gconstpointer b)
{
  const LifelineKey *ka = *(LifelineKey * const *) a;
  const LifelineKey *kb = *(LifelineKey * const *) b;

  if (ka->side != kb->side)
    return ka->side < kb->side ? -1 : 1;
  return ka->order < kb->order ? -1 : ka->order > kb->order;
}

static void
make_lifelines (PlLadderLayout *self,
                StreamState    *ss,
                guint           n_streams)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, lifeline_key_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  guint s, i;

  for (s = 0; s < n_streams; s++)
    {
      const PlTcpStream *stream;
      gboolean same_host;
      guint side;

      ss[s].ll[0] = ss[s].ll[1] = MAX_LIFELINES;
      if (!pl_ladder_selection_has_stream (self->selection, s))
        continue;
      stream = pl_capture_get_stream (self->capture, s);
      /* On loopback both ends are one host: keep them apart by role, or
       * every arrow would start and end on the same line. */
      same_host = stream->ep[0].version == stream->ep[1].version &&
                  memcmp (stream->ep[0].addr, stream->ep[1].addr, 16) == 0;

      for (side = 0; side < 2; side++)
        {
          char buf[64], addr[64];
          g_autofree char *key = NULL;
          LifelineKey *k;

          if (self->options.merge_hosts)
            {
              pl_ip_address_to_string (stream->ep[side].version, stream->ep[side].addr, addr, sizeof addr);
              key = same_host ? g_strdup_printf ("%s#%u", addr, side) : g_strdup (addr);
              strcpy (buf, addr);
            }
          else
            {
              pl_endpoint_to_string (&stream->ep[side], buf, sizeof buf);
              key = g_strdup (buf);
            }

          k = g_hash_table_lookup (keys, key);
          if (k == NULL)
            {
              if (g_hash_table_size (keys) >= MAX_LIFELINES)
                break;
              k = g_new0 (LifelineKey, 1);
              k->key = g_steal_pointer (&key);
              k->label = g_strdup (buf);
              k->side = side;
              k->order = order->len;
              g_hash_table_insert (keys, k->key, k);
              g_ptr_array_add (order, k);
            }
        }
    }

  g_ptr_array_sort (order, lifeline_key_compare);
  for (i = 0; i < order->len; i++)
    {
      LifelineKey *k = g_ptr_array_index (order, i);
      PlLadderLifeline ll = { 0 };

      k->order = i;
      ll.side = k->side;
      ll.label = g_string_chunk_insert_const (self->strings, k->label);
      /* Translators: under a lifeline's address in the ladder's head. */
      ll.sublabel = k->side == 0 ? _("client") : _("server");
      ll.head_width = MAX (pl_text_metrics_width (self->metrics, PL_TEXT_HEADER, ll.label),
                           pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, ll.sublabel)) + 20;
      g_array_append_val (self->lifelines, ll);
    }

  /* Second walk: each stream's two lifelines by their final index. */
  for (s = 0; s < n_streams; s++)
    {
      const PlTcpStream *stream;
      gboolean same_host;
      guint side;

      if (!pl_ladder_selection_has_stream (self->selection, s))
        continue;
      stream = pl_capture_get_stream (self->capture, s);
      same_host = stream->ep[0].version == stream->ep[1].version &&
                  memcmp (stream->ep[0].addr, stream->ep[1].addr, 16) == 0;
      for (side = 0; side < 2; side++)
        {
          char buf[64];
          g_autofree char *key = NULL;
          LifelineKey *k;

          if (self->options.merge_hosts)
            {
              pl_ip_address_to_string (stream->ep[side].version, stream->ep[side].addr, buf, sizeof buf);
              key = same_host ? g_strdup_printf ("%s#%u", buf, side) : g_strdup (buf);
            }
          else
            key = g_strdup (pl_endpoint_to_string (&stream->ep[side], buf, sizeof buf));
          k = g_hash_table_lookup (keys, key);
          if (k != NULL)
            ss[s].ll[side] = k->order;
        }
      if (ss[s].ll[0] == MAX_LIFELINES || ss[s].ll[1] == MAX_LIFELINES)
        ss[s].ll[0] = ss[s].ll[1] = MAX_LIFELINES;
    }
}

static void
add_state_label (PlLadderLayout *self,
                 guint           row,
                 guint16         lifeline,
                 PlTcpState      state,
                 gboolean        at_receive)
{
  PlLadderStateLabel label = { 0 };

  label.row = row;
  label.lifeline = lifeline;
  label.state = state;
  label.at_receive = at_receive;
  g_array_append_val (self->states, label);
}

/* Text of the marks of a row, for measuring: the painter draws each as a
 * pill of its colour, PILL_PAD wide on each side, PILL_GAP apart. */
#define PILL_PAD 4.0
#define PILL_GAP 6.0

static double
details_width (PlLadderLayout *self,
               guint           row_index)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, row_index);
  g_autoptr(GString) s = g_string_new (NULL);
  double w = 0;
  guint i;

  pl_ladder_layout_format_options (self, row_index, s);
  if (s->len > 0)
    w += cached_width (self, PL_TEXT_SMALL, s->str) + PILL_GAP;
  for (i = 0; i < PL_LADDER_N_MARKS; i++)
    {
      if (row->marks & (1u << i))
        {
          g_string_truncate (s, 0);
          pl_ladder_layout_format_mark (self, row_index, i, s);
          w += cached_width (self, PL_TEXT_SMALL, s->str) + 2 * PILL_PAD + PILL_GAP;
        }
    }
  return w > 0 ? w - PILL_GAP : 0;
}

static const PlLadderBracket *
bracket_at (PlLadderLayout *self,
            guint           index)
{
  return pl_ladder_selection_get_bracket (self->selection, index);
}

static gboolean
bracket_folds (PlLadderLayout *self,
               guint           index)
{
  const PlLadderBracket *b = bracket_at (self, index);

  return self->options.fold_http &&
         b->kind != PL_LADDER_BRACKET_TLS &&
         b->last_frame > b->first_frame &&
         !pl_ladder_selection_get_unfolded (self->selection, index);
}

/* ------------------------------------------------------------------------
 * Explanations (options.explain).
 *
 * One PlTcpReplay per stream, stepped over each of its frames once in
 * capture order as the rows are made, gives the numbers (tshark's
 * tcp.nxtseq, bytes in flight, push_bytes_sent, ack_rtt and what an ACK
 * acknowledges for the first time) and the analysis notes: the whole
 * diagram costs one walk of its streams, never a replay per frame.
 */

typedef struct
{
  gboolean seen_syn, seen_fin, seen_psh;
} ExplainFirsts;

/* A shown row's explanation, from the replay's report on its frame. */
static void
explain_row (PlLadderLayout            *self,
             guint                      row_index,
             const PlFrame             *f,
             const PlTcpAnalysisReport *report,
             ExplainFirsts             *firsts,
             gboolean                   win_changed)
{
  PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, row_index);
  ExplainRow e = { 0 };
  gboolean syn = (f->tcp_flags & PL_TCP_SYN) != 0, fin = (f->tcp_flags & PL_TCP_FIN) != 0;
  guint n = 0;

  e.acked_first = e.acked_last = PL_LADDER_NO_FRAME;
  e.rtt_ns = -1;

  if (row->flags & PL_LADDER_ROW_FOLDED)
    goto done;

  if (report != NULL && !(f->analysis & PL_ANALYSIS_LENGTH_UNKNOWN))
    {
      gboolean uses_seq = f->payload_len > 0 || syn || fin;

      if (uses_seq)
        {
          e.bits |= EXPLAIN_NEXT_SEQ;
          if (report->have_bytes_in_flight && f->payload_len > 0)
            {
              e.bits |= EXPLAIN_IN_FLIGHT;
              e.in_flight = report->bytes_in_flight;
            }
          n++;
        }
      if (f->tcp_flags & PL_TCP_ACK)
        {
          if (report->acked_first_frame != PL_ANALYSIS_NO_FRAME)
            {
              e.bits |= EXPLAIN_ACK;
              e.acked_first = report->acked_first_frame;
              e.acked_last = report->acked_last_frame;
              e.acked_seq = report->acked_seq;
              if (report->acked_syn)
                e.bits |= EXPLAIN_ACK_SYN;
              if (report->acked_fin)
                e.bits |= EXPLAIN_ACK_FIN;
              if (report->acks_frame != PL_ANALYSIS_NO_FRAME)
                {
                  e.bits |= EXPLAIN_RTT;
                  e.rtt_ns = report->ack_rtt_ns;
                }
              n++;
            }
          else if (!uses_seq)
            {
              e.bits |= EXPLAIN_ACK_NONE;
              n++;
            }
        }
      if (f->tcp_flags & PL_TCP_PSH && !firsts->seen_psh && report->have_push_bytes_sent)
        {
          e.bits |= EXPLAIN_FIRST_PSH;
          e.push_bytes = report->push_bytes_sent;
          firsts->seen_psh = TRUE;
          n++;
        }
    }

  /* The window when it changes (and each side's first). */
  if (win_changed)
    {
      e.bits |= EXPLAIN_WINDOW;
      n++;
    }
  if (syn && !firsts->seen_syn)
    {
      e.bits |= EXPLAIN_FIRST_SYN;
      firsts->seen_syn = TRUE;
      n++;
    }
  if (fin && !firsts->seen_fin)
    {
      e.bits |= EXPLAIN_FIRST_FIN;
      firsts->seen_fin = TRUE;
      n++;
    }

  /* The analysis flags, each a numbered note under the diagram. */
  if ((f->analysis & ((1u << PL_ANALYSIS_N_FLAGS) - 1)) != 0 && report != NULL)
    {
      g_auto(GStrv) sentences = NULL;
      guint k, count = pl_tcp_analysis_explain_report (self->capture, row->frame, report, &sentences, NULL);

      for (k = 0; k < count; k++)
        {
          /* Translators: a numbered note under an exported ladder: its
           * number, the frame, then the analysis in a sentence. */
          g_ptr_array_add (self->notes, g_strdup_printf (_("%u. Frame %u: %s"), self->notes->len + 1,
                                                         row->frame + 1, sentences[k]));
          if (e.note_first == 0)
            e.note_first = self->notes->len;
          e.note_last = self->notes->len;
        }
      if (e.note_first != 0)
        n++;
    }

done:
  row->n_explain = MIN (n, 255);
  g_array_append_val (self->explain, e);
}

/* The raw window field: the calculated one shifted back (a SYN's is
 * never scaled). */
static guint32
raw_window (const PlTcpStream *stream,
            const PlFrame     *f)
{
  gint8 scale = stream->peer[f->dir].wscale;

  return (!(f->tcp_flags & PL_TCP_SYN) && scale > 0) ? f->win >> scale : f->win;
}

/* Per side bookkeeping of explanations on every frame of a stream: TRUE
 * when the sender's window field changed (or is its first). */
static gboolean
explain_track (StreamState       *st,
               const PlTcpStream *stream,
               const PlFrame     *f)
{
  guint32 raw = raw_window (stream, f);
  gboolean changed = !(st->win_known & (1 << f->dir)) || st->prev_raw_win[f->dir] != raw;

  st->prev_raw_win[f->dir] = raw;
  st->win_known |= 1 << f->dir;
  return changed;
}

/* What decides the width of a row's explanation: which lines, the words
 * that vary (plurals, SYN/FIN), and the number of digits of each number.
 * Digits are tabular, so rows of one shape have one width: it is measured
 * once per shape, not formatted and measured per row (which cost most of
 * an explained layout). */
typedef struct
{
  guint16 bits;
  guint8  flags;
  gint8   scale;
  guint8  digits[16];
} ExplainShape;

static guint
explain_shape_hash (gconstpointer key)
{
  const guint8 *p = key;
  guint h = 2166136261u;

  for (gsize i = 0; i < sizeof (ExplainShape); i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

static gboolean
explain_shape_equal (gconstpointer a,
                     gconstpointer b)
{
  return memcmp (a, b, sizeof (ExplainShape)) == 0;
}

static void
explain_shape (PlLadderLayout   *self,
               guint             index,
               const ExplainRow *e,
               ExplainShape     *shape)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);
  const PlFrame *f = pl_capture_get_frame (self->capture, row->frame);
  const PlTcpStream *stream = pl_capture_get_stream (self->capture, f->stream);
  gboolean raw = self->options.numbers == PL_LADDER_NUMBERS_RAW;
  guint32 fbase = raw ? 0 : pl_tcp_stream_base_for (stream, f->dir, f);
  guint32 abase = raw ? 0 : pl_tcp_stream_base_for (stream, !f->dir, f);
  gboolean syn = (f->tcp_flags & PL_TCP_SYN) != 0, fin = (f->tcp_flags & PL_TCP_FIN) != 0;
  guint64 v[16] = { 0 };

  memset (shape, 0, sizeof *shape);
  shape->bits = e->bits;
  shape->flags = syn | (fin << 1) | ((e->acked_first == e->acked_last) << 2) | ((e->push_bytes == 1) << 3) |
                 ((e->note_first == e->note_last) << 4) | ((e->note_first != 0) << 5);
  shape->scale = (e->bits & EXPLAIN_WINDOW) ? stream->peer[f->dir].wscale : 0;
  if (e->bits & EXPLAIN_NEXT_SEQ)
    {
      v[0] = f->seq - fbase;
      v[1] = f->payload_len;
      v[2] = (guint32) (f->seq - fbase + f->payload_len + syn + fin);
      v[3] = e->in_flight;
    }
  if (e->bits & (EXPLAIN_ACK | EXPLAIN_ACK_NONE))
    {
      v[4] = f->ack - abase;
      if (e->bits & EXPLAIN_ACK)
        {
          v[5] = e->acked_seq - abase;
          v[6] = f->ack - e->acked_seq;
          v[7] = e->acked_first + 1;
          v[8] = e->acked_last + 1;
          v[9] = e->rtt_ns > 0 ? (guint64) (e->rtt_ns + 500) / 1000000 : 0;
        }
    }
  if (e->bits & EXPLAIN_WINDOW)
    {
      v[10] = f->win;
      v[11] = raw_window (stream, f);
    }
  v[12] = e->push_bytes;
  v[13] = e->note_first;
  v[14] = e->note_last;
  for (guint k = 0; k < G_N_ELEMENTS (v); k++)
    shape->digits[k] = n_digits (v[k]);
}

/* The widest line of a row's explanation. */
static double
explain_width (PlLadderLayout *self,
               guint           row_index)
{
  const ExplainRow *e = &g_array_index (self->explain, ExplainRow, row_index);
  ExplainShape shape;
  double *w;

  explain_shape (self, row_index, e, &shape);
  w = g_hash_table_lookup (self->explain_widths, &shape);
  if (w == NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;

      w = g_new0 (double, 1);
      pl_ladder_layout_format_explanation (self, row_index, text);
      lines = g_strsplit (text->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        *w = MAX (*w, pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, lines[i]));
      g_hash_table_insert (self->explain_widths, g_memdup2 (&shape, sizeof shape), w);
    }
  return *w;
}

static gboolean
explain_step (PlLadderLayout      *self,
              StreamState         *st,
              guint                stream_index,
              guint32              f,
              PlTcpAnalysisReport *report)
{
  const PlTcpStream *stream = pl_capture_get_stream (self->capture, stream_index);
  gboolean ok;

  if (st->replay == NULL)
    st->replay = pl_tcp_replay_new (self->capture, stream_index);
  ok = pl_tcp_replay_step (st->replay, f, report);
  /* Done with the stream: its replay's memory goes back at once. */
  if (f >= stream->last_frame)
    g_clear_pointer (&st->replay, pl_tcp_replay_free);
  return ok;
}

/* Whether the segment carries SACK blocks (option 5, RFC 2018), as the
 * loader noted it. */
static gboolean
has_sack (PlLadderLayout *self,
          guint32         index,
          const PlFrame  *f)
{
  return (f->tcp_flags & PL_TCP_ACK) && pl_capture_frame_has_sack (self->capture, index);
}

/* A frame inside a folded transfer: what its label counts.  The label is
 * measured again when a count changes (rarely: only flagged frames). */
static void
fold_count (PlLadderLayout *self,
            StreamState    *st,
            const PlFrame  *frame)
{
  FoldCounts *c = &g_array_index (self->folds, FoldCounts, st->fold_count);
  g_autoptr(GString) label = NULL;

  if (!(frame->analysis & (PL_ANALYSIS_RETRANSMISSION | PL_ANALYSIS_LOST_SEGMENT | PL_ANALYSIS_ZERO_WINDOW)))
    return;
  c->retransmissions += (frame->analysis & PL_ANALYSIS_RETRANSMISSION) != 0;
  c->lost += (frame->analysis & PL_ANALYSIS_LOST_SEGMENT) != 0;
  c->zero_windows += (frame->analysis & PL_ANALYSIS_ZERO_WINDOW) != 0;
  label = g_string_new (NULL);
  pl_ladder_layout_format_label (self, c->row, label);
  st->extra_w = MAX (st->extra_w, cached_width (self, PL_TEXT_LABEL, label->str));
}

static void
make_rows (PlLadderLayout *self,
           StreamState    *ss,
           guint           n_streams)
{
  guint n_frames = pl_capture_get_n_frames (self->capture);
  guint n_brackets = pl_ladder_selection_get_n_brackets (self->selection);
  guint32 first, last, f;
  guint bi = 0;
  ExplainFirsts firsts = { 0 };
  PlTcpAnalysisReport report;

  for (f = 0; f < n_streams; f++)
    ss[f].fold_count = G_MAXUINT;

  pl_ladder_selection_get_frames (self->selection, &first, &last);
  if (n_frames == 0 || first >= n_frames)
    return;
  last = MIN (last, n_frames - 1);

  /* Explanations of a frame range: the streams it shows are replayed from
   * their start, all of them in one walk of the frames before it. */
  if (self->options.explain)
    {
      guint32 start = first, s;

      for (s = 0; s < n_streams; s++)
        if (ss[s].ll[0] != MAX_LIFELINES)
          {
            const PlTcpStream *stream = pl_capture_get_stream (self->capture, s);

            if (stream->first_frame < start && stream->last_frame >= first)
              start = stream->first_frame;
          }
      for (f = start; f < first; f++)
        {
          const PlFrame *frame = pl_capture_get_frame (self->capture, f);

          if (!(frame->status & PL_FRAME_TCP) || frame->stream >= n_streams ||
              ss[frame->stream].ll[0] == MAX_LIFELINES ||
              pl_capture_get_stream (self->capture, frame->stream)->last_frame < first)
            continue;
          explain_step (self, &ss[frame->stream], frame->stream, f, &report);
          (void) explain_track (&ss[frame->stream], pl_capture_get_stream (self->capture, frame->stream), frame);
        }
    }

  for (f = first; f <= last; f++)
    {
      gboolean have_report = FALSE, win_changed = FALSE;
      const PlFrame *frame = pl_capture_get_frame (self->capture, f);
      const PlTcpStream *stream;
      StreamState *st;
      PlLadderRow row = { 0 };
      guint8 side = frame->dir;
      guint32 seq_end;
      guint16 dup_n = 0;
      guint32 gap = 0;
      gboolean state_change;

      if (!(frame->status & PL_FRAME_TCP) || frame->stream >= n_streams)
        continue;
      st = &ss[frame->stream];
      if (st->ll[0] == MAX_LIFELINES)
        continue;
      stream = pl_capture_get_stream (self->capture, frame->stream);

      if (self->options.explain)
        {
          have_report = explain_step (self, st, frame->stream, f, &report);
          win_changed = explain_track (st, stream, frame);
        }

      /* Per side bookkeeping on every frame, shown or not. */
      seq_end = frame->seq + frame->payload_len +
                ((frame->tcp_flags & (PL_TCP_SYN)) ? 1 : 0) +
                ((frame->tcp_flags & (PL_TCP_FIN)) ? 1 : 0);
      if ((st->next_known & (1 << side)) && PL_SEQ_GT (frame->seq, st->next_seq[side]))
        gap = frame->seq - st->next_seq[side];
      if (!(st->next_known & (1 << side)) || PL_SEQ_GT (seq_end, st->next_seq[side]))
        st->next_seq[side] = seq_end;
      st->next_known |= 1 << side;
      if (frame->analysis & PL_ANALYSIS_DUPLICATE_ACK)
        dup_n = ++st->dup[side];
      else if (frame->tcp_flags & PL_TCP_ACK)
        st->dup[side] = 0;

      /* Folded HTTP transfers. */
      while (bi < n_brackets && bracket_at (self, bi)->first_frame < f)
        bi++;
      if (f <= st->fold_end && st->seen)
        {
          if (st->fold_count != G_MAXUINT)
            fold_count (self, st, frame);
          continue;
        }
      /* A BPF filter's choice: the bookkeeping above still saw the frame,
       * so duplicate ACK numbers and gaps stay those of the whole stream. */
      if (!pl_ladder_selection_shows_frame (self->selection, f))
        continue;
      row.marks = pl_ladder_marks_from_analysis (frame->analysis);
      for (; bi < n_brackets && bracket_at (self, bi)->first_frame == f; bi++)
        {
          const PlLadderBracket *b = bracket_at (self, bi);

          if (b->stream == frame->stream && bracket_folds (self, bi))
            {
              st->fold_end = b->last_frame;
              row.flags |= PL_LADDER_ROW_FOLDED;
              row.aux = bi;
              row.marks = 0;
              bi++;
              break;
            }
        }

      state_change = self->options.show_states && frame->states != st->shown_states;
      if (self->options.hide_pure_acks && is_pure_ack (frame) &&
          row.marks == 0 && !state_change && !(row.flags & PL_LADDER_ROW_FOLDED))
        continue;

      row.frame = f;
      row.from = st->ll[side];
      row.to = st->ll[!side];
      if (!(row.flags & PL_LADDER_ROW_FOLDED))
        {
          if (is_pure_ack (frame))
            row.flags |= PL_LADDER_ROW_PURE_ACK;
          if (frame->tcp_flags & PL_TCP_SYN)
            row.flags |= PL_LADDER_ROW_SYN | PL_LADDER_ROW_DETAILS;
          else if (frame->payload_len > 0)
            {
              guint first_rec;

              if (pl_tls_table_find_records (pl_capture_get_tls_table (self->capture), f, &first_rec) > 0)
                row.flags |= PL_LADDER_ROW_TLS | PL_LADDER_ROW_DETAILS;
            }
          if (row.marks != 0)
            row.flags |= PL_LADDER_ROW_DETAILS;
          if (row.marks & PL_LADDER_MARK_DUP_ACK)
            row.aux = dup_n;
          else if (row.marks & PL_LADDER_MARK_GAP)
            row.aux = gap;
        }
      g_array_append_val (self->rows, row);
      st->seen = TRUE;
      st->fold_count = G_MAXUINT;
      if (row.flags & PL_LADDER_ROW_FOLDED)
        {
          FoldCounts counts = { self->rows->len - 1, 0, 0, 0 };

          st->fold_count = self->folds->len;
          g_array_append_val (self->folds, counts);
          fold_count (self, st, frame);
        }
      if (self->options.explain)
        explain_row (self, self->rows->len - 1, frame, have_report ? &report : NULL, &firsts, win_changed);

      if (state_change)
        {
          guint s2;

          for (s2 = 0; s2 < 2; s2++)
            {
              PlTcpState now = pl_tcp_state_unpack (frame->states, s2);

              if (now != pl_tcp_state_unpack (st->shown_states, s2) && now != PL_TCP_STATE_UNKNOWN)
                add_state_label (self, self->rows->len - 1, st->ll[s2], now, s2 != side);
            }
          st->shown_states = frame->states;
        }

      /* Bounds for the label width. */
      if (row.flags & PL_LADDER_ROW_FOLDED)
        {
          const PlLadderBracket *b = bracket_at (self, row.aux);

          st->extra_w = MAX (st->extra_w, cached_width (self, PL_TEXT_LABEL,
                                                        b->fold_label ? b->fold_label : b->label));
        }
      else
        {
          guint32 v[6];
          guint k;

          v[0] = shown_seq (self, stream, frame);
          v[1] = (frame->tcp_flags & PL_TCP_ACK) ? shown_ack (self, stream, frame) : 0;
          v[2] = frame->win;
          v[3] = frame->payload_len;
          v[4] = self->options.numbers == PL_LADDER_NUMBERS_BOTH ? frame->seq : 0;
          v[5] = self->options.numbers == PL_LADDER_NUMBERS_BOTH && (frame->tcp_flags & PL_TCP_ACK) ? frame->ack : 0;
          for (k = 0; k < 6; k++)
            st->max_num[k] = MAX (st->max_num[k], v[k]);
          /* The flags text is short and varies little: measured per
           * distinct value through the cache. */
          st->flags_w = MAX (st->flags_w, flags_width (self, frame->tcp_flags));
          /* SACK blocks (rare, after a loss): the whole label measured. */
          if (has_sack (self, f, frame))
            {
              g_autoptr(GString) label = g_string_new (NULL);

              pl_ladder_layout_format_label (self, self->rows->len - 1, label);
              if (strstr (label->str, " SLE=") != NULL)
                st->extra_w = MAX (st->extra_w, cached_width (self, PL_TEXT_LABEL, label->str));
            }
          if (row.flags & PL_LADDER_ROW_DETAILS)
            st->extra_w = MAX (st->extra_w, details_width (self, self->rows->len - 1));
          if (g_array_index (self->rows, PlLadderRow, self->rows->len - 1).n_explain > 0)
            st->extra_w = MAX (st->extra_w, explain_width (self, self->rows->len - 1));
        }
    }

  for (f = 0; f < n_streams; f++)
    g_clear_pointer (&ss[f].replay, pl_tcp_replay_free);
}

typedef struct
{
  guint  a, b;            /* lifelines, a < b */
  double need;            /* distance the labels between them need */
} Constraint;

static gint
constraint_compare (gconstpointer pa,
                    gconstpointer pb)
{
  const Constraint *ca = pa, *cb = pb;

  return ca->b < cb->b ? -1 : ca->b > cb->b;
}

/* Left to right, each lifeline as close to the previous one as its head,
 * the state labels and every label ending on it allow: the constraints
 * only point right, so one pass in index order solves them. */
static void
place_lifelines (PlLadderLayout *self,
                 StreamState    *ss,
                 guint           n_streams,
                 double          left,
                 double          state_w)
{
  guint n = self->lifelines->len;
  g_autofree double *x = g_new0 (double, MAX (n, 1));
  double digit = pl_text_metrics_width (self->metrics, PL_TEXT_LABEL, "0000000000") / 10;
  double fixed = pl_text_metrics_width (self->metrics, PL_TEXT_LABEL, " Seq= Ack= Win= Len=");
  double both_w = pl_text_metrics_width (self->metrics, PL_TEXT_LABEL, " () ()");
  double ports_w = pl_text_metrics_width (self->metrics, PL_TEXT_LABEL, "00000 \342\206\222 00000 ");
  double pad = 2 * self->g.label_h;
  g_autoptr(GArray) cons = g_array_new (FALSE, FALSE, sizeof (Constraint));
  guint s, j, c = 0;

  if (n == 0)
    return;

  for (s = 0; s < n_streams; s++)
    {
      StreamState *st = &ss[s];
      Constraint con;
      double label;

      if (st->ll[0] == MAX_LIFELINES || !st->seen || st->ll[0] == st->ll[1])
        continue;
      label = st->flags_w + fixed +
              digit * (n_digits (st->max_num[0]) + n_digits (st->max_num[1]) +
                       n_digits (st->max_num[2]) + n_digits (st->max_num[3]));
      if (self->options.numbers == PL_LADDER_NUMBERS_BOTH)
        label += both_w + digit * (n_digits (st->max_num[4]) + n_digits (st->max_num[5]));
      if (self->options.merge_hosts)
        label += ports_w;
      con.a = MIN (st->ll[0], st->ll[1]);
      con.b = MAX (st->ll[0], st->ll[1]);
      con.need = MAX (label, st->extra_w) + pad;
      g_array_append_val (cons, con);
    }
  g_array_sort (cons, constraint_compare);

  x[0] = left;
  for (j = 1; j < n; j++)
    {
      const PlLadderLifeline *prev = &g_array_index (self->lifelines, PlLadderLifeline, j - 1);
      const PlLadderLifeline *cur = &g_array_index (self->lifelines, PlLadderLifeline, j);
      double gap = (prev->head_width + cur->head_width) / 2 + 16;

      /* A state written on the inner side of a middle lifeline. */
      if (state_w > 0 && (cur->side == 0 || prev->side == 1))
        gap = MAX (gap, state_w + 24);
      x[j] = x[j - 1] + gap;
      for (; c < cons->len && g_array_index (cons, Constraint, c).b == j; c++)
        {
          const Constraint *con = &g_array_index (cons, Constraint, c);

          x[j] = MAX (x[j], x[con->a] + con->need);
        }
    }

  for (j = 0; j < n; j++)
    g_array_index (self->lifelines, PlLadderLifeline, j).x = x[j];
}

static guint
count_rows_before (PlLadderLayout *self,
                   guint32         frame)
{
  guint lo = 0, hi = self->rows->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->rows, PlLadderRow, mid).frame < frame)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Total height of the rows when idle time is drawn at px_per_ns; cut
 * gaps (dt < 0) count as their pitch. */
static double
time_total (const double *pitch,
            const double *dt,
            guint         n,
            double        scale)
{
  double total = 0;
  guint i;

  for (i = 0; i < n; i++)
    total += MAX (pitch[i], dt[i] * scale);
  return total;
}

static inline void
swap_double (double *a,
             double *b)
{
  double t = *a;

  *a = *b;
  *b = t;
}

/* Rearranges v[lo..hi] so that v[k] holds the value of rank k, smaller
 * ones before it and larger ones after (Hoare's quickselect, median of
 * three): expected linear time, where sorting a million gaps to read two
 * quantiles cost most of the compressed layout. */
static void
select_rank (double *v,
             guint   lo,
             guint   hi,
             guint   k)
{
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      double pivot;
      guint i = lo, j = hi;

      /* Median of three as the pivot. */
      if (v[mid] < v[lo])
        swap_double (&v[mid], &v[lo]);
      if (v[hi] < v[lo])
        swap_double (&v[hi], &v[lo]);
      if (v[hi] < v[mid])
        swap_double (&v[hi], &v[mid]);
      pivot = v[mid];

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              swap_double (&v[i], &v[j]);
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      /* Now v[lo..j] <= pivot <= v[i..hi], and j < i. */
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return;
    }
}

/* Marks the long idle gaps of dt as cut (negative). */
static void
cut_idle_gaps (double *dt,
               guint   n)
{
  g_autofree double *sorted = NULL;
  guint i, m = 0;
  double threshold;

  sorted = g_new (double, MAX (n, 1));
  for (i = 0; i < n; i++)
    if (dt[i] > 0)
      sorted[m++] = dt[i];
  if (m < 2)
    return;
  /* Two order statistics, no sort: the median first, then the quantile
   * (at or above the median's rank) within the upper part only. */
  {
    guint median = m / 2;
    guint quantile = (guint) (CUT_QUANTILE * (m - 1));

    select_rank (sorted, 0, m - 1, median);
    if (quantile > median)
      select_rank (sorted, median + 1, m - 1, quantile);
    threshold = MAX (sorted[quantile], CUT_FACTOR * sorted[median]);
  }
  for (i = 0; i < n; i++)
    if (dt[i] > threshold)
      dt[i] = -dt[i];
}

static void
place_rows (PlLadderLayout *self)
{
  PlLadderRow *rows = (PlLadderRow *) (gpointer) self->rows->data;
  guint n = self->rows->len;
  double y = self->g.rows_top + self->g.above;
  gboolean timed = self->options.spacing != PL_LADDER_SPACING_UNIFORM;
  gboolean compressed = self->options.spacing == PL_LADDER_SPACING_COMPRESSED;
  g_autofree double *pitch = NULL;
  g_autofree double *dt = NULL;
  double scale = 0;
  guint i;

  if (n == 0)
    return;
  self->t0 = pl_capture_get_frame (self->capture, rows[0].frame)->ts_ns;

  if (timed && n > 1)
    {
      double uniform = 0, lo, hi, positive_min = G_MAXDOUBLE;
      double budget = compressed ? CUT_BUDGET : TIME_BUDGET;
      guint iter;

      pitch = g_new (double, n - 1);
      dt = g_new (double, n - 1);
      for (i = 0; i + 1 < n; i++)
        {
          gint64 a = pl_capture_get_frame (self->capture, rows[i].frame)->ts_ns;
          gint64 b = pl_capture_get_frame (self->capture, rows[i + 1].frame)->ts_ns;

          pitch[i] = row_pitch (self, &rows[i]);
          dt[i] = b > a ? (double) (b - a) : 0;
          uniform += pitch[i];
          if (dt[i] > 0)
            positive_min = MIN (positive_min, dt[i]);
        }
      if (compressed)
        cut_idle_gaps (dt, n - 1);

      /* Bisection on a log scale: the total grows with the scale. */
      if (positive_min < G_MAXDOUBLE)
        {
          lo = 1e-12;
          hi = 4 * self->pitch_base / positive_min;
          if (time_total (pitch, dt, n - 1, hi) <= budget * uniform)
            scale = hi;
          else
            {
              for (iter = 0; iter < 48; iter++)
                {
                  double mid = sqrt (lo * hi);

                  if (time_total (pitch, dt, n - 1, mid) > budget * uniform)
                    hi = mid;
                  else
                    lo = mid;
                }
              scale = lo;
            }
        }
      self->g.px_per_ns = scale;
    }

  for (i = 0; i < n; i++)
    {
      rows[i].y = y;
      if (i + 1 < n)
        {
          double step = row_pitch (self, &rows[i]);

          if (timed && dt != NULL)
            {
              if (dt[i] < 0)
                {
                  step += self->g.break_h;
                  rows[i + 1].flags |= PL_LADDER_ROW_BREAK;
                }
              else
                step = MAX (step, dt[i] * scale);
            }
          y += step;
        }
    }
}

static void
place_states (PlLadderLayout *self)
{
  guint i;

  for (i = 0; i < self->states->len; i++)
    {
      PlLadderStateLabel *label = &g_array_index (self->states, PlLadderStateLabel, i);
      const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, label->row);
      const PlLadderLifeline *ll = &g_array_index (self->lifelines, PlLadderLifeline, label->lifeline);

      label->y = row->y + (label->at_receive ? self->g.drop : 0);
      label->align_right = ll->side == 0;
      label->x = ll->x + (label->align_right ? -8 : 8);
    }
}

/* The y span of a bracket's shown rows, or FALSE when none is shown. */
static gboolean
bracket_span (PlLadderLayout        *self,
              const PlLadderBracket *b,
              double                *y0,
              double                *y1)
{
  guint r = count_rows_before (self, b->first_frame);
  gboolean found = FALSE;
  guint scanned = 0;

  /* A folded row starts at the bracket's first frame and is all of it. */
  for (; r < self->rows->len && scanned < SCAN_LIMIT; r++, scanned++)
    {
      const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, r);
      const PlFrame *f;

      if (row->frame > b->last_frame)
        break;
      f = pl_capture_get_frame (self->capture, row->frame);
      /* An HTTP message is one side's; a TLS handshake both sides'. */
      if (f->stream != b->stream ||
          (f->dir != b->dir && b->kind != PL_LADDER_BRACKET_TLS && !(row->flags & PL_LADDER_ROW_FOLDED)))
        continue;
      if (!found)
        *y0 = row->y;
      *y1 = row->y + self->g.drop;
      found = TRUE;
    }
  return found;
}

static void
place_brackets (PlLadderLayout *self,
                double          x0,
                double         *right)
{
  guint n = pl_ladder_selection_get_n_brackets (self->selection);
  g_autoptr(GArray) lane_end = g_array_new (FALSE, TRUE, sizeof (double));
  double label_bottom = -G_MAXDOUBLE;
  double lane_w = 12;
  guint i, n_lanes;

  *right = x0;
  for (i = 0; i < n; i++)
    {
      const PlLadderBracket *b = bracket_at (self, i);
      PlLadderBracketBox box = { 0 };
      guint lane;

      if (!pl_ladder_selection_has_stream (self->selection, b->stream))
        continue;
      if (!bracket_span (self, b, &box.y0, &box.y1))
        continue;
      for (lane = 0; lane < lane_end->len; lane++)
        if (g_array_index (lane_end, double, lane) < box.y0 - 4)
          break;
      if (lane == lane_end->len)
        g_array_set_size (lane_end, lane + 1);
      g_array_index (lane_end, double, lane) = box.y1;
      box.bracket = i;
      box.lane = lane;
      box.label_width = cached_width (self, PL_TEXT_LABEL, b->label);
      box.label_height = self->g.label_h;
      if (b->detail != NULL)
        {
          box.label_width = MAX (box.label_width, cached_width (self, PL_TEXT_SMALL, b->detail));
          box.label_height += self->g.small_h;
        }
      g_array_append_val (self->brackets, box);
    }

  n_lanes = MAX (lane_end->len, 1);
  for (i = 0; i < self->brackets->len; i++)
    {
      PlLadderBracketBox *box = &g_array_index (self->brackets, PlLadderBracketBox, i);

      box->x = x0 + lane_w * box->lane + 4;
      box->label_x = x0 + lane_w * n_lanes + 10;
      /* Labels stack downwards so short brackets never overlap theirs. */
      box->label_y = MAX (box->y0 - self->g.label_h / 2, label_bottom + 4);
      label_bottom = box->label_y + box->label_height;
      *right = MAX (*right, box->label_x + box->label_width);
    }
  if (self->brackets->len > 0)
    self->height = MAX (self->height, label_bottom + self->g.margin);
}

/* The stories of the closes shown, as notes after the analysis ones. */
static void
add_teardown_notes (PlLadderLayout *self,
                    StreamState    *ss,
                    guint           n_streams)
{
  guint32 first, last;
  guint s;

  pl_ladder_selection_get_frames (self->selection, &first, &last);
  for (s = 0; s < n_streams; s++)
    {
      PlTcpSummary summary;
      g_autofree char *story = NULL;
      guint32 fin;

      if (ss[s].ll[0] == MAX_LIFELINES || !ss[s].seen)
        continue;
      pl_tcp_summary_compute (self->capture, s, &summary);
      if (summary.first_closer < 0)
        continue;
      fin = summary.fin_frame[summary.first_closer];
      /* Only when the diagram shows the close. */
      if (fin == PL_NO_FRAME || fin < first || fin > last)
        continue;
      story = pl_tcp_summary_describe_teardown (self->capture, s, &summary);
      if (story == NULL)
        continue;
      /* Translators: a numbered note under an exported ladder: its number,
       * the stream, then how its connection was closed. */
      g_ptr_array_add (self->notes, g_strdup_printf (_("%u. Stream %u: %s"), self->notes->len + 1, s, story));
    }
}

/* The note's words, a word wider than the measure (a sentence in a
 * language written without spaces) cut into pieces that fit. */
static char **
split_words (PlLadderLayout *self,
             const char     *note,
             double          measure)
{
  g_auto(GStrv) words = g_strsplit (note, " ", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint k = 0; words[k] != NULL; k++)
    {
      const char *w = words[k];

      while (*w != '\0' && pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, w) > measure)
        {
          const char *end = w;
          g_autofree char *piece = NULL;

          /* The longest prefix that fits, one character at least. */
          do
            {
              g_free (piece);
              end = g_utf8_next_char (end);
              piece = g_strndup (w, end - w);
            }
          while (*end != '\0' && pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, piece) <= measure);
          if (end > g_utf8_next_char (w) && pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, piece) > measure)
            end = g_utf8_prev_char (end);
          g_ptr_array_add (out, g_strndup (w, end - w));
          w = end;
        }
      g_ptr_array_add (out, g_strdup (w));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* Notes under the diagram, wrapped to its width (at least a readable
 * measure), one line each. */
static void
place_notes (PlLadderLayout *self)
{
  double measure = MAX (self->width - 2 * self->g.margin, 560);
  guint i;

  for (i = 0; i < self->notes->len; i++)
    {
      const char *note = g_ptr_array_index (self->notes, i);
      g_auto(GStrv) words = NULL;
      g_autoptr(GString) line = g_string_new (NULL);
      guint k;

      if (pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, note) <= measure)
        {
          g_ptr_array_add (self->note_lines, g_strdup (note));
          continue;
        }
      words = split_words (self, note, measure);
      for (k = 0; words[k] != NULL; k++)
        {
          gsize before = line->len;

          if (line->len > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, words[k]);
          if (before > 0 && pl_text_metrics_width (self->metrics, PL_TEXT_SMALL, line->str) > measure)
            {
              g_string_truncate (line, before);
              g_ptr_array_add (self->note_lines, g_strdup (line->str));
              /* Continuation lines indented under the text. */
              g_string_assign (line, "    ");
              g_string_append (line, words[k]);
            }
        }
      if (line->len > 0)
        g_ptr_array_add (self->note_lines, g_string_free (g_steal_pointer (&line), FALSE));
    }

  self->notes_top = self->height - self->g.margin + self->g.label_h;
  self->height = self->notes_top + self->g.label_h + 4 + self->note_lines->len * self->g.small_h + self->g.margin;
  self->width = MAX (self->width, measure + 2 * self->g.margin);
}

/* A row's time as shown, in nanoseconds (not the clock). */
static gint64
row_time_ns (PlLadderLayout *self,
             guint32         frame)
{
  const PlFrame *f = pl_capture_get_frame (self->capture, frame);

  switch (self->options.time_mode)
    {
    case PL_LADDER_TIME_STREAM:
      return f->ts_ns - pl_capture_get_stream (self->capture, f->stream)->first_ts_ns;
    case PL_LADDER_TIME_DELTA:
      return frame == 0 ? 0 : f->ts_ns - pl_capture_get_frame (self->capture, frame - 1)->ts_ns;
    case PL_LADDER_TIME_EPOCH:
      return f->ts_ns;
    case PL_LADDER_TIME_CLOCK:
    case PL_LADDER_TIME_CAPTURE:
    default:
      return f->ts_ns - self->capture_t0;
    }
}

/* The widest time of the rows, in characters. */
static guint
time_chars (PlLadderLayout *self)
{
  guint64 max = 0;
  gboolean negative = FALSE;
  guint i;

  if (self->options.time_mode == PL_LADDER_TIME_CLOCK)
    return strlen ("00:00:00.000000");
  for (i = 0; i < self->rows->len; i++)
    {
      gint64 t = row_time_ns (self, g_array_index (self->rows, PlLadderRow, i).frame);
      guint64 mag = t < 0 ? (guint64) -(t + 1) + 1 : (guint64) t;

      negative |= t < 0;
      max = MAX (max, mag);
    }
  return n_digits (max / 1000000000) + 7 + (negative ? 1 : 0);
}

static void
pl_ladder_layout_build (PlLadderLayout *self)
{
  guint n_streams = pl_capture_get_n_streams (self->capture);
  g_autofree StreamState *ss = g_new0 (StreamState, MAX (n_streams, 1));
  PlLadderGeometry *g = &self->g;
  PlTextMetrics *m = self->metrics;
  double digit_small = pl_text_metrics_width (m, PL_TEXT_SMALL, "0000000000") / 10;
  double state_w = 0, x, right, last_y = 0;
  guint32 max_frame = 0;
  guint i;

  g->margin = 20;
  g->label_h = m->line_height[PL_TEXT_LABEL];
  g->small_h = m->line_height[PL_TEXT_SMALL];
  g->header_h = m->line_height[PL_TEXT_HEADER];
  g->above = g->label_h + 3;
  g->drop = round (g->label_h * 0.6);
  g->below = round (g->label_h * 0.55);
  g->break_h = 2 * g->label_h;
  g->head_top = g->margin;
  g->head_h = g->header_h + g->small_h + 12;
  g->rows_top = g->head_top + g->head_h + g->label_h;
  self->details_h = g->small_h + 3;
  self->explain_h = g->small_h + 1;
  self->pitch_base = g->above + g->drop + g->below;
  if (pl_capture_get_n_frames (self->capture) > 0)
    self->capture_t0 = pl_capture_get_frame (self->capture, 0)->ts_ns;

  make_lifelines (self, ss, n_streams);
  make_rows (self, ss, n_streams);
  if (self->options.explain)
    add_teardown_notes (self, ss, n_streams);

  /* Left columns: ruler, frame numbers, times. */
  if (self->rows->len > 0)
    {
      const PlLadderRow *last = &g_array_index (self->rows, PlLadderRow, self->rows->len - 1);

      max_frame = last->frame + 1;
    }
  x = g->margin;
  if (self->options.spacing != PL_LADDER_SPACING_UNIFORM)
    {
      g->ruler_x = x + pl_text_metrics_width (m, PL_TEXT_SMALL, "000.000 ms") + 6;
      x = g->ruler_x + 14;
    }
  /* The numbers' column is as wide as its title at least; the times start
   * a clear gap after it, or "1" and "0.000000" would read "10.000000". */
  g->number_x = x + MAX (digit_small * n_digits (max_frame),
                         pl_text_metrics_width (m, PL_TEXT_SMALL, C_("ladder column", "No.")));
  self->time_chars = time_chars (self);
  g->time_x = g->number_x + MAX (12, 2 * digit_small) +
              MAX (digit_small * self->time_chars,
                   pl_text_metrics_width (m, PL_TEXT_SMALL, pl_ladder_layout_get_time_title (self, FALSE)));
  g->gutter_right = g->time_x + 8;
  x = g->time_x + 16;

  if (self->options.show_states)
    for (i = PL_TCP_STATE_CLOSED; i <= PL_TCP_STATE_LAST_ACK; i++)
      state_w = MAX (state_w, pl_text_metrics_width (m, PL_TEXT_SMALL, pl_tcp_state_to_string (i)) + 8);

  if (self->lifelines->len > 0)
    {
      const PlLadderLifeline *first = &g_array_index (self->lifelines, PlLadderLifeline, 0);
      const PlLadderLifeline *lastl = &g_array_index (self->lifelines, PlLadderLifeline, self->lifelines->len - 1);
      double left_need = first->head_width / 2;
      double right_need = lastl->head_width / 2;

      if (first->side == 0)
        left_need = MAX (left_need, state_w + 10);
      if (lastl->side == 1)
        right_need = MAX (right_need, state_w + 10);
      place_lifelines (self, ss, n_streams, x + left_need, state_w);
      lastl = &g_array_index (self->lifelines, PlLadderLifeline, self->lifelines->len - 1);
      g->lifelines_left = g_array_index (self->lifelines, PlLadderLifeline, 0).x;
      g->lifelines_right = lastl->x;
      x = lastl->x + right_need;
    }
  else
    {
      g->lifelines_left = g->lifelines_right = x;
    }

  place_rows (self);
  place_states (self);

  if (self->rows->len > 0)
    {
      const PlLadderRow *lastr = &g_array_index (self->rows, PlLadderRow, self->rows->len - 1);

      last_y = lastr->y + g->drop + ((lastr->flags & PL_LADDER_ROW_DETAILS) ? self->details_h : 0) +
               lastr->n_explain * self->explain_h + g->below;
    }
  else
    last_y = g->rows_top;
  self->height = last_y + g->margin;

  g->brackets_x = x + 12;
  place_brackets (self, g->brackets_x, &right);
  self->width = MAX (x, right) + g->margin;

  if (self->notes != NULL && self->notes->len > 0)
    place_notes (self);
}

PlLadderLayout *
pl_ladder_layout_new (PlLadderSelection     *selection,
                      const PlLadderOptions *options,
                      PlTextMetrics         *metrics)
{
  PlLadderLayout *self;

  g_return_val_if_fail (selection != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (metrics != NULL, NULL);

  self = g_atomic_rc_box_new0 (PlLadderLayout);
  self->selection = pl_ladder_selection_ref (selection);
  self->capture = pl_ladder_selection_get_capture (selection);
  self->serial = pl_ladder_selection_get_serial (selection);
  self->options = *options;
  self->metrics = pl_text_metrics_ref (metrics);
  self->lifelines = g_array_new (FALSE, TRUE, sizeof (PlLadderLifeline));
  self->strings = g_string_chunk_new (1024);
  self->rows = g_array_new (FALSE, TRUE, sizeof (PlLadderRow));
  self->states = g_array_new (FALSE, TRUE, sizeof (PlLadderStateLabel));
  self->brackets = g_array_new (FALSE, TRUE, sizeof (PlLadderBracketBox));
  self->widths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->folds = g_array_new (FALSE, TRUE, sizeof (FoldCounts));
  if (self->options.explain)
    {
      self->explain = g_array_new (FALSE, TRUE, sizeof (ExplainRow));
      self->explain_widths = g_hash_table_new_full (explain_shape_hash, explain_shape_equal, g_free, g_free);
      self->notes = g_ptr_array_new_with_free_func (g_free);
      self->note_lines = g_ptr_array_new_with_free_func (g_free);
    }

  pl_ladder_layout_build (self);
  return self;
}

PlLadderLayout *
pl_ladder_layout_ref (PlLadderLayout *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
layout_clear (gpointer data)
{
  PlLadderLayout *self = data;
  guint i;

  if (self->flag_names != NULL)
    for (i = 0; i < 4096; i++)
      g_free (self->flag_names[i]);
  g_free (self->flag_names);
  g_free (self->flag_widths);
  g_hash_table_unref (self->widths);
  g_clear_pointer (&self->explain, g_array_unref);
  g_clear_pointer (&self->explain_widths, g_hash_table_unref);
  g_clear_pointer (&self->folds, g_array_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->note_lines, g_ptr_array_unref);
  g_array_unref (self->brackets);
  g_array_unref (self->states);
  g_array_unref (self->rows);
  g_string_chunk_free (self->strings);
  g_array_unref (self->lifelines);
  pl_text_metrics_unref (self->metrics);
  pl_ladder_selection_unref (self->selection);
}

void
pl_ladder_layout_unref (PlLadderLayout *self)
{
  g_atomic_rc_box_release_full (self, layout_clear);
}

gboolean
pl_ladder_layout_ensure (PlLadderLayout       **layout,
                         PlLadderSelection     *selection,
                         const PlLadderOptions *options,
                         PlTextMetrics         *metrics)
{
  PlLadderLayout *old = *layout;

  if (old != NULL &&
      old->selection == selection &&
      old->serial == pl_ladder_selection_get_serial (selection) &&
      old->metrics == metrics &&
      pl_ladder_options_equal (&old->options, options))
    return FALSE;

  *layout = pl_ladder_layout_new (selection, options, metrics);
  if (old != NULL)
    pl_ladder_layout_unref (old);
  return TRUE;
}

PlLadderSelection *
pl_ladder_layout_get_selection (PlLadderLayout *self)
{
  return self->selection;
}

const PlLadderOptions *
pl_ladder_layout_get_options (PlLadderLayout *self)
{
  return &self->options;
}

PlTextMetrics *
pl_ladder_layout_get_metrics (PlLadderLayout *self)
{
  return self->metrics;
}

const PlLadderGeometry *
pl_ladder_layout_get_geometry (PlLadderLayout *self)
{
  return &self->g;
}

double
pl_ladder_layout_get_width (PlLadderLayout *self)
{
  return self->width;
}

double
pl_ladder_layout_get_height (PlLadderLayout *self)
{
  return self->height;
}

guint
pl_ladder_layout_get_n_lifelines (PlLadderLayout *self)
{
  return self->lifelines->len;
}

const PlLadderLifeline *
pl_ladder_layout_get_lifeline (PlLadderLayout *self,
                               guint           index)
{
  g_return_val_if_fail (index < self->lifelines->len, NULL);
  return &g_array_index (self->lifelines, PlLadderLifeline, index);
}

guint
pl_ladder_layout_get_n_rows (PlLadderLayout *self)
{
  return self->rows->len;
}

const PlLadderRow *
pl_ladder_layout_get_row (PlLadderLayout *self,
                          guint           index)
{
  g_return_val_if_fail (index < self->rows->len, NULL);
  return &g_array_index (self->rows, PlLadderRow, index);
}

void
pl_ladder_layout_get_row_band (PlLadderLayout *self,
                               guint           index,
                               double         *top,
                               double         *bottom)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);

  *top = row->y - self->g.above;
  *bottom = row->y + self->g.drop + 3 +
            ((row->flags & PL_LADDER_ROW_DETAILS) ? self->details_h : 0) +
            row->n_explain * self->explain_h;
}

void
pl_ladder_layout_get_row_rect (PlLadderLayout *self,
                               guint           index,
                               PlLadderRect   *rect)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);
  double xa = g_array_index (self->lifelines, PlLadderLifeline, row->from).x;
  double xb = g_array_index (self->lifelines, PlLadderLifeline, row->to).x;
  double top, bottom;

  pl_ladder_layout_get_row_band (self, index, &top, &bottom);
  rect->x = MIN (xa, xb);
  rect->width = fabs (xb - xa);
  rect->y = top;
  rect->height = bottom - top;
}

void
pl_ladder_layout_get_arrow (PlLadderLayout *self,
                            guint           index,
                            double         *x1,
                            double         *y1,
                            double         *x2,
                            double         *y2)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);

  *x1 = g_array_index (self->lifelines, PlLadderLifeline, row->from).x;
  *y1 = row->y;
  *x2 = g_array_index (self->lifelines, PlLadderLifeline, row->to).x;
  *y2 = row->y + self->g.drop;
}

gboolean
pl_ladder_layout_find_frame (PlLadderLayout *self,
                             guint32         frame,
                             guint          *row_out)
{
  guint r = count_rows_before (self, frame);
  const PlFrame *f;
  guint back;

  if (r < self->rows->len && g_array_index (self->rows, PlLadderRow, r).frame == frame)
    {
      *row_out = r;
      return TRUE;
    }
  if (frame >= pl_capture_get_n_frames (self->capture))
    return FALSE;

  /* Inside a folded transfer: the folded row before it, same stream. */
  f = pl_capture_get_frame (self->capture, frame);
  for (back = 0; r > 0 && back < SCAN_LIMIT; back++)
    {
      const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, --r);

      if (!(row->flags & PL_LADDER_ROW_FOLDED))
        continue;
      if (pl_capture_get_frame (self->capture, row->frame)->stream != f->stream)
        continue;
      if (bracket_at (self, row->aux)->last_frame >= frame)
        {
          *row_out = r;
          return TRUE;
        }
      break;
    }
  return FALSE;
}

/* First row whose band bottom is at or below y.  Band bottoms increase
 * with the row index, as rows never overlap. */
static guint
row_at_or_after (PlLadderLayout *self,
                 double          y)
{
  guint lo = 0, hi = self->rows->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      double top, bottom;

      pl_ladder_layout_get_row_band (self, mid, &top, &bottom);
      if (bottom < y)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
pl_ladder_layout_rows_between (PlLadderLayout *self,
                               double          y0,
                               double          y1,
                               guint          *first,
                               guint          *end)
{
  guint lo = row_at_or_after (self, y0);
  guint hi = lo, a = lo, b = self->rows->len;

  /* Rows whose top is above y1. */
  while (a < b)
    {
      guint mid = a + (b - a) / 2;
      double top, bottom;

      pl_ladder_layout_get_row_band (self, mid, &top, &bottom);
      if (top < y1)
        a = mid + 1;
      else
        b = mid;
    }
  hi = a;
  *first = lo;
  *end = MAX (lo, hi);
}

guint
pl_ladder_layout_get_n_states (PlLadderLayout *self)
{
  return self->states->len;
}

const PlLadderStateLabel *
pl_ladder_layout_get_state (PlLadderLayout *self,
                            guint           index)
{
  g_return_val_if_fail (index < self->states->len, NULL);
  return &g_array_index (self->states, PlLadderStateLabel, index);
}

static guint
state_lower_bound (PlLadderLayout *self,
                   guint           row)
{
  guint lo = 0, hi = self->states->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->states, PlLadderStateLabel, mid).row < row)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
pl_ladder_layout_states_between (PlLadderLayout *self,
                                 guint           first,
                                 guint           end,
                                 guint          *sfirst,
                                 guint          *send)
{
  *sfirst = state_lower_bound (self, first);
  *send = state_lower_bound (self, end);
}

guint
pl_ladder_layout_get_n_brackets (PlLadderLayout *self)
{
  return self->brackets->len;
}

const PlLadderBracketBox *
pl_ladder_layout_get_bracket (PlLadderLayout *self,
                              guint           index)
{
  g_return_val_if_fail (index < self->brackets->len, NULL);
  return &g_array_index (self->brackets, PlLadderBracketBox, index);
}

gboolean
pl_ladder_layout_hit_test (PlLadderLayout *self,
                           double          x,
                           double          y,
                           PlLadderHit    *hit)
{
  guint r, i;

  memset (hit, 0, sizeof *hit);
  hit->kind = PL_LADDER_HIT_NONE;
  hit->frame = PL_LADDER_NO_FRAME;

  /* Brackets: the spine or the label.  Few, so a walk is fine. */
  if (x >= self->g.brackets_x)
    {
      for (i = 0; i < self->brackets->len; i++)
        {
          const PlLadderBracketBox *box = &g_array_index (self->brackets, PlLadderBracketBox, i);

          if ((x >= box->x - 3 && x <= box->x + 9 && y >= box->y0 - 2 && y <= box->y1 + 2) ||
              (x >= box->label_x && x <= box->label_x + box->label_width &&
               y >= box->label_y && y <= box->label_y + box->label_height))
            {
              hit->kind = PL_LADDER_HIT_BRACKET;
              hit->index = box->bracket;
              return TRUE;
            }
        }
    }

  r = row_at_or_after (self, y);
  if (r < self->rows->len)
    {
      PlLadderRect rect;

      pl_ladder_layout_get_row_rect (self, r, &rect);
      if (y >= rect.y && y <= rect.y + rect.height &&
          x >= rect.x - 6 && x <= rect.x + rect.width + 6)
        {
          const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, r);

          hit->row = r;
          hit->frame = row->frame;
          if (row->flags & PL_LADDER_ROW_FOLDED)
            {
              hit->kind = PL_LADDER_HIT_FOLDED;
              hit->index = row->aux;
            }
          else
            hit->kind = PL_LADDER_HIT_FRAME;
          return TRUE;
        }
    }

  if (y >= self->g.head_top)
    for (i = 0; i < self->lifelines->len; i++)
      {
        const PlLadderLifeline *ll = &g_array_index (self->lifelines, PlLadderLifeline, i);
        double half = y < self->g.head_top + self->g.head_h ? ll->head_width / 2 : 4;

        if (fabs (x - ll->x) <= half)
          {
            hit->kind = PL_LADDER_HIT_LIFELINE;
            hit->index = i;
            return TRUE;
          }
      }
  return FALSE;
}

/* ------------------------------------------------------------------------
 * Text.
 */

/* The SACK blocks of a segment, as tshark's Info column writes them
 * (" SLE=1449 SRE=2897", relative to the acknowledged side's base). */
static void
append_sack (PlLadderLayout    *self,
             guint32            frame,
             const PlFrame     *f,
             const PlTcpStream *stream,
             GString           *out)
{
  PlPacket pkt;
  guint32 base;
  guint k;

  if (!(f->tcp_flags & PL_TCP_ACK))
    return;
  pl_capture_decode_frame (self->capture, frame, &pkt);
  if (!(pkt.status & PL_FRAME_TCP) || pkt.tcp.n_sack == 0)
    return;
  base = self->options.numbers == PL_LADDER_NUMBERS_RAW ? 0 : pl_tcp_stream_base_for (stream, !f->dir, f);
  for (k = 0; k < MIN (pkt.tcp.n_sack, PL_TCP_MAX_SACK); k++)
    g_string_append_printf (out, " SLE=%u SRE=%u", pkt.tcp.sack_left[k] - base, pkt.tcp.sack_right[k] - base);
}

/* What a folded transfer hid: " · 2 retransmissions, 1 lost, 3 zero windows". */
static void
append_fold_counts (PlLadderLayout *self,
                    guint           row,
                    GString        *out)
{
  guint lo = 0, hi = self->folds->len;
  const FoldCounts *c;
  gboolean first = TRUE;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->folds, FoldCounts, mid).row < row)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= self->folds->len || (c = &g_array_index (self->folds, FoldCounts, lo))->row != row)
    return;
#define SEP() G_STMT_START { g_string_append (out, first ? " \302\267 " : ", "); first = FALSE; } G_STMT_END
  if (c->retransmissions > 0)
    {
      SEP ();
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u retransmission", "%u retransmissions",
                                                c->retransmissions), c->retransmissions);
    }
  if (c->lost > 0)
    {
      SEP ();
      /* Translators: segments the capture never saw, in a folded transfer. */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u lost", "%u lost", c->lost), c->lost);
    }
  if (c->zero_windows > 0)
    {
      SEP ();
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u zero window", "%u zero windows",
                                                c->zero_windows), c->zero_windows);
    }
#undef SEP
}

void
pl_ladder_layout_format_label (PlLadderLayout *self,
                               guint           index,
                               GString        *out)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);
  const PlFrame *f = pl_capture_get_frame (self->capture, row->frame);
  const PlTcpStream *stream = pl_capture_get_stream (self->capture, f->stream);

  if (row->flags & PL_LADDER_ROW_FOLDED)
    {
      const PlLadderBracket *b = bracket_at (self, row->aux);

      g_string_append (out, b->fold_label != NULL ? b->fold_label : b->label);
      append_fold_counts (self, index, out);
      return;
    }

  /* Lifelines of hosts: which sockets, since a host may have several. */
  if (self->options.merge_hosts)
    g_string_append_printf (out, "%u \342\206\222 %u ", stream->ep[f->dir].port, stream->ep[!f->dir].port);
  g_string_append (out, flags_text (self, f->tcp_flags));
  g_string_append_printf (out, " Seq=%u", shown_seq (self, stream, f));
  if (self->options.numbers == PL_LADDER_NUMBERS_BOTH)
    g_string_append_printf (out, " (%u)", f->seq);
  if (f->tcp_flags & PL_TCP_ACK)
    {
      g_string_append_printf (out, " Ack=%u", shown_ack (self, stream, f));
      if (self->options.numbers == PL_LADDER_NUMBERS_BOTH)
        g_string_append_printf (out, " (%u)", f->ack);
    }
  g_string_append_printf (out, " Win=%u Len=%u", f->win, f->payload_len);
  append_sack (self, row->frame, f, stream, out);
}

/* At most this many records are named on one arrow; the rest are counted. */
#define TLS_LABELS_MAX 3

void
pl_ladder_layout_format_tls (PlCapture *capture,
                             guint32    frame,
                             GString   *out)
{
  PlTlsTable *tls = pl_capture_get_tls_table (capture);
  guint first, n, i;

  n = pl_tls_table_find_records (tls, frame, &first);
  for (i = 0; i < n && i < TLS_LABELS_MAX; i++)
    {
      g_autofree char *label = pl_tls_table_dup_record_label (tls, first + i);

      if (i > 0)
        g_string_append (out, " \302\267 ");
      g_string_append (out, label);
    }
  if (n > TLS_LABELS_MAX)
    /* Translators: after the names of the first TLS records a frame
     * completes, how many more it completes. */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, " \302\267 %u more record", " \302\267 %u more records",
                                              n - TLS_LABELS_MAX), n - TLS_LABELS_MAX);
}

void
pl_ladder_layout_format_options (PlLadderLayout *self,
                                 guint           index,
                                 GString        *out)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);
  PlPacket pkt;
  gsize start = out->len;

  if (row->flags & PL_LADDER_ROW_TLS)
    {
      pl_ladder_layout_format_tls (self->capture, row->frame, out);
      return;
    }
  if (!(row->flags & PL_LADDER_ROW_SYN))
    return;
  pl_capture_decode_frame (self->capture, row->frame, &pkt);
  if (!(pkt.status & PL_FRAME_TCP))
    return;
  /* Wireshark's order, so the two can be read side by side. */
  if (pkt.tcp.has_mss)
    g_string_append_printf (out, "MSS=%u ", pkt.tcp.mss);
  if (pkt.tcp.sack_perm)
    g_string_append (out, "SACK_PERM ");
  if (pkt.tcp.has_ts)
    g_string_append_printf (out, "TSval=%u TSecr=%u ", pkt.tcp.tsval, pkt.tcp.tsecr);
  if (pkt.tcp.wscale >= 0)
    g_string_append_printf (out, "WS=%u ", 1u << MIN (pkt.tcp.wscale, 14));
  if (out->len > start)
    g_string_truncate (out, out->len - 1);
}

void
pl_ladder_layout_format_mark (PlLadderLayout *self,
                              guint           index,
                              guint           mark,
                              GString        *out)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);
  const PlFrame *f = NULL;

  g_string_append (out, pl_ladder_mark_symbol (mark));
  g_string_append_c (out, ' ');
  if ((1u << mark) == PL_LADDER_MARK_DUP_ACK && row->aux > 0)
    /* Translators: a mark beside an arrow: the Nth duplicate ACK. */
    g_string_append_printf (out, _("dup ACK #%u"), row->aux);
  else if ((1u << mark) == PL_LADDER_MARK_GAP && row->aux > 0 &&
           !(row->marks & PL_LADDER_MARK_DUP_ACK))
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u byte not captured", "%u bytes not captured", row->aux),
                            row->aux);
  else if ((1u << mark) == PL_LADDER_MARK_RETRANSMISSION &&
           (f = pl_capture_get_frame (self->capture, row->frame))->analysis & PL_ANALYSIS_FAST_RETRANSMISSION)
    /* Translators: a mark beside an arrow: sent again after three
     * duplicate ACKs, without waiting for the timer. */
    g_string_append (out, _("fast retransmission"));
  else if ((1u << mark) == PL_LADDER_MARK_RETRANSMISSION &&
           f->analysis & PL_ANALYSIS_SPURIOUS_RETRANSMISSION)
    /* Translators: a mark beside an arrow: sent again although the peer
     * had already acknowledged it. */
    g_string_append (out, _("spurious retransmission"));
  else
    g_string_append (out, pl_ladder_mark_name (mark));
}

static void
append_seconds (GString *out,
                gint64   ns)
{
  /* The magnitude as unsigned: -G_MININT64 does not fit in a gint64. */
  guint64 mag = ns < 0 ? (guint64) -(ns + 1) + 1 : (guint64) ns;

  if (ns < 0)
    g_string_append_c (out, '-');
  g_string_append_printf (out, "%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT,
                          mag / 1000000000, (mag % 1000000000) / 1000);
}

void
pl_ladder_layout_format_frame_time (PlLadderLayout *self,
                                    guint           index,
                                    GString        *out)
{
  const PlLadderRow *row = &g_array_index (self->rows, PlLadderRow, index);

  if (self->options.time_mode == PL_LADDER_TIME_CLOCK)
    {
      const PlFrame *f = pl_capture_get_frame (self->capture, row->frame);
      gint64 secs = f->ts_ns >= 0 ? f->ts_ns / 1000000000 : -((-(f->ts_ns + 1)) / 1000000000) - 1;
      gint64 ns = f->ts_ns - secs * 1000000000;
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (secs);

      /* Wireshark's "Time of Day", in the local time zone. */
      if (dt != NULL)
        {
          g_string_append_printf (out, "%02d:%02d:%02d.%06d", g_date_time_get_hour (dt),
                                  g_date_time_get_minute (dt), g_date_time_get_second (dt),
                                  (int) (ns / 1000));
          return;
        }
    }
  append_seconds (out, row_time_ns (self, row->frame));
}

const char *
pl_ladder_layout_get_time_title (PlLadderLayout *self,
                                 gboolean        terse)
{
  switch (self->options.time_mode)
    {
    case PL_LADDER_TIME_STREAM:
      /* Translators: the time column's title: seconds since the stream's
       * first frame (the terse one heads the text export). */
      return terse ? C_("text ladder", "Stream(s)") : _("Stream time (s)");
    case PL_LADDER_TIME_DELTA:
      /* Translators: seconds since the capture's previous frame. */
      return terse ? C_("text ladder", "Delta(s)") : _("Delta (s)");
    case PL_LADDER_TIME_EPOCH:
      /* Translators: seconds since 1970-01-01 UTC. */
      return terse ? C_("text ladder", "Epoch(s)") : _("Epoch time (s)");
    case PL_LADDER_TIME_CLOCK:
      /* Translators: the local time of day. */
      return terse ? C_("text ladder", "Clock") : _("Time of day");
    case PL_LADDER_TIME_CAPTURE:
    default:
      /* Translators: seconds since the capture's first frame. */
      return terse ? C_("text ladder", "Time(s)") : _("Time (s)");
    }
}

guint
pl_ladder_layout_get_time_chars (PlLadderLayout *self)
{
  return self->time_chars;
}

/* ------------------------------------------------------------------------
 * Explanations.
 */

/* "ack 1449 = seq 1 + len 1448", with "+ SYN" and "+ FIN" for the one
 * number each consumes: the words of the window's callout and of
 * --explain, so both read (and are checked) alike. */
static void
append_ack_arithmetic (GString *s,
                       guint32  shown_ack,
                       guint32  shown_seq,
                       guint32  len,
                       gboolean syn,
                       gboolean fin)
{
  g_string_append_printf (s, "ack %u = seq %u", shown_ack, shown_seq);
  if (len > 0 || (!syn && !fin))
    g_string_append_printf (s, " + len %u", len);
  if (syn)
    g_string_append (s, " + SYN");
  if (fin)
    g_string_append (s, " + FIN");
}

static void
append_acknowledges (GString *s,
                     guint32  first,
                     guint32  last)
{
  g_string_append (s, " \342\206\222 ");
  if (first == last)
    /* Translators: after "ack 1449 = seq 1 + len 1448 →". */
    g_string_append_printf (s, _("acknowledges frame %u"), first + 1);
  else
    /* Translators: after "ack 2897 = seq 1 + len 2896 →": a range of frames. */
    g_string_append_printf (s, _("acknowledges frames %u-%u"), first + 1, last + 1);
}

static void
append_next_seq (GString *s,
                 guint32  seq,
                 guint32  len,
                 gboolean syn,
                 gboolean fin)
{
  /* Translators: "next seq" is the sequence number the sender's next
   * segment will carry; the arithmetic after "=" stays as it is. */
  g_string_append_printf (s, _("next seq %u"), (guint32) (seq + len + syn + fin));
  g_string_append_printf (s, " = seq %u", seq);
  if (len > 0 || (!syn && !fin))
    g_string_append_printf (s, " + len %u", len);
  if (syn)
    g_string_append (s, " + SYN");
  if (fin)
    g_string_append (s, " + FIN");
}

void
pl_ladder_layout_format_explanation (PlLadderLayout *self,
                                     guint           index,
                                     GString        *out)
{
  const PlLadderRow *row;
  const ExplainRow *e;
  const PlFrame *f;
  const PlTcpStream *stream;
  gboolean syn, fin, raw = self->options.numbers == PL_LADDER_NUMBERS_RAW;
  gsize start = out->len;

  if (self->explain == NULL || index >= self->explain->len)
    return;
  row = &g_array_index (self->rows, PlLadderRow, index);
  e = &g_array_index (self->explain, ExplainRow, index);
  if (row->n_explain == 0)
    return;
  f = pl_capture_get_frame (self->capture, row->frame);
  stream = pl_capture_get_stream (self->capture, f->stream);
  syn = (f->tcp_flags & PL_TCP_SYN) != 0;
  fin = (f->tcp_flags & PL_TCP_FIN) != 0;

#define NEWLINE() G_STMT_START { if (out->len > start) g_string_append_c (out, '\n'); } G_STMT_END

  if (e->bits & EXPLAIN_NEXT_SEQ)
    {
      guint32 base = raw ? 0 : pl_tcp_stream_base_for (stream, f->dir, f);

      NEWLINE ();
      append_next_seq (out, f->seq - base, f->payload_len, syn, fin);
      if (e->bits & EXPLAIN_IN_FLIGHT)
        /* Translators: after "next seq 2897 = seq 1449 + len 1448": sent
         * and not yet acknowledged (tshark's bytes_in_flight). */
        g_string_append_printf (out, _(", %u bytes in flight"), e->in_flight);
    }
  if (e->bits & (EXPLAIN_ACK | EXPLAIN_ACK_NONE))
    {
      guint32 base = raw ? 0 : pl_tcp_stream_base_for (stream, !f->dir, f);

      NEWLINE ();
      if (e->bits & EXPLAIN_ACK_NONE)
        /* Translators: "ack" is the acknowledgment number of the segment. */
        g_string_append_printf (out, _("ack %u acknowledges nothing new"), f->ack - base);
      else
        {
          gboolean asyn = (e->bits & EXPLAIN_ACK_SYN) != 0, afin = (e->bits & EXPLAIN_ACK_FIN) != 0;

          append_ack_arithmetic (out, f->ack - base, e->acked_seq - base,
                                 f->ack - e->acked_seq - asyn - afin, asyn, afin);
          append_acknowledges (out, e->acked_first, e->acked_last);
          if (e->bits & EXPLAIN_RTT)
            /* Translators: after "→ acknowledges frame 4": the time from
             * that frame to this ACK, in milliseconds. */
            g_string_append_printf (out, _(", RTT %.3f ms"), e->rtt_ns / 1e6);
        }
    }
  if (e->bits & EXPLAIN_WINDOW)
    {
      gint8 scale = stream->peer[f->dir].wscale;

      NEWLINE ();
      if (syn)
        /* Translators: the window of a SYN, which RFC 7323 never scales. */
        g_string_append_printf (out, _("win %u: a SYN's window is never scaled"), f->win);
      else if (scale >= 0)
        /* Translators: the calculated window = the raw field × 2^shift. */
        g_string_append_printf (out, _("win %u = %u \303\227 2^%d"), f->win, raw_window (stream, f), scale);
      else if (scale == PL_WSCALE_NONE)
        g_string_append_printf (out, _("win %u: no window scaling"), f->win);
      else
        g_string_append_printf (out, _("win %u: not scaled (the handshake was not captured)"), f->win);
    }
  if (e->bits & EXPLAIN_FIRST_SYN)
    {
      NEWLINE ();
      g_string_append (out, _("a SYN consumes one sequence number"));
    }
  if (e->bits & EXPLAIN_FIRST_FIN)
    {
      NEWLINE ();
      g_string_append (out, _("a FIN consumes one sequence number"));
    }
  if (e->bits & EXPLAIN_FIRST_PSH)
    {
      NEWLINE ();
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "PSH: deliver to the application now (%u byte since the last PSH)",
                                                "PSH: deliver to the application now (%u bytes since the last PSH)",
                                                e->push_bytes),
                              e->push_bytes);
    }
  if (e->note_first != 0)
    {
      NEWLINE ();
      if (e->note_first == e->note_last)
        /* Translators: refers to a numbered note under the diagram. */
        g_string_append_printf (out, _("see note %u"), e->note_first);
      else
        g_string_append_printf (out, _("see notes %u-%u"), e->note_first, e->note_last);
    }
#undef NEWLINE
}

guint
pl_ladder_layout_get_n_notes (PlLadderLayout *self)
{
  return self->notes != NULL ? self->notes->len : 0;
}

const char *
pl_ladder_layout_get_note (PlLadderLayout *self,
                           guint           index)
{
  g_return_val_if_fail (self->notes != NULL && index < self->notes->len, NULL);
  return g_ptr_array_index (self->notes, index);
}

guint
pl_ladder_layout_get_n_note_lines (PlLadderLayout *self)
{
  return self->note_lines != NULL ? self->note_lines->len : 0;
}

const char *
pl_ladder_layout_get_note_line (PlLadderLayout *self,
                                guint           index,
                                double         *y)
{
  g_return_val_if_fail (self->note_lines != NULL && index < self->note_lines->len, NULL);
  if (y != NULL)
    *y = self->notes_top + self->g.label_h + 4 + index * self->g.small_h;
  return g_ptr_array_index (self->note_lines, index);
}

double
pl_ladder_layout_get_notes_top (PlLadderLayout *self)
{
  return self->notes_top;
}

/* ------------------------------------------------------------------------
 * ACK arithmetic.
 */

gboolean
pl_ladder_ack_info_covers (const PlLadderAckInfo *info,
                           guint32                frame,
                           const PlFrame         *f)
{
  guint32 end;

  if (info->first_frame == PL_LADDER_NO_FRAME ||
      frame < info->first_frame || frame > info->last_frame ||
      f->stream != info->stream || f->dir == info->dir)
    return FALSE;
  end = f->seq + f->payload_len +
        ((f->tcp_flags & PL_TCP_SYN) ? 1 : 0) + ((f->tcp_flags & PL_TCP_FIN) ? 1 : 0);
  return PL_SEQ_GT (end, info->prev_ack) && PL_SEQ_LEQ (end, info->ack);
}

gboolean
pl_ladder_layout_explain_ack (PlLadderLayout  *self,
                              guint32          frame,
                              PlLadderAckInfo *info,
                              char           **text)
{
  const PlFrame *f;
  const PlTcpStream *stream;
  guint32 i, low_seq = 0, base, shown_a;
  gboolean have_prev = FALSE, phantom_syn = FALSE, phantom_fin = FALSE;
  PlLadderAckInfo probe;
  guint scanned;

  if (text != NULL)
    *text = NULL;
  if (frame >= pl_capture_get_n_frames (self->capture))
    return FALSE;
  f = pl_capture_get_frame (self->capture, frame);
  if (!(f->status & PL_FRAME_TCP) || !(f->tcp_flags & PL_TCP_ACK))
    return FALSE;
  stream = pl_capture_get_stream (self->capture, f->stream);

  info->frame = frame;
  info->stream = f->stream;
  info->dir = f->dir;
  info->ack = f->ack;
  info->first_frame = info->last_frame = PL_LADDER_NO_FRAME;
  info->prev_ack = stream->peer[!f->dir].base_seq;

  /* The sender's previous acknowledgment: what was already covered. */
  for (i = frame, scanned = 0; i > stream->first_frame && scanned < SCAN_LIMIT; scanned++)
    {
      const PlFrame *p = pl_capture_get_frame (self->capture, --i);

      if (p->stream == f->stream && p->dir == f->dir && (p->tcp_flags & PL_TCP_ACK))
        {
          info->prev_ack = p->ack;
          have_prev = TRUE;
          break;
        }
    }
  /* Before the first ACK, the other side's ISN is not yet covered. */
  if (!have_prev)
    info->prev_ack = stream->peer[!f->dir].base_seq - 1;

  /* The same test as the painter's highlight, over any frame number. */
  probe = *info;
  probe.first_frame = 0;
  probe.last_frame = G_MAXUINT32 - 1;
  for (i = frame, scanned = 0; i > stream->first_frame && scanned < SCAN_LIMIT; scanned++)
    {
      const PlFrame *p = pl_capture_get_frame (self->capture, --i);

      if (pl_ladder_ack_info_covers (&probe, i, p))
        {
          if (info->last_frame == PL_LADDER_NO_FRAME)
            {
              info->last_frame = i;
              low_seq = p->seq;
            }
          info->first_frame = i;
          if (PL_SEQ_LT (p->seq, low_seq))
            low_seq = p->seq;
          if (p->tcp_flags & PL_TCP_SYN)
            phantom_syn = TRUE;
          if (p->tcp_flags & PL_TCP_FIN)
            phantom_fin = TRUE;
        }
    }
  if (text == NULL)
    return TRUE;

  base = self->options.numbers == PL_LADDER_NUMBERS_RAW ? 0 : pl_tcp_stream_base_for (stream, !f->dir, f);
  shown_a = f->ack - base;
  if (info->first_frame == PL_LADDER_NO_FRAME)
    {
      /* Translators: "ack" is the acknowledgment number of the segment. */
      *text = g_strdup_printf (_("ack %u acknowledges nothing new"), shown_a);
    }
  else
    {
      GString *s = g_string_new (NULL);
      guint32 len = f->ack - low_seq - phantom_syn - phantom_fin;

      append_ack_arithmetic (s, shown_a, low_seq - base, len, phantom_syn, phantom_fin);
      append_acknowledges (s, info->first_frame, info->last_frame);
      *text = g_string_free (s, FALSE);
    }
  return TRUE;
}

gboolean
pl_ladder_layout_explain_next_seq (PlLadderLayout  *self,
                                   guint32          frame,
                                   char           **text)
{
  const PlFrame *f;
  const PlTcpStream *stream;
  gboolean syn, fin;
  guint32 base, seq;
  GString *s;

  if (text != NULL)
    *text = NULL;
  if (frame >= pl_capture_get_n_frames (self->capture))
    return FALSE;
  f = pl_capture_get_frame (self->capture, frame);
  if (!(f->status & PL_FRAME_TCP))
    return FALSE;
  syn = (f->tcp_flags & PL_TCP_SYN) != 0;
  fin = (f->tcp_flags & PL_TCP_FIN) != 0;
  if (f->payload_len == 0 && !syn && !fin)
    return FALSE;
  if (text == NULL)
    return TRUE;

  stream = pl_capture_get_stream (self->capture, f->stream);
  base = self->options.numbers == PL_LADDER_NUMBERS_RAW ? 0 : pl_tcp_stream_base_for (stream, f->dir, f);
  seq = f->seq - base;
  s = g_string_new (NULL);
  append_next_seq (s, seq, f->payload_len, syn, fin);
  *text = g_string_free (s, FALSE);
  return TRUE;
}

char *
pl_ladder_layout_dup_callout (PlLadderLayout *self,
                              guint32         frame)
{
  g_autofree char *next = NULL;
  g_autofree char *ack = NULL;
  PlLadderAckInfo info;
  gboolean uses_seq = pl_ladder_layout_explain_next_seq (self, frame, &next);

  if (!pl_ladder_layout_explain_ack (self, frame, &info, &ack)
      || (uses_seq && info.first_frame == PL_LADDER_NO_FRAME))
    g_clear_pointer (&ack, g_free);

  if (next != NULL && ack != NULL)
    return g_strdup_printf ("%s\n%s", next, ack);
  return next != NULL ? g_steal_pointer (&next) : g_steal_pointer (&ack);
}
