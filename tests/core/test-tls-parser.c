/* test-tls-parser.c: the TLS record parser (RFC 8446, RFC 5246) on real
 * bytes: the two directions of the TLS 1.2 stream of tests/data/tls-lab.pcap
 * and the server side of its TLS 1.3 stream (kept as fuzz seeds, after two
 * settings bytes), fed whole and split at every byte, with gaps; and the
 * stateless pieces on hand-made hostile input.
 */
#include "config.h"

#include <string.h>

#include "pl-tls-parser.h"

typedef struct
{
  GString *log;      /* one line per record and handshake message */
  char     sni[PL_TLS_MAX_NAME];
  char     alpn[PL_TLS_MAX_ALPN];
  char     cn[PL_TLS_MAX_NAME];
  guint16  version;
  guint16  cipher;
} Sink;

static void
on_handshake (gpointer                    user_data,
              const PlTlsParsedHandshake *hs)
{
  Sink *s = user_data;

  g_string_append_printf (s->log, "hs %u at %" G_GUINT64_FORMAT " len %u in %u records\n",
                          hs->info.type, hs->start, hs->info.length, hs->n_records);
  if (hs->info.type == PL_TLS_HS_CLIENT_HELLO)
    {
      g_strlcpy (s->sni, hs->info.server_name, sizeof s->sni);
      g_strlcpy (s->alpn, hs->info.alpn, sizeof s->alpn);
    }
  if (hs->info.type == PL_TLS_HS_SERVER_HELLO)
    {
      s->version = hs->info.version;
      s->cipher = hs->info.cipher_suite;
      g_strlcpy (s->alpn, hs->info.alpn, sizeof s->alpn);
    }
  if (hs->info.type == PL_TLS_HS_CERTIFICATE)
    g_strlcpy (s->cn, hs->info.subject_cn, sizeof s->cn);
}

static void
on_record (gpointer                 user_data,
           const PlTlsParsedRecord *rec)
{
  Sink *s = user_data;

  g_string_append_printf (s->log, "rec %u at %" G_GUINT64_FORMAT " len %u flags %u hs %u alert %u/%u\n",
                          rec->type, rec->start, rec->length, rec->flags, rec->n_handshakes,
                          rec->alert_level, rec->alert_desc);
}

static const PlTlsParserCallbacks callbacks = { on_handshake, on_record };

static GBytes *
seed (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("PL_TEST_SRCDIR"), "tests", "fuzz", "corpus",
                                            "tls-parser", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 2);
  /* The two settings bytes of the fuzz target are not stream bytes. */
  memmove (data, data + 2, len - 2);
  return g_bytes_new_take (data, len - 2);
}

/* Feeds bytes in pieces of at most step (0: whole), each in its own copy. */
static char *
parse (GBytes       *bytes,
       gsize         step,
       PlTlsSession *session,
       Sink         *sink)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  PlTlsParser p;
  gsize pos = 0;

  memset (sink, 0, sizeof *sink);
  sink->log = g_string_new (NULL);
  pl_tls_parser_init (&p, &callbacks, sink, session);
  while (pos < len)
    {
      gsize n = step == 0 ? len : MIN (step, len - pos);
      g_autofree guint8 *copy = g_memdup2 (data + pos, n);

      pl_tls_parser_feed (&p, pos, copy, n);
      pos += n;
    }
  pl_tls_parser_finish (&p);
  return g_string_free (sink->log, FALSE);
}

