/* pl-tls-parser.h: TLS record and handshake parsing over a reassembled byte
 * stream, without decryption (RFC 8446 TLS 1.3, RFC 5246 TLS 1.2, RFC 6066
 * server_name, RFC 7301 ALPN, RFC 5280 certificates).
 *
 * Two levels, as pl-http-parser.h:
 *
 *  - stateless pieces: pl_tls_parse_record_header() returns the bytes
 *    consumed (5), PL_TLS_PARSE_INCOMPLETE or PL_TLS_PARSE_ERROR;
 *    pl_tls_classify() says whether bytes start a TLS stream;
 *    pl_tls_parse_handshake() reads the cleartext fields of one handshake
 *    message (ClientHello, ServerHello, Certificate) into a fixed struct;
 *
 *  - PlTlsParser, the incremental parser of one direction of one TCP
 *    stream: fed the reassembler's in-order runs (with explicit gaps), it
 *    frames records (reassembled across segments), reassembles handshake
 *    messages across records, and reports each record and each cleartext
 *    handshake message as stream offsets.  Only one record header (5 bytes)
 *    and the first PL_TLS_MAX_HANDSHAKE_KEEP bytes of the handshake message
 *    being read are buffered: one buffer per direction, reused.
 *
 * Which records are in clear follows Wireshark 4.0 (no keys): handshake
 * records of a direction after its ChangeCipherSpec are encrypted (TLS 1.2
 * and older); once the ServerHello chose TLS 1.3, application data records
 * are opaque (encrypted handshake, alerts and data alike).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PL_TLS_PARSE_ERROR       (-1)
#define PL_TLS_PARSE_INCOMPLETE  (-2)

#define PL_TLS_RECORD_HEADER     5
/* TLSCiphertext.length may reach 2^14 + 2048 (RFC 5246 6.2.3); a longer
 * record is not TLS. */
#define PL_TLS_MAX_RECORD        (16384 + 2048)
/* Bytes of one handshake message kept for parsing (a certificate chain can
 * be longer: its first certificate comes first). */
#define PL_TLS_MAX_HANDSHAKE_KEEP (32 * 1024)
#define PL_TLS_MAX_NAME          256
#define PL_TLS_MAX_ALPN          128
#define PL_TLS_MAX_VERSIONS      8

typedef enum
{
  PL_TLS_CHANGE_CIPHER_SPEC = 20,
  PL_TLS_ALERT              = 21,
  PL_TLS_HANDSHAKE          = 22,
  PL_TLS_APPLICATION_DATA   = 23,
  PL_TLS_HEARTBEAT          = 24,
} PlTlsContentType;

typedef enum
{
  PL_TLS_HS_HELLO_REQUEST        = 0,
  PL_TLS_HS_CLIENT_HELLO         = 1,
  PL_TLS_HS_SERVER_HELLO         = 2,
  PL_TLS_HS_NEW_SESSION_TICKET   = 4,
  PL_TLS_HS_END_OF_EARLY_DATA    = 5,
  PL_TLS_HS_ENCRYPTED_EXTENSIONS = 8,
  PL_TLS_HS_CERTIFICATE          = 11,
  PL_TLS_HS_SERVER_KEY_EXCHANGE  = 12,
  PL_TLS_HS_CERTIFICATE_REQUEST  = 13,
  PL_TLS_HS_SERVER_HELLO_DONE    = 14,
  PL_TLS_HS_CERTIFICATE_VERIFY   = 15,
  PL_TLS_HS_CLIENT_KEY_EXCHANGE  = 16,
  PL_TLS_HS_FINISHED             = 20,
  PL_TLS_HS_CERTIFICATE_URL      = 21,
  PL_TLS_HS_CERTIFICATE_STATUS   = 22,
  PL_TLS_HS_SUPPLEMENTAL_DATA    = 23,
  PL_TLS_HS_KEY_UPDATE           = 24,
  PL_TLS_HS_MESSAGE_HASH         = 254,
} PlTlsHandshakeType;

typedef struct
{
  guint8  type;
  guint16 version;
  guint16 length;
} PlTlsRecordHeader;

