/* pl-tls-parser.c: TLS records and cleartext handshake messages over a
 * reassembled byte stream (RFC 8446, RFC 5246, RFC 6066, RFC 7301; the
 * subject of an X.509 certificate, RFC 5280, read with a bounded DER
 * walker).  No decryption.  See pl-tls-parser.h for the contract.
 *
 * Every read of the bytes is bounded by PlByteReader; lengths read from the
 * wire are checked against what is left before use, so hostile input can
 * only end a parse early, never read past a buffer.
 */
#include "config.h"

#include <string.h>

#include "pl-byte-reader.h"
#include "pl-tls-parser.h"

gssize
pl_tls_parse_record_header (const guint8      *buf,
                            gsize              len,
                            PlTlsRecordHeader *header)
{
  guint16 version, length;

  if (len < 1)
    return PL_TLS_PARSE_INCOMPLETE;
  if (buf[0] < PL_TLS_CHANGE_CIPHER_SPEC || buf[0] > PL_TLS_HEARTBEAT)
    return PL_TLS_PARSE_ERROR;
  if (len >= 2 && buf[1] != 3)
    return PL_TLS_PARSE_ERROR;
  if (len >= 3 && buf[2] > 4)
    return PL_TLS_PARSE_ERROR;
  if (len < PL_TLS_RECORD_HEADER)
    return PL_TLS_PARSE_INCOMPLETE;
  version = (guint16) ((buf[1] << 8) | buf[2]);
  length = (guint16) ((buf[3] << 8) | buf[4]);
  if (length > PL_TLS_MAX_RECORD)
    return PL_TLS_PARSE_ERROR;
  header->type = buf[0];
  header->version = version;
  header->length = length;
  return PL_TLS_RECORD_HEADER;
}

int
pl_tls_classify (const guint8 *buf,
                 gsize         len,
                 gboolean      any_record)
{
  PlTlsRecordHeader h;
  gssize r = pl_tls_parse_record_header (buf, len, &h);
  guint32 hs_len;

  if (r == PL_TLS_PARSE_ERROR)
    return 0;
  if (r == PL_TLS_PARSE_INCOMPLETE)
    {
      if (!any_record && len >= 1 && buf[0] != PL_TLS_HANDSHAKE)
        return 0;
      return PL_TLS_PARSE_INCOMPLETE;
    }
  if (any_record)
    return 1;
  if (h.type != PL_TLS_HANDSHAKE || h.length < 4)
    return 0;
  if (len < PL_TLS_RECORD_HEADER + 4)
    {
      if (len > PL_TLS_RECORD_HEADER &&
          buf[5] != PL_TLS_HS_CLIENT_HELLO && buf[5] != PL_TLS_HS_SERVER_HELLO)
        return 0;
      return PL_TLS_PARSE_INCOMPLETE;
    }
  if (buf[5] != PL_TLS_HS_CLIENT_HELLO && buf[5] != PL_TLS_HS_SERVER_HELLO)
    return 0;
  /* A hello is at least version + random; it may continue in the next
   * record but not be absurdly long (Wireshark's heuristic checks the same
   * kind of things). */
  hs_len = ((guint32) buf[6] << 16) | ((guint32) buf[7] << 8) | buf[8];
  if (hs_len < 34 || hs_len > 0x10000)
    return 0;
  return 1;
}

/* Copies n bytes as a printable string (cut to size - 1). */
static void
copy_printable (char         *dst,
                gsize         size,
                const guint8 *src,
                gsize         n)
{
  gsize i;

  n = MIN (n, size - 1);
  for (i = 0; i < n; i++)
    dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char) src[i] : '?';
  dst[n] = '\0';
}

static void
append_printable (char         *dst,
                  gsize         size,
                  const guint8 *src,
                  gsize         n)
{
  gsize have = strlen (dst);

  if (have + 1 < size)
    copy_printable (dst + have, size - have, src, n);
}

