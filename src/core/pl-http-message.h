/* pl-http-message.h: one HTTP/1.x message of a capture, as the GUI binds it
 * (RFC 9112 syntax, RFC 9110 semantics; Content-Range and
 * multipart/byteranges per RFC 9110 sections 14.4 and 14.6).
 *
 * A PlHttpMessage is a light view on a record of the capture's HTTP table:
 * the record holds stream offsets only, and everything else (start line,
 * header fields with their stream positions, the body) is read back from the
 * mapped capture, by walking the frames that carried it, when asked.
 * Objects are made on demand, never one per packet.
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture.h"
#include "pl-http-parser.h"

G_BEGIN_DECLS

#define PL_TYPE_HTTP_MESSAGE (pl_http_message_get_type ())

G_DECLARE_FINAL_TYPE (PlHttpMessage, pl_http_message, PL, HTTP_MESSAGE, GObject)

/* Bodies are decoded into memory up to this size; beyond it, an error. */
#define PL_HTTP_BODY_MAX ((gsize) 256 * 1024 * 1024)

#define PL_HTTP_NO_FRAME G_MAXUINT32

/* A header field line and where it sits in its direction's byte stream. */
typedef struct
{
  char   *name;      /* as sent (case kept) */
  char   *value;     /* obsolete folds replaced by one space */
  guint64 offset;    /* stream offset of the name */
  guint32 length;    /* bytes of the field line(s), without the final line end */
} PlHttpField;

/* A byte range of the selected representation (RFC 9110 14.4): bytes
 * first..last inclusive of complete_length (-1 when "*"), found at
 * body_offset in the de-chunked body, length bytes long. */
typedef struct
{
  guint64 first;
  guint64 last;
  gint64  complete_length;
  guint64 body_offset;
  guint64 length;
} PlHttpRange;

/* Inclusive byte range, for coverage. */
typedef struct
{
  guint64 first;
  guint64 last;
} PlHttpByteRange;

/* Messages of a capture, in order of their first frame. */
guint          pl_capture_get_n_http_messages       (PlCapture      *capture);
PlHttpMessage *pl_capture_get_http_message          (PlCapture      *capture,
                                                     guint           index);
/* The first message completed in frame (the frame Wireshark shows the HTTP
 * fields on), or NULL. */
PlHttpMessage *pl_capture_get_http_message_completed_in (PlCapture  *capture,
                                                     guint           frame);
/* FALSE when the stream carries no HTTP message. */
gboolean       pl_capture_stream_has_http           (PlCapture      *capture,
                                                     guint           stream);

PlCapture     *pl_http_message_get_capture          (PlHttpMessage  *self);
guint          pl_http_message_get_index            (PlHttpMessage  *self);
guint          pl_http_message_get_stream           (PlHttpMessage  *self);
guint          pl_http_message_get_direction        (PlHttpMessage  *self);
gboolean       pl_http_message_is_request           (PlHttpMessage  *self);
/* PlHttpMessageFlags: missing bytes, truncated, limits hit... */
guint          pl_http_message_get_flags            (PlHttpMessage  *self);
PlHttpFraming  pl_http_message_get_framing          (PlHttpMessage  *self);

/* Start line.  For a response, the method is the request's. */
PlHttpMethod   pl_http_message_get_method           (PlHttpMessage  *self);
const char    *pl_http_message_get_method_name      (PlHttpMessage  *self);
/* The request-target as sent; for a response, its request's; NULL if none. */
char          *pl_http_message_dup_uri              (PlHttpMessage  *self);
guint          pl_http_message_get_status           (PlHttpMessage  *self);
char          *pl_http_message_dup_reason           (PlHttpMessage  *self);
guint          pl_http_message_get_version_minor    (PlHttpMessage  *self);

/* Frames: the first and last that carried its bytes, the one that
 * completed it (PL_HTTP_NO_FRAME when it never completed), and all of
 * them in stream order. */
guint          pl_http_message_get_first_frame      (PlHttpMessage  *self);
guint          pl_http_message_get_last_frame       (PlHttpMessage  *self);
guint          pl_http_message_get_complete_frame   (PlHttpMessage  *self);
GArray        *pl_http_message_dup_frames           (PlHttpMessage  *self);

/* Stream offsets of the message [start, end) and of its head. */
guint64        pl_http_message_get_offset           (PlHttpMessage  *self);
guint64        pl_http_message_get_wire_length      (PlHttpMessage  *self);
guint          pl_http_message_get_head_length      (PlHttpMessage  *self);
/* Body bytes after removing chunked framing, before content decoding. */
guint64        pl_http_message_get_body_length      (PlHttpMessage  *self);
guint64        pl_http_message_get_missing_length   (PlHttpMessage  *self);
/* Body bytes (without chunked framing) the capture holds: the body length
 * less what was never captured. */
guint64        pl_http_message_get_captured_body_length (PlHttpMessage *self);
/* The body length the message declared: its Content-Length, its chunk
 * sizes or the bytes until the close once it ended, 0 when it has no body
 * (HEAD, 1xx, 204, 304, a request without one).  FALSE when unknown (cut
 * before its end, a broken head or framing). */