static void
test_tls12_server (void)
{
  g_autoptr(GBytes) bytes = seed ("seed-server-tls12");
  PlTlsSession session = { 0 };
  g_autofree char *whole = NULL;
  Sink sink;
  gsize step;

  whole = parse (bytes, 0, &session, &sink);
  g_test_message ("%s", whole);
  /* ServerHello, the Certificate over two 512-byte records,
   * ServerKeyExchange, ServerHelloDone, then ChangeCipherSpec and the
   * encrypted Finished. */
  g_assert_true (g_str_has_prefix (whole, "hs 2 at 5 len "));
  g_assert_nonnull (strstr (whole, "in 2 records\n"));
  g_assert_nonnull (strstr (whole, "hs 12 "));
  g_assert_nonnull (strstr (whole, "hs 14 "));
  g_assert_nonnull (strstr (whole, "rec 20 "));
  g_assert_nonnull (strstr (whole, "rec 22 ") );
  g_assert_nonnull (strstr (whole, "flags 1 hs 0"));   /* the encrypted Finished */
  g_assert_cmpuint (session.version, ==, 0x0303);
  g_assert_cmpstr (pl_tls_cipher_suite_name (session.cipher_suite), ==, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  g_assert_cmpstr (sink.cn, ==, "example.org");
  g_assert_cmpstr (sink.alpn, ==, "http/1.1");

  /* Split anywhere: the same records, the same messages. */
  for (step = 1; step < 40; step++)
    {
      PlTlsSession s2 = { 0 };
      g_autofree char *split = parse (bytes, step, &s2, &sink);

      g_assert_cmpstr (split, ==, whole);
    }
}

static void
test_tls12_client (void)
{
  g_autoptr(GBytes) bytes = seed ("seed-client-tls12");
  PlTlsSession session = { 0 };
  g_autofree char *whole = NULL;
  Sink sink;
  gsize step;

  whole = parse (bytes, 0, &session, &sink);
  g_assert_true (g_str_has_prefix (whole, "hs 1 at 5 "));
  g_assert_cmpstr (sink.sni, ==, "example.org");
  /* curl --http1.1 offers only http/1.1. */
  g_assert_cmpstr (sink.alpn, ==, "http/1.1");
  for (step = 1; step < 300; step += 7)
    {
      PlTlsSession s2 = { 0 };
      g_autofree char *split = parse (bytes, step, &s2, &sink);

      g_assert_cmpstr (split, ==, whole);
    }
}

static void
test_tls13_server (void)
{
  g_autoptr(GBytes) bytes = seed ("seed-server-tls13");
  PlTlsSession session = { 0 };
  g_autofree char *whole = NULL;
  Sink sink;

  whole = parse (bytes, 0, &session, &sink);
  g_assert_cmpuint (session.version, ==, 0x0304);
  /* TLS 1.3 sends the chosen protocol in EncryptedExtensions: unseen. */
  g_assert_cmpstr (sink.alpn, ==, "");
  g_assert_nonnull (pl_tls_cipher_suite_name (session.cipher_suite));
  /* After the ServerHello every application data record is opaque. */
  g_assert_nonnull (strstr (whole, "rec 23 "));
  g_assert_null (strstr (whole, "rec 23 at 5 "));
  g_assert_nonnull (strstr (whole, "flags 2 hs 0"));
  g_assert_null (strstr (whole, "hs 11 "));
}

/* Hand-made records: a TLS 1.3 draft ServerHello (supported_versions
 * 0x7f14, draft 20, as deployed before RFC 8446) makes the records after
 * it opaque as TLS 1.3 does; a ClientHello offering TLS 1.3 with 0-RTT
 * (early_data) makes the client's application data after it opaque, one
 * without early_data does not. */
static GBytes *
hello (guint8        type,
       const guint8 *extensions,
       gsize         ext_len,
       gboolean      then_data)
{
  GByteArray *b = g_byte_array_new ();
  guint8 random[32] = { 0 };
  static const guint8 ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
  static const guint8 data[] = { 0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5 };
  gsize body = 2 + 32 + 1 + (type == PL_TLS_HS_CLIENT_HELLO ? 2 + 2 + 2 : 2 + 1) + 2 + ext_len;
  guint8 rec[5] = { 0x16, 0x03, 0x03, (guint8) ((body + 4) >> 8), (guint8) (body + 4) };
  guint8 hs[4] = { type, 0, (guint8) (body >> 8), (guint8) body };
  guint8 ver[2] = { 0x03, 0x03 };
  guint8 ext_hdr[2] = { (guint8) (ext_len >> 8), (guint8) ext_len };

  g_byte_array_append (b, rec, 5);
  g_byte_array_append (b, hs, 4);
  g_byte_array_append (b, ver, 2);
  g_byte_array_append (b, random, 32);
  g_byte_array_append (b, (const guint8 *) "\0", 1);                 /* session id */
  if (type == PL_TLS_HS_CLIENT_HELLO)
    g_byte_array_append (b, (const guint8 *) "\0\2\x13\x01\1\0", 6);  /* suites, compression */
  else
    g_byte_array_append (b, (const guint8 *) "\x13\x01\0", 3);        /* suite, compression */
  g_byte_array_append (b, ext_hdr, 2);
  g_byte_array_append (b, extensions, (guint) ext_len);
  if (then_data)
    {
      g_byte_array_append (b, ccs, sizeof ccs);
      g_byte_array_append (b, data, sizeof data);
    }
  return g_byte_array_free_to_bytes (b);
}

static guint
last_record_flags (const char *log)
{
  const char *last = g_strrstr (log, "rec 23 ");
  const char *flags;

  g_assert_nonnull (last);
  flags = strstr (last, "flags ");
  g_assert_nonnull (flags);
  return (guint) g_ascii_strtoull (flags + 6, NULL, 10);
}

static void
test_tls13_variants (void)
{
  static const guint8 draft[] = { 0x00, 0x2b, 0x00, 0x02, 0x7f, 0x14 };
  static const guint8 early[] = { 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04, 0x00, 0x2a, 0x00, 0x00 };
  static const guint8 no_early[] = { 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04 };
  g_autoptr(GBytes) server = hello (PL_TLS_HS_SERVER_HELLO, draft, sizeof draft, TRUE);
  g_autoptr(GBytes) client = hello (PL_TLS_HS_CLIENT_HELLO, early, sizeof early, TRUE);
  g_autoptr(GBytes) plain = hello (PL_TLS_HS_CLIENT_HELLO, no_early, sizeof no_early, TRUE);
  g_autofree char *server_log = NULL;
  g_autofree char *client_log = NULL;
  g_autofree char *plain_log = NULL;
  PlTlsSession session = { 0 };
  Sink sink;

  server_log = parse (server, 0, &session, &sink);
  g_assert_cmpuint (session.version, ==, 0x7f14);
  g_assert_true (pl_tls_version_is_13 (0x7f14));
  g_assert_false (pl_tls_version_is_13 (0x0303));
  g_assert_cmpuint (last_record_flags (server_log) & PL_TLS_RECORD_OPAQUE, !=, 0);

  memset (&session, 0, sizeof session);
  client_log = parse (client, 0, &session, &sink);
  g_assert_nonnull (strstr (client_log, "hs 1 at 5 "));
  g_assert_cmpuint (last_record_flags (client_log) & PL_TLS_RECORD_OPAQUE, !=, 0);

  memset (&session, 0, sizeof session);
  plain_log = parse (plain, 0, &session, &sink);
  g_assert_cmpuint (last_record_flags (plain_log) & PL_TLS_RECORD_OPAQUE, ==, 0);
}

/* An SSLv2-compatible ClientHello (TLS 1.0 offered), as clients of the
 * 2000s opened with: one record without a content type whose handshake is
 * a ClientHello of that version, whole or fed a byte at a time; bytes
 * starting with the high bit set that are not such a hello are not TLS. */
static void
test_ssl2_client_hello (void)
{
  guint8 hello[2 + 46];
  static const guint8 not_hello[] = { 0x80, 0x2e, 0x05, 0x03, 0x01, 0, 0, 0, 0, 0, 0, 0 };
  /* A length beyond any TLS record (found by the fuzzer). */
  static const guint8 too_long[] = { 0xc8, 0xeb, 0x01, 0x03, 0x01, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GBytes) long_bytes = g_bytes_new_static (too_long, sizeof too_long);
  g_autofree char *long_log = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) other = g_bytes_new_static (not_hello, sizeof not_hello);
  g_autofree char *whole = NULL;
  g_autofree char *bytewise = NULL;
  g_autofree char *none = NULL;
  PlTlsSession session = { 0 };
  Sink sink;
  guint i;

  memset (hello, 0, sizeof hello);
  hello[0] = 0x80;
  hello[1] = 46;             /* length */
  hello[2] = 1;              /* CLIENT-HELLO */
  hello[3] = 0x03;           /* TLS 1.0 */
  hello[4] = 0x01;
  hello[6] = 21;             /* cipher specs: 7 of 3 bytes */
  hello[10] = 16;            /* challenge */
  for (i = 11; i < sizeof hello; i++)
    hello[i] = (guint8) i;
  bytes = g_bytes_new (hello, sizeof hello);

  whole = parse (bytes, 0, &session, &sink);
  g_test_message ("%s", whole);
  g_assert_cmpstr (whole, ==, "hs 1 at 2 len 45 in 1 records\n"
                              "rec 22 at 0 len 46 flags 16 hs 1 alert 0/0\n");
  g_assert_cmpuint (PL_TLS_RECORD_SSL2, ==, 16);
  memset (&session, 0, sizeof session);
  bytewise = parse (bytes, 1, &session, &sink);
  g_assert_cmpstr (bytewise, ==, whole);

  memset (&session, 0, sizeof session);
  none = parse (other, 0, &session, &sink);
  g_assert_cmpstr (none, ==, "");
  memset (&session, 0, sizeof session);
  long_log = parse (long_bytes, 0, &session, &sink);
  g_assert_cmpstr (long_log, ==, "");
}

