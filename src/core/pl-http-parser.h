/* pl-http-parser.h: HTTP/1.x message parsing over a reassembled byte stream
 * (RFC 9112 message syntax and framing, RFC 9110 semantics).
 *
 * Two levels, as picohttpparser does it:
 *
 *  - stateless pieces that return bytes consumed (> 0), or
 *    PL_HTTP_PARSE_INCOMPLETE when more bytes are needed, or a negative
 *    error: pl_http_parse_head() for a request or status line plus its
 *    header section, pl_http_chunked_decode() for the chunked transfer
 *    coding (non-destructive: it reports where the data runs are);
 *
 *  - PlHttpParser, the incremental parser of one direction of one TCP
 *    stream: it is fed the reassembler's in-order runs (with explicit gaps),
 *    recognises messages by content on any port, frames their bodies
 *    (Content-Length, chunked, connection close, no body) and reports each
 *    message as stream offsets, never copying a body.  Only the head of the
 *    message being parsed is buffered (at most PL_HTTP_MAX_HEAD bytes).
 *
 * Positions reported by the stateless pieces are offsets into the buffer
 * they were given; PlHttpParser reports 64-bit stream offsets.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits: a head beyond them is reported with a flag, not parsed. */
#define PL_HTTP_MAX_HEAD     (64 * 1024)
#define PL_HTTP_MAX_HEADERS  200
/* A chunk-size line (size and extensions) longer than this is an error. */
#define PL_HTTP_MAX_CHUNK_LINE 4096

#define PL_HTTP_PARSE_ERROR           (-1)
#define PL_HTTP_PARSE_INCOMPLETE      (-2)
#define PL_HTTP_PARSE_TOO_MANY_HEADERS (-3)

typedef enum
{
  PL_HTTP_METHOD_NONE = 0,
  PL_HTTP_METHOD_GET,
  PL_HTTP_METHOD_HEAD,
  PL_HTTP_METHOD_POST,
  PL_HTTP_METHOD_PUT,
  PL_HTTP_METHOD_DELETE,
  PL_HTTP_METHOD_CONNECT,
  PL_HTTP_METHOD_OPTIONS,
  PL_HTTP_METHOD_TRACE,
  PL_HTTP_METHOD_PATCH,
  /* WebDAV (RFC 4918), common enough on the wire to recognise. */
  PL_HTTP_METHOD_PROPFIND,
  PL_HTTP_METHOD_PROPPATCH,
  PL_HTTP_METHOD_MKCOL,
  PL_HTTP_METHOD_COPY,
  PL_HTTP_METHOD_MOVE,
  PL_HTTP_METHOD_LOCK,
  PL_HTTP_METHOD_UNLOCK,
  /* Any other token (RFC 9110 section 9.1: methods are tokens); its name is
   * read back from the request line. */
  PL_HTTP_METHOD_OTHER,
  PL_HTTP_N_METHODS
} PlHttpMethod;

/* A byte range [off, off + len) of the buffer given to the parser. */
typedef struct
{
  guint32 off;
  guint32 len;
} PlHttpSlice;

/* One header field line.  value excludes surrounding whitespace; after an
 * obsolete line folding it spans the fold (CRLF and the leading white
 * space), which pl_http_copy_value() turns into one space. */
typedef struct
{
  PlHttpSlice name;
  PlHttpSlice value;
} PlHttpHeader;

typedef struct
{
  gboolean     is_request;
  PlHttpSlice  method;         /* requests */
  PlHttpSlice  target;         /* requests: the request-target as sent */
  guint16      status;         /* responses */
  PlHttpSlice  reason;         /* responses (may be empty) */
  guint8       version_minor;  /* HTTP/1.x (0 when a lenient request line has none) */
  guint8       lenient;        /* a request line read leniently (see PL_HTTP_PARSE_LENIENT) */
  PlHttpHeader *headers;       /* the caller's array */
  gsize        n_headers;
} PlHttpHead;

