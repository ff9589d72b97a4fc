/* fuzz-http-parser.c: the HTTP/1.x head parser, the chunked decoder and the
 * incremental per-direction parser, fed random splits (RFC 9112).
 *
 * Input: 2 bytes of settings, then the bytes of one direction of a stream.
 *   byte 0  bits 0-3: seed of the split points
 *           bit 4: some pieces arrive as gaps (never captured), one of them
 *                  longer than 4 GiB
 *           bit 5: the other direction upgrades half-way (end_http)
 *           bit 6: the peer closed the stream at the end
 *           bit 7: responses answer HEAD (no body) instead of GET
 *   byte 1  largest piece: 1 + byte bytes
 * The stateless pieces get the whole stream at once and every prefix of
 * it; the stream parser gets it piece by piece, each piece in a buffer of
 * its own that is freed right after the call, so a kept pointer or a read
 * past a piece is caught by AddressSanitizer.
 */
#include "config.h"

#include <string.h>

#include "pl-fuzz.h"
#include "pl-http-parser.h"

typedef struct
{
  guint64  fed;          /* stream bytes given so far, the current call's included */
  guint64  last_end;     /* end of the previous message */
  gboolean in_message;
  guint    n_messages;
  guint8   answer_method;
} Sink;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_slice (PlHttpSlice slice,
             gsize       len)
{
  PL_FUZZ_CHECK (slice.off <= len);
  PL_FUZZ_CHECK (slice.len <= len - slice.off);
}

static void
check_head (const guint8 *buf,
            gsize         len,
            gsize         max_headers)
{
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  PlHttpHead head;
  gssize n;
  gsize i;

  memset (&head, 0, sizeof head);
  n = pl_http_parse_head (buf, len, &head, headers, max_headers);
  PL_FUZZ_CHECK (n > 0 || n == PL_HTTP_PARSE_INCOMPLETE || n == PL_HTTP_PARSE_ERROR ||
                 n == PL_HTTP_PARSE_TOO_MANY_HEADERS);
  if (n <= 0)
    return;

  PL_FUZZ_CHECK ((gsize) n <= len);
  PL_FUZZ_CHECK (head.n_headers <= max_headers);
  if (head.is_request)
    {
      check_slice (head.method, (gsize) n);
      check_slice (head.target, (gsize) n);
      (void) pl_http_method_to_string (pl_http_method_from_token (buf + head.method.off,
                                                                  head.method.len));
    }
  else
    check_slice (head.reason, (gsize) n);

  for (i = 0; i < head.n_headers; i++)
    {
      g_autofree char *value = NULL;

      check_slice (head.headers[i].name, (gsize) n);
      check_slice (head.headers[i].value, (gsize) n);
      value = pl_http_copy_value (buf, &head.headers[i]);
      PL_FUZZ_CHECK (value != NULL && strlen (value) <= head.headers[i].value.len);
      (void) pl_http_header_name_is (buf, &head.headers[i], "Content-Length");
    }
  (void) pl_http_head_find (&head, buf, "Transfer-Encoding");
}

static void
check_chunked (const guint8 *buf,
               gsize         len)
{
  PlHttpChunkedDecoder d;
  gsize pos = 0;
  guint rounds = 0;

  pl_http_chunked_init (&d);
  while (pos < len && !pl_http_chunked_is_done (&d))
    {
      gsize data_off = 0, data_len = 0;
      gssize n = pl_http_chunked_decode (&d, buf + pos, len - pos, &data_off, &data_len);

      if (n == PL_HTTP_PARSE_ERROR)
        break;
      PL_FUZZ_CHECK (n >= 0 && (gsize) n <= len - pos);
      if (data_len > 0)
        {
          PL_FUZZ_CHECK (data_off <= (gsize) n && data_len <= (gsize) n - data_off);
          (void) pl_fuzz_touch (buf + pos + data_off, data_len);
        }
      if (n == 0)
        break;
      pos += (gsize) n;
      PL_FUZZ_CHECK (++rounds <= len + 1);
    }
}

