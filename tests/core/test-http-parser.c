/* test-http-parser.c: the HTTP/1.x parser (RFC 9112) as picohttpparser is
 * tested: every exchange is fed whole, split at every byte and in random
 * pieces, and must give the same messages each time.  Also framing (chunked
 * with extensions and trailers, no-body responses, close-delimited bodies),
 * pairing (100-continue, pipelining), Upgrade/CONNECT, limits, gaps, and
 * random input that must neither crash nor grow memory.
 */
#include "config.h"

#include <string.h>

#include "pl-http-parser.h"

/* Two parsers (client to server, server to client) paired as the capture
 * pairs them: responses take the method of the oldest unanswered request. */
typedef struct
{
  PlHttpParser p[2];
  GString     *log;
  GQueue       methods;     /* PlHttpMethod of requests awaiting a final response */
  gsize        max_buf;     /* the largest head buffer seen */
} Pair;

typedef struct
{
  Pair *pair;
  int   dir;
} Side;

static Side sides[2];

/* Whether the parsers read lenient request lines (as on HTTP's ports). */
static gboolean lenient_mode;

static void
on_begin (gpointer             user_data,
          PlHttpParsedMessage *msg,
          const guint8        *head_bytes,
          const PlHttpHead    *head)
{
  Side *side = user_data;
  Pair *pair = side->pair;

  if (msg->is_request)
    g_queue_push_tail (&pair->methods, GUINT_TO_POINTER (msg->method));
  else if (msg->status != 0 && !g_queue_is_empty (&pair->methods))
    {
      msg->method = GPOINTER_TO_UINT (g_queue_peek_head (&pair->methods));
      if (msg->status >= 200 || msg->status == 101)
        g_queue_pop_head (&pair->methods);
    }
  g_string_append_printf (pair->log, "%d begin %s %u @%" G_GUINT64_FORMAT " head %u%s\n",
                          side->dir, msg->is_request ? "request" : "response",
                          msg->is_request ? msg->method : msg->status, msg->start, msg->head_len,
                          head == NULL ? " broken" : "");
}

static void
on_end (gpointer                   user_data,
        const PlHttpParsedMessage *msg)
{
  Side *side = user_data;

  g_string_append_printf (side->pair->log,
                          "%d end @%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT " body %" G_GUINT64_FORMAT
                          " missing %" G_GUINT64_FORMAT " trailer %u framing %u flags 0x%x\n",
                          side->dir, msg->start, msg->end, msg->body_len, msg->missing,
                          msg->trailer_len, msg->framing, msg->flags);
  /* As the capture does: after a switch, the peer leaves HTTP too. */
  if (msg->framing == PL_HTTP_FRAMING_TUNNEL)
    pl_http_parser_end_http (&side->pair->p[!side->dir]);
}

static const PlHttpParserCallbacks callbacks = { on_begin, on_end };

static void
pair_init (Pair *pair)
{
  int k;

  memset (pair, 0, sizeof *pair);
  pair->log = g_string_new (NULL);
  g_queue_init (&pair->methods);
  for (k = 0; k < 2; k++)
    {
      sides[k].pair = pair;
      sides[k].dir = k;
      pl_http_parser_init (&pair->p[k], &callbacks, &sides[k]);
      pair->p[k].lenient = lenient_mode;
    }
}

static char *
pair_finish (Pair     *pair,
             gboolean  closed)
{
  int k;

  for (k = 0; k < 2; k++)
    {
      g_string_append_printf (pair->log, "%d state %d\n", k, pair->p[k].state);
      pl_http_parser_finish (&pair->p[k], closed);
      pl_http_parser_clear (&pair->p[k]);
    }
  g_queue_clear (&pair->methods);
  return g_string_free (pair->log, FALSE);
}

static void
feed (Pair         *pair,
      int           dir,
      guint64       offset,
      const guint8 *data,
      gsize         len)
{
  PlHttpParser *p = &pair->p[dir];

  pl_http_parser_feed (p, offset, data, len);
  if (p->buf != NULL)
    pair->max_buf = MAX (pair->max_buf, p->buf->len);
}

/* Feeds one direction; cuts lists where to split (sorted, may be empty). */
static void
feed_split (Pair         *pair,
            int           dir,
            const char   *text,
            gsize         len,
            const gsize  *cuts,
            guint         n_cuts)
{
  gsize pos = 0;
  guint i;

  for (i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;

      if (end > pos)
        feed (pair, dir, pos, (const guint8 *) text + pos, end - pos);
      pos = MAX (pos, end);
    }
}