/* Parses a record header at buf: content type 20-24, a version from SSL 3.0
 * to TLS 1.3 (0x0300-0x0304), a length up to PL_TLS_MAX_RECORD.  Returns 5,
 * PL_TLS_PARSE_INCOMPLETE or PL_TLS_PARSE_ERROR. */
gssize       pl_tls_parse_record_header (const guint8      *buf,
                                         gsize              len,
                                         PlTlsRecordHeader *header);

/* Does buf start a TLS stream?  A handshake record header whose first
 * message is a ClientHello or ServerHello with a length that fits.  With
 * any_record, any valid record header will do (on a TLS port).  Returns 1,
 * 0 or PL_TLS_PARSE_INCOMPLETE. */
int          pl_tls_classify            (const guint8      *buf,
                                         gsize              len,
                                         gboolean           any_record);

/* The cleartext fields of one handshake message; empty strings when
 * absent.  Strings are NUL-terminated, cut to their buffers, with bytes
 * outside printable ASCII replaced by '?'. */
typedef struct
{
  guint8  type;
  guint32 length;                    /* message body length */
  guint16 legacy_version;            /* Client/ServerHello */
  guint16 version;                   /* ServerHello: chosen (supported_versions for 1.3);
                                      * ClientHello: the highest offered */
  guint16 cipher_suite;              /* ServerHello */
  guint8  hello_retry;               /* ServerHello is a HelloRetryRequest */
  guint8  early_data;                /* ClientHello offers 0-RTT data (early_data) */
  guint8  n_versions;                /* ClientHello: supported_versions entries kept */
  guint16 versions[PL_TLS_MAX_VERSIONS];
  guint16 n_cipher_suites;           /* ClientHello */
  char    server_name[PL_TLS_MAX_NAME];  /* ClientHello SNI host_name */
  char    alpn[PL_TLS_MAX_ALPN];     /* ClientHello: offered, comma-joined; ServerHello: chosen */
  char    subject_cn[PL_TLS_MAX_NAME];   /* Certificate: first certificate's subject CN */
  /* Where fields lie, as offsets into the message body (0 length: absent). */
  guint32 sni_off, sni_len;
  guint32 alpn_off, alpn_len;
  guint32 versions_off, versions_len;
  guint32 cipher_off;                /* ServerHello cipher_suite */
  guint32 cn_off, cn_len;
} PlTlsHandshakeInfo;

/* Reads the message body (len bytes, possibly cut to the bytes kept) of
 * handshake type type into info.  Returns FALSE when the body is malformed
 * (the fields read so far stay). */
gboolean     pl_tls_parse_handshake     (guint8              type,
                                         const guint8       *body,
                                         gsize               len,
                                         PlTlsHandshakeInfo *info);

/* Names, or NULL when unknown. */
const char  *pl_tls_content_type_name   (guint8  type);
const char  *pl_tls_handshake_type_name (guint8  type);
const char  *pl_tls_alert_description_name (guint8 desc);
/* IANA name of a cipher suite (the common ones), or NULL. */
const char  *pl_tls_cipher_suite_name   (guint16 suite);
/* "TLS 1.2", "SSL 3.0"..., or NULL. */
const char  *pl_tls_version_name        (guint16 version);
/* TLS 1.3, or one of its drafts as deployed before RFC 8446 (0x7fNN:
 * draft NN; 0xfbNN: Facebook's experiments), as Wireshark reads them:
 * after such a ServerHello the records are encrypted. */
gboolean     pl_tls_version_is_13       (guint16 version);

typedef enum
{
  PL_TLS_RECORD_ENCRYPTED   = 1 << 0, /* a handshake or alert record after ChangeCipherSpec */
  PL_TLS_RECORD_OPAQUE      = 1 << 1, /* TLS 1.3 application data (opaque_type): no content_type */
  PL_TLS_RECORD_MISSING     = 1 << 2, /* a gap inside the record: never complete */
  PL_TLS_RECORD_TRUNCATED   = 1 << 3, /* the stream ended inside it */
  PL_TLS_RECORD_SSL2        = 1 << 4, /* an SSL 2.0 record (a 2-byte header, no content
                                       * type): an SSLv2-compatible ClientHello */
} PlTlsRecordFlags;