/* A gap inside a record: the record never completes, the next one (at a
 * segment start) is found again. */
static void
test_gap (void)
{
  g_autoptr(GBytes) bytes = seed ("seed-server-tls12");
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  PlTlsSession session = { 0 };
  PlTlsParser p;
  Sink sink;
  g_autofree char *log = NULL;

  memset (&sink, 0, sizeof sink);
  sink.log = g_string_new (NULL);
  pl_tls_parser_init (&p, &callbacks, &sink, &session);
  /* The ServerHello record (0-113) cut by a gap that also covers the next
   * header (113): framing is lost, the delivery that starts inside a record
   * is skipped, and the next one, which starts at the ChangeCipherSpec
   * record (1232), is framed again. */
  g_assert_cmpuint (len, >, 1300);
  pl_tls_parser_feed (&p, 0, data, 20);
  pl_tls_parser_feed (&p, 20, NULL, 100);
  pl_tls_parser_feed (&p, 120, data + 120, 1232 - 120);
  pl_tls_parser_feed (&p, 1232, data + 1232, len - 1232);
  pl_tls_parser_finish (&p);
  log = g_string_free (sink.log, FALSE);
  g_test_message ("%s", log);
  g_assert_true (g_str_has_prefix (log, "rec 22 at 0 len 108 flags 4 hs 0"));   /* MISSING */
  g_assert_null (strstr (log, "hs 11 "));
  g_assert_nonnull (strstr (log, "\nrec 20 at 1232 len 1 "));
  g_assert_nonnull (strstr (log, "\nrec 23 at 1283 len 536 "));
}

