/* pl-ladder-style.c: the ladder's palettes (see pl-ladder-style.h). */
#include "config.h"

#include "pl-ladder-style.h"

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }

/* Okabe-Ito: orange E69F00, sky blue 56B4E9, bluish green 009E73,
 * yellow F0E442, blue 0072B2, vermillion D55E00, reddish purple CC79A7. */
static const PlLadderPalette light = {
  .background = RGB (0xffffff),
  .foreground = RGB (0x241f31),
  .muted = RGB (0x77767b),
  .syn = RGB (0x0072b2),
  .data = RGB (0x241f31),
  .fin = RGB (0x009e73),
  .rst = RGB (0xd55e00),
  .retransmission = RGB (0xcc79a7),
  .duplicate_ack = RGB (0xe69f00),
  .out_of_order = RGB (0x56b4e9),
  .zero_window = RGB (0xd55e00),
  .window_full = RGB (0xb08800),
  .gap = RGB (0x9141ac),
  .selection = { 0.21, 0.52, 0.89, 0.18 },
  .acked = { 0.90, 0.62, 0.00, 0.22 },
  .lifeline = RGB (0x9a9996),
  .head_fill = RGB (0xf6f5f4),
  .state = RGB (0x005f8f),
  .state_fill = RGB (0xe8f1f8),
  .bracket = RGB (0x8f4a7a),
  .grid = RGB (0xc0bfbc),
};

static const PlLadderPalette dark = {
  .background = RGB (0x1e1e1e),
  .foreground = RGB (0xdeddda),
  .muted = RGB (0x9a9996),
  .syn = RGB (0x56b4e9),
  .data = RGB (0xdeddda),
  .fin = RGB (0x2ec27e),
  .rst = RGB (0xff7800),
  .retransmission = RGB (0xdc8add),
  .duplicate_ack = RGB (0xf0e442),
  .out_of_order = RGB (0x99c1f1),
  .zero_window = RGB (0xff7800),
  .window_full = RGB (0xf0e442),
  .gap = RGB (0xc061cb),
  .selection = { 0.47, 0.68, 0.93, 0.24 },
  .acked = { 0.94, 0.89, 0.26, 0.20 },
  .lifeline = RGB (0x77767b),
  .head_fill = RGB (0x2e2e32),
  .state = RGB (0x99c1f1),
  .state_fill = RGB (0x1c3249),
  .bracket = RGB (0xdc8add),
  .grid = RGB (0x5e5c64),
};

const PlLadderPalette *
pl_ladder_palette_get (PlLadderTheme theme)
{
  return theme == PL_LADDER_THEME_DARK ? &dark : &light;
}

/* Sans at sizes that stay readable in a PDF printed on A4 and in the
 * window at 1x; the exports and the window use the same faces. */
const char *
pl_ladder_style_font (PlTextRole role)
{
  switch (role)
    {
    case PL_TEXT_HEADER:
      return "Sans Bold 9";
    case PL_TEXT_SMALL:
      return "Sans 7.5";
    case PL_TEXT_LABEL:
    case PL_TEXT_N_ROLES:
    default:
      return "Sans 9";
    }
}