/* ClientHello / ServerHello extensions at [pos, end) of the body. */
static gboolean
parse_extensions (PlByteReader       *r,
                  gsize               end,
                  gboolean            client,
                  PlTlsHandshakeInfo *info)
{
  while (r->pos + 4 <= end)
    {
      guint16 type = pl_byte_reader_get_u16_be (r);
      guint16 len = pl_byte_reader_get_u16_be (r);
      gsize start = r->pos, ext_end = start + len;

      if (ext_end > end)
        return FALSE;
      switch (type)
        {
        case 0: /* server_name (RFC 6066 3) */
          if (client && len >= 5)
            {
              gsize p = start + 2, list_end = MIN (ext_end, start + 2 + pl_byte_reader_peek_u16_be (r, start));

              while (p + 3 <= list_end)
                {
                  guint8 name_type = pl_byte_reader_peek_u8 (r, p);
                  guint16 name_len = pl_byte_reader_peek_u16_be (r, p + 1);

                  if (p + 3 + name_len > list_end)
                    break;
                  if (name_type == 0 && info->server_name[0] == '\0')
                    {
                      copy_printable (info->server_name, sizeof info->server_name, r->data + p + 3, name_len);
                      info->sni_off = (guint32) (p + 3);
                      info->sni_len = name_len;
                    }
                  p += 3 + (gsize) name_len;
                }
            }
          break;
        case 16: /* application_layer_protocol_negotiation (RFC 7301 3.1) */
          if (len >= 3)
            {
              gsize p = start + 2, list_end = MIN (ext_end, start + 2 + pl_byte_reader_peek_u16_be (r, start));

              info->alpn_off = (guint32) p;
              info->alpn_len = (guint32) (list_end - p);
              while (p + 1 <= list_end)
                {
                  guint8 n = pl_byte_reader_peek_u8 (r, p);

                  if (n == 0 || p + 1 + n > list_end)
                    break;
                  if (info->alpn[0] != '\0')
                    append_printable (info->alpn, sizeof info->alpn, (const guint8 *) ",", 1);
                  append_printable (info->alpn, sizeof info->alpn, r->data + p + 1, n);
                  p += 1 + (gsize) n;
                }
            }
          break;
        case 42: /* early_data (RFC 8446 4.2.10) */
          if (client)
            info->early_data = TRUE;
          break;
        case 43: /* supported_versions (RFC 8446 4.2.1) */
          if (client && len >= 1)
            {
              guint8 n = pl_byte_reader_peek_u8 (r, start);
              gsize p;

              info->versions_off = (guint32) (start + 1);
              info->versions_len = MIN (n, len - 1);
              for (p = start + 1; p + 2 <= MIN (ext_end, start + 1 + (gsize) n); p += 2)
                {
                  guint16 v = pl_byte_reader_peek_u16_be (r, p);

                  /* GREASE values (RFC 8701) are offered, never chosen. */
                  if ((v & 0x0f0f) == 0x0a0a)
                    continue;
                  if (info->n_versions < PL_TLS_MAX_VERSIONS)
                    info->versions[info->n_versions++] = v;
                  if (v <= 0x0304 && v > info->version)
                    info->version = v;
                }
            }
          else if (!client && len == 2)
            {
              info->version = pl_byte_reader_peek_u16_be (r, start);
              info->versions_off = (guint32) start;
              info->versions_len = 2;
            }
          break;
        default:
          break;
        }
      r->pos = ext_end;
    }
  return TRUE;
}

/* RFC 8446 4.1.3: the random of a HelloRetryRequest. */
static const guint8 hrr_random[32] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static gboolean
parse_hello (const guint8       *body,
             gsize               len,
             gboolean            client,
             PlTlsHandshakeInfo *info)
{
  PlByteReader r;
  guint8 sid_len;

  pl_byte_reader_init (&r, body, len);
  info->legacy_version = pl_byte_reader_get_u16_be (&r);
  if (client)
    info->version = info->legacy_version;
  else
    info->version = info->legacy_version;
  if (!client && pl_byte_reader_has (&r, 2, 32) && memcmp (body + 2, hrr_random, 32) == 0)
    info->hello_retry = TRUE;
  pl_byte_reader_skip (&r, 32);
  sid_len = pl_byte_reader_get_u8 (&r);
  pl_byte_reader_skip (&r, sid_len);
  if (client)
    {
      guint16 cs_len = pl_byte_reader_get_u16_be (&r);
      guint8 comp_len;

      info->n_cipher_suites = cs_len / 2;
      pl_byte_reader_skip (&r, cs_len);
      comp_len = pl_byte_reader_get_u8 (&r);
      pl_byte_reader_skip (&r, comp_len);
    }
  else
    {
      info->cipher_off = (guint32) r.pos;
      info->cipher_suite = pl_byte_reader_get_u16_be (&r);
      pl_byte_reader_skip (&r, 1);
    }
  if (r.overrun)
    return FALSE;
  if (pl_byte_reader_remaining (&r) < 2)
    return TRUE;   /* no extensions (before TLS 1.2 they were optional) */
  {
    guint16 ext_len = pl_byte_reader_get_u16_be (&r);
    gsize end = MIN (r.pos + ext_len, len);

    /* A version from supported_versions replaces the legacy one; a
     * ClientHello without it offers its legacy version only. */
    if (client)
      info->version = 0;
    if (!parse_extensions (&r, end, client, info))
      return FALSE;
    if (client && info->version == 0)
      info->version = info->legacy_version;
  }
  return TRUE;
}

