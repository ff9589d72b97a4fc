/* pl-capture.h: an opened capture file: the mapped bytes, the frame table,
 * the TCP streams and the notes on frames.  Loading walks the file once
 * (synchronously, or in a worker thread with pl_capture_load_async()).
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture-reader.h"
#include "pl-conversation.h"
#include "pl-frame.h"
#include "pl-packet.h"

G_BEGIN_DECLS

#define PL_TYPE_CAPTURE (pl_capture_get_type ())

G_DECLARE_FINAL_TYPE (PlCapture, pl_capture, PL, CAPTURE, GObject)

/* A remark on one frame: a header that could not be decoded, later the
 * analysis.  Text is a static untranslated string. */
typedef struct
{
  guint32     frame;
  const char *text;
} PlNote;

/* Called from the loading thread every few thousand frames: fraction of
 * the file read, 0..1. */
typedef void (*PlCaptureProgressFunc) (double   fraction,
                                       gpointer user_data);

PlCapture         *pl_capture_new                 (GFile                 *file);
/* A capture of bytes in memory; display_name names it in messages. */
PlCapture         *pl_capture_new_for_bytes       (GBytes                *bytes,
                                                   const char            *display_name);
/* NULL for a capture made with pl_capture_new_for_bytes(). */
GFile             *pl_capture_get_file            (PlCapture             *self);
/* The name used in messages: the path as the user gave it, or the URI. */
const char        *pl_capture_get_display_name    (PlCapture             *self);

gboolean           pl_capture_load                (PlCapture             *self,
                                                   GCancellable          *cancellable,
                                                   PlCaptureProgressFunc  progress,
                                                   gpointer               progress_data,
                                                   GError               **error);
void               pl_capture_load_async          (PlCapture             *self,
                                                   GCancellable          *cancellable,
                                                   PlCaptureProgressFunc  progress,
                                                   gpointer               progress_data,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean           pl_capture_load_finish         (PlCapture             *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);

gboolean           pl_capture_is_loaded           (PlCapture             *self);
/* Set when the file could be opened but reading stopped early (a record
 * cut short by a writer still running, a corrupt block): every frame
 * before it is loaded.  NULL otherwise. */
const GError      *pl_capture_get_warning         (PlCapture             *self);
PlCaptureFormat    pl_capture_get_format          (PlCapture             *self);

/* FALSE with PL_CAPTURE_ERROR_CHANGED ("FILE was truncated") when the file
 * shrank since it was opened (truncated, or written again from the start):
 * frames past its new end read as zeros, so what was read from it since
 * may be wrong; open it again.  Never crashes on such a file: reads of the
 * mapping past the end are guarded.  Cheap (an fstat); any thread.  TRUE
 * for captures of bytes in memory. */
gboolean           pl_capture_check_file          (PlCapture             *self,
                                                   GError               **error);

guint              pl_capture_get_n_interfaces    (PlCapture             *self);
const PlInterface *pl_capture_get_interface       (PlCapture             *self,
                                                   guint                  index);

/* Appends v in decimal, as "%" G_GUINT64_FORMAT would, without the
 * temporary string g_string_append_printf() allocates: the dumps write a
 * few numbers for each of millions of frames. */
static inline void
pl_string_append_uint (GString *out,
                       guint64  v)
{
  char digits[20];
  guint n = 0;

  do
    {
      digits[sizeof digits - 1 - n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  g_string_append_len (out, digits + sizeof digits - n, (gssize) n);
}

guint              pl_capture_get_n_frames        (PlCapture             *self);
const PlFrame     *pl_capture_get_frame           (PlCapture             *self,
                                                   guint                  index);
/* The frame's time as tshark 4.0 prints frame.time_epoch: seconds, ".",
 * nanoseconds (at least 9 digits), from the record as Wireshark reads it
 * (see pl_capture_reader_get_wiretap_time()): a damaged timestamp prints
 * as tshark prints it.  Appended to out. */
void               pl_capture_append_frame_epoch  (PlCapture             *self,
                                                   guint                  index,
                                                   GString               *out);
/* The frame's captured bytes, inside the mapping (valid while self lives). */
const guint8      *pl_capture_get_frame_data      (PlCapture             *self,
                                                   guint                  index,
                                                   guint32               *caplen);
guint32            pl_capture_get_frame_linktype  (PlCapture             *self,
                                                   guint                  index);
/* Decodes the frame's headers again from the mapping. */
void               pl_capture_decode_frame        (PlCapture             *self,
                                                   guint                  index,
                                                   PlPacket              *packet);
/* Frames visited in order (the dumps): the same bytes as above, read ahead
 * with read() on another thread instead of touched in the mapping page by
 * page (see pl-read-ahead.h).  Frames asked for out of order come from the
 * mapping.  One thread at a time; data is valid until the next call. */
typedef struct _PlFrameScan PlFrameScan;
PlFrameScan       *pl_frame_scan_new              (PlCapture             *capture);
void               pl_frame_scan_free             (PlFrameScan           *scan);
const guint8      *pl_frame_scan_get_data         (PlFrameScan           *scan,
                                                   guint                  index,
                                                   guint32               *caplen);
void               pl_frame_scan_decode           (PlFrameScan           *scan,
                                                   guint                  index,
                                                   PlPacket              *packet);
void               pl_frame_scan_append_epoch     (PlFrameScan           *scan,
                                                   guint                  index,
                                                   GString               *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlFrameScan, pl_frame_scan_free)

/* Whether the frame's TCP header carries an option of this kind (5: SACK),
 * read from its bytes without decoding the rest: cheap enough for every
 * arrow of a ladder. */
gboolean           pl_capture_frame_has_tcp_option (PlCapture             *self,
                                                    guint                  index,
                                                    guint8                 kind);
/* Whether the frame is an ACK carrying the SACK option (kind 5): noted
 * while loading, so a ladder of a long stream reads no frame back. */
gboolean           pl_capture_frame_has_sack      (PlCapture             *self,
                                                   guint                  index);

guint              pl_capture_get_n_streams       (PlCapture             *self);
const PlTcpStream *pl_capture_get_stream          (PlCapture             *self,
                                                   guint                  index);

/* Notes on one frame, in the order they were made; returns how many and
 * points *notes at the first (the array is sorted by frame). */
guint              pl_capture_get_frame_notes     (PlCapture             *self,
                                                   guint                  index,
                                                   const PlNote         **notes);

/* For the loader's own helpers (the HTTP table), from the loading thread
 * while the load runs: a note on a frame.  text is static, marked N_(). */
void               pl_capture_note_frame          (PlCapture             *self,
                                                   guint32                frame,
                                                   const char            *text);

G_END_DECLS
