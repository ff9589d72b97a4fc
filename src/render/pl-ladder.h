/* pl-ladder.h: what a ladder diagram shows (the selection: a capture, some
 * of its TCP streams, a frame range, the HTTP brackets) and how it shows it
 * (the options).  The layout, the painter and every export read the same
 * two, so the window and the files always agree.
 */
#pragma once

#include "pl-capture.h"
#include "pl-ladder-style.h"

G_BEGIN_DECLS

#define PL_LADDER_NO_FRAME G_MAXUINT32

typedef enum
{
  PL_LADDER_SPACING_UNIFORM,     /* one row per arrow */
  PL_LADDER_SPACING_TIME,        /* idle time drawn to scale, with a ruler */
  PL_LADDER_SPACING_COMPRESSED,  /* as TIME, long idle gaps cut and marked */
} PlLadderSpacing;

typedef enum
{
  PL_LADDER_NUMBERS_RELATIVE,
  PL_LADDER_NUMBERS_RAW,
  PL_LADDER_NUMBERS_BOTH,        /* relative, the raw number beside it */
} PlLadderNumbers;

/* The time column, as Wireshark's time display formats. */
typedef enum
{
  PL_LADDER_TIME_CAPTURE,        /* since the capture's first frame (frame.time_relative) */
  PL_LADDER_TIME_STREAM,         /* since the first frame of the arrow's stream */
  PL_LADDER_TIME_DELTA,          /* since the capture's previous frame (frame.time_delta) */
  PL_LADDER_TIME_EPOCH,          /* seconds since 1970 (frame.time_epoch) */
  PL_LADDER_TIME_CLOCK,          /* local time of day */
} PlLadderTimeMode;

#define PL_LADDER_N_TIME_MODES 5

/* Printed pages for PDF (--paper): none is one page as wide as the ladder
 * (as tall as fits), the others are the paper's size with margins. */
typedef enum
{
  PL_LADDER_PAPER_NONE,
  PL_LADDER_PAPER_A4,            /* 210 x 297 mm */
  PL_LADDER_PAPER_LETTER,        /* 8.5 x 11 in */
} PlLadderPaper;

/* "capture", "stream", ... (as --time and GSettings spell them), and back. */
const char *pl_ladder_time_mode_to_string   (PlLadderTimeMode  mode);
gboolean    pl_ladder_time_mode_from_string (const char       *name,
                                             PlLadderTimeMode *mode);

typedef struct
{
  PlLadderSpacing  spacing;
  PlLadderNumbers  numbers;
  PlLadderTimeMode time_mode;
  PlLadderTheme    theme;
  gboolean         hide_pure_acks;
  gboolean         fold_http;     /* a segmented HTTP message as one thick arrow */
  gboolean         merge_hosts;   /* one lifeline per host instead of per socket */
  gboolean         show_states;   /* TCP states on the lifelines */
  gboolean         explain;       /* the arithmetic beside the arrows, notes under them */
  double           scale;         /* device pixels per layout unit (HiDPI, --scale) */
  PlLadderPaper    paper;         /* PDF only: the page size to paginate onto */
} PlLadderOptions;

void     pl_ladder_options_init  (PlLadderOptions       *options);
gboolean pl_ladder_options_equal (const PlLadderOptions *a,
                                  const PlLadderOptions *b);

/* An HTTP message beside its arrows.  Filled from the HTTP parser when the
 * capture has it (pl_ladder_selection_add_http_brackets()), or by hand. */
typedef enum
{
  PL_LADDER_BRACKET_REQUEST,
  PL_LADDER_BRACKET_RESPONSE,
  PL_LADDER_BRACKET_TLS,        /* a TLS handshake, from the ClientHello to its end; never folded */
} PlLadderBracketKind;

typedef struct
{
  guint32              stream;
  guint32              first_frame;  /* capture frame indexes (from 0) */
  guint32              last_frame;
  guint8               dir;          /* sender: 0 client, 1 server */
  PlLadderBracketKind  kind;
  gint32               peer;         /* the linked request/response bracket, or -1 */
  guint32              n_segments;   /* frames carrying the message */
  const char          *label;        /* request or status line */
  const char          *detail;       /* body size, segments, Content-Range; may be NULL */
  const char          *fold_label;   /* the thick arrow's label; NULL: label */
} PlLadderBracket;