/* Parse options. */
typedef enum
{
  PL_HTTP_PARSE_STRICT  = 0,
  /* Also request lines that are not "method SP target SP HTTP/1.x", read
   * as Wireshark reads them: a known method (pl_http_method_is_known())
   * followed by SP or the line end; the target is the next word (empty
   * after two spaces), the rest of the line the version.  So "GET /"
   * (HTTP/0.9), "GET /x" (no version), "GET HTTP/1.1" (no target: the
   * target reads "HTTP/1.1") and "GET /a b HTTP/1.1" (a space in the
   * target: "/a") are requests, flagged lenient.  A line that ends with
   * "HTTP/1.x" is read so in any case (Wireshark's heuristic takes it for
   * HTTP on any port). */
  PL_HTTP_PARSE_LENIENT = 1 << 0,
} PlHttpParseFlags;

/* Parses a start line and header section at buf.  headers has room for
 * max_headers.  Returns the head's length including the empty line that
 * ends it, PL_HTTP_PARSE_INCOMPLETE, PL_HTTP_PARSE_ERROR or
 * PL_HTTP_PARSE_TOO_MANY_HEADERS.  Bare LF line ends are accepted
 * (RFC 9112 section 2.2). */
gssize        pl_http_parse_head      (const guint8   *buf,
                                       gsize           len,
                                       PlHttpHead     *head,
                                       PlHttpHeader   *headers,
                                       gsize           max_headers);
/* The same with PlHttpParseFlags. */
gssize        pl_http_parse_head_full (const guint8   *buf,
                                       gsize           len,
                                       PlHttpHead     *head,
                                       PlHttpHeader   *headers,
                                       gsize           max_headers,
                                       guint           flags);

/* Does buf start a message?  Looks at the first line only: a request line
 * "token SP target SP HTTP/1.x" (any method token, RFC 9110 9.1), or a
 * status line "HTTP/1.x NNN".  Returns 1 (yes), 0 (no) or
 * PL_HTTP_PARSE_INCOMPLETE. */
int           pl_http_classify        (const guint8   *buf,
                                       gsize           len);
/* The same with PlHttpParseFlags. */
int           pl_http_classify_full   (const guint8   *buf,
                                       gsize           len,
                                       guint           flags);

/* PL_HTTP_METHOD_OTHER for a token that is none of the enumerated ones,
 * PL_HTTP_METHOD_NONE for an empty one. */
PlHttpMethod  pl_http_method_from_token (const guint8 *token,
                                         gsize         len);
/* "" for PL_HTTP_METHOD_OTHER: its name is in the request line. */
const char   *pl_http_method_to_string  (PlHttpMethod  method);
/* The methods Wireshark 4.0 knows (RFC 9110, WebDAV and its extensions,
 * UPnP's NOTIFY, SUBSCRIBE and UNSUBSCRIBE, CCM_POST, MS-RPCH, SSTP...):
 * the ones a lenient request line may start with. */
gboolean      pl_http_method_is_known (const guint8 *token,
                                       gsize         len);

/* Header helpers over a parsed head (buf is the head's bytes). */
gboolean      pl_http_header_name_is  (const guint8       *buf,
                                       const PlHttpHeader *header,
                                       const char         *name);
/* The value with obsolete folds replaced by one space (RFC 9112 5.2). */
char         *pl_http_copy_value      (const guint8       *buf,
                                       const PlHttpHeader *header);
/* The first header named name, or NULL. */
const PlHttpHeader *pl_http_head_find (const PlHttpHead   *head,
                                       const guint8       *buf,
                                       const char         *name);

/* Chunked transfer coding (RFC 9112 section 7.1), decoded without copying. */
typedef struct
{
  guint8  state;
  guint8  n_digits;
  guint32 line_len;     /* bytes of the current chunk-size or trailer line */
  guint64 size;         /* the chunk size being read, then the data left */
  guint64 data_bytes;   /* chunk data so far */
  guint32 n_chunks;     /* chunks with data */
  guint32 trailer_len;  /* trailer section, with its final empty line */
  guint32 n_trailers;
  gsize   error_pos;    /* after an error: the offending byte's index in that call's buf */
} PlHttpChunkedDecoder;