/* One record as the stream parser reports it. */
typedef struct
{
  guint64 start;         /* stream offset of the record header */
  guint16 length;        /* fragment length */
  guint16 version;
  guint8  type;
  guint8  flags;         /* PlTlsRecordFlags */
  guint8  alert_level;   /* cleartext alerts (2-byte body) */
  guint8  alert_desc;
  guint8  n_handshakes;  /* cleartext handshake messages completed in it */
} PlTlsParsedRecord;

/* One cleartext handshake message, completed in the record being read. */
typedef struct
{
  guint64             start;      /* stream offset of its 4-byte header */
  guint64             body_start; /* stream offset of its body */
  guint8              n_records;  /* records it spans (1: all in one) */
  PlTlsHandshakeInfo  info;
} PlTlsParsedHandshake;

/* Shared by both directions of a stream: what the server chose. */
typedef struct
{
  guint16 version;       /* 0 until a ServerHello */
  guint16 cipher_suite;
} PlTlsSession;

typedef struct
{
  /* A handshake message ended inside the record being read; the record's
   * own callback follows. */
  void (*handshake) (gpointer                    user_data,
                     const PlTlsParsedHandshake *hs);
  /* A record ended (complete, or see its flags). */
  void (*record)    (gpointer                    user_data,
                     const PlTlsParsedRecord    *rec);
} PlTlsParserCallbacks;

typedef enum
{
  PL_TLS_PARSER_START,    /* nothing seen: the first bytes decide */
  PL_TLS_PARSER_HEADER,   /* reading a record header */
  PL_TLS_PARSER_BODY,     /* reading a record's fragment */
  PL_TLS_PARSER_SCAN,     /* not (or no longer) TLS: each delivery's start is
                           * checked for a hello (STARTTLS, MySQL's SSL
                           * request) or, once framing was lost, a record */
  PL_TLS_PARSER_LOST,     /* finished */
  PL_TLS_PARSER_NOT_TLS,  /* unused: kept for the order of states */
} PlTlsParserState;

/* Plain struct, meant to be embedded. */
typedef struct
{
  const PlTlsParserCallbacks *callbacks;
  gpointer           user_data;
  PlTlsSession      *session;
  PlTlsParserState   state;
  gboolean           tls_port;      /* any valid record header starts TLS */
  gboolean           ccs_seen;      /* this direction changed cipher spec */
  gboolean           early_data;    /* sent a TLS 1.3 ClientHello with early_data:
                                     * its application data is encrypted */
  guint32            n_records;
  guint64            offset;        /* stream offset of the next byte */
  guint8             hdr[PL_TLS_RECORD_HEADER + 1];
  guint8             hdr_have;
  PlTlsParsedRecord  rec;
  guint32            rec_left;      /* fragment bytes to go */
  gboolean           rec_clear_hs;  /* the fragment feeds the handshake reassembly */
  guint8             alert[2];
  guint8             alert_have;
  /* Handshake message reassembly (across records). */
  guint8             hs_hdr[4];
  guint8             hs_hdr_have;
  guint32            hs_left;       /* body bytes to go */
  guint64            hs_start;
  guint8             hs_records;
  gboolean           hs_broken;     /* bytes of it were never captured */
  GByteArray        *hs_buf;        /* first PL_TLS_MAX_HANDSHAKE_KEEP body bytes */
  PlTlsParsedHandshake hs;          /* scratch for the callback */
} PlTlsParser;

void     pl_tls_parser_init    (PlTlsParser                *p,
                                const PlTlsParserCallbacks *callbacks,
                                gpointer                    user_data,
                                PlTlsSession               *session);
void     pl_tls_parser_clear   (PlTlsParser                *p);
/* In-order bytes [offset, offset + len); data NULL for a gap. */
void     pl_tls_parser_feed    (PlTlsParser                *p,
                                guint64                     offset,
                                const guint8               *data,
                                gsize                       len);
/* The stream ended: a record in progress is reported truncated.  Frees the
 * buffer; later bytes are ignored. */
void     pl_tls_parser_finish  (PlTlsParser                *p);
gboolean pl_tls_parser_is_tls  (const PlTlsParser          *p);
/* TRUE when later bytes can no longer produce a record (after finish). */
gboolean pl_tls_parser_is_done (const PlTlsParser          *p);

G_END_DECLS
