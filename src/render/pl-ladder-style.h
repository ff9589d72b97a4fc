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
  PlColor selection;
} PlLadderPalette;

const PlLadderPalette *pl_ladder_palette_get (PlLadderTheme theme);

G_END_DECLS