/* DER (X.690 8.1): reads one tag and length at r->pos; FALSE when they do
 * not fit.  Long-form lengths up to 4 bytes. */
static gboolean
der_header (PlByteReader *r,
            gsize         end,
            guint8       *tag,
            gsize        *content_len)
{
  guint8 b;
  gsize n = 0;

  if (r->pos + 2 > end)
    return FALSE;
  *tag = pl_byte_reader_get_u8 (r);
  b = pl_byte_reader_get_u8 (r);
  if (b < 0x80)
    n = b;
  else
    {
      guint k = b & 0x7f, i;

      if (k == 0 || k > 4 || r->pos + k > end)
        return FALSE;
      for (i = 0; i < k; i++)
        n = (n << 8) | pl_byte_reader_get_u8 (r);
    }
  if (r->overrun || n > end - r->pos)
    return FALSE;
  *content_len = n;
  return TRUE;
}

/* The commonName (2.5.4.3) of an X.501 Name at [pos, end). */
static void
der_find_cn (PlByteReader       *r,
             gsize               end,
             PlTlsHandshakeInfo *info,
             gsize               base)
{
  static const guint8 cn_oid[] = { 0x55, 0x04, 0x03 };
  guint8 tag;
  gsize len;

  while (r->pos < end)
    {
      gsize set_end, seq_end;

      if (!der_header (r, end, &tag, &len) || tag != 0x31)
        return;
      set_end = r->pos + len;
      while (r->pos < set_end)
        {
          if (!der_header (r, set_end, &tag, &len) || tag != 0x30)
            return;
          seq_end = r->pos + len;
          if (!der_header (r, seq_end, &tag, &len) || tag != 0x06)
            return;
          if (len == sizeof cn_oid && memcmp (r->data + r->pos, cn_oid, sizeof cn_oid) == 0)
            {
              r->pos += len;
              if (!der_header (r, seq_end, &tag, &len))
                return;
              copy_printable (info->subject_cn, sizeof info->subject_cn, r->data + r->pos, len);
              info->cn_off = (guint32) (base + r->pos);
              info->cn_len = (guint32) len;
              /* The last CN of the subject is the most specific; keep going. */
            }
          r->pos = seq_end;
        }
      r->pos = set_end;
    }
}

/* RFC 5280 4.1: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE {
 * [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 * subject, ... } ... }. */
static void
parse_certificate_der (const guint8       *der,
                       gsize               len,
                       gsize               base,
                       PlTlsHandshakeInfo *info)
{
  PlByteReader r;
  guint8 tag;
  gsize n, tbs_end;
  guint i;

  pl_byte_reader_init (&r, der, len);
  if (!der_header (&r, len, &tag, &n) || tag != 0x30)
    return;
  if (!der_header (&r, r.pos + n, &tag, &n) || tag != 0x30)
    return;
  tbs_end = r.pos + n;
  /* version [0] is optional. */
  if (r.pos < tbs_end && pl_byte_reader_peek_u8 (&r, r.pos) == 0xa0)
    {
      if (!der_header (&r, tbs_end, &tag, &n))
        return;
      r.pos += n;
    }
  /* serialNumber, signature, issuer, validity. */
  for (i = 0; i < 4; i++)
    {
      if (!der_header (&r, tbs_end, &tag, &n))
        return;
      r.pos += n;
    }
  if (!der_header (&r, tbs_end, &tag, &n) || tag != 0x30)
    return;
  der_find_cn (&r, r.pos + n, info, base);
}

