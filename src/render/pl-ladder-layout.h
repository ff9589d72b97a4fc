/* pl-ladder-layout.h: the geometry of a ladder diagram, and hit testing.
 *
 * A layout is pure geometry, in layout units (pixels at scale 1), built
 * once from a selection, options and text metrics, then read by the
 * painter, the exports and the window's hit test.  It is built in time
 * proportional to the frames shown and keeps 24 bytes per row in one
 * array: rows are found by binary search, never by walking them.
 */
#pragma once

#include "pl-ladder.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------
 * Text metrics: how wide a string is and how tall a line, per text role.
 * The painter draws with Pango; tests measure with fixed metrics so the
 * geometry they check does not depend on the fonts installed.
 */
typedef struct _PlTextMetrics PlTextMetrics;

struct _PlTextMetrics
{
  double (*width)   (PlTextMetrics *self,
                     PlTextRole     role,
                     const char    *text,
                     gssize         len);
  void   (*destroy) (PlTextMetrics *self);
  double  line_height[PL_TEXT_N_ROLES];
  gint    ref_count;
};

/* Every character char_width wide, every line line_height tall. */
PlTextMetrics *pl_text_metrics_new_fixed (double         char_width,
                                          double         line_height);
/* Pango with the ladder's fonts (pl_ladder_style_font()), at 96 dpi
 * without metric hinting, as the painter draws them. */
PlTextMetrics *pl_text_metrics_new_pango (void);
PlTextMetrics *pl_text_metrics_ref       (PlTextMetrics *self);
void           pl_text_metrics_unref     (PlTextMetrics *self);
double         pl_text_metrics_width     (PlTextMetrics *self,
                                          PlTextRole     role,
                                          const char    *text);

/* ------------------------------------------------------------------------
 * The layout.
 */
typedef struct _PlLadderLayout PlLadderLayout;

typedef enum
{
  PL_LADDER_ROW_PURE_ACK = 1 << 0,  /* no payload, no SYN/FIN/RST: drawn light */
  PL_LADDER_ROW_DETAILS  = 1 << 1,  /* a second line under the arrow */
  PL_LADDER_ROW_FOLDED   = 1 << 2,  /* a folded HTTP transfer; aux: bracket */
  PL_LADDER_ROW_BREAK    = 1 << 3,  /* a cut idle gap just above the row */
  PL_LADDER_ROW_SYN      = 1 << 4,  /* details hold the SYN options */
  PL_LADDER_ROW_TLS      = 1 << 5,  /* details hold the TLS records the frame completes */
} PlLadderRowFlags;

/* One arrow.  Its send end is (lifeline[from].x, y), its receive end
 * (lifeline[to].x, y + drop); the label sits above y, the details below
 * y + drop. */
typedef struct
{
  double  y;
  guint32 frame;     /* capture frame index (from 0); folded: the first */
  guint32 aux;       /* dup ACK number, bytes not captured, or bracket index */
  guint16 from;      /* lifeline indexes */
  guint16 to;
  guint8  flags;     /* PlLadderRowFlags */
  guint8  marks;     /* PlLadderMark */
  guint8  n_explain; /* lines of explanation under the details (options.explain) */
} PlLadderRow;

typedef struct
{
  double      x;
  double      head_width;
  guint8      side;       /* 0 a client, 1 a server */
  const char *label;      /* "127.0.0.1:8080" or "127.0.0.1" */
  const char *sublabel;   /* "client", "server" */
} PlLadderLifeline;

/* A TCP state written beside a lifeline where it changes. */
typedef struct
{
  guint32 row;
  guint16 lifeline;
  guint8  state;          /* PlTcpState */
  guint8  at_receive;     /* at the receive end of the row's arrow */
  double  x;              /* anchor: right edge (align_right) or left edge */
  double  y;              /* vertical centre */
  gboolean align_right;
} PlLadderStateLabel;

typedef struct
{
  guint   bracket;        /* index in the selection */
  guint   lane;
  double  x;              /* the bracket's spine */
  double  y0, y1;         /* the span of its arrows */
  double  label_x;
  double  label_y;        /* top of its label */
  double  label_width;
  double  label_height;
} PlLadderBracketBox;

/* Fixed measures of the layout, derived from the text metrics. */
typedef struct
{
  double margin;
  double label_h;         /* line height of PL_TEXT_LABEL */
  double small_h;         /* of PL_TEXT_SMALL */
  double header_h;        /* of PL_TEXT_HEADER */
  double above;           /* from the row's label top to y */
  double drop;            /* the arrow's slope: receive end below send end */
  double below;           /* from y + drop to the row's bottom (no details) */
  double break_h;         /* height of a cut idle gap */
  double head_top, head_h;    /* lifeline heads */
  double rows_top;        /* top of the first row's label */
  double number_x;        /* right edge of the frame numbers */
  double time_x;          /* right edge of the times */
  double gutter_right;    /* right edge of the ruler, numbers and times */
  double ruler_x;         /* the time ruler's axis (time spacings), or 0 */
  double lifelines_left, lifelines_right;
  double brackets_x;      /* left edge of the bracket column */
  double px_per_ns;       /* time spacings: scale of drawn idle time */
} PlLadderGeometry;

