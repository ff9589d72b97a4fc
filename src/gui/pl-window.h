/* pl-window.h: a main window, showing one capture. */
#pragma once

#include <adwaita.h>

#include "pl-application.h"
#include "pl-capture.h"

G_BEGIN_DECLS

#define PL_TYPE_WINDOW (pl_window_get_type ())

G_DECLARE_FINAL_TYPE (PlWindow, pl_window, PL, WINDOW, AdwApplicationWindow)

PlWindow   *pl_window_new                (PlApplication *application);
/* Loads the file in the background; on success it replaces the capture on
 * show, on failure a toast says why and the previous capture stays. */
void        pl_window_open_file          (PlWindow      *self,
                                          GFile         *file);
/* TRUE when no capture is shown nor loading: a file opened from outside
 * can use this window rather than a new one. */
gboolean    pl_window_is_empty           (PlWindow      *self);

/* For tests and for the panes to come: */
gboolean    pl_window_is_loading         (PlWindow      *self);
PlCapture  *pl_window_get_capture        (PlWindow      *self);
/* The PlStreamItem rows of the stream list, in stream order. */
GListModel *pl_window_get_stream_model   (PlWindow      *self);
/* The text of the last error or warning toast, or NULL. */
const char *pl_window_get_last_error     (PlWindow      *self);

G_END_DECLS