gboolean
pl_tls_parse_handshake (guint8              type,
                        const guint8       *body,
                        gsize               len,
                        PlTlsHandshakeInfo *info)
{
  info->type = type;
  switch (type)
    {
    case PL_TLS_HS_CLIENT_HELLO:
      return parse_hello (body, len, TRUE, info);
    case PL_TLS_HS_SERVER_HELLO:
      return parse_hello (body, len, FALSE, info);
    case PL_TLS_HS_CERTIFICATE:
      {
        /* TLS 1.2 (RFC 5246 7.4.2): certificate_list<0..2^24-1> of
         * ASN.1Cert<1..2^24-1>.  (TLS 1.3's is never in clear.) */
        PlByteReader r;
        guint32 list_len, cert_len;

        pl_byte_reader_init (&r, body, len);
        list_len = ((guint32) pl_byte_reader_get_u8 (&r) << 16) | pl_byte_reader_get_u16_be (&r);
        cert_len = ((guint32) pl_byte_reader_get_u8 (&r) << 16) | pl_byte_reader_get_u16_be (&r);
        if (r.overrun || list_len < 3 || cert_len > list_len - 3)
          return FALSE;
        /* Only what was kept of the message can be read. */
        parse_certificate_der (body + 6, MIN ((gsize) cert_len, len - 6), 6, info);
        return TRUE;
      }
    default:
      return TRUE;
    }
}

const char *
pl_tls_content_type_name (guint8 type)
{
  switch (type)
    {
    case PL_TLS_CHANGE_CIPHER_SPEC: return "ChangeCipherSpec";
    case PL_TLS_ALERT: return "Alert";
    case PL_TLS_HANDSHAKE: return "Handshake";
    case PL_TLS_APPLICATION_DATA: return "Application Data";
    case PL_TLS_HEARTBEAT: return "Heartbeat";
    default: return NULL;
    }
}

const char *
pl_tls_handshake_type_name (guint8 type)
{
  switch (type)
    {
    case PL_TLS_HS_HELLO_REQUEST: return "HelloRequest";
    case PL_TLS_HS_CLIENT_HELLO: return "ClientHello";
    case PL_TLS_HS_SERVER_HELLO: return "ServerHello";
    case PL_TLS_HS_NEW_SESSION_TICKET: return "NewSessionTicket";
    case PL_TLS_HS_END_OF_EARLY_DATA: return "EndOfEarlyData";
    case PL_TLS_HS_ENCRYPTED_EXTENSIONS: return "EncryptedExtensions";
    case PL_TLS_HS_CERTIFICATE: return "Certificate";
    case PL_TLS_HS_SERVER_KEY_EXCHANGE: return "ServerKeyExchange";
    case PL_TLS_HS_CERTIFICATE_REQUEST: return "CertificateRequest";
    case PL_TLS_HS_SERVER_HELLO_DONE: return "ServerHelloDone";
    case PL_TLS_HS_CERTIFICATE_VERIFY: return "CertificateVerify";
    case PL_TLS_HS_CLIENT_KEY_EXCHANGE: return "ClientKeyExchange";
    case PL_TLS_HS_FINISHED: return "Finished";
    case PL_TLS_HS_CERTIFICATE_URL: return "CertificateURL";
    case PL_TLS_HS_CERTIFICATE_STATUS: return "CertificateStatus";
    case PL_TLS_HS_SUPPLEMENTAL_DATA: return "SupplementalData";
    case PL_TLS_HS_KEY_UPDATE: return "KeyUpdate";
    case PL_TLS_HS_MESSAGE_HASH: return "MessageHash";
    default: return NULL;
    }
}

/* Wireshark dissects a handshake message of these types; another type at
 * the start of a record means it is encrypted (packet-tls-utils.c). */
static gboolean
is_valid_handshake_type (guint8 type)
{
  switch (type)
    {
    case PL_TLS_HS_HELLO_REQUEST:
    case PL_TLS_HS_CLIENT_HELLO:
    case PL_TLS_HS_SERVER_HELLO:
    case PL_TLS_HS_NEW_SESSION_TICKET:
    case PL_TLS_HS_END_OF_EARLY_DATA:
    case PL_TLS_HS_ENCRYPTED_EXTENSIONS:
    case PL_TLS_HS_CERTIFICATE:
    case PL_TLS_HS_SERVER_KEY_EXCHANGE:
    case PL_TLS_HS_CERTIFICATE_REQUEST:
    case PL_TLS_HS_SERVER_HELLO_DONE:
    case PL_TLS_HS_CERTIFICATE_VERIFY:
    case PL_TLS_HS_CLIENT_KEY_EXCHANGE:
    case PL_TLS_HS_FINISHED:
    case PL_TLS_HS_CERTIFICATE_URL:
    case PL_TLS_HS_CERTIFICATE_STATUS:
    case PL_TLS_HS_SUPPLEMENTAL_DATA:
    case PL_TLS_HS_KEY_UPDATE:
    case PL_TLS_HS_MESSAGE_HASH:
      return TRUE;
    default:
      return FALSE;
    }
}