gboolean       pl_http_message_get_declared_body_length (PlHttpMessage *self,
                                                     guint64        *length);
/* TRUE when the whole message, head and body, was captured and it ended
 * where its framing says (no gap, not cut by the end of the capture, head
 * and framing parsed).  A request line read leniently does not make it
 * incomplete (see pl_http_message_is_lenient()). */
gboolean       pl_http_message_is_complete          (PlHttpMessage  *self);
/* TRUE when the request line was not HTTP/1.x syntax and was read as
 * Wireshark reads it (PL_HTTP_MSG_LENIENT_START): "GET /" (HTTP/0.9), no
 * version, no target, a space inside the target.  The window marks such a
 * message malformed. */
gboolean       pl_http_message_is_lenient           (PlHttpMessage  *self);

/* The head as sent, NULL if it cannot be read back. */
GBytes        *pl_http_message_dup_head             (PlHttpMessage  *self);
/* PlHttpField elements (cleared with the array), in order, duplicates kept. */
GArray        *pl_http_message_dup_headers          (PlHttpMessage  *self);
/* Chunked trailer fields, same shape. */
GArray        *pl_http_message_dup_trailers         (PlHttpMessage  *self);
/* Value of the first field named name (case-insensitive), or NULL. */
char          *pl_http_message_dup_header           (PlHttpMessage  *self,
                                                     const char     *name);

/* Pairing: the request a response answers, the final response to a
 * request (NULL when not seen). */
PlHttpMessage *pl_http_message_get_request          (PlHttpMessage  *self);
PlHttpMessage *pl_http_message_get_response         (PlHttpMessage  *self);
/* Response time as Wireshark's http.time: from the frame completing the
 * request to the frame completing this response; -1 when unknown. */
gint64         pl_http_message_get_response_time_ns (PlHttpMessage  *self);

/* The Content-Range header of a 206 (single part); FALSE without one. */
gboolean       pl_http_message_get_content_range    (PlHttpMessage  *self,
                                                     PlHttpRange    *range);
/* Every range the response carries: its Content-Range, or the parts of a
 * multipart/byteranges body.  PlHttpRange elements; NULL and error when
 * the body cannot be read. */
GArray        *pl_http_message_dup_ranges           (PlHttpMessage  *self,
                                                     GError        **error);

/* The body without chunked framing; decoded for Content-Encoding gzip,
 * x-gzip and deflate (GZlibDecompressor) when decode is TRUE.  Errors
 * (G_IO_ERROR): no body, bytes never captured, beyond PL_HTTP_BODY_MAX,
 * a coding we do not decode, corrupt data. */
GBytes        *pl_http_message_dup_body             (PlHttpMessage  *self,
                                                     gboolean        decode,
                                                     GError        **error);
/* The decoded body into file, atomically: an existing file is replaced
 * only once the new one is complete. */
gboolean       pl_http_message_save_body            (PlHttpMessage  *self,
                                                     GFile          *file,
                                                     GError        **error);

/* The 200 and 206 responses for the same resource (Host and request-target
 * of this message's request) stitched into one object of *complete_length
 * bytes (holes zero-filled).  present and missing (PlHttpByteRange, may be
 * NULL) say which bytes the capture holds.  NULL and error when no response
 * says the length, or it is beyond PL_HTTP_BODY_MAX. */
GBytes        *pl_http_message_stitch               (PlHttpMessage  *self,
                                                     guint64        *complete_length,
                                                     GArray        **present,
                                                     GArray        **missing,
                                                     GError        **error);
/* The same object written into file atomically, read one response at a
 * time (never the whole object in memory); missing bytes are zeros in the
 * file and listed in *missing (PlHttpByteRange, may be NULL). */
gboolean       pl_http_message_save_stitched        (PlHttpMessage  *self,
                                                     GFile          *file,
                                                     guint64        *complete_length,
                                                     GArray        **missing,
                                                     GError        **error);

/* The coverage of the resource a Range series fetches (what a bar of
 * covered ranges shows): present and missing (PlHttpByteRange, merged, in
 * order; may be NULL) of *complete_length bytes, from the ranges its 200
 * and 206 responses say they carry and whose bodies were captured whole;
 * *responses (may be NULL) gets the indexes (guint) of those responses, in
 * capture order.  Reads no body except multipart/byteranges ones.  FALSE and
 * error as pl_http_message_stitch(). */
gboolean       pl_http_message_get_coverage         (PlHttpMessage  *self,
                                                     guint64        *complete_length,
                                                     GArray        **present,
                                                     GArray        **missing,
                                                     GArray        **responses,
                                                     GError        **error);

/* Where a TCP segment sits in the HTTP message it carries: "segment 3 of
 * 23 of HTTP/1.1 200 OK (frames 10–44)" (translated), for the frame tab
 * and the report; NULL when the frame carries no HTTP message bytes.
 * *index and *count (may be NULL) get k (from 1) and N. */
char          *pl_capture_describe_http_segment     (PlCapture      *capture,
                                                     guint           frame,
                                                     guint          *index,
                                                     guint          *count);

G_END_DECLS