static void
test_hostile (void)
{
  PlTlsRecordHeader h;
  PlTlsHandshakeInfo info;
  /* A ClientHello whose lengths all lie: session id, cipher suites and
   * extensions longer than the message, an SNI longer than its extension. */
  static const guint8 lies[] = {
    0x03, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
    23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
    0xff, 0xff, 0x00, 0x00, 0x00, 0x09, 0x00, 0x07, 0x00, 0xff, 0xff, 'a', 'b',
  };
  static const guint8 cert[] = { 0x00, 0x00, 0x08, 0x00, 0x00, 0x05, 0x30, 0x84, 0xff, 0xff, 0xff };
  static const guint8 too_long[] = { 23, 3, 3, 0x48, 0x01 };
  static const guint8 bad_version[] = { 22, 3, 9, 0, 10 };
  static const guint8 http[] = "GET / HTTP/1.1\r\n";

  g_assert_cmpint (pl_tls_parse_record_header (too_long, sizeof too_long, &h), ==, PL_TLS_PARSE_ERROR);
  g_assert_cmpint (pl_tls_parse_record_header (bad_version, sizeof bad_version, &h), ==, PL_TLS_PARSE_ERROR);
  g_assert_cmpint (pl_tls_parse_record_header (too_long, 3, &h), ==, PL_TLS_PARSE_INCOMPLETE);
  g_assert_cmpint (pl_tls_classify (http, sizeof http - 1, FALSE), ==, 0);
  g_assert_cmpint (pl_tls_classify (http, sizeof http - 1, TRUE), ==, 0);
  g_assert_cmpint (pl_tls_classify (too_long, 3, FALSE), ==, 0);      /* not a handshake */
  g_assert_cmpint (pl_tls_classify (too_long, 3, TRUE), ==, PL_TLS_PARSE_INCOMPLETE);

  memset (&info, 0, sizeof info);
  pl_tls_parse_handshake (PL_TLS_HS_CLIENT_HELLO, lies, sizeof lies, &info);
  g_assert_cmpstr (info.server_name, ==, "");
  memset (&info, 0, sizeof info);
  g_assert_false (pl_tls_parse_handshake (PL_TLS_HS_CERTIFICATE, cert, sizeof cert, &info) &&
                  info.subject_cn[0] != '\0');
  g_assert_cmpstr (pl_tls_alert_description_name (40), ==, "handshake_failure");
  g_assert_cmpstr (pl_tls_version_name (0x0304), ==, "TLS 1.3");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tls-parser/tls12-server", test_tls12_server);
  g_test_add_func ("/tls-parser/tls12-client", test_tls12_client);
  g_test_add_func ("/tls-parser/tls13-server", test_tls13_server);
  g_test_add_func ("/tls-parser/tls13-variants", test_tls13_variants);
  g_test_add_func ("/tls-parser/ssl2-client-hello", test_ssl2_client_hello);
  g_test_add_func ("/tls-parser/gap", test_gap);
  g_test_add_func ("/tls-parser/hostile", test_hostile);
  return g_test_run ();
}