/* RFC 8446 6, RFC 5246 7.2. */
const char *
pl_tls_alert_description_name (guint8 desc)
{
  switch (desc)
    {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 111: return "certificate_unobtainable";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 114: return "bad_certificate_hash_value";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return NULL;
    }
}

/* The IANA TLS Cipher Suites registry, the suites seen in practice. */
static const struct
{
  guint16     id;
  const char *name;
} cipher_suites[] = {
  { 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x1301, "TLS_AES_128_GCM_SHA256" },
  { 0x1302, "TLS_AES_256_GCM_SHA384" },
  { 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
  { 0x1304, "TLS_AES_128_CCM_SHA256" },
  { 0x1305, "TLS_AES_128_CCM_8_SHA256" },
  { 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
};

const char *
pl_tls_cipher_suite_name (guint16 suite)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cipher_suites); i++)
    if (cipher_suites[i].id == suite)
      return cipher_suites[i].name;
  return NULL;
}

gboolean
pl_tls_version_is_13 (guint16 version)
{
  return version == 0x0304 || (version & 0xff00) == 0x7f00 || (version & 0xff00) == 0xfb00;
}

const char *
pl_tls_version_name (guint16 version)
{
  if ((version & 0xff00) == 0x7f00 || (version & 0xff00) == 0xfb00)
    return "TLS 1.3 (draft)";
  switch (version)
    {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
    default: return NULL;
    }
}

/* The incremental parser. */

void
pl_tls_parser_init (PlTlsParser                *p,
                    const PlTlsParserCallbacks *callbacks,
                    gpointer                    user_data,
                    PlTlsSession               *session)
{
  memset (p, 0, sizeof *p);
  p->callbacks = callbacks;
  p->user_data = user_data;
  p->session = session;
  p->state = PL_TLS_PARSER_START;
}

void
pl_tls_parser_clear (PlTlsParser *p)
{
  g_clear_pointer (&p->hs_buf, g_byte_array_unref);
}

gboolean
pl_tls_parser_is_tls (const PlTlsParser *p)
{
  return p->n_records > 0 || p->state == PL_TLS_PARSER_HEADER || p->state == PL_TLS_PARSER_BODY;
}

gboolean
pl_tls_parser_is_done (const PlTlsParser *p)
{
  return p->state == PL_TLS_PARSER_NOT_TLS || p->state == PL_TLS_PARSER_LOST;
}

static void
end_record (PlTlsParser *p)
{
  PlTlsParsedRecord *rec = &p->rec;

  if (rec->type == PL_TLS_ALERT && p->alert_have == 2 && rec->length == 2 &&
      !(rec->flags & (PL_TLS_RECORD_ENCRYPTED | PL_TLS_RECORD_OPAQUE)))
    {
      rec->alert_level = p->alert[0];
      rec->alert_desc = p->alert[1];
    }
  else if (rec->type == PL_TLS_ALERT && rec->length != 2)
    rec->flags |= PL_TLS_RECORD_ENCRYPTED;
  if (rec->type == PL_TLS_CHANGE_CIPHER_SPEC)
    p->ccs_seen = TRUE;
  p->n_records++;
  if (p->callbacks->record != NULL)
    p->callbacks->record (p->user_data, rec);
  p->state = PL_TLS_PARSER_HEADER;
  p->hdr_have = 0;
}

static void
begin_record (PlTlsParser *p)
{
  PlTlsParsedRecord *rec = &p->rec;
  gboolean tls13 = p->session != NULL && pl_tls_version_is_13 (p->session->version);

  memset (rec, 0, sizeof *rec);
  rec->start = p->offset - PL_TLS_RECORD_HEADER;
  rec->type = p->hdr[0];
  rec->version = (guint16) ((p->hdr[1] << 8) | p->hdr[2]);
  rec->length = (guint16) ((p->hdr[3] << 8) | p->hdr[4]);
  p->rec_left = rec->length;
  p->alert_have = 0;
  p->rec_clear_hs = FALSE;
  /* 0-RTT data comes before the ServerHello; once it has chosen the
   * version, the version decides. */
  if (rec->type == PL_TLS_APPLICATION_DATA &&
      (tls13 || (p->early_data && (p->session == NULL || p->session->version == 0))))
    rec->flags |= PL_TLS_RECORD_OPAQUE;
  if (rec->type == PL_TLS_HANDSHAKE)
    {
      /* Before TLS 1.3, what follows a ChangeCipherSpec is encrypted; in
       * TLS 1.3 encrypted handshake messages travel as application data,
       * and a handshake record is always in clear (a second ClientHello
       * after a HelloRetryRequest follows the compatibility CCS). */
      if (p->ccs_seen && !tls13)
        rec->flags |= PL_TLS_RECORD_ENCRYPTED;
      else
        {
          p->rec_clear_hs = TRUE;
          /* A message that began in an earlier record goes on here. */
          if ((p->hs_hdr_have > 0 || p->hs_left > 0) && p->hs_records < G_MAXUINT8)
            p->hs_records++;
        }
    }
  p->state = PL_TLS_PARSER_BODY;
  if (p->rec_left == 0)
    end_record (p);
}