static void
on_begin (gpointer             user_data,
          PlHttpParsedMessage *msg,
          const guint8        *head_bytes,
          const PlHttpHead    *head)
{
  Sink *sink = user_data;

  PL_FUZZ_CHECK (!sink->in_message);
  PL_FUZZ_CHECK (msg->start >= sink->last_end);
  PL_FUZZ_CHECK (msg->start <= sink->fed);
  PL_FUZZ_CHECK (msg->head_len <= PL_HTTP_MAX_HEAD);
  if (head_bytes != NULL)
    (void) pl_fuzz_touch (head_bytes, msg->head_len);
  if (head != NULL)
    PL_FUZZ_CHECK (head->n_headers <= PL_HTTP_MAX_HEADERS);
  if (!msg->is_request)
    msg->method = sink->answer_method;
  sink->in_message = TRUE;
}

static void
on_end (gpointer                   user_data,
        const PlHttpParsedMessage *msg)
{
  Sink *sink = user_data;

  PL_FUZZ_CHECK (sink->in_message);
  PL_FUZZ_CHECK (msg->start >= sink->last_end);
  PL_FUZZ_CHECK (msg->start <= msg->end);
  PL_FUZZ_CHECK (msg->end <= sink->fed);
  PL_FUZZ_CHECK (msg->missing <= msg->end - msg->start);
  sink->last_end = msg->end;
  sink->in_message = FALSE;
  sink->n_messages++;
}

static const PlHttpParserCallbacks callbacks = { on_begin, on_end };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *stream;
  gsize len, pos = 0;
  guint32 rng;
  gsize max_piece;
  gboolean gaps, upgrade;
  guint piece = 0;
  PlHttpParser parser;
  Sink sink = { 0 };
  gsize i;
  int c;

  if (size < 2)
    return 0;
  stream = data + 2;
  len = size - 2;
  rng = 0x9e3779b9u * (1 + (data[0] & 0x0f));
  gaps = (data[0] & 0x10) != 0;
  upgrade = (data[0] & 0x20) != 0;
  max_piece = 1 + (gsize) data[1];
  sink.answer_method = (data[0] & 0x80) ? PL_HTTP_METHOD_HEAD : PL_HTTP_METHOD_GET;

  /* The stateless pieces, on the whole and on a few prefixes (a prefix
   * must never parse further than the whole). */
  c = pl_http_classify (stream, len);
  PL_FUZZ_CHECK (c == 0 || c == 1 || c == PL_HTTP_PARSE_INCOMPLETE);
  check_head (stream, len, PL_HTTP_MAX_HEADERS);
  check_head (stream, len, 4);
  for (i = 0; i < len && i < 64; i += 1 + i / 4)
    check_head (stream, i, PL_HTTP_MAX_HEADERS);
  check_chunked (stream, len);

  /* The stream parser, piece by piece. */
  pl_http_parser_init (&parser, &callbacks, &sink);
  while (pos < len)
    {
      gsize n;

      rng = rng * 1103515245u + 12345u;
      n = MIN (len - pos, 1 + (rng >> 16) % max_piece);

      if (gaps && (rng & 0x700) == 0x100)
        {
          /* A hole: these bytes were never captured. */
          guint64 gap = n + (piece == 3 ? G_GUINT64_CONSTANT (1) << 32 : 0);

          /* fed counts the bytes given, during the call too. */
          sink.fed += gap;
          pl_http_parser_feed (&parser, sink.fed - gap, NULL, gap);
        }
      else
        {
          guint8 *copy = g_memdup2 (stream + pos, n);

          sink.fed += n;
          pl_http_parser_feed (&parser, sink.fed - n, copy, n);
          g_free (copy);
        }
      pos += n;
      piece++;

      /* Only the head being parsed is ever buffered. */
      PL_FUZZ_CHECK (parser.buf == NULL || parser.buf->len <= PL_HTTP_MAX_HEAD);
      if (upgrade && pos >= len / 2)
        {
          pl_http_parser_end_http (&parser);
          upgrade = FALSE;
        }
    }
  (void) pl_http_parser_is_http (&parser);
  (void) pl_http_parser_is_done (&parser);
  pl_http_parser_finish (&parser, (data[0] & 0x40) != 0);
  PL_FUZZ_CHECK (!sink.in_message);
  /* Bytes after the end are ignored. */
  pl_http_parser_feed (&parser, sink.fed, stream, MIN (len, 16));
  PL_FUZZ_CHECK (!sink.in_message);
  pl_http_parser_clear (&parser);
  return 0;
}
