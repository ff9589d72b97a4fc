/* pl-ladder-style.h: colours and metrics of the ladder, shared by the
 * window and every export.  Palettes are chosen to stay distinguishable
 * with the common colour-vision deficiencies (Okabe-Ito hues).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} PlColor;

typedef enum
{
  PL_LADDER_THEME_LIGHT,
  PL_LADDER_THEME_DARK,
} PlLadderTheme;

typedef struct
{
  PlColor background;
  PlColor foreground;      /* labels, lifelines */
  PlColor muted;           /* pure ACKs, secondary text */
  PlColor syn;             /* handshake */
  PlColor data;            /* segments carrying payload */
  PlColor fin;             /* teardown */
  PlColor rst;             /* reset */
  PlColor retransmission;
  PlColor duplicate_ack;
  PlColor out_of_order;
  PlColor zero_window;
  PlColor window_full;
  PlColor gap;             /* bytes never captured */
  PlColor selection;
  PlColor acked;           /* arrows the selected ACK acknowledges */
  PlColor lifeline;
  PlColor head_fill;       /* lifeline head boxes, sticky header band */
  PlColor state;           /* TCP state labels */
  PlColor state_fill;
  PlColor bracket;         /* HTTP requests and responses */
  PlColor grid;            /* time ruler, idle-gap marks */
} PlLadderPalette;

const PlLadderPalette *pl_ladder_palette_get (PlLadderTheme theme);

/* The kinds of text in a ladder; each has one font. */
typedef enum
{
  PL_TEXT_LABEL,    /* arrow labels, bracket labels */
  PL_TEXT_SMALL,    /* options, marks, states, time column, ruler */
  PL_TEXT_HEADER,   /* lifeline heads */
  PL_TEXT_N_ROLES,
} PlTextRole;

/* A Pango font description string ("Sans 9"). */
const char            *pl_ladder_style_font  (PlTextRole    role);

G_END_DECLS