/* An SSLv2-compatible ClientHello (RFC 5246 appendix E.2, RFC 6101
 * appendix E): a 2-byte header with the high bit set, message type 1,
 * the version offered (SSL 2.0 to TLS 1.3), then three lengths.  Clients
 * of the 2000s opened with it; Wireshark reads it as a ClientHello in an
 * "SSLv2 Record Layer". */
#define SSL2_HEADER 2

static gboolean
is_ssl2_client_hello (const guint8 *b,
                      gsize         len)
{
  guint16 length, version;

  if (len < PL_TLS_RECORD_HEADER || !(b[0] & 0x80) || b[2] != PL_TLS_HS_CLIENT_HELLO)
    return FALSE;
  length = (guint16) (((b[0] & 0x7f) << 8) | b[1]);
  version = (guint16) ((b[3] << 8) | b[4]);
  /* Its length is 15 bits; no hello comes near the longest TLS record. */
  return length >= 9 && length <= PL_TLS_MAX_RECORD &&
         (version == 0x0002 || (version >= 0x0300 && version <= 0x0304));
}

/* The five bytes read as a record header were an SSLv2 ClientHello's
 * first: a record of its own, whose one handshake message is the hello. */
static void
begin_ssl2_record (PlTlsParser *p)
{
  PlTlsParsedRecord *rec = &p->rec;
  PlTlsParsedHandshake *hs = &p->hs;

  memset (rec, 0, sizeof *rec);
  rec->start = p->offset - PL_TLS_RECORD_HEADER;
  rec->type = PL_TLS_HANDSHAKE;
  rec->version = 0x0002;
  rec->length = (guint16) (((p->hdr[0] & 0x7f) << 8) | p->hdr[1]);
  rec->flags = PL_TLS_RECORD_SSL2;
  p->rec_left = rec->length - (PL_TLS_RECORD_HEADER - SSL2_HEADER);
  p->alert_have = 0;
  p->rec_clear_hs = FALSE;

  memset (hs, 0, sizeof *hs);
  hs->start = rec->start + SSL2_HEADER;
  hs->body_start = hs->start + 1;
  hs->n_records = 1;
  hs->info.type = PL_TLS_HS_CLIENT_HELLO;
  hs->info.length = rec->length - 1u;
  hs->info.version = (guint16) ((p->hdr[3] << 8) | p->hdr[4]);
  hs->info.legacy_version = hs->info.version;
  rec->n_handshakes = 1;
  if (p->callbacks->handshake != NULL)
    p->callbacks->handshake (p->user_data, hs);

  p->state = PL_TLS_PARSER_BODY;
  if (p->rec_left == 0)
    end_record (p);
}

static void
hs_reset (PlTlsParser *p)
{
  p->hs_hdr_have = 0;
  p->hs_left = 0;
  p->hs_records = 0;
  p->hs_broken = FALSE;
  if (p->hs_buf != NULL)
    g_byte_array_set_size (p->hs_buf, 0);
}

static void
hs_complete (PlTlsParser *p)
{
  PlTlsParsedHandshake *hs = &p->hs;
  guint32 len = ((guint32) p->hs_hdr[1] << 16) | ((guint32) p->hs_hdr[2] << 8) | p->hs_hdr[3];

  memset (hs, 0, sizeof *hs);
  hs->start = p->hs_start;
  hs->body_start = p->hs_start + 4;
  hs->n_records = p->hs_records;
  hs->info.length = len;
  if (!p->hs_broken)
    {
      pl_tls_parse_handshake (p->hs_hdr[0], p->hs_buf != NULL ? p->hs_buf->data : NULL,
                              p->hs_buf != NULL ? p->hs_buf->len : 0, &hs->info);
      /* A HelloRetryRequest already says TLS 1.3 (its supported_versions):
       * the client's second ClientHello, after its compatibility CCS, is
       * in clear. */
      /* 0-RTT: what the client sends after such a ClientHello is
       * encrypted with the early traffic keys, as after a ServerHello. */
      if (p->hs_hdr[0] == PL_TLS_HS_CLIENT_HELLO && hs->info.early_data &&
          pl_tls_version_is_13 (hs->info.version))
        p->early_data = TRUE;
      if (p->hs_hdr[0] == PL_TLS_HS_SERVER_HELLO && p->session != NULL)
        {
          p->session->version = hs->info.version;
          p->session->cipher_suite = hs->info.cipher_suite;
        }
      hs->info.type = p->hs_hdr[0];
      if (p->rec.n_handshakes < G_MAXUINT8)
        p->rec.n_handshakes++;
      if (p->callbacks->handshake != NULL)
        p->callbacks->handshake (p->user_data, hs);
    }
  hs_reset (p);
}