void          pl_http_chunked_init    (PlHttpChunkedDecoder *d);
/* Consumes framing at buf and at most one run of chunk data, which it
 * reports as buf[*data_off .. *data_off + *data_len).  Returns bytes
 * consumed (0 only when len is 0 or the coding is done) or
 * PL_HTTP_PARSE_ERROR. */
gssize        pl_http_chunked_decode  (PlHttpChunkedDecoder *d,
                                       const guint8         *buf,
                                       gsize                 len,
                                       gsize                *data_off,
                                       gsize                *data_len);
gboolean      pl_http_chunked_is_done (const PlHttpChunkedDecoder *d);
/* TRUE in the middle of chunk data: a gap of up to d->size bytes can be
 * counted as missing data without losing the framing. */
gboolean      pl_http_chunked_in_data (const PlHttpChunkedDecoder *d);

/* How a message body is delimited (RFC 9112 section 6.3). */
typedef enum
{
  PL_HTTP_FRAMING_NONE,     /* no body: HEAD, 1xx, 204, 304, or a request without one */
  PL_HTTP_FRAMING_LENGTH,   /* Content-Length */
  PL_HTTP_FRAMING_CHUNKED,  /* Transfer-Encoding: chunked */
  PL_HTTP_FRAMING_CLOSE,    /* until the connection closes */
  PL_HTTP_FRAMING_TUNNEL,   /* 101 or 2xx to CONNECT: HTTP ends after the head */
} PlHttpFraming;

typedef enum
{
  PL_HTTP_MSG_MISSING_BYTES   = 1 << 0, /* a gap inside the body: counted, never captured */
  PL_HTTP_MSG_TRUNCATED       = 1 << 1, /* the stream ended before the message did */
  PL_HTTP_MSG_BAD_HEAD        = 1 << 2, /* the header section does not parse */
  PL_HTTP_MSG_HEAD_TOO_LARGE  = 1 << 3, /* head beyond PL_HTTP_MAX_HEAD */
  PL_HTTP_MSG_TOO_MANY_HEADERS = 1 << 4, /* more than PL_HTTP_MAX_HEADERS fields */
  PL_HTTP_MSG_BAD_FRAMING     = 1 << 5, /* bad Content-Length or chunked coding */
  PL_HTTP_MSG_CUT_BY_GAP      = 1 << 6, /* a gap where framing was needed: ended there */
  PL_HTTP_MSG_HEAD_CUT        = 1 << 7, /* a gap inside the head: only the start line is known */
  PL_HTTP_MSG_LENIENT_START   = 1 << 8, /* a request line not in HTTP/1.x syntax, read as
                                         * Wireshark reads it (PL_HTTP_PARSE_LENIENT) */
} PlHttpMessageFlags;

#define PL_HTTP_MSG_BROKEN (PL_HTTP_MSG_BAD_HEAD | PL_HTTP_MSG_HEAD_TOO_LARGE | \
                            PL_HTTP_MSG_TOO_MANY_HEADERS | PL_HTTP_MSG_HEAD_CUT)

/* One message as the stream parser reports it: all positions are stream
 * offsets.  The body is [start + head_len, end); for chunked bodies that
 * includes the framing and the trailer section (its last trailer_len
 * bytes).  body_len is the body without chunked framing (gaps counted). */
typedef struct
{
  guint64 start;
  guint64 end;
  guint64 body_len;
  guint64 missing;         /* gap bytes inside the body */
  guint32 head_len;
  guint32 trailer_len;
  guint16 status;          /* 0 for a request */
  guint8  method;          /* PlHttpMethod: the request's, or the one a response answers */
  guint8  framing;         /* PlHttpFraming */
  guint16 flags;           /* PlHttpMessageFlags */
  guint8  version_minor;
  gboolean is_request;
  /* Requests whose start line was read (also in a broken head): its
   * method token and request-target in the head bytes given to begin;
   * otherwise both empty. */
  PlHttpSlice method_token;
  PlHttpSlice target;
} PlHttpParsedMessage;

