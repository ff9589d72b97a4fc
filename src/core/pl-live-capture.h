/* pl-live-capture.h: a capture that happens now.
 *
 * A PlLiveCapture captures on one interface (libpcap in a thread when the
 * process may open the device; otherwise dumpcap writing pcapng on a
 * pipe), queues the packets in a bounded ring, and a writer thread appends
 * them to a pcapng file as they come (a temporary name, renamed when the
 * capture ends).  The file is what everybody reads: the command line and
 * the window load it with the same loader as any capture, again as it
 * grows, so a live capture and the file it leaves give the same answer.
 * Signals are emitted in the main context of the thread that made the
 * object.
 */
#pragma once

#include <gio/gio.h>

#include "pl-pcap-live.h"

G_BEGIN_DECLS

#define PL_TYPE_LIVE_CAPTURE (pl_live_capture_get_type ())

G_DECLARE_FINAL_TYPE (PlLiveCapture, pl_live_capture, PL, LIVE_CAPTURE, GObject)

typedef enum
{
  PL_LIVE_METHOD_NONE,     /* not opened yet */
  PL_LIVE_METHOD_LIBPCAP,  /* this process opened the device */
  PL_LIVE_METHOD_DUMPCAP,  /* dumpcap captures for us */
  PL_LIVE_METHOD_REPLAY,   /* PL_LIVE_REPLAY: a file replayed as if live (tests) */
} PlLiveMethod;

/* device: an interface name from pl_live_list_interfaces().  filter: a
 * pcap-filter(7) expression or NULL. */
PlLiveCapture *pl_live_capture_new            (const char     *device,
                                               const char     *filter);
/* Stop by itself after this many frames (0: no limit).  Before start. */
void           pl_live_capture_set_max_frames (PlLiveCapture  *self,
                                               guint64         max_frames);

/* Checks the filter and starts the capture, writing to a temporary file
 * beside path, renamed to path when the capture ends.  Opening the device
 * happens in the capture thread: a failure (no permission, no such
 * device) arrives with ::finished.  FALSE with PL_LIVE_ERROR_FILTER or
 * _WRITE when nothing could start. */
gboolean       pl_live_capture_start          (PlLiveCapture  *self,
                                               const char     *path,
                                               GError        **error);
/* Ends the capture: what was captured is written, the file renamed, then
 * ::finished.  Returns at once; any number of times. */
void           pl_live_capture_stop           (PlLiveCapture  *self);

gboolean       pl_live_capture_is_running     (PlLiveCapture  *self);
gboolean       pl_live_capture_is_finished    (PlLiveCapture  *self);
PlLiveMethod   pl_live_capture_get_method     (PlLiveCapture  *self);
const char    *pl_live_capture_get_device     (PlLiveCapture  *self);
const char    *pl_live_capture_get_filter     (PlLiveCapture  *self);
/* The file being written (the temporary name while the capture runs, the
 * final one after ::finished), or NULL when nothing was written. */
char          *pl_live_capture_dup_path       (PlLiveCapture  *self);
/* Frames written to the file so far (complete pcapng blocks). */
guint64        pl_live_capture_get_n_frames   (PlLiveCapture  *self);
/* Frames lost: dropped by the kernel (libpcap's statistics) plus those
 * that found the ring full. */
guint64        pl_live_capture_get_n_dropped  (PlLiveCapture  *self);
/* Why the capture ended early or never started, or NULL. */
const GError  *pl_live_capture_get_error      (PlLiveCapture  *self);

/* The words to tell a user who may not capture, naming what to do. */
char          *pl_live_permission_advice      (void);

G_END_DECLS