/* The log for a whole-exchange run: client bytes first, then server. */
static char *
run (const char   *c2s,
     const char   *s2c,
     int           split_dir,
     const gsize  *cuts,
     guint         n_cuts,
     gboolean      closed)
{
  Pair pair;

  pair_init (&pair);
  feed_split (&pair, 0, c2s, strlen (c2s), split_dir == 0 ? cuts : NULL, split_dir == 0 ? n_cuts : 0);
  feed_split (&pair, 1, s2c, strlen (s2c), split_dir == 1 ? cuts : NULL, split_dir == 1 ? n_cuts : 0);
  return pair_finish (&pair, closed);
}

/* Every split point and random pieces must give the same log as one piece. */
static char *
check_splits (const char *c2s,
              const char *s2c,
              gboolean    closed)
{
  char *whole = run (c2s, s2c, -1, NULL, 0, closed);
  GRand *rand = g_rand_new_with_seed (1234);
  int dir;

  for (dir = 0; dir < 2; dir++)
    {
      const char *text = dir == 0 ? c2s : s2c;
      gsize len = strlen (text), k;
      guint iter;

      for (k = 1; k < len; k++)
        {
          g_autofree char *split = run (c2s, s2c, dir, &k, 1, closed);

          if (strcmp (split, whole) != 0)
            g_error ("split of direction %d at byte %" G_GSIZE_FORMAT " differs:\n%s\nvs whole:\n%s",
                     dir, k, split, whole);
        }

      for (iter = 0; iter < 50; iter++)
        {
          g_autofree gsize *cuts = g_new (gsize, len + 1);
          g_autofree char *split = NULL;
          guint n = 0;
          gsize pos = 0;

          while (len > 0)
            {
              pos += (gsize) g_rand_int_range (rand, 1, iter < 10 ? 3 : 40);
              if (pos >= len)
                break;
              cuts[n++] = pos;
            }
          split = run (c2s, s2c, dir, cuts, n, closed);
          g_assert_cmpstr (split, ==, whole);
        }
    }
  g_rand_free (rand);
  return whole;
}

static guint
count (const char *log,
       const char *what)
{
  guint n = 0;
  const char *p = log;

  while ((p = strstr (p, what)) != NULL)
    {
      n++;
      p += strlen (what);
    }
  return n;
}

/* Stateless parts. */

static void
test_head_every_prefix (void)
{
  const char *text = "GET /a%20b?x=1 HTTP/1.1\r\nHost: example.com\r\nX-Dup: 1\r\nx-dup: 2\r\n"
                     "X-Fold: first\r\n  second\r\n\tthird\r\nEmpty:\r\n\r\nBODY";
  gsize head_len = strstr (text, "\r\n\r\n") - text + 4;
  PlHttpHeader headers[16];
  PlHttpHead head;
  gsize k;
  char *v;

  for (k = 0; k < head_len; k++)
    g_assert_cmpint (pl_http_parse_head ((const guint8 *) text, k, &head, headers, 16), ==,
                     PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_parse_head ((const guint8 *) text, strlen (text), &head, headers, 16), ==,
                   (gssize) head_len);
  g_assert_true (head.is_request);
  g_assert_cmpint (head.version_minor, ==, 1);
  g_assert_cmpmem (text + head.method.off, head.method.len, "GET", 3);
  g_assert_cmpmem (text + head.target.off, head.target.len, "/a%20b?x=1", 10);
  g_assert_cmpuint (head.n_headers, ==, 5);
  /* Order and case kept, duplicates kept. */
  g_assert_cmpmem (text + headers[1].name.off, headers[1].name.len, "X-Dup", 5);
  g_assert_cmpmem (text + headers[2].name.off, headers[2].name.len, "x-dup", 5);
  g_assert_true (pl_http_header_name_is ((const guint8 *) text, &headers[2], "X-DUP"));
  /* Obsolete folding becomes one space per fold. */
  v = pl_http_copy_value ((const guint8 *) text, &headers[3]);
  g_assert_cmpstr (v, ==, "first second third");
  g_free (v);
  g_assert_cmpuint (headers[4].value.len, ==, 0);

  /* Too many headers, bad lines. */
  g_assert_cmpint (pl_http_parse_head ((const guint8 *) text, strlen (text), &head, headers, 2), ==,
                   PL_HTTP_PARSE_TOO_MANY_HEADERS);
  g_assert_cmpint (pl_http_parse_head ((const guint8 *) "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 31,
                                       &head, headers, 16), ==, PL_HTTP_PARSE_ERROR);
  g_assert_cmpint (pl_http_parse_head ((const guint8 *) "GET / HTTP/1.1\r\n folded\r\n\r\n", 27,
                                       &head, headers, 16), ==, PL_HTTP_PARSE_ERROR);
  /* Bare LF line ends (RFC 9112 2.2). */
  g_assert_cmpint (pl_http_parse_head ((const guint8 *) "HTTP/1.0 404 Not Found\nA: b\n\n", 29,
                                       &head, headers, 16), ==, 29);
  g_assert_false (head.is_request);
  g_assert_cmpuint (head.status, ==, 404);
  g_assert_cmpmem ("HTTP/1.0 404 Not Found\nA: b\n\n" + head.reason.off, head.reason.len, "Not Found", 9);
}

