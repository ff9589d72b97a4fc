/* fuzz-tls-parser.c: the TLS record parser (RFC 8446, RFC 5246): the
 * stateless pieces and the incremental per-direction parser, fed random
 * splits with gaps.
 *
 * Input: 2 bytes of settings, then the bytes of one direction of a stream.
 *   byte 0  bits 0-3: seed of the split points
 *           bit 4: some pieces arrive as gaps (never captured), one of them
 *                  longer than 4 GiB
 *           bit 5: the stream is on a TLS port (any record header starts TLS)
 *           bit 6: the session is TLS 1.3 from the start (opaque records)
 *   byte 1  largest piece: 1 + byte bytes
 * Every piece is given in a buffer of its own, freed right after the call,
 * so a kept pointer or a read past a piece is caught by AddressSanitizer.
 * Records and handshake messages reported must lie inside the bytes fed,
 * in order, with lengths within the bounds the header promises.
 */
#include "config.h"

#include <string.h>

#include "pl-fuzz.h"
#include "pl-tls-parser.h"

typedef struct
{
  guint64 fed;          /* stream bytes given so far, the current call's included */
  guint64 last_start;   /* start of the previous record */
  guint   n_records;
  guint   n_handshakes;
  guint   pending_hs;   /* handshakes reported since the last record */
} Sink;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pl_fuzz_make_warnings_fatal ();
  return 0;
}

static void
check_info (const PlTlsHandshakeInfo *info)
{
  PL_FUZZ_CHECK (memchr (info->server_name, '\0', sizeof info->server_name) != NULL);
  PL_FUZZ_CHECK (memchr (info->alpn, '\0', sizeof info->alpn) != NULL);
  PL_FUZZ_CHECK (memchr (info->subject_cn, '\0', sizeof info->subject_cn) != NULL);
  PL_FUZZ_CHECK (info->n_versions <= PL_TLS_MAX_VERSIONS);
  (void) pl_tls_handshake_type_name (info->type);
  (void) pl_tls_cipher_suite_name (info->cipher_suite);
  (void) pl_tls_version_name (info->version);
}

static void
on_handshake (gpointer                    user_data,
              const PlTlsParsedHandshake *hs)
{
  Sink *sink = user_data;

  /* A 4-byte handshake header; or the SSLv2 ClientHello at the start of
   * the stream, whose message type follows the 2-byte record header. */
  PL_FUZZ_CHECK (hs->body_start == hs->start + 4 ||
                 (hs->start == 2 && hs->body_start == 3 && hs->info.type == PL_TLS_HS_CLIENT_HELLO));
  PL_FUZZ_CHECK (hs->start < sink->fed);
  PL_FUZZ_CHECK (hs->n_records >= 1);
  check_info (&hs->info);
  sink->n_handshakes++;
  sink->pending_hs++;
}

static void
on_record (gpointer                 user_data,
           const PlTlsParsedRecord *rec)
{
  Sink *sink = user_data;

  gboolean ssl2 = (rec->flags & PL_TLS_RECORD_SSL2) != 0;

  PL_FUZZ_CHECK (rec->type >= PL_TLS_CHANGE_CIPHER_SPEC && rec->type <= PL_TLS_HEARTBEAT);
  PL_FUZZ_CHECK (rec->length <= PL_TLS_MAX_RECORD);
  if (ssl2)
    /* Only a ClientHello, only at the start of the stream. */
    PL_FUZZ_CHECK (rec->version == 0x0002 && rec->start == 0 && rec->type == PL_TLS_HANDSHAKE &&
                   rec->n_handshakes == 1);
  else
    PL_FUZZ_CHECK (rec->version >= 0x0300 && rec->version <= 0x0304);
  PL_FUZZ_CHECK (rec->start + PL_TLS_RECORD_HEADER <= sink->fed);
  if (!(rec->flags & PL_TLS_RECORD_TRUNCATED))
    PL_FUZZ_CHECK (rec->start + (ssl2 ? 2 : PL_TLS_RECORD_HEADER) + rec->length <= sink->fed);
  PL_FUZZ_CHECK (sink->n_records == 0 || rec->start > sink->last_start);
  PL_FUZZ_CHECK (rec->n_handshakes == MIN (sink->pending_hs, G_MAXUINT8));
  (void) pl_tls_content_type_name (rec->type);
  (void) pl_tls_alert_description_name (rec->alert_desc);
  sink->pending_hs = 0;
  sink->last_start = rec->start;
  sink->n_records++;
}

static const PlTlsParserCallbacks callbacks = { on_handshake, on_record };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint8 *stream;
  gsize len, pos = 0, i;
  guint32 rng;
  gsize max_piece;
  gboolean gaps;
  guint piece = 0;
  PlTlsParser parser;
  PlTlsSession session = { 0 };
  Sink sink = { 0 };
  int c;

  if (size < 2 || size > PL_FUZZ_MAX_LEN)
    return 0;
  stream = data + 2;
  len = size - 2;
  rng = 0x9e3779b9u * (1 + (data[0] & 0x0f));
  gaps = (data[0] & 0x10) != 0;
  max_piece = 1 + (gsize) data[1];
  if (data[0] & 0x40)
    session.version = 0x0304;

  /* The stateless pieces: the classifier on prefixes, the handshake reader
   * on the input as any message type. */
  for (i = 0; i <= len && i < 16; i++)
    {
      PlTlsRecordHeader h;
      gssize r = pl_tls_parse_record_header (stream, i, &h);

      PL_FUZZ_CHECK (r == PL_TLS_RECORD_HEADER || r == PL_TLS_PARSE_INCOMPLETE || r == PL_TLS_PARSE_ERROR);
      c = pl_tls_classify (stream, i, (data[0] & 0x20) != 0);
      PL_FUZZ_CHECK (c == 0 || c == 1 || c == PL_TLS_PARSE_INCOMPLETE);
    }
  {
    static const guint8 types[] = { 1, 2, 11 };

    for (i = 0; i < G_N_ELEMENTS (types); i++)
      {
        PlTlsHandshakeInfo info;

        memset (&info, 0, sizeof info);
        (void) pl_tls_parse_handshake (types[i], stream, len, &info);
        check_info (&info);
        PL_FUZZ_CHECK (info.sni_off + info.sni_len <= len || info.sni_len == 0);
        PL_FUZZ_CHECK (info.cn_off + info.cn_len <= len || info.cn_len == 0);
      }
  }

  /* The stream parser, piece by piece. */
  pl_tls_parser_init (&parser, &callbacks, &sink, &session);
  parser.tls_port = (data[0] & 0x20) != 0;
  while (pos < len)
    {
      gsize n;

      rng = rng * 1103515245u + 12345u;
      n = MIN (len - pos, 1 + (rng >> 16) % max_piece);
      if (gaps && (rng & 0x700) == 0x100)
        {
          guint64 gap = n + (piece == 3 ? G_GUINT64_CONSTANT (1) << 32 : 0);

          sink.fed += gap;
          pl_tls_parser_feed (&parser, sink.fed - gap, NULL, gap);
        }
      else
        {
          guint8 *copy = g_memdup2 (stream + pos, n);

          sink.fed += n;
          pl_tls_parser_feed (&parser, sink.fed - n, copy, n);
          g_free (copy);
        }
      pos += n;
      piece++;
    }
  pl_tls_parser_finish (&parser);
  PL_FUZZ_CHECK (pl_tls_parser_is_done (&parser));
  PL_FUZZ_CHECK (parser.hs_buf == NULL);
  return 0;
}