/* Fragment bytes of a cleartext handshake record (data NULL: a gap). */
static void
hs_feed (PlTlsParser  *p,
         const guint8 *data,
         gsize         len)
{
  while (len > 0)
    {
      gboolean first_in_record = p->offset == p->rec.start + PL_TLS_RECORD_HEADER;

      if (p->hs_hdr_have < 4)
        {
          if (p->hs_hdr_have == 0)
            {
              p->hs_start = p->offset;
              p->hs_records = 1;
              p->hs_broken = FALSE;
            }
          if (data == NULL)
            {
              /* A gap in a message header: the rest of the record is lost
               * for handshake parsing. */
              p->rec_clear_hs = FALSE;
              hs_reset (p);
              return;
            }
          /* An unknown type where a message starts: encrypted (a record
           * after a CCS we did not see). */
          if (p->hs_hdr_have == 0 && !is_valid_handshake_type (data[0]))
            {
              if (first_in_record)
                p->rec.flags |= PL_TLS_RECORD_ENCRYPTED;
              p->rec_clear_hs = FALSE;
              hs_reset (p);
              return;
            }
          p->hs_hdr[p->hs_hdr_have++] = *data++;
          len--;
          p->offset++;
          if (p->hs_hdr_have == 4)
            {
              p->hs_left = ((guint32) p->hs_hdr[1] << 16) | ((guint32) p->hs_hdr[2] << 8) | p->hs_hdr[3];
              if (p->hs_buf != NULL)
                g_byte_array_set_size (p->hs_buf, 0);
              if (p->hs_left == 0)
                hs_complete (p);
            }
          continue;
        }
      {
        gsize n = MIN (len, (gsize) p->hs_left);

        if (data == NULL)
          p->hs_broken = TRUE;
        else
          {
            guint have = p->hs_buf != NULL ? p->hs_buf->len : 0;
            gsize keep = have < PL_TLS_MAX_HANDSHAKE_KEEP ? MIN (n, PL_TLS_MAX_HANDSHAKE_KEEP - have) : 0;

            if (keep > 0)
              {
                if (p->hs_buf == NULL)
                  p->hs_buf = g_byte_array_sized_new (1024);
                g_byte_array_append (p->hs_buf, data, (guint) keep);
              }
            data += n;
          }
        len -= n;
        p->offset += n;
        p->hs_left -= (guint32) n;
        if (p->hs_left == 0)
          hs_complete (p);
      }
    }
}