static void
test_classify (void)
{
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GE", 2), ==, PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GET /x HT", 9), ==, PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GET /x HTTP/1.1\r\n", 17), ==, 1);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GET /x HTTP/2.0\r\n", 17), ==, 0);
  /* Methods are tokens (RFC 9110 9.1). */
  g_assert_cmpint (pl_http_classify ((const guint8 *) "FETCH /x HTTP/1.1\r\n", 19), ==, 1);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "M-SEARCH * HTTP/1.1\r\n", 21), ==, 1);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "SSH-2.0-OpenSSH", 15), ==, PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "SSH-2.0-OpenSSH_9.2 Debian\r\n", 28), ==, 0);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "EHLO mail.example.org\r\n", 23), ==, 0);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "\x16\x03\x01", 3), ==, 0);
  /* Lenient request lines only with PL_HTTP_PARSE_LENIENT, only after a
   * method Wireshark knows. */
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GET /\r\n", 7), ==, 0);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "GET /\r\n", 7, PL_HTTP_PARSE_LENIENT), ==, 1);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "GET\r\n", 5, PL_HTTP_PARSE_LENIENT), ==, 1);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "GET /", 5, PL_HTTP_PARSE_LENIENT), ==,
                   PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "FETCH /\r\n", 9, PL_HTTP_PARSE_LENIENT), ==, 0);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "GETX /\r\n", 8, PL_HTTP_PARSE_LENIENT), ==, 0);
  g_assert_cmpint (pl_http_classify_full ((const guint8 *) "get /\r\n", 7, PL_HTTP_PARSE_LENIENT), ==, 0);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "HTTP/1.1 2", 10), ==, PL_HTTP_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "HTTP/1.1 200", 12), ==, 1);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "HTTP/1.1 2x0", 12), ==, 0);
  g_assert_cmpint (pl_http_classify ((const guint8 *) "GET /x\x01", 7), ==, 0);
}

/* Lenient request lines as Wireshark reads them: the target is the word
 * after the method, the rest of the line the version. */
