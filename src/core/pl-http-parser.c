/* pl-http-parser.c: HTTP/1.x heads, chunked coding and the incremental
 * per-direction parser (RFC 9112; RFC 9110 for which responses have no
 * body).
 *
 * The stateless parsers follow picohttpparser's contract (consumed /
 * incomplete / error) so the incremental parser can call them again on a
 * longer buffer; their unit tests split every message at every byte.  Every
 * byte is read through pl-byte-reader.h.
 *
 * Recipients are lenient where RFC 9112 lets them be (bare LF line ends,
 * empty lines before a request line, obsolete line folding), because the
 * point is to show what was on the wire, and strict where framing is at
 * stake (conflicting Content-Length values, a bad chunk size): those end
 * the message with a flag and the parser looks for the next message start.
 */
#include "config.h"

#include <string.h>

#include "pl-byte-reader.h"
#include "pl-http-parser.h"

static const char * const method_names[PL_HTTP_N_METHODS] = {
  [PL_HTTP_METHOD_NONE] = "",
  [PL_HTTP_METHOD_GET] = "GET",
  [PL_HTTP_METHOD_HEAD] = "HEAD",
  [PL_HTTP_METHOD_POST] = "POST",
  [PL_HTTP_METHOD_PUT] = "PUT",
  [PL_HTTP_METHOD_DELETE] = "DELETE",
  [PL_HTTP_METHOD_CONNECT] = "CONNECT",
  [PL_HTTP_METHOD_OPTIONS] = "OPTIONS",
  [PL_HTTP_METHOD_TRACE] = "TRACE",
  [PL_HTTP_METHOD_PATCH] = "PATCH",
  [PL_HTTP_METHOD_PROPFIND] = "PROPFIND",
  [PL_HTTP_METHOD_PROPPATCH] = "PROPPATCH",
  [PL_HTTP_METHOD_MKCOL] = "MKCOL",
  [PL_HTTP_METHOD_COPY] = "COPY",
  [PL_HTTP_METHOD_MOVE] = "MOVE",
  [PL_HTTP_METHOD_LOCK] = "LOCK",
  [PL_HTTP_METHOD_UNLOCK] = "UNLOCK",
  [PL_HTTP_METHOD_OTHER] = "",
};

/* Wireshark 4.0's list (packet-http.c, is_http_request_or_reply()). */
static const char * const known_methods[] = {
  "GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE",
  "MKCOL", "TRACE", "PATCH", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK",
  "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS", "CHECKIN",
  "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND",
  "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "RPC_CONNECT",
  "RPC_IN_DATA", "UNSUBSCRIBE", "RPC_OUT_DATA", "VERSION-CONTROL",
  "BASELINE-CONTROL", "SSTP_DUPLEX_POST",
};

/* No method is this long; a longer "token" is not taken for one. */
#define MAX_METHOD_LEN 32

PlHttpMethod
pl_http_method_from_token (const guint8 *token,
                           gsize         len)
{
  guint i;

  if (len == 0)
    return PL_HTTP_METHOD_NONE;
  for (i = 1; i < PL_HTTP_METHOD_OTHER; i++)
    if (strlen (method_names[i]) == len && memcmp (method_names[i], token, len) == 0)
      return (PlHttpMethod) i;
  return PL_HTTP_METHOD_OTHER;
}

gboolean
pl_http_method_is_known (const guint8 *token,
                         gsize         len)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (known_methods); i++)
    if (strlen (known_methods[i]) == len && memcmp (known_methods[i], token, len) == 0)
      return TRUE;
  return FALSE;
}

const char *
pl_http_method_to_string (PlHttpMethod method)
{
  return (guint) method < PL_HTTP_N_METHODS ? method_names[method] : "";
}

/* Where a resynchronising parser tries a candidate start line: an upper
 * case letter ("HTTP/" and every registered method start so; methods are
 * case-sensitive, RFC 9110 9.1). */
static gboolean
is_start_byte (guint8 c)
{
  return c >= 'A' && c <= 'Z';
}