void
pl_tls_parser_feed (PlTlsParser  *p,
                    guint64       offset,
                    const guint8 *data,
                    gsize         len)
{
  if (p->state == PL_TLS_PARSER_NOT_TLS || p->state == PL_TLS_PARSER_LOST)
    return;
  if (offset != p->offset)
    {
      /* Not the next byte: the caller broke the contract; stop. */
      p->state = PL_TLS_PARSER_LOST;
      return;
    }
  if (p->state == PL_TLS_PARSER_SCAN)
    {
      /* Records start at segment starts in practice: TLS after a STARTTLS
       * exchange, or the next record after a hole.  A hello is asked for
       * unless the stream is TLS already (or on a TLS port). */
      if (data == NULL || pl_tls_classify (data, len, p->tls_port || p->n_records > 0) != 1)
        {
          p->offset += len;
          return;
        }
      hs_reset (p);
      p->hdr_have = 0;
      p->state = PL_TLS_PARSER_HEADER;
    }

  while (len > 0)
    {
      switch (p->state)
        {
        case PL_TLS_PARSER_START:
        case PL_TLS_PARSER_HEADER:
          {
            gsize want, n;
            PlTlsRecordHeader h;
            gssize r;

            if (data == NULL)
              {
                /* No framing without the header: look for the next record
                 * at a segment start. */
                p->state = PL_TLS_PARSER_SCAN;
                p->hdr_have = 0;
                p->offset += len;
                return;
              }
            want = PL_TLS_RECORD_HEADER - p->hdr_have;
            n = MIN (want, len);
            if (p->state == PL_TLS_PARSER_START)
              {
                /* Decide on the record header and the start of the first
                 * handshake message, peeked from this delivery; with less
                 * than a header, wait; with a header and no more, decide
                 * on the header alone. */
                guint8 probe[PL_TLS_RECORD_HEADER + 4];
                gsize have = p->hdr_have, extra = MIN (len, sizeof probe - have);
                int c;

                memcpy (probe, p->hdr, have);
                memcpy (probe + have, data, extra);
                have += extra;
                if (probe[0] & 0x80)
                  {
                    /* Perhaps an SSLv2-compatible ClientHello: its first
                     * five bytes decide. */
                    if (have < PL_TLS_RECORD_HEADER)
                      {
                        memcpy (p->hdr + p->hdr_have, data, n);
                        p->hdr_have += (guint8) n;
                        p->offset += n;
                        return;
                      }
                    if (is_ssl2_client_hello (probe, have))
                      {
                        memcpy (p->hdr + p->hdr_have, data, n);
                        p->hdr_have += (guint8) n;
                        p->offset += n;
                        data += n;
                        len -= n;
                        begin_ssl2_record (p);
                        break;
                      }
                  }
                c = pl_tls_classify (probe, have, p->tls_port);
                if (c == 0)
                  {
                    p->state = PL_TLS_PARSER_SCAN;
                    p->hdr_have = 0;
                    p->offset += len;
                    return;
                  }
                if (c == PL_TLS_PARSE_INCOMPLETE && have < PL_TLS_RECORD_HEADER)
                  {
                    memcpy (p->hdr + p->hdr_have, data, n);
                    p->hdr_have += (guint8) n;
                    p->offset += n;
                    return;
                  }
              }
            memcpy (p->hdr + p->hdr_have, data, n);
            p->hdr_have += (guint8) n;
            p->offset += n;
            data += n;
            len -= n;
            if (p->hdr_have < PL_TLS_RECORD_HEADER)
              return;
            r = pl_tls_parse_record_header (p->hdr, PL_TLS_RECORD_HEADER, &h);
            if (r != PL_TLS_RECORD_HEADER)
              {
                p->state = PL_TLS_PARSER_SCAN;
                p->hdr_have = 0;
                p->offset += len;
                return;
              }
            begin_record (p);
            break;
          }
        case PL_TLS_PARSER_BODY:
          {
            gsize n = MIN (len, (gsize) p->rec_left);

            if (data == NULL)
              p->rec.flags |= PL_TLS_RECORD_MISSING;
            if (p->rec.type == PL_TLS_ALERT && data != NULL)
              {
                gsize i;

                for (i = 0; i < n && p->alert_have < 2; i++)
                  p->alert[p->alert_have++] = data[i];
              }
            if (p->rec_clear_hs)
              {
                guint64 before = p->offset;

                hs_feed (p, data, n);
                /* hs_feed moves the offset over what it read; the rest of
                 * the record (after a give-up) is skipped here. */
                p->offset = before;
              }
            else if (p->hs_hdr_have > 0 && p->rec.type != PL_TLS_HANDSHAKE)
              {
                /* Another record type inside a fragmented message. */
              }
            p->offset += n;
            if (data != NULL)
              data += n;
            len -= n;
            p->rec_left -= (guint32) n;
            if (p->rec_left == 0)
              {
                if (p->rec.flags & PL_TLS_RECORD_MISSING)
                  hs_reset (p);
                end_record (p);
              }
            break;
          }
        case PL_TLS_PARSER_SCAN:
        case PL_TLS_PARSER_LOST:
        case PL_TLS_PARSER_NOT_TLS:
        default:
          return;
        }
    }
}

void
pl_tls_parser_finish (PlTlsParser *p)
{
  if (p->state == PL_TLS_PARSER_BODY)
    {
      p->rec.flags |= PL_TLS_RECORD_TRUNCATED;
      if (p->callbacks->record != NULL)
        p->callbacks->record (p->user_data, &p->rec);
    }
  if (p->state != PL_TLS_PARSER_NOT_TLS)
    p->state = PL_TLS_PARSER_LOST;
  pl_tls_parser_clear (p);
}