typedef enum
{
  PL_LADDER_HIT_NONE,
  PL_LADDER_HIT_FRAME,     /* row, frame */
  PL_LADDER_HIT_FOLDED,    /* row, frame (first), index: bracket */
  PL_LADDER_HIT_BRACKET,   /* index: bracket */
  PL_LADDER_HIT_LIFELINE,  /* index: lifeline */
} PlLadderHitKind;

typedef struct
{
  PlLadderHitKind kind;
  guint           row;
  guint32         frame;
  guint           index;
} PlLadderHit;

typedef struct
{
  double x, y, width, height;
} PlLadderRect;

PlLadderLayout          *pl_ladder_layout_new              (PlLadderSelection     *selection,
                                                            const PlLadderOptions *options,
                                                            PlTextMetrics         *metrics);
PlLadderLayout          *pl_ladder_layout_ref              (PlLadderLayout        *self);
void                     pl_ladder_layout_unref            (PlLadderLayout        *self);
/* The cache: rebuilds *layout unless it was made from the same selection
 * (same serial), equal options and the same metrics.  TRUE if rebuilt. */
gboolean                 pl_ladder_layout_ensure           (PlLadderLayout       **layout,
                                                            PlLadderSelection     *selection,
                                                            const PlLadderOptions *options,
                                                            PlTextMetrics         *metrics);

PlLadderSelection       *pl_ladder_layout_get_selection    (PlLadderLayout *self);
const PlLadderOptions   *pl_ladder_layout_get_options      (PlLadderLayout *self);
PlTextMetrics           *pl_ladder_layout_get_metrics      (PlLadderLayout *self);
const PlLadderGeometry  *pl_ladder_layout_get_geometry     (PlLadderLayout *self);
double                   pl_ladder_layout_get_width        (PlLadderLayout *self);
double                   pl_ladder_layout_get_height       (PlLadderLayout *self);

guint                    pl_ladder_layout_get_n_lifelines  (PlLadderLayout *self);
const PlLadderLifeline  *pl_ladder_layout_get_lifeline     (PlLadderLayout *self,
                                                            guint           index);
guint                    pl_ladder_layout_get_n_rows       (PlLadderLayout *self);
const PlLadderRow       *pl_ladder_layout_get_row          (PlLadderLayout *self,
                                                            guint           index);
/* Top and bottom of the row's band (label, arrow, details). */
void                     pl_ladder_layout_get_row_band     (PlLadderLayout *self,
                                                            guint           index,
                                                            double         *top,
                                                            double         *bottom);
/* The band across the arrow's span. */
void                     pl_ladder_layout_get_row_rect     (PlLadderLayout *self,
                                                            guint           index,
                                                            PlLadderRect   *rect);
void                     pl_ladder_layout_get_arrow        (PlLadderLayout *self,
                                                            guint           index,
                                                            double         *x1,
                                                            double         *y1,
                                                            double         *x2,
                                                            double         *y2);
/* The row showing a frame (a folded row shows all of its frames). */
gboolean                 pl_ladder_layout_find_frame       (PlLadderLayout *self,
                                                            guint32         frame,
                                                            guint          *row);
/* Rows whose band meets [y0, y1): *first .. *end - 1. */
void                     pl_ladder_layout_rows_between     (PlLadderLayout *self,
                                                            double          y0,
                                                            double          y1,
                                                            guint          *first,
                                                            guint          *end);

guint                    pl_ladder_layout_get_n_states     (PlLadderLayout *self);
const PlLadderStateLabel *pl_ladder_layout_get_state       (PlLadderLayout *self,
                                                            guint           index);
/* State labels of rows first .. end - 1: *sfirst .. *send - 1. */
void                     pl_ladder_layout_states_between   (PlLadderLayout *self,
                                                            guint           first,
                                                            guint           end,
                                                            guint          *sfirst,
                                                            guint          *send);

guint                    pl_ladder_layout_get_n_brackets   (PlLadderLayout *self);
const PlLadderBracketBox *pl_ladder_layout_get_bracket     (PlLadderLayout *self,
                                                            guint           index);

gboolean                 pl_ladder_layout_hit_test         (PlLadderLayout *self,
                                                            double          x,
                                                            double          y,
                                                            PlLadderHit    *hit);