static void
test_lenient_heads (void)
{
  static const struct
  {
    const char *text;
    const char *method;
    const char *target;
    guint       minor;
    gboolean    ends_with_version;  /* read so without the lenient flag too */
  } cases[] = {
    { "GET /\r\n\r\n", "GET", "/", 0, FALSE },
    { "GET /index.html\r\nHost: a\r\n\r\n", "GET", "/index.html", 0, FALSE },
    { "GET HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "HTTP/1.1", 0, TRUE },
    { "GET /a b.html HTTP/1.1\r\nHost: a\r\n\r\n", "GET", "/a", 0, TRUE },
    { "GET  / HTTP/1.1\r\n\r\n", "GET", "", 0, TRUE },
    { "GET\r\n\r\n", "GET", "", 0, FALSE },
    { "NOTIFY /upnp/event\r\nNT: upnp:event\r\n\r\n", "NOTIFY", "/upnp/event", 0, FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PlHttpHeader headers[16];
      PlHttpHead head;
      gsize len = strlen (cases[i].text), k;

      g_assert_cmpint (pl_http_parse_head ((const guint8 *) cases[i].text, len, &head, headers, 16), ==,
                       cases[i].ends_with_version ? (gssize) len : PL_HTTP_PARSE_ERROR);
      g_assert_true (!cases[i].ends_with_version || head.lenient);
      /* Every prefix is incomplete; the whole parses. */
      for (k = 0; k < len; k++)
        g_assert_cmpint (pl_http_parse_head_full ((const guint8 *) cases[i].text, k, &head, headers, 16,
                                                  PL_HTTP_PARSE_LENIENT), ==, PL_HTTP_PARSE_INCOMPLETE);
      g_assert_cmpint (pl_http_parse_head_full ((const guint8 *) cases[i].text, len, &head, headers, 16,
                                                PL_HTTP_PARSE_LENIENT), ==, (gssize) len);
      g_assert_true (head.is_request);
      g_assert_true (head.lenient);
      g_assert_cmpmem (cases[i].text + head.method.off, head.method.len,
                       cases[i].method, strlen (cases[i].method));
      g_assert_cmpmem (cases[i].text + head.target.off, head.target.len,
                       cases[i].target, strlen (cases[i].target));
      g_assert_cmpuint (head.version_minor, ==, cases[i].minor);
    }
  /* A control character: no text line, lenient or not. */
  {
    PlHttpHeader headers[4];
    PlHttpHead head;

    g_assert_cmpint (pl_http_parse_head_full ((const guint8 *) "GET /a\x01b HTTP/1.1\r\n\r\n", 23, &head,
                                              headers, 4, PL_HTTP_PARSE_LENIENT), ==, PL_HTTP_PARSE_ERROR);
  }
}

static void
test_chunked_decoder (void)
{
  const char *body = "5;name=val;q=\"a b\"\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0;last\r\n"
                     "X-Sum: 42\r\nX-Other: y\r\n\r\nNEXT";
  gsize len = strlen (body), k;

  /* Every split gives the same data and stops at the same byte. */
  for (k = 0; k <= len; k++)
    {
      PlHttpChunkedDecoder d;
      GString *data = g_string_new (NULL);
      gsize pos = 0, limit = k;

      pl_http_chunked_init (&d);
      while (!pl_http_chunked_is_done (&d) && pos < len)
        {
          gsize doff, dlen, avail = (pos < limit ? limit : len) - pos;
          gssize n = pl_http_chunked_decode (&d, (const guint8 *) body + pos, avail, &doff, &dlen);

          g_assert_cmpint (n, >=, 0);
          g_string_append_len (data, body + pos + doff, (gssize) dlen);
          pos += (gsize) n;
          if (n == 0)
            limit = len;
        }
      g_assert_true (pl_http_chunked_is_done (&d));
      g_assert_cmpstr (data->str, ==, "hello world0123456789");
      g_assert_cmpuint (d.data_bytes, ==, 21);
      g_assert_cmpuint (d.n_chunks, ==, 3);
      g_assert_cmpuint (d.n_trailers, ==, 2);
      g_assert_cmpuint (d.trailer_len, ==, strlen ("X-Sum: 42\r\nX-Other: y\r\n\r\n"));
      g_assert_cmpstr (body + pos, ==, "NEXT");
      g_string_free (data, TRUE);
    }

  {
    PlHttpChunkedDecoder d;
    gsize doff, dlen;

    pl_http_chunked_init (&d);
    g_assert_cmpint (pl_http_chunked_decode (&d, (const guint8 *) "zz\r\n", 4, &doff, &dlen), ==,
                     PL_HTTP_PARSE_ERROR);
    pl_http_chunked_init (&d);
    g_assert_cmpint (pl_http_chunked_decode (&d, (const guint8 *) "1\r\nab", 5, &doff, &dlen), ==, 4);
    g_assert_cmpint (pl_http_chunked_decode (&d, (const guint8 *) "b", 1, &doff, &dlen), ==,
                     PL_HTTP_PARSE_ERROR);
  }
}

/* Stream parser. */

static void
test_simple_exchange (void)
{
  g_autofree char *log = check_splits ("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                                       "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", FALSE);

  g_assert_cmpstr (log, ==,
                   "0 begin request 1 @0 head 27\n"
                   "0 end @0-27 body 0 missing 0 trailer 0 framing 0 flags 0x0\n"
                   "1 begin response 200 @0 head 38\n"
                   "1 end @0-43 body 5 missing 0 trailer 0 framing 1 flags 0x0\n"
                   "0 state 0\n1 state 0\n");
}

static void
test_chunked_stream (void)
{
  g_autofree char *log = check_splits (
    "GET /c HTTP/1.1\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
    "5;ext=1\r\nhello\r\n6;a=\"b;c\"\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n"
    "HTTP/1.1 204 No Content\r\n\r\n", FALSE);

  g_assert_nonnull (strstr (log, "1 end @0-"));
  g_assert_nonnull (strstr (log, "body 11 missing 0 trailer 18 framing 2 flags 0x0"));
  /* The next response still parses after the trailers. */
  g_assert_nonnull (strstr (log, "1 begin response 204"));
}

static void
test_no_body_responses (void)
{
  g_autofree char *log = check_splits (
    "HEAD /h HTTP/1.1\r\n\r\nGET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
    /* Content-Length on a response to HEAD, on 204 and 304 frames nothing. */
    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
    "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", FALSE);

  g_assert_cmpuint (count (log, "1 begin response"), ==, 5);
  g_assert_cmpuint (count (log, "body 0 missing 0 trailer 0 framing 0"), ==, 4 + 4);
  g_assert_nonnull (strstr (log, "body 2 missing 0 trailer 0 framing 1"));
}

static void
test_expect_continue (void)
{
  g_autofree char *log = check_splits (
    "POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", FALSE);

  g_assert_nonnull (strstr (log, "0 end @0-67 body 5"));
  g_assert_nonnull (strstr (log, "1 begin response 100 @0 head 25"));
  g_assert_nonnull (strstr (log, "1 begin response 201 @25"));
  g_assert_nonnull (strstr (log, "body 2 missing 0 trailer 0 framing 1"));
}

static void
test_pipelining (void)
{
  g_autofree char *log = check_splits (
    "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nPOST /3 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
    "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nC", FALSE);

  g_assert_cmpuint (count (log, "0 begin request"), ==, 3);
  g_assert_cmpuint (count (log, "1 begin response 200"), ==, 3);
  /* The HEAD response has no body although it says 50. */
  g_assert_cmpuint (count (log, "body 1 missing 0 trailer 0 framing 1"), ==, 2);
  g_assert_nonnull (strstr (log, "1 state 0"));
}

static void
test_http10_close (void)
{
  const char *c2s = "GET / HTTP/1.0\r\n\r\n";
  const char *s2c = "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of this until the close";
  g_autofree char *closed = check_splits (c2s, s2c, TRUE);
  g_autofree char *cut = run (c2s, s2c, -1, NULL, 0, FALSE);

  g_assert_nonnull (strstr (closed, "body 27 missing 0 trailer 0 framing 3 flags 0x0"));
  /* Without a FIN the capture just stopped: truncated. */
  g_assert_nonnull (strstr (cut, "body 27 missing 0 trailer 0 framing 3 flags 0x2"));
}

/* Capture order for a protocol switch: the request, then the response,
 * then what the client sends in the new protocol.  Every split of the
 * second and third parts gives the same log. */
static char *
run_switch (const char *request,
            const char *response,
            const char *after)
{
  char *whole = NULL;
  gsize k, n = strlen (response) + strlen (after);

  for (k = 0; k <= n; k++)
    {
      Pair pair;
      char *log;
      gsize rl = strlen (response), al = strlen (after);

      pair_init (&pair);
      feed (&pair, 0, 0, (const guint8 *) request, strlen (request));
      if (k < rl)
        {
          feed_split (&pair, 1, response, rl, &k, 1);
          pl_http_parser_feed (&pair.p[0], strlen (request), (const guint8 *) after, al);
        }
      else
        {
          gsize cut = k - rl;

          feed_split (&pair, 1, response, rl, NULL, 0);
          if (cut > 0)
            pl_http_parser_feed (&pair.p[0], strlen (request), (const guint8 *) after, cut);
          pl_http_parser_feed (&pair.p[0], strlen (request) + cut, (const guint8 *) after + cut, al - cut);
        }
      log = pair_finish (&pair, TRUE);
      if (whole == NULL)
        whole = log;
      else
        {
          g_assert_cmpstr (log, ==, whole);
          g_free (log);
        }
    }
  return whole;
}

static void
test_upgrade_and_connect (void)
{
  g_autofree char *ws = run_switch (
    "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hiHTTP/1.1 200 OK\r\n\r\n",
    "\x81\x85GET / HTTP/1.1\r\n\r\n");
  g_autofree char *tunnel = run_switch (
    "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03HTTP/1.1 200 OK\r\n\r\n",
    "\x16\x03\x01GET / HTTP/1.1\r\n\r\n");

  /* One request, one response: the bytes after them are another protocol. */
  g_assert_cmpuint (count (ws, "begin"), ==, 2);
  g_assert_nonnull (strstr (ws, "framing 4"));
  g_assert_nonnull (strstr (ws, "0 state 5"));
  g_assert_nonnull (strstr (ws, "1 state 5"));
  g_assert_cmpuint (count (tunnel, "begin"), ==, 2);
  g_assert_nonnull (strstr (tunnel, "framing 4"));
  g_assert_nonnull (strstr (tunnel, "0 state 5"));
}

static void
test_limits (void)
{
  GString *big = g_string_new ("GET /big HTTP/1.1\r\n");
  GString *many = g_string_new ("GET /many HTTP/1.1\r\n");
  g_autofree char *log = NULL;
  g_autofree char *log2 = NULL;
  Pair pair;
  guint i;

  while (big->len <= PL_HTTP_MAX_HEAD)
    g_string_append (big, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (big, "\r\nGET /after HTTP/1.1\r\n\r\n");

  pair_init (&pair);
  /* Pieces of 1000 bytes: the head must stop at the limit, not grow. */
  for (i = 0; i < big->len; i += 1000)
    feed (&pair, 0, i, (const guint8 *) big->str + i, MIN (1000u, big->len - i));
  g_assert_cmpuint (pair.max_buf, <=, PL_HTTP_MAX_HEAD);
  log = pair_finish (&pair, TRUE);
  g_assert_nonnull (strstr (log, "0 begin request 1 @0 head 65536 broken"));
  g_assert_nonnull (strstr (log, "flags 0x8"));
  /* Resynchronised on the next request line. */
  g_assert_cmpuint (count (log, "0 begin request"), ==, 2);

  for (i = 0; i <= PL_HTTP_MAX_HEADERS; i++)
    g_string_append_printf (many, "H%u: v\r\n", i);
  g_string_append (many, "\r\nGET /after HTTP/1.1\r\n\r\n");
  log2 = check_splits (many->str, "", TRUE);
  g_assert_nonnull (strstr (log2, "flags 0x10"));
  g_assert_cmpuint (count (log2, "0 begin request"), ==, 2);

  g_string_free (big, TRUE);
  g_string_free (many, TRUE);
}

static void
test_gaps (void)
{
  const char *s2c = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789"
                    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd"
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  gsize m1 = strstr (s2c, "0123456789") - s2c;
  gsize m2 = strstr (s2c, "HTTP/1.1 200 OK\r\nContent-Length: 4") - s2c;
  gsize m3 = strstr (s2c, "HTTP/1.1 404") - s2c;
  g_autofree char *log = NULL;
  g_autofree char *log2 = NULL;
  Pair pair;

  /* A gap in a Content-Length body is counted, the framing survives. */
  pair_init (&pair);
  feed (&pair, 1, 0, (const guint8 *) s2c, m1 + 3);
  feed (&pair, 1, m1 + 3, NULL, 4);
  feed (&pair, 1, m1 + 7, (const guint8 *) s2c + m1 + 7, strlen (s2c) - m1 - 7);
  log = pair_finish (&pair, TRUE);
  g_assert_nonnull (strstr (log, "body 10 missing 4 trailer 0 framing 1 flags 0x1"));
  g_assert_cmpuint (count (log, "1 begin response"), ==, 3);

  /* A gap inside a head: resynchronise at the next status line. */
  pair_init (&pair);
  feed (&pair, 1, 0, (const guint8 *) s2c, m2 + 5);
  feed (&pair, 1, m2 + 5, NULL, 10);
  feed (&pair, 1, m2 + 15, (const guint8 *) s2c + m2 + 15, strlen (s2c) - m2 - 15);
  log2 = pair_finish (&pair, TRUE);
  g_assert_nonnull (strstr (log2, "1 begin response 404"));
  g_assert_cmpuint (count (log2, "1 begin response 200"), ==, 1);
  g_assert_cmpuint (m3, >, 0);

  /* A head cut inside its first line (the snap length): what was captured
   * is the line, as Wireshark reads it ("GET /images/sf.gif HTT" is a GET
   * of /images/sf.gif on an HTTP port). */
  {
    const char *req = "GET /images/sf.gif HTTP/1.1\r\nHost: a\r\n\r\n";
    const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    g_autofree char *cut = NULL;

    lenient_mode = TRUE;
    pair_init (&pair);
    feed (&pair, 0, 0, (const guint8 *) req, 22);
    feed (&pair, 0, 22, NULL, strlen (req) - 22);
    feed (&pair, 1, 0, (const guint8 *) resp, 14);
    feed (&pair, 1, 14, NULL, strlen (resp) - 14);
    cut = pair_finish (&pair, TRUE);
    lenient_mode = FALSE;
    g_assert_cmpstr (cut, ==,
                     "0 begin request 1 @0 head 22 broken\n"
                     "0 end @0-22 body 0 missing 0 trailer 0 framing 0 flags 0x180\n"
                     "1 begin response 200 @0 head 14 broken\n"
                     "1 end @0-14 body 0 missing 0 trailer 0 framing 0 flags 0x80\n"
                     "0 state 0\n1 state 0\n");
  }
}

/* Methods are tokens (RFC 9110 9.1): UPnP's NOTIFY, SUBSCRIBE and
 * UNSUBSCRIBE, CCM_POST, PURGE, and their responses paired. */
static void
test_token_methods (void)
{
  g_autofree char *log = check_splits (
    "NOTIFY * HTTP/1.1\r\nNT: upnp:event\r\nContent-Length: 0\r\n\r\n"
    "SUBSCRIBE /evt HTTP/1.1\r\nCALLBACK: <http://a/>\r\n\r\n"
    "UNSUBSCRIBE /evt HTTP/1.1\r\nSID: uuid:1\r\n\r\n"
    "CCM_POST /ccm HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
    "PURGE /x HTTP/1.1\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    "HTTP/1.1 200 OK\r\nSID: uuid:1\r\nContent-Length: 0\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 3\r\n\r\nno!"
    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", TRUE);
  g_autofree char *other = g_strdup_printf ("0 begin request %u ", PL_HTTP_METHOD_OTHER);

  g_assert_cmpuint (count (log, other), ==, 5);
  g_assert_cmpuint (count (log, "1 begin response"), ==, 5);
  g_assert_nonnull (strstr (log, "body 2 missing 0 trailer 0 framing 1 flags 0x0"));
  g_assert_nonnull (strstr (log, "body 3 missing 0 trailer 0 framing 1 flags 0x0"));
  g_assert_cmpuint (count (log, "flags 0x100"), ==, 0);
  g_assert_cmpuint (pl_http_method_from_token ((const guint8 *) "PURGE", 5), ==, PL_HTTP_METHOD_OTHER);
  g_assert_cmpuint (pl_http_method_from_token ((const guint8 *) "GET", 3), ==, PL_HTTP_METHOD_GET);
  g_assert_true (pl_http_method_is_known ((const guint8 *) "SUBSCRIBE", 9));
  g_assert_false (pl_http_method_is_known ((const guint8 *) "PURGE", 5));
}

/* Lenient request lines in a stream: flagged, their responses paired; an
 * HTTP/0.9 request (no head end) reported at the end, truncated; without
 * the lenient mode none of it is HTTP. */
static void
test_lenient_stream (void)
{
  const char *c2s = "GET /index.html\r\nHost: a\r\n\r\n"
                    "GET HTTP/1.1\r\nHost: a\r\n\r\n"
                    "GET /a b.html HTTP/1.1\r\nHost: a\r\n\r\n"
                    "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const char *s2c = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"
                    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  g_autofree char *strict = NULL;
  g_autofree char *log = NULL;
  g_autofree char *http09 = NULL;

  lenient_mode = TRUE;
  log = check_splits (c2s, s2c, TRUE);
  http09 = check_splits ("GET /\r\n", "", TRUE);
  lenient_mode = FALSE;
  strict = check_splits (c2s, s2c, TRUE);

  g_assert_cmpuint (count (log, "0 begin request 1 "), ==, 4);
  g_assert_cmpuint (count (log, "flags 0x100"), ==, 3);
  g_assert_cmpuint (count (log, "1 begin response 200"), ==, 2);
  g_assert_cmpuint (count (log, "1 begin response 400"), ==, 2);
  g_assert_nonnull (strstr (log, "body 6 missing 0 trailer 0 framing 1 flags 0x0"));

  g_assert_cmpstr (http09, ==,
                   "0 state 0\n"
                   "0 begin request 1 @0 head 7 broken\n"
                   "0 end @0-7 body 0 missing 0 trailer 0 framing 0 flags 0x102\n"
                   "1 state 0\n");

  /* Strict: the first line is no request, so the stream is not HTTP. */
  g_assert_cmpuint (count (strict, "0 begin request"), ==, 0);
}

static void
test_not_http (void)
{
  g_autofree char *log = check_splits ("SSH-2.0-OpenSSH_9.2\r\nGET / HTTP/1.1\r\n\r\n",
                                       "\x16\x03\x01\x02\x00HTTP/1.1 200 OK\r\n\r\n", TRUE);

  /* Both directions gave up at the first byte: no message. */
  g_assert_cmpuint (count (log, "begin"), ==, 0);
  g_assert_nonnull (strstr (log, "0 state 6"));
  g_assert_nonnull (strstr (log, "1 state 6"));
}

static void
test_random_bytes (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  const char *seeds[] = {
    "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
  };
  guint iter;

  /* Pure noise, some with the resync flag (a stream joined mid-way). */
  for (iter = 0; iter < 20; iter++)
    {
      gsize len = 1 << 16, pos = 0;
      guint8 *noise = g_malloc (len);
      Pair pair;
      gsize i;

      for (i = 0; i < len; i++)
        noise[i] = (guint8) g_rand_int (rand);
      /* Sprinkle line ends and plausible starts so the scanner works. */
      for (i = 0; i < 200; i++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len - 20);

          memcpy (noise + at, (i & 1) ? "\nHTTP/1.1 200 " : "\nGET / HTTP/1.1", 15);
        }
      pair_init (&pair);
      pair.p[0].resync = iter & 1;
      pair.p[1].resync = TRUE;
      while (pos < len)
        {
          gsize want = (gsize) g_rand_int_range (rand, 1, 3000);
          gsize n = MIN (len - pos, want);

          if (g_rand_int_range (rand, 0, 50) == 0)
            {
              feed (&pair, 0, pos, NULL, n);
              feed (&pair, 1, pos, NULL, n);
            }
          else
            {
              feed (&pair, 0, pos, noise + pos, n);
              feed (&pair, 1, pos, noise + pos, n);
            }
          pos += n;
        }
      g_assert_cmpuint (pair.max_buf, <=, PL_HTTP_MAX_HEAD);
      g_free (pair_finish (&pair, TRUE));
      g_free (noise);
    }

  /* Mutated messages: whatever they parse as, splitting must not change it. */
  for (iter = 0; iter < 300; iter++)
    {
      GString *s = g_string_new (NULL);
      guint k, n_mut = (guint) g_rand_int_range (rand, 1, 6);
      g_autofree char *log = NULL;

      for (k = 0; k < 3; k++)
        g_string_append (s, seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (seeds))]);
      for (k = 0; k < n_mut; k++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) s->len);
          guint8 c = (guint8) g_rand_int_range (rand, 1, 256);

          s->str[at] = (char) c;
        }
      /* strlen() stops at a NUL; we put none (range starts at 1). */
      log = check_splits (s->str, s->str, TRUE);
      g_string_free (s, TRUE);
    }
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-parser/head/every-prefix", test_head_every_prefix);
  g_test_add_func ("/http-parser/head/classify", test_classify);
  g_test_add_func ("/http-parser/head/lenient", test_lenient_heads);
  g_test_add_func ("/http-parser/chunked/decoder", test_chunked_decoder);
  g_test_add_func ("/http-parser/stream/simple", test_simple_exchange);
  g_test_add_func ("/http-parser/stream/chunked", test_chunked_stream);
  g_test_add_func ("/http-parser/stream/no-body", test_no_body_responses);
  g_test_add_func ("/http-parser/stream/expect-continue", test_expect_continue);
  g_test_add_func ("/http-parser/stream/pipelining", test_pipelining);
  g_test_add_func ("/http-parser/stream/http10-close", test_http10_close);
  g_test_add_func ("/http-parser/stream/upgrade-connect", test_upgrade_and_connect);
  g_test_add_func ("/http-parser/stream/limits", test_limits);
  g_test_add_func ("/http-parser/stream/gaps", test_gaps);
  g_test_add_func ("/http-parser/stream/token-methods", test_token_methods);
  g_test_add_func ("/http-parser/stream/lenient", test_lenient_stream);
  g_test_add_func ("/http-parser/stream/not-http", test_not_http);
  g_test_add_func ("/http-parser/stream/random", test_random_bytes);

  return g_test_run ();
}