typedef struct _PlLadderSelection PlLadderSelection;

PlLadderSelection     *pl_ladder_selection_new            (PlCapture         *capture);
PlLadderSelection     *pl_ladder_selection_ref            (PlLadderSelection *self);
void                   pl_ladder_selection_unref          (PlLadderSelection *self);
PlCapture             *pl_ladder_selection_get_capture    (PlLadderSelection *self);

/* No stream added: every stream of the capture. */
void                   pl_ladder_selection_add_stream     (PlLadderSelection *self,
                                                           guint              stream);
gboolean               pl_ladder_selection_has_stream     (PlLadderSelection *self,
                                                           guint              stream);
guint                  pl_ladder_selection_get_n_streams  (PlLadderSelection *self);
/* Frame indexes from 0, inclusive; default: every frame. */
void                   pl_ladder_selection_set_frames     (PlLadderSelection *self,
                                                           guint32            first,
                                                           guint32            last);
void                   pl_ladder_selection_get_frames     (PlLadderSelection *self,
                                                           guint32           *first,
                                                           guint32           *last);
/* Only frames whose bit is set are drawn (bit f % 8 of byte f / 8), as a
 * BPF filter chose them; NULL: every frame.  The bytes are referenced. */
void                   pl_ladder_selection_set_frame_mask (PlLadderSelection *self,
                                                           GBytes            *mask);
GBytes                *pl_ladder_selection_get_frame_mask (PlLadderSelection *self);
gboolean               pl_ladder_selection_shows_frame    (PlLadderSelection *self,
                                                           guint32            frame);

/* Strings are copied.  Returns the bracket's index.  Brackets must be
 * added in order of first_frame. */
guint                  pl_ladder_selection_add_bracket    (PlLadderSelection     *self,
                                                           const PlLadderBracket *bracket);
void                   pl_ladder_selection_link_brackets  (PlLadderSelection *self,
                                                           guint              request,
                                                           guint              response);
guint                  pl_ladder_selection_get_n_brackets (PlLadderSelection *self);
const PlLadderBracket *pl_ladder_selection_get_bracket    (PlLadderSelection *self,
                                                           guint              index);
/* Brackets for every HTTP message of the selected streams the capture's
 * HTTP parser found, requests linked to their responses, and one for the
 * TLS handshake of every selected TLS stream ("TLS 1.3 handshake,
 * example.org, h2").  Returns how many were added. */
guint                  pl_ladder_selection_add_http_brackets (PlLadderSelection *self);
/* With fold_http, a bracket the user opened stays open. */
void                   pl_ladder_selection_set_unfolded   (PlLadderSelection *self,
                                                           guint              index,
                                                           gboolean           unfolded);
gboolean               pl_ladder_selection_get_unfolded   (PlLadderSelection *self,
                                                           guint              index);
/* Changes whenever the selection does: layouts compare it to know they
 * are stale. */
guint                  pl_ladder_selection_get_serial     (PlLadderSelection *self);

/* Analysis marks drawn on arrows: each its own colour and symbol. */
typedef enum
{
  PL_LADDER_MARK_RETRANSMISSION = 1 << 0,
  PL_LADDER_MARK_DUP_ACK        = 1 << 1,
  PL_LADDER_MARK_OUT_OF_ORDER   = 1 << 2,
  PL_LADDER_MARK_ZERO_WINDOW    = 1 << 3,
  PL_LADDER_MARK_WINDOW_FULL    = 1 << 4,
  PL_LADDER_MARK_GAP            = 1 << 5,  /* bytes before it never captured */
} PlLadderMark;

#define PL_LADDER_N_MARKS 6

/* The one place that turns PlFrame.analysis (PlAnalysisFlags) into marks. */
guint8      pl_ladder_marks_from_analysis (guint16 analysis);
/* "retransmission", "dup ACK", ...: bit i of PlLadderMark. */
const char *pl_ladder_mark_name           (guint   i);
/* A one-glyph symbol present in every common font. */
const char *pl_ladder_mark_symbol         (guint   i);

/* The tooltip of one frame: its analysis in sentences, or NULL. */
char       *pl_ladder_explain_frame       (PlLadderSelection *self,
                                           guint32            frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlLadderSelection, pl_ladder_selection_unref)

G_END_DECLS
