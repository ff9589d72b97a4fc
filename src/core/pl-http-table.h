/* pl-http-table.h: the capture's HTTP side table (core-internal).
 *
 * For every TCP stream that carries payload, one reassembler and one HTTP/1.x
 * parser (RFC 9112) per direction, fed by the loader in capture order, and
 * one compact record per message: stream offsets and the frame that carried
 * its first byte.  Nothing per segment is kept: the frames of a message are
 * found on demand by walking the frame table from that frame (the segments
 * of its stream and direction whose sequence range meets the message's
 * offsets, first copy wins, as the reassembler decided), and its bytes are
 * read back from those frames' payloads in the mapped file.  Parsers and
 * reassemblers live only during the load.  PlHttpMessage (the GObject the
 * GUI binds) is a view on one record.
 */
#pragma once

#include <glib.h>

#include "pl-conversation.h"
#include "pl-frame.h"
#include "pl-http-parser.h"

G_BEGIN_DECLS

#define PL_HTTP_NO_MESSAGE G_MAXUINT32

/* One message: 64 bytes. */
typedef struct
{
  guint64 start;           /* stream offset of the start line */
  guint64 end;             /* one past the last byte (body, chunked framing and trailers) */
  guint64 body_len;        /* body bytes without chunked framing, before content decoding */
  guint64 missing;         /* body bytes never captured (gaps) */
  guint32 head_len;        /* start line, header section and the empty line */
  guint32 trailer_len;     /* chunked trailer section at the end of [start, end) */
  guint32 stream;
  guint32 complete_frame;  /* frame whose arrival completed the message, or
                            * PL_HTTP_NO_MESSAGE when it never completed */
  guint32 partner;         /* request: its final response; response: the
                            * request it answers; or PL_HTTP_NO_MESSAGE */
  guint16 status;          /* responses */
  guint8  method;          /* PlHttpMethod (for responses: of the request) */
  guint8  framing;         /* PlHttpFraming */
  guint16 flags;           /* PlHttpMessageFlags */
  guint8  dir : 1;         /* 0 client to server, 1 server to client */
  guint8  is_request : 1;
  guint8  version_minor;
  guint32 first_frame;     /* frame that carried the start line's first byte
                            * (first copy), where the frame walk starts */
} PlHttpRecord;

G_STATIC_ASSERT (sizeof (PlHttpRecord) == 64);

typedef struct _PlHttpTable PlHttpTable;

typedef struct _PlCapture PlCapture;

/* capture is not referenced: it owns the table.  Lookups after the load
 * read its frame table and mapping. */
PlHttpTable        *pl_http_table_new             (PlCapture          *capture);
void                pl_http_table_free            (PlHttpTable        *table);

/* One TCP frame, after the conversation table filled frame->stream/dir.
 * payload points at the captured_len captured payload bytes, valid during
 * the call; keep at the same bytes inside the mapping, which must outlive
 * the table (what waits behind a hole is kept from there). */
void                pl_http_table_add             (PlHttpTable        *table,
                                                   guint32             frame_index,
                                                   const PlFrame      *frame,
                                                   const PlTcpStream  *stream,
                                                   const guint8       *payload,
                                                   const guint8       *keep,
                                                   guint32             captured_len);
/* End of the capture: flushes, finishes the parsers, orders the records by
 * first frame and frees what only parsing needed. */
void                pl_http_table_finish          (PlHttpTable        *table);

guint               pl_http_table_get_n_records   (PlHttpTable        *table);
const PlHttpRecord *pl_http_table_get_record      (PlHttpTable        *table,
                                                   guint               index);
/* A request's method token and request-target as its request line has
 * them (what pl_http_message_get_method_name() and _dup_uri() read back
 * from the capture), kept at parse time; NULL for a response.  A NUL in
 * them ends the string there, as in those.  Valid while the table lives. */
const char         *pl_http_table_get_method_token (PlHttpTable       *table,
                                                    guint              index);
const char         *pl_http_table_get_target       (PlHttpTable       *table,
                                                    guint              index);
/* A request's method as pl_http_message_get_method_name() names it: the
 * known name, or the token of another method; NULL for a response. */
const char         *pl_http_table_get_method_name  (PlHttpTable       *table,
                                                    guint              index);

/* Frames whose bytes were taken for [offset, offset + length) of one
 * direction (first copy wins), in stream order, without repeating a frame
 * twice in a row; at most max written, the count in all returned.  Only
 * after the load, for a range inside one message of the table.  From the
 * frame table alone: no frame is read back from the mapping. */
guint               pl_http_table_find_frames     (PlHttpTable        *table,
                                                   guint               record,
                                                   guint64             offset,
                                                   guint64             length,
                                                   guint32            *frames,
                                                   guint               max);
/* The same, all of them in a new array of guint32. */
GArray             *pl_http_table_dup_frames      (PlHttpTable        *table,
                                                   guint               record,
                                                   guint64             offset,
                                                   guint64             length);
/* The same found as pl_http_table_read() finds the bytes, each frame
 * decoded again (what the snap length kept): the same answer, slower; for
 * tests. */
guint               pl_http_table_find_frames_reading (PlHttpTable    *table,
                                                   guint               record,
                                                   guint64             offset,
                                                   guint64             length,
                                                   guint32            *frames,
                                                   guint               max);
/* Appends the stream bytes [offset, offset + length) of record's direction
 * to out; FALSE (and nothing appended) when part of the range was never
 * captured.  Only after the load, for a range inside the record. */
gboolean            pl_http_table_read            (PlHttpTable        *table,
                                                   guint               record,
                                                   guint64             offset,
                                                   guint64             length,
                                                   GByteArray         *out);
/* The first record (in table order) completed in frame, or PL_HTTP_NO_MESSAGE. */
guint               pl_http_table_find_completed  (PlHttpTable        *table,
                                                   guint32             frame);
/* FALSE when a direction of the stream carried bytes that are not HTTP. */
gboolean            pl_http_table_stream_is_http  (PlHttpTable        *table,
                                                   guint32             stream);

/* Defined in pl-capture.c, which owns the table. */
PlHttpTable        *pl_capture_get_http_table     (PlCapture          *capture);

G_END_DECLS
