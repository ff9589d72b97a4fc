/* pl-window.h: a main window, showing one capture. */
#pragma once

#include <adwaita.h>

#include "pl-application.h"
#include "pl-capture.h"
#include "pl-field-pane.h"
#include "pl-hex-view.h"
#include "pl-ladder-view.h"
#include "pl-stream-list.h"

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
/* The text of the last other toast ("Exported to ..."), or NULL. */
const char *pl_window_get_last_toast     (PlWindow      *self);
/* A short message in a toast. */
void        pl_window_notify             (PlWindow      *self,
                                          const char    *message);

PlLadderView *pl_window_get_ladder_view  (PlWindow      *self);
PlFieldPane  *pl_window_get_field_pane   (PlWindow      *self);
PlHexView    *pl_window_get_hex_view     (PlWindow      *self);
PlStreamList *pl_window_get_stream_list  (PlWindow      *self);
GtkWidget    *pl_window_get_http_pane    (PlWindow      *self);
/* The three parts of the window, each a composite widget. */
struct _PlStreamPage  *pl_window_get_stream_page  (PlWindow *self);
struct _PlLadderPage  *pl_window_get_ladder_page  (PlWindow *self);
struct _PlDetailsPane *pl_window_get_details_pane (PlWindow *self);
/* The flap holding the details pane (folded on a narrow window). */
AdwFlap      *pl_window_get_flap         (PlWindow      *self);
/* The Open button's menu of recent captures. */
GMenuModel   *pl_window_get_recent_menu  (PlWindow      *self);
/* TRUE while a capture loads, or the filter or the stream summaries are
 * computed in a worker thread. */
gboolean      pl_window_is_busy          (PlWindow      *self);

/* Sets the filter entry's text and applies it at once (no typing delay);
 * the BPF part finishes in a worker (see pl_window_is_busy()). */
void        pl_window_set_filter         (PlWindow      *self,
                                          const char    *text);
/* libpcap's message when the filter reads as a tcpdump expression that
 * does not compile and matches no stream as text, or NULL. */
const char *pl_window_get_filter_error   (PlWindow      *self);
/* What the drop target does with a GdkFileList value. */
gboolean    pl_window_drop_value         (PlWindow      *self,
                                          const GValue  *value);

void        pl_window_reload             (PlWindow      *self);

/* Live capture (win.capture-start and win.capture-stop do the same):
 * frames appear as they are captured; the file stays in the cache
 * ("unsaved") until pl_window_save_capture_to() or Save As. */
gboolean    pl_window_start_capture      (PlWindow      *self,
                                          const char    *device,
                                          const char    *filter,
                                          GError       **error);
void        pl_window_stop_capture       (PlWindow      *self);
struct _PlLiveCapture *pl_window_get_live_capture (PlWindow *self);
/* The finished capture's file in the cache until saved, or NULL. */
const char *pl_window_get_unsaved_capture (PlWindow     *self);
void        pl_window_save_capture_to    (PlWindow      *self,
                                          const char    *path);
/* TRUE while the ladder keeps the newest frame in view. */
gboolean    pl_window_is_following       (PlWindow      *self);
/* Looks (in a worker) for a capture a closed app left in the cache and
 * asks whether to recover it; the path asked about, or NULL. */
void        pl_window_offer_recovery     (PlWindow      *self);
const char *pl_window_get_recovery_offer (PlWindow      *self);
void        pl_window_cancel_load        (PlWindow      *self);

G_END_DECLS