static gboolean
is_tchar (guint8 c)
{
  /* RFC 9110 5.6.2 token characters. */
  if (g_ascii_isalnum (c))
    return TRUE;
  return c != 0 && strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

static gssize
find_lf (PlByteReader *r,
         gsize         from)
{
  const guint8 *p;

  if (from >= r->len)
    return -1;
  p = memchr (r->data + from, '\n', r->len - from);
  return p != NULL ? p - r->data : -1;
}

/* Line [start, lf) without its CR. */
static gsize
line_end (PlByteReader *r,
          gsize         start,
          gsize         lf)
{
  if (lf > start && pl_byte_reader_peek_u8 (r, lf - 1) == '\r')
    return lf - 1;
  return lf;
}

/* "HTTP/1.d" at off? */
static gboolean
is_version (PlByteReader *r,
            gsize         off,
            guint8       *minor)
{
  static const char prefix[] = "HTTP/1.";
  gsize k;
  guint8 d;

  for (k = 0; k < sizeof prefix - 1; k++)
    if (pl_byte_reader_peek_u8 (r, off + k) != (guint8) prefix[k])
      return FALSE;
  d = pl_byte_reader_peek_u8 (r, off + k);
  if (r->overrun || !g_ascii_isdigit (d))
    return FALSE;
  if (minor != NULL)
    *minor = (guint8) (d - '0');
  return TRUE;
}

/* Does the line [0, end) end with "HTTP/1.d"?  Wireshark's heuristic takes
 * such a first line for HTTP on any port, and then reads it leniently. */
static gboolean
ends_with_version (PlByteReader *r,
                   gsize         end)
{
  return end >= 8 && is_version (r, end - 8, NULL);
}

/* A request line as Wireshark reads one it cannot read strictly: a known
 * method, then SP or the end; the target is the next word (empty after
 * two spaces), the rest is the version. */
static gboolean
parse_lenient_request (PlByteReader *r,
                       gsize         end,
                       PlHttpHead   *head)
{
  gsize m, t, te, v;

  /* Control characters (but CR) mean it is no text line at all; the same
   * test rejects a candidate early while its line is still incomplete
   * (pl_http_classify_full()), so every split decides alike. */
  for (v = 0; v < end; v++)
    {
      guint8 c = pl_byte_reader_peek_u8 (r, v);

      if ((c < ' ' && c != '\r') || c == 0x7f)
        return FALSE;
    }
  for (m = 0; m < end && pl_byte_reader_peek_u8 (r, m) != ' '; m++)
    ;
  if (m == 0 || m > MAX_METHOD_LEN || !pl_http_method_is_known (r->data, m))
    return FALSE;
  t = m < end ? m + 1 : end;
  if (t < end && pl_byte_reader_peek_u8 (r, t) == ' ')
    te = t;  /* two spaces: an empty target */
  else
    for (te = t; te < end && pl_byte_reader_peek_u8 (r, te) != ' '; te++)
      ;
  for (v = te; v < end && pl_byte_reader_peek_u8 (r, v) == ' '; v++)
    ;
  memset (head, 0, sizeof *head);
  head->is_request = TRUE;
  head->lenient = TRUE;
  head->method.len = (guint32) m;
  head->target.off = (guint32) t;
  head->target.len = (guint32) (te - t);
  if (end - v == 8 && is_version (r, v, &head->version_minor))
    ;
  else
    head->version_minor = 0;
  return TRUE;
}

/* Start line [0, end) into head; FALSE when it is not one. */
static gboolean
parse_start_line (PlByteReader *r,
                  gsize         end,
                  PlHttpHead   *head,
                  guint         flags)
{
  gsize i, sp1, sp2;

  memset (head, 0, sizeof *head);
  if (end >= 5 && pl_byte_reader_peek_u8 (r, 0) == 'H' && pl_byte_reader_peek_u8 (r, 4) == '/' &&
      is_version (r, 0, &head->version_minor))
    {
      guint status = 0;

      /* status-line = HTTP-version SP status-code SP [ reason-phrase ] */
      if (end < 12 || pl_byte_reader_peek_u8 (r, 8) != ' ')
        return FALSE;
      for (i = 9; i < 12; i++)
        {
          guint8 c = pl_byte_reader_peek_u8 (r, i);

          if (!g_ascii_isdigit (c))
            return FALSE;
          status = status * 10 + (c - '0');
        }
      if (status < 100)
        return FALSE;
      if (end > 12 && pl_byte_reader_peek_u8 (r, 12) != ' ')
        return FALSE;
      head->is_request = FALSE;
      head->status = (guint16) status;
      head->reason.off = end > 12 ? 13 : 12;
      head->reason.len = (guint32) (end - head->reason.off);
      return TRUE;
    }

  /* request-line = method SP request-target SP HTTP-version, the method
   * any token (RFC 9110 9.1). */
  for (sp1 = 0; sp1 < end && is_tchar (pl_byte_reader_peek_u8 (r, sp1)); sp1++)
    ;
  if (ends_with_version (r, end))
    flags |= PL_HTTP_PARSE_LENIENT;
  if (sp1 == 0 || sp1 >= end || pl_byte_reader_peek_u8 (r, sp1) != ' ' || end < sp1 + 1 + 1 + 9)
    return (flags & PL_HTTP_PARSE_LENIENT) && parse_lenient_request (r, end, head);
  sp2 = end - 9;
  if (pl_byte_reader_peek_u8 (r, sp2) != ' ' || !is_version (r, sp2 + 1, &head->version_minor))
    return (flags & PL_HTTP_PARSE_LENIENT) && parse_lenient_request (r, end, head);
  for (i = sp1 + 1; i < sp2; i++)
    {
      guint8 c = pl_byte_reader_peek_u8 (r, i);

      /* Visible characters only; anything else means it is not a
       * request-target (RFC 9112 3.2). */
      if (c <= ' ' || c == 0x7f)
        return (flags & PL_HTTP_PARSE_LENIENT) && parse_lenient_request (r, end, head);
    }
  head->is_request = TRUE;
  head->method.off = 0;
  head->method.len = (guint32) sp1;
  head->target.off = (guint32) sp1 + 1;
  head->target.len = (guint32) (sp2 - sp1 - 1);
  return TRUE;
}

int
pl_http_classify (const guint8 *buf,
                  gsize         len)
{
  return pl_http_classify_full (buf, len, PL_HTTP_PARSE_STRICT);
}

int
pl_http_classify_full (const guint8 *buf,
                       gsize         len,
                       guint         flags)
{
  PlByteReader r;
  PlHttpHead head;
  gssize lf;
  gsize i;

  pl_byte_reader_init (&r, buf, len);
  if (len == 0)
    return PL_HTTP_PARSE_INCOMPLETE;

  if (pl_byte_reader_peek_u8 (&r, 0) == 'H' && len >= 2 && pl_byte_reader_peek_u8 (&r, 1) == 'T')
    {
      /* "HTTP/1.d NNN": decide on the first 12 bytes. */
      static const char pattern[] = "HTTP/1.# ###";

      for (i = 0; i < MIN (len, sizeof pattern - 1); i++)
        {
          guint8 c = pl_byte_reader_peek_u8 (&r, i);

          if (pattern[i] == '#' ? !g_ascii_isdigit (c) : c != (guint8) pattern[i])
            return 0;
        }
      if (len < sizeof pattern - 1)
        return PL_HTTP_PARSE_INCOMPLETE;
      return 1;
    }

  /* A request line: a method token, then the whole line must parse (a
   * lenient one may end after a known method). */
  for (i = 0; i < len && is_tchar (pl_byte_reader_peek_u8 (&r, i)); i++)
    ;
  if (i == 0 || i > MAX_METHOD_LEN)
    return 0;
  if (i == len)
    return PL_HTTP_PARSE_INCOMPLETE;
  if (pl_byte_reader_peek_u8 (&r, i) != ' ' &&
      !((flags & PL_HTTP_PARSE_LENIENT) && pl_http_method_is_known (buf, i) &&
        (pl_byte_reader_peek_u8 (&r, i) == '\r' || pl_byte_reader_peek_u8 (&r, i) == '\n')))
    return 0;
  lf = find_lf (&r, i);
  if (lf < 0)
    {
      /* Stop waiting at the head limit, or at a byte no request-target
       * holds: junk must not be buffered up to 64 KiB. */
      for (i = i + 1; i < len; i++)
        {
          guint8 c = pl_byte_reader_peek_u8 (&r, i);

          if ((c < ' ' && c != '\r') || c == 0x7f)
            return 0;
        }
      return len >= PL_HTTP_MAX_HEAD ? 0 : PL_HTTP_PARSE_INCOMPLETE;
    }
  return parse_start_line (&r, line_end (&r, 0, (gsize) lf), &head, flags) ? 1 : 0;
}

gssize
pl_http_parse_head (const guint8 *buf,
                    gsize         len,
                    PlHttpHead   *head,
                    PlHttpHeader *headers,
                    gsize         max_headers)
{
  return pl_http_parse_head_full (buf, len, head, headers, max_headers, PL_HTTP_PARSE_STRICT);
}

gssize
pl_http_parse_head_full (const guint8 *buf,
                         gsize         len,
                         PlHttpHead   *head,
                         PlHttpHeader *headers,
                         gsize         max_headers,
                         guint         flags)
{
  PlByteReader r;
  gssize lf;
  gsize pos, n = 0;

  pl_byte_reader_init (&r, buf, len);

  lf = find_lf (&r, 0);
  if (lf < 0)
    return PL_HTTP_PARSE_INCOMPLETE;
  if (!parse_start_line (&r, line_end (&r, 0, (gsize) lf), head, flags))
    return PL_HTTP_PARSE_ERROR;
  head->headers = headers;
  head->n_headers = 0;
  pos = (gsize) lf + 1;

  for (;;)
    {
      gsize end, colon, v;
      guint8 c;

      lf = find_lf (&r, pos);
      if (lf < 0)
        return PL_HTTP_PARSE_INCOMPLETE;
      end = line_end (&r, pos, (gsize) lf);
      if (end == pos)
        break;

      c = pl_byte_reader_peek_u8 (&r, pos);
      if (c == ' ' || c == '\t')
        {
          /* obs-fold (RFC 9112 5.2): the line continues the previous
           * field value; a fold before any field is an error. */
          gsize e = end;

          if (n == 0)
            return PL_HTTP_PARSE_ERROR;
          while (e > pos && (pl_byte_reader_peek_u8 (&r, e - 1) == ' ' ||
                             pl_byte_reader_peek_u8 (&r, e - 1) == '\t'))
            e--;
          if (e > pos)
            {
              PlHttpHeader *h = &headers[n - 1];

              if (h->value.len == 0)
                {
                  /* Value started on the folded line. */
                  v = pos;
                  while (v < e && (pl_byte_reader_peek_u8 (&r, v) == ' ' ||
                                   pl_byte_reader_peek_u8 (&r, v) == '\t'))
                    v++;
                  h->value.off = (guint32) v;
                }
              h->value.len = (guint32) (e - h->value.off);
            }
          pos = (gsize) lf + 1;
          continue;
        }

      for (colon = pos; colon < end && is_tchar (pl_byte_reader_peek_u8 (&r, colon)); colon++)
        ;
      /* No white space between the name and the colon (RFC 9112 5.1). */
      if (colon == pos || colon >= end || pl_byte_reader_peek_u8 (&r, colon) != ':')
        return PL_HTTP_PARSE_ERROR;
      if (n >= max_headers)
        return PL_HTTP_PARSE_TOO_MANY_HEADERS;

      v = colon + 1;
      while (v < end && (pl_byte_reader_peek_u8 (&r, v) == ' ' || pl_byte_reader_peek_u8 (&r, v) == '\t'))
        v++;
      while (end > v && (pl_byte_reader_peek_u8 (&r, end - 1) == ' ' ||
                         pl_byte_reader_peek_u8 (&r, end - 1) == '\t'))
        end--;
      headers[n].name.off = (guint32) pos;
      headers[n].name.len = (guint32) (colon - pos);
      headers[n].value.off = (guint32) v;
      headers[n].value.len = (guint32) (end - v);
      n++;
      head->n_headers = n;
      pos = (gsize) lf + 1;
    }

  head->n_headers = n;
  return (gssize) lf + 1;
}

gboolean
pl_http_header_name_is (const guint8       *buf,
                        const PlHttpHeader *header,
                        const char         *name)
{
  return strlen (name) == header->name.len &&
         g_ascii_strncasecmp ((const char *) buf + header->name.off, name, header->name.len) == 0;
}

char *
pl_http_copy_value (const guint8       *buf,
                    const PlHttpHeader *header)
{
  GString *s = g_string_sized_new (header->value.len);
  const guint8 *p = buf + header->value.off;
  gsize i = 0, len = header->value.len;

  while (i < len)
    {
      if (p[i] == '\r' || p[i] == '\n')
        {
          /* An obs-fold: CR? LF followed by white space is one SP. */
          while (i < len && (p[i] == '\r' || p[i] == '\n' || p[i] == ' ' || p[i] == '\t'))
            i++;
          g_string_append_c (s, ' ');
          continue;
        }
      g_string_append_c (s, (char) p[i]);
      i++;
    }
  return g_string_free (s, FALSE);
}

const PlHttpHeader *
pl_http_head_find (const PlHttpHead *head,
                   const guint8     *buf,
                   const char       *name)
{
  gsize i;

  for (i = 0; i < head->n_headers; i++)
    if (pl_http_header_name_is (buf, &head->headers[i], name))
      return &head->headers[i];
  return NULL;
}

/* Chunked decoder states. */
enum
{
  CHUNK_SIZE,        /* hex digits */
  CHUNK_EXT,         /* after the size: extensions up to LF */
  CHUNK_DATA,
  CHUNK_DATA_END,    /* CR LF after the data */
  CHUNK_DATA_LF,
  TRAILER_START,     /* at the start of a trailer line or the final empty line */
  TRAILER_LINE,      /* inside a trailer field line */
  TRAILER_END_LF,    /* saw CR of the final empty line */
  CHUNK_DONE,
};

void
pl_http_chunked_init (PlHttpChunkedDecoder *d)
{
  memset (d, 0, sizeof *d);
  d->state = CHUNK_SIZE;
}

gboolean
pl_http_chunked_is_done (const PlHttpChunkedDecoder *d)
{
  return d->state == CHUNK_DONE;
}

gboolean
pl_http_chunked_in_data (const PlHttpChunkedDecoder *d)
{
  return d->state == CHUNK_DATA;
}

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gssize
pl_http_chunked_decode (PlHttpChunkedDecoder *d,
                        const guint8         *buf,
                        gsize                 len,
                        gsize                *data_off,
                        gsize                *data_len)
{
  PlByteReader r;
  gsize pos = 0;

  pl_byte_reader_init (&r, buf, len);
  *data_off = 0;
  *data_len = 0;

/* Where the offending byte is, so every split reports the same place. */
#define FAIL_AT(at) G_STMT_START { d->error_pos = (at); return PL_HTTP_PARSE_ERROR; } G_STMT_END

  while (pos < len && d->state != CHUNK_DONE)
    {
      guint8 c = pl_byte_reader_peek_u8 (&r, pos);

      switch (d->state)
        {
        case CHUNK_SIZE:
          {
            int v = hex_value (c);

            if (v >= 0)
              {
                /* 15 hex digits are 2^60: far beyond any body we cap. */
                if (d->n_digits >= 15)
                  FAIL_AT (pos);
                d->size = d->size * 16 + (guint64) v;
                d->n_digits++;
                d->line_len++;
                pos++;
                break;
              }
            if (d->n_digits == 0)
              FAIL_AT (pos);
            d->state = CHUNK_EXT;
          }
          break;

        case CHUNK_EXT:
          /* chunk-ext and BWS are skipped; only the line end matters. */
          pos++;
          if (++d->line_len > PL_HTTP_MAX_CHUNK_LINE)
            FAIL_AT (pos - 1);
          if (c != '\n')
            break;
          d->line_len = 0;
          d->n_digits = 0;
          if (d->size == 0)
            {
              d->state = TRAILER_START;
              break;
            }
          d->n_chunks++;
          d->state = CHUNK_DATA;
          break;

        case CHUNK_DATA:
          {
            gsize n = (gsize) MIN ((guint64) (len - pos), d->size);

            *data_off = pos;
            *data_len = n;
            d->size -= n;
            d->data_bytes += n;
            pos += n;
            if (d->size == 0)
              d->state = CHUNK_DATA_END;
            return (gssize) pos;
          }

        case CHUNK_DATA_END:
          pos++;
          if (c == '\r')
            d->state = CHUNK_DATA_LF;
          else if (c == '\n')
            d->state = CHUNK_SIZE;
          else
            FAIL_AT (pos - 1);
          break;

        case CHUNK_DATA_LF:
          pos++;
          if (c != '\n')
            FAIL_AT (pos - 1);
          d->state = CHUNK_SIZE;
          break;

        case TRAILER_START:
          pos++;
          d->trailer_len++;
          if (c == '\n')
            d->state = CHUNK_DONE;
          else if (c == '\r')
            d->state = TRAILER_END_LF;
          else
            {
              d->n_trailers++;
              d->line_len = 1;
              d->state = TRAILER_LINE;
            }
          break;

        case TRAILER_END_LF:
          pos++;
          d->trailer_len++;
          if (c != '\n')
            FAIL_AT (pos - 1);
          d->state = CHUNK_DONE;
          break;

        case TRAILER_LINE:
          pos++;
          d->trailer_len++;
          if (d->trailer_len > PL_HTTP_MAX_HEAD)
            FAIL_AT (pos - 1);
          if (c == '\n')
            d->state = TRAILER_START;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return (gssize) pos;
#undef FAIL_AT
}

/* Incremental parser. */

void
pl_http_parser_init (PlHttpParser                *p,
                     const PlHttpParserCallbacks *callbacks,
                     gpointer                     user_data)
{
  memset (p, 0, sizeof *p);
  p->callbacks = callbacks;
  p->user_data = user_data;
  p->state = PL_HTTP_PARSER_HEAD;
}

void
pl_http_parser_clear (PlHttpParser *p)
{
  g_clear_pointer (&p->buf, g_byte_array_unref);
}

gboolean
pl_http_parser_is_http (const PlHttpParser *p)
{
  return p->state != PL_HTTP_PARSER_NOT_HTTP;
}

gboolean
pl_http_parser_is_done (const PlHttpParser *p)
{
  return p->state == PL_HTTP_PARSER_DONE || p->state == PL_HTTP_PARSER_NOT_HTTP;
}

static guint
parse_flags (const PlHttpParser *p)
{
  return p->lenient ? PL_HTTP_PARSE_LENIENT : PL_HTTP_PARSE_STRICT;
}

static void
buf_reset (PlHttpParser *p,
           guint64       start)
{
  if (p->buf != NULL)
    g_byte_array_set_size (p->buf, 0);
  p->buf_start = start;
  p->scan = 0;
  p->classified = FALSE;
}

/* After a message: the next one, or the end of HTTP on this stream. */
static void
next_message (PlHttpParser *p,
              guint64       end)
{
  p->in_message = FALSE;
  buf_reset (p, end);
  p->state = p->end_after ? PL_HTTP_PARSER_DONE : PL_HTTP_PARSER_HEAD;
}

static void
end_message (PlHttpParser *p,
             guint64       end,
             guint8        flags)
{
  p->msg.end = end;
  p->msg.flags |= flags;
  if (p->chunked.trailer_len > 0 && p->msg.framing == PL_HTTP_FRAMING_CHUNKED)
    p->msg.trailer_len = p->chunked.trailer_len;
  p->n_messages++;
  if (p->callbacks != NULL && p->callbacks->end != NULL)
    p->callbacks->end (p->user_data, &p->msg);
  next_message (p, end);
}

/* Framing of the message in p->msg (RFC 9112 6.3).  FALSE: bad framing. */
static gboolean
decide_framing (PlHttpParser     *p,
                const guint8     *buf,
                const PlHttpHead *head)
{
  PlHttpParsedMessage *m = &p->msg;
  gboolean have_length = FALSE, chunked = FALSE, have_te = FALSE;
  guint64 length = 0;
  gsize i;

  if (!m->is_request)
    {
      if (m->status < 200 || m->status == 204 || m->status == 304 || m->method == PL_HTTP_METHOD_HEAD)
        {
          m->framing = m->status == 101 ? PL_HTTP_FRAMING_TUNNEL : PL_HTTP_FRAMING_NONE;
          return TRUE;
        }
      if (m->method == PL_HTTP_METHOD_CONNECT && m->status < 300)
        {
          m->framing = PL_HTTP_FRAMING_TUNNEL;
          return TRUE;
        }
    }

  for (i = 0; i < head->n_headers; i++)
    {
      const PlHttpHeader *h = &head->headers[i];

      if (pl_http_header_name_is (buf, h, "Transfer-Encoding"))
        {
          /* chunked must be the final coding (RFC 9112 6.3, item 4). */
          const guint8 *v = buf + h->value.off;
          gsize n = h->value.len;

          have_te = TRUE;
          chunked = n >= 7 && g_ascii_strncasecmp ((const char *) v + n - 7, "chunked", 7) == 0 &&
                    (n == 7 || v[n - 8] == ',' || v[n - 8] == ' ' || v[n - 8] == '\t');
        }
      else if (pl_http_header_name_is (buf, h, "Content-Length"))
        {
          /* A list of identical values is one value (RFC 9110 8.6). */
          const guint8 *v = buf + h->value.off;
          gsize n = h->value.len, k = 0;

          while (k < n)
            {
              guint64 value = 0;
              gsize digits = 0;

              while (k < n && (v[k] == ' ' || v[k] == '\t' || v[k] == ','))
                k++;
              if (k == n)
                break;
              while (k < n && g_ascii_isdigit (v[k]))
                {
                  if (++digits > 18)
                    return FALSE;
                  value = value * 10 + (guint64) (v[k] - '0');
                  k++;
                }
              if (digits == 0 || (k < n && v[k] != ',' && v[k] != ' ' && v[k] != '\t'))
                return FALSE;
              if (have_length && value != length)
                return FALSE;
              have_length = TRUE;
              length = value;
            }
        }
    }

  if (have_te)
    {
      if (chunked)
        m->framing = PL_HTTP_FRAMING_CHUNKED;
      else if (!m->is_request)
        m->framing = PL_HTTP_FRAMING_CLOSE;
      else
        return FALSE;
      return TRUE;
    }
  if (have_length)
    {
      m->framing = length > 0 ? PL_HTTP_FRAMING_LENGTH : PL_HTTP_FRAMING_NONE;
      p->left = length;
      return TRUE;
    }
  m->framing = m->is_request ? PL_HTTP_FRAMING_NONE : PL_HTTP_FRAMING_CLOSE;
  return TRUE;
}

/* A message start that cannot be parsed: report it, skip its head. */
static void
broken_head (PlHttpParser *p,
             const guint8 *bytes,
             gsize         len,
             guint8        flags)
{
  PlByteReader r;
  PlHttpHead head;
  gssize lf;

  memset (&p->msg, 0, sizeof p->msg);
  p->msg.start = p->buf_start;
  p->msg.head_len = (guint32) len;
  p->msg.flags = flags;
  p->in_message = TRUE;
  pl_byte_reader_init (&r, bytes, len);
  lf = find_lf (&r, 0);
  /* A head cut before its first line ended: that line is what there is. */
  if (parse_start_line (&r, lf >= 0 ? line_end (&r, 0, (gsize) lf) : line_end (&r, 0, len), &head,
                        p->lenient ? PL_HTTP_PARSE_LENIENT : PL_HTTP_PARSE_STRICT))
    {
      p->msg.is_request = head.is_request;
      p->msg.status = head.status;
      p->msg.version_minor = head.version_minor;
      if (head.is_request)
        {
          p->msg.method = pl_http_method_from_token (bytes + head.method.off, head.method.len);
          p->msg.method_token = head.method;
          p->msg.target = head.target;
        }
      if (head.lenient)
        p->msg.flags |= PL_HTTP_MSG_LENIENT_START;
    }
  if (p->callbacks != NULL && p->callbacks->begin != NULL)
    p->callbacks->begin (p->user_data, &p->msg, bytes, NULL);
  p->msg.framing = PL_HTTP_FRAMING_NONE;
  end_message (p, p->buf_start + len, 0);
  /* Whatever follows a broken head is not to be trusted as a body: the
   * next line is a candidate, but junk there must not end HTTP. */
  p->resync = TRUE;
}

static void
begin_message (PlHttpParser     *p,
               const guint8     *bytes,
               gsize             head_len,
               const PlHttpHead *head)
{
  PlHttpParsedMessage *m = &p->msg;
  guint64 body_start;

  memset (m, 0, sizeof *m);
  m->start = p->buf_start;
  m->head_len = (guint32) head_len;
  m->is_request = head->is_request;
  m->status = head->status;
  m->version_minor = head->version_minor;
  if (head->is_request)
    {
      m->method = pl_http_method_from_token (bytes + head->method.off, head->method.len);
      m->method_token = head->method;
      m->target = head->target;
    }
  if (head->lenient)
    m->flags |= PL_HTTP_MSG_LENIENT_START;
  p->in_message = TRUE;
  p->resync = FALSE;

  if (p->callbacks != NULL && p->callbacks->begin != NULL)
    p->callbacks->begin (p->user_data, m, bytes, head);

  body_start = m->start + head_len;
  if (!decide_framing (p, bytes, head))
    {
      m->framing = PL_HTTP_FRAMING_NONE;
      end_message (p, body_start, PL_HTTP_MSG_BAD_FRAMING);
      p->resync = TRUE;
      return;
    }

  switch ((PlHttpFraming) m->framing)
    {
    case PL_HTTP_FRAMING_NONE:
      end_message (p, body_start, 0);
      break;
    case PL_HTTP_FRAMING_TUNNEL:
      p->end_after = TRUE;
      end_message (p, body_start, 0);
      break;
    case PL_HTTP_FRAMING_LENGTH:
      p->state = PL_HTTP_PARSER_BODY_LENGTH;
      break;
    case PL_HTTP_FRAMING_CHUNKED:
      pl_http_chunked_init (&p->chunked);
      p->state = PL_HTTP_PARSER_BODY_CHUNKED;
      break;
    case PL_HTTP_FRAMING_CLOSE:
      p->state = PL_HTTP_PARSER_BODY_CLOSE;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Junk at a candidate message start: give up on a stream that never
 * spoke HTTP, else drop the candidate line and try the next one. */
static void
reject_candidate (PlHttpParser *p)
{
  if (p->end_after)
    {
      /* The peer switched protocols: these are the new protocol's bytes. */
      p->state = PL_HTTP_PARSER_DONE;
      g_clear_pointer (&p->buf, g_byte_array_unref);
      return;
    }
  if (p->n_messages == 0 && !p->resync)
    {
      p->state = PL_HTTP_PARSER_NOT_HTTP;
      g_clear_pointer (&p->buf, g_byte_array_unref);
      return;
    }
  for (;;)
    {
      gsize drop = 1;
      int verdict;

      /* The next byte that could start a start line (a message may
       * follow the remains of another one on the same line). */
      while (drop < p->buf->len && !is_start_byte (p->buf->data[drop]))
        drop++;
      if (drop >= p->buf->len)
        {
          buf_reset (p, p->buf_start + p->buf->len);
          p->state = PL_HTTP_PARSER_RESYNC;
          return;
        }
      g_byte_array_remove_range (p->buf, 0, (guint) drop);
      p->buf_start += drop;
      p->scan = 0;
      verdict = pl_http_classify_full (p->buf->data, p->buf->len, parse_flags (p));
      if (verdict != 0)
        return;
    }
}

/* Looks for the empty line ending the head in buf from p->scan. */
static gssize
find_head_end (PlHttpParser *p)
{
  const guint8 *b = p->buf->data;
  gsize n = p->buf->len, i;

  for (i = p->scan; i < n; i++)
    {
      if (b[i] != '\n')
        continue;
      if (i + 1 >= n)
        break;
      if (b[i + 1] == '\n')
        return (gssize) (i + 2);
      if (b[i + 1] == '\r')
        {
          if (i + 2 >= n)
            break;
          if (b[i + 2] == '\n')
            return (gssize) (i + 3);
        }
    }
  p->scan = i;
  return -1;
}

/* Classification of the candidate in buf after appending n new bytes at
 * its end: rerun only when it can change (a line end, a byte that cannot be
 * in a request line, or the limit), so a long first line arriving byte by
 * byte costs linear time. */
static int
classify_buf (PlHttpParser *p,
              gsize         n_new)
{
  const guint8 *fresh = p->buf->data + p->buf->len - n_new;
  gsize i;

  if (p->classified)
    return 1;
  if (p->buf->len > 16 && p->buf->len < PL_HTTP_MAX_HEAD && p->buf->len > n_new)
    {
      for (i = 0; i < n_new; i++)
        if (fresh[i] < ' ' || fresh[i] == 0x7f)
          break;
      if (i == n_new)
        return PL_HTTP_PARSE_INCOMPLETE;
    }
  return pl_http_classify_full (p->buf->data, p->buf->len, parse_flags (p));
}

static gsize
feed_head (PlHttpParser *p,
           const guint8 *data,
           gsize         len)
{
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  PlHttpHead head;
  gsize take, skip = 0, n_new;
  gssize end, r;
  gsize used;

  if (p->buf == NULL)
    p->buf = g_byte_array_sized_new (512);

  if (p->buf->len == 0)
    {
      /* Empty lines before a message are skipped (RFC 9112 2.2), and so
       * is stray CRLF after a body. */
      while (skip < len && (data[skip] == '\r' || data[skip] == '\n'))
        skip++;
      p->buf_start = p->offset + skip;
      p->scan = 0;
      p->classified = FALSE;
      if (skip == len)
        return len;
    }

  take = MIN (len - skip, (gsize) PL_HTTP_MAX_HEAD - p->buf->len);
  g_byte_array_append (p->buf, data + skip, (guint) take);
  n_new = take;

  for (;;)
    {
      int verdict = classify_buf (p, n_new);

      if (verdict == PL_HTTP_PARSE_INCOMPLETE)
        return skip + take;
      if (verdict == 1)
        break;
      reject_candidate (p);
      if (p->state != PL_HTTP_PARSER_HEAD || p->buf->len == 0)
        return skip + take;
      /* A later line of the buffer is a candidate: judge it whole. */
      n_new = p->buf->len;
    }
  p->classified = TRUE;

  end = find_head_end (p);
  if (end < 0)
    {
      if (p->buf->len >= PL_HTTP_MAX_HEAD)
        {
          broken_head (p, p->buf->data, p->buf->len, PL_HTTP_MSG_HEAD_TOO_LARGE);
          /* Cut mid-line: skip to the next line start. */
          if (p->state == PL_HTTP_PARSER_HEAD)
            p->state = PL_HTTP_PARSER_RESYNC;
        }
      return skip + take;
    }

  /* Bytes of this delivery that belong to the head (the rest of what was
   * appended is fed again as body or as the next message). */
  g_assert (p->buf_start + (guint64) end >= p->offset);
  used = (gsize) (p->buf_start + (guint64) end - p->offset);

  r = pl_http_parse_head_full (p->buf->data, (gsize) end, &head, headers, G_N_ELEMENTS (headers),
                               parse_flags (p));
  if (r == PL_HTTP_PARSE_TOO_MANY_HEADERS)
    broken_head (p, p->buf->data, (gsize) end, PL_HTTP_MSG_TOO_MANY_HEADERS);
  else if (r < 0)
    broken_head (p, p->buf->data, (gsize) end, PL_HTTP_MSG_BAD_HEAD);
  else
    begin_message (p, p->buf->data, (gsize) end, &head);
  return used;
}

/* A first line cut by a gap before its end (the snap length, mostly):
 * Wireshark reads what was captured as the whole line ("GET /x HTT"). */
static gboolean
cut_start_line (PlHttpParser *p)
{
  PlByteReader r;
  PlHttpHead head;

  if (memchr (p->buf->data, '\n', p->buf->len) != NULL)
    return FALSE;
  pl_byte_reader_init (&r, p->buf->data, p->buf->len);
  return parse_start_line (&r, line_end (&r, 0, p->buf->len), &head, parse_flags (p));
}

static gsize
feed_resync (PlHttpParser *p,
             const guint8 *data,
             gsize         len)
{
  gsize i = 0;

  while (i < len && !is_start_byte (data[i]))
    i++;
  if (i == len)
    return len;
  /* This byte may start a message: let the head parser judge. */
  p->state = PL_HTTP_PARSER_HEAD;
  p->resync = TRUE;
  buf_reset (p, p->offset + i);
  return i;
}

static gsize
feed_chunked (PlHttpParser *p,
              const guint8 *data,
              gsize         len)
{
  gsize total = 0;

  while (total < len && p->state == PL_HTTP_PARSER_BODY_CHUNKED)
    {
      gsize doff, dlen;
      gssize n = pl_http_chunked_decode (&p->chunked, data + total, len - total, &doff, &dlen);

      if (n < 0)
        {
          /* The message ends before the byte that broke the coding. */
          total += p->chunked.error_pos;
          end_message (p, p->offset + total, PL_HTTP_MSG_BAD_FRAMING);
          if (p->state == PL_HTTP_PARSER_HEAD)
            {
              p->state = PL_HTTP_PARSER_RESYNC;
              p->resync = TRUE;
            }
          break;
        }
      total += (gsize) n;
      p->msg.body_len += dlen;
      if (pl_http_chunked_is_done (&p->chunked))
        end_message (p, p->offset + total, 0);
    }
  return total;
}

static void
feed_gap (PlHttpParser *p,
          guint64       len)
{
  switch (p->state)
    {
    case PL_HTTP_PARSER_HEAD:
    case PL_HTTP_PARSER_RESYNC:
      /* A head cut short (by the snap length, or a lost segment) is still
       * a message whose start line we know: report it.  Otherwise, where a
       * message was due, one went by unseen. */
      if (p->state == PL_HTTP_PARSER_HEAD && p->buf != NULL && p->buf->len > 0 &&
          ((p->classified && memchr (p->buf->data, '\n', p->buf->len) != NULL) ||
           cut_start_line (p)))
        broken_head (p, p->buf->data, p->buf->len, PL_HTTP_MSG_HEAD_CUT);
      else if (p->state == PL_HTTP_PARSER_HEAD && p->n_messages > 0 &&
               p->callbacks != NULL && p->callbacks->lost != NULL)
        p->callbacks->lost (p->user_data);
      if (p->state == PL_HTTP_PARSER_DONE)
        break;
      /* Whatever follows the gap may start a message, or may be the
       * middle of one. */
      p->state = PL_HTTP_PARSER_HEAD;
      p->resync = TRUE;
      buf_reset (p, p->offset + len);
      break;

    case PL_HTTP_PARSER_BODY_LENGTH:
      {
        guint64 in_body = MIN (len, p->left);

        p->left -= in_body;
        p->msg.body_len += in_body;
        p->msg.missing += in_body;
        p->msg.flags |= PL_HTTP_MSG_MISSING_BYTES;
        if (p->left == 0)
          end_message (p, p->offset + in_body, 0);
        if (in_body < len)
          feed_gap (p, len - in_body);
      }
      break;

    case PL_HTTP_PARSER_BODY_CHUNKED:
      if (pl_http_chunked_in_data (&p->chunked) && len <= p->chunked.size)
        {
          /* Framing survives: count the missing data. */
          p->chunked.size -= len;
          p->chunked.data_bytes += len;
          if (p->chunked.size == 0)
            p->chunked.state = CHUNK_DATA_END;
          p->msg.body_len += len;
          p->msg.missing += len;
          p->msg.flags |= PL_HTTP_MSG_MISSING_BYTES;
        }
      else
        {
          end_message (p, p->offset, PL_HTTP_MSG_CUT_BY_GAP);
          if (p->state == PL_HTTP_PARSER_HEAD)
            {
              p->resync = TRUE;
              buf_reset (p, p->offset + len);
            }
        }
      break;

    case PL_HTTP_PARSER_BODY_CLOSE:
      p->msg.body_len += len;
      p->msg.missing += len;
      p->msg.flags |= PL_HTTP_MSG_MISSING_BYTES;
      break;

    case PL_HTTP_PARSER_DONE:
    case PL_HTTP_PARSER_NOT_HTTP:
      break;

    default:
      g_assert_not_reached ();
    }
}

void
pl_http_parser_feed (PlHttpParser *p,
                     guint64       offset,
                     const guint8 *data,
                     gsize         len)
{
  if (p->state == PL_HTTP_PARSER_DONE || p->state == PL_HTTP_PARSER_NOT_HTTP)
    {
      p->offset = offset + len;
      return;
    }
  /* The reassembler delivers contiguously; anything else is a bug there,
   * but treat it as a gap rather than misnumber the stream. */
  if (offset != p->offset)
    {
      if (offset > p->offset)
        feed_gap (p, offset - p->offset);
      p->offset = offset;
    }
  if (data == NULL)
    {
      feed_gap (p, len);
      p->offset += len;
      return;
    }

  while (len > 0)
    {
      gsize used = 0;

      switch (p->state)
        {
        case PL_HTTP_PARSER_HEAD:
          used = feed_head (p, data, len);
          break;
        case PL_HTTP_PARSER_RESYNC:
          used = feed_resync (p, data, len);
          break;
        case PL_HTTP_PARSER_BODY_LENGTH:
          used = (gsize) MIN ((guint64) len, p->left);
          p->left -= used;
          p->msg.body_len += used;
          if (p->left == 0)
            end_message (p, p->offset + used, 0);
          break;
        case PL_HTTP_PARSER_BODY_CHUNKED:
          used = feed_chunked (p, data, len);
          break;
        case PL_HTTP_PARSER_BODY_CLOSE:
          used = len;
          p->msg.body_len += len;
          break;
        case PL_HTTP_PARSER_DONE:
        case PL_HTTP_PARSER_NOT_HTTP:
          used = len;
          break;
        default:
          g_assert_not_reached ();
        }
      p->offset += used;
      data += used;
      len -= used;
    }
}

void
pl_http_parser_finish (PlHttpParser *p,
                       gboolean      closed)
{
  switch (p->state)
    {
    case PL_HTTP_PARSER_BODY_CLOSE:
      end_message (p, p->offset, closed ? 0 : PL_HTTP_MSG_TRUNCATED);
      break;
    case PL_HTTP_PARSER_BODY_LENGTH:
    case PL_HTTP_PARSER_BODY_CHUNKED:
      end_message (p, p->offset, PL_HTTP_MSG_TRUNCATED);
      break;
    case PL_HTTP_PARSER_HEAD:
      /* A start line whose head never ended: an HTTP/0.9 request ("GET
       * /" and nothing more), or the capture stopped inside the head. */
      if (p->classified && p->buf != NULL && memchr (p->buf->data, '\n', p->buf->len) != NULL)
        broken_head (p, p->buf->data, p->buf->len, PL_HTTP_MSG_TRUNCATED);
      break;
    case PL_HTTP_PARSER_RESYNC:
    case PL_HTTP_PARSER_DONE:
    case PL_HTTP_PARSER_NOT_HTTP:
      break;
    default:
      g_assert_not_reached ();
    }
  if (p->state != PL_HTTP_PARSER_NOT_HTTP)
    p->state = PL_HTTP_PARSER_DONE;
  g_clear_pointer (&p->buf, g_byte_array_unref);
}

void
pl_http_parser_end_http (PlHttpParser *p)
{
  p->end_after = TRUE;
  if (p->state == PL_HTTP_PARSER_RESYNC ||
      (p->state == PL_HTTP_PARSER_HEAD && !p->in_message && (p->buf == NULL || p->buf->len == 0)))
    {
      p->state = PL_HTTP_PARSER_DONE;
      g_clear_pointer (&p->buf, g_byte_array_unref);
    }
}