/* Text, the same for the painter and every export. */
void                     pl_ladder_layout_format_label     (PlLadderLayout *self,
                                                            guint           row,
                                                            GString        *out);
/* The SYN options ("MSS=1460 SACK_PERM ..."), or the TLS records the
 * frame completes ("ClientHello (example.org, h2)"); empty for other rows. */
void                     pl_ladder_layout_format_options   (PlLadderLayout *self,
                                                            guint           row,
                                                            GString        *out);
/* The TLS records completed in frame, as the ladder names them
 * ("ServerHello TLS 1.3 TLS_AES_128_GCM_SHA256 · ChangeCipherSpec"). */
void                     pl_ladder_layout_format_tls       (PlCapture      *capture,
                                                            guint32         frame,
                                                            GString        *out);
/* Mark i of the row: "↻ retransmission", "= dup ACK #2". */
void                     pl_ladder_layout_format_mark      (PlLadderLayout *self,
                                                            guint           row,
                                                            guint           mark,
                                                            GString        *out);
void                     pl_ladder_layout_format_frame_time (PlLadderLayout *self,
                                                             guint           row,
                                                             GString        *out);
/* The time column's title for the options' time mode ("Time (s)"); terse:
 * the text export's short one ("Time(s)"). */
const char              *pl_ladder_layout_get_time_title   (PlLadderLayout *self,
                                                            gboolean        terse);
/* The widest time of the rows, in characters. */
guint                    pl_ladder_layout_get_time_chars   (PlLadderLayout *self);

/* With options.explain: what the row's arrow means, one line each (row->
 * n_explain lines, separated by '\n'): "next seq 1449 = seq 1 + len 1448,
 * 1448 bytes in flight", "ack 1449 = seq 1 + len 1448 → acknowledges frame
 * 4, RTT 0.045 ms", the calculated window when the sender's changes ("win
 * 65536 = 512 × 2^7"), that SYN and FIN consume one sequence number and
 * what PSH means (each the first time), and "see note N" for its analysis
 * notes.  Nothing without the option. */
void                     pl_ladder_layout_format_explanation (PlLadderLayout *self,
                                                              guint           row,
                                                              GString        *out);
/* With options.explain: the numbered notes under the diagram ("1. Frame
 * 23: ..."): every analysis flag of the rows shown, then the story of each
 * close shown. */
guint                    pl_ladder_layout_get_n_notes      (PlLadderLayout *self);
const char              *pl_ladder_layout_get_note         (PlLadderLayout *self,
                                                            guint           index);
/* The same wrapped to the diagram's width, as the painter draws them
 * under a title at the notes' top; *y (may be NULL) gets the line's top. */
guint                    pl_ladder_layout_get_n_note_lines (PlLadderLayout *self);
const char              *pl_ladder_layout_get_note_line    (PlLadderLayout *self,
                                                            guint           index,
                                                            double         *y);
double                   pl_ladder_layout_get_notes_top    (PlLadderLayout *self);

/* What an ACK acknowledges: the frames of the other side whose last byte
 * it covers for the first time. */
typedef struct
{
  guint32 frame;          /* the ACK */
  guint32 stream;
  guint8  dir;            /* the ACK's sender */
  guint32 prev_ack;       /* raw: its sender's previous acknowledgment */
  guint32 ack;            /* raw */
  guint32 first_frame;    /* acknowledged frames, or PL_LADDER_NO_FRAME */
  guint32 last_frame;
} PlLadderAckInfo;

/* FALSE when the frame carries no ACK.  *text (may be NULL):
 * "ack 83261 = seq 66929 + len 16332 → acknowledges frames 21-25". */
gboolean                 pl_ladder_layout_explain_ack      (PlLadderLayout  *self,
                                                            guint32          frame,
                                                            PlLadderAckInfo *info,
                                                            char           **text);
/* FALSE for a segment that uses no sequence number (a pure ACK).
 * *text (may be NULL): "next seq 1270 = seq 1 + len 1269", with "+ SYN"
 * and "+ FIN" for the one number each consumes. */
gboolean                 pl_ladder_layout_explain_next_seq (PlLadderLayout  *self,
                                                            guint32          frame,
                                                            char           **text);
/* What the window writes beside a selected arrow, one line each: the next
 * sequence number of a segment that uses some, and the ACK's arithmetic
 * (left out when a data segment's ACK acknowledges nothing new).  NULL
 * when there is nothing to say. */
char                    *pl_ladder_layout_dup_callout      (PlLadderLayout  *self,
                                                            guint32          frame);
gboolean                 pl_ladder_ack_info_covers         (const PlLadderAckInfo *info,
                                                            guint32                frame,
                                                            const PlFrame         *f);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlLadderLayout, pl_ladder_layout_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlTextMetrics, pl_text_metrics_unref)

G_END_DECLS