typedef struct
{
  /* A head was parsed (head NULL for a broken head: then flags say why
   * and only the start line may be known).  For a final response, set
   * msg->method to the method of the request it answers (it decides
   * whether there is a body); framing is decided after this returns.
   * head_bytes are msg->head_len bytes, valid during the call. */
  void (*begin) (gpointer             user_data,
                 PlHttpParsedMessage *msg,
                 const guint8        *head_bytes,
                 const PlHttpHead    *head);
  /* The message ended: complete, or see msg->flags. */
  void (*end)   (gpointer                   user_data,
                 const PlHttpParsedMessage *msg);
  /* Bytes between two messages were never captured: at least one message
   * of this direction was lost without a trace (may be NULL). */
  void (*lost)  (gpointer                   user_data);
} PlHttpParserCallbacks;

typedef enum
{
  PL_HTTP_PARSER_HEAD,     /* expecting or reading a head */
  PL_HTTP_PARSER_RESYNC,   /* skipping to the next line start */
  PL_HTTP_PARSER_BODY_LENGTH,
  PL_HTTP_PARSER_BODY_CHUNKED,
  PL_HTTP_PARSER_BODY_CLOSE,
  PL_HTTP_PARSER_DONE,     /* after a tunnel, or finished */
  PL_HTTP_PARSER_NOT_HTTP, /* the stream did not start with HTTP */
} PlHttpParserState;

/* Plain struct, meant to be embedded; no allocation until a head spans
 * deliveries (then one buffer, reused, at most PL_HTTP_MAX_HEAD). */
typedef struct
{
  const PlHttpParserCallbacks *callbacks;
  gpointer             user_data;
  PlHttpParserState    state;
  gboolean             resync;      /* the next head may be junk: scan instead of giving up */
  gboolean             lenient;     /* read request lines with PL_HTTP_PARSE_LENIENT */
  gboolean             end_after;   /* stop after the current message (the peer upgraded) */
  gboolean             in_message;
  guint32              n_messages;
  guint64              offset;      /* stream offset of the next byte */
  GByteArray          *buf;         /* head bytes, from stream offset buf_start */
  guint64              buf_start;
  gsize                scan;        /* where to look for the end of the head */
  gboolean             classified;  /* buf starts with a message start line */
  guint64              left;        /* BODY_LENGTH: bytes to go */
  PlHttpChunkedDecoder chunked;
  PlHttpParsedMessage  msg;
} PlHttpParser;

void     pl_http_parser_init      (PlHttpParser                *p,
                                   const PlHttpParserCallbacks *callbacks,
                                   gpointer                     user_data);
void     pl_http_parser_clear     (PlHttpParser                *p);
/* In-order bytes [offset, offset + len); data NULL for a gap.  offset must
 * follow the previous call's bytes. */
void     pl_http_parser_feed      (PlHttpParser                *p,
                                   guint64                      offset,
                                   const guint8                *data,
                                   gsize                        len);
/* The stream ended: closed TRUE when the peer closed it (FIN or RST), which
 * completes a close-delimited body; otherwise the capture just stopped.  A
 * start line whose head never ended (an HTTP/0.9 request has none) is
 * reported, truncated.  Frees the buffer; later bytes are ignored. */
void     pl_http_parser_finish    (PlHttpParser                *p,
                                   gboolean                     closed);
/* The other direction switched protocols: this one stops being HTTP once
 * its current message is complete. */
void     pl_http_parser_end_http  (PlHttpParser                *p);
gboolean pl_http_parser_is_http   (const PlHttpParser          *p);
/* TRUE when later bytes can no longer produce a message. */
gboolean pl_http_parser_is_done   (const PlHttpParser          *p);

G_END_DECLS
