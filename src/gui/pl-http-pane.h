/* pl-http-pane.h: one HTTP message: its start line, header fields and a
 * preview of its body (text in its charset, an image, or hex), with Save
 * Body. */
#pragma once

#include <gtk/gtk.h>

#include "pl-http-message.h"

G_BEGIN_DECLS

#define PL_TYPE_HTTP_PANE (pl_http_pane_get_type ())

G_DECLARE_FINAL_TYPE (PlHttpPane, pl_http_pane, PL, HTTP_PANE, GtkWidget)

typedef enum
{
  PL_HTTP_PREVIEW_NONE,
  PL_HTTP_PREVIEW_TEXT,
  PL_HTTP_PREVIEW_IMAGE,
  PL_HTTP_PREVIEW_HEX,
  PL_HTTP_PREVIEW_ERROR,
} PlHttpPreview;

GtkWidget     *pl_http_pane_new          (void);
void           pl_http_pane_set_message  (PlHttpPane    *self,
                                          PlHttpMessage *message);
PlHttpMessage *pl_http_pane_get_message  (PlHttpPane    *self);
/* What the body preview shows (for tests). */
PlHttpPreview  pl_http_pane_get_preview  (PlHttpPane    *self);
/* The line under the start line ("Frames 7–219 · body 301.8 kB"). */
const char    *pl_http_pane_get_info     (PlHttpPane    *self);
/* For a 206 (or its request): the Range series line ("Range series: 2
 * responses hold bytes 0–3365241 of 3365242, all of it"), NULL when not
 * shown; and the part of the resource its bar shows covered (0 to 1). */
const char    *pl_http_pane_get_range_text     (PlHttpPane *self);
double         pl_http_pane_get_range_fraction (PlHttpPane *self);
/* FALSE when the message has no body: no Body section then. */
gboolean       pl_http_pane_shows_body   (PlHttpPane    *self);
/* The image shown, or NULL. */
GdkTexture    *pl_http_pane_get_texture  (PlHttpPane    *self);

G_END_DECLS
