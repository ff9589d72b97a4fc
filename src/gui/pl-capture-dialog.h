/* pl-capture-dialog.h: the Capture dialog (interface, filter, Start). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PL_TYPE_CAPTURE_DIALOG (pl_capture_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PlCaptureDialog, pl_capture_dialog, PL, CAPTURE_DIALOG, AdwWindow)

/* Start activates win.capture-start on parent with the interface and the
 * filter chosen.  filter: the text to start from (the last one used). */
PlCaptureDialog *pl_capture_dialog_new             (GtkWindow       *parent,
                                                    const char      *filter);

/* For tests: the interfaces listed (loaded in a worker; NULL until then),
 * the one chosen, the filter, libpcap's complaint about it (or NULL), and
 * whether Start may be pressed. */
GListModel      *pl_capture_dialog_get_interfaces  (PlCaptureDialog *self);
const char      *pl_capture_dialog_get_interface   (PlCaptureDialog *self);
void             pl_capture_dialog_set_filter      (PlCaptureDialog *self,
                                                    const char      *filter);
const char      *pl_capture_dialog_get_filter_error (PlCaptureDialog *self);
gboolean         pl_capture_dialog_can_start       (PlCaptureDialog *self);
/* Presses Start. */
void             pl_capture_dialog_start           (PlCaptureDialog *self);

G_END_DECLS
