/* pl-tls-table.h: the capture's TLS side table.
 *
 * For every TCP stream that carries payload, one reassembler and one TLS
 * record parser (pl-tls-parser.h) per direction during the load, fed in
 * capture order, as the HTTP table does for HTTP/1.x; a direction whose
 * first bytes are not TLS is dropped at once, and a direction's state is
 * freed when it ends (FIN delivered, RST, end of capture).  What stays is
 * one compact record per TLS record and per cleartext handshake message,
 * with the frame whose arrival completed it (Wireshark shows a record on
 * the frame that brings its last byte), and a summary per stream.
 */
#pragma once

#include <glib.h>

#include "pl-conversation.h"
#include "pl-frame.h"
#include "pl-tls-parser.h"

G_BEGIN_DECLS

#define PL_TLS_NONE G_MAXUINT32

typedef struct
{
  guint64 start;         /* stream offset of the record header */
  guint32 stream;
  guint32 frame;         /* completing frame, or PL_TLS_NONE (gap, end of capture) */
  guint32 first_hs;      /* index of its first handshake message in the table */
  guint16 length;        /* fragment length */
  guint16 version;
  guint8  type;          /* PlTlsContentType */
  guint8  flags;         /* PlTlsRecordFlags */
  guint8  dir;           /* 0 client to server, 1 server to client */
  guint8  alert_level;   /* cleartext alerts */
  guint8  alert_desc;
  guint8  n_handshakes;  /* cleartext handshake messages completed in it */
} PlTlsRecord;

typedef struct
{
  guint64 start;         /* stream offset of the 4-byte message header */
  guint32 length;        /* body length */
  guint32 record;        /* the record that completed it */
  guint32 server_name;   /* string ids (pl_tls_table_get_string), 0 = none */
  guint32 alpn;
  guint32 subject_cn;
  guint32 sni_off;       /* field places, as offsets into the body (pl-tls-parser.h) */
  guint32 sni_len;
  guint32 alpn_off;
  guint32 alpn_len;
  guint32 versions_off;
  guint32 versions_len;
  guint32 cipher_off;
  guint32 cn_off;
  guint32 cn_len;
  guint16 version;       /* ClientHello: highest offered; ServerHello: chosen */
  guint16 legacy_version;
  guint16 cipher_suite;
  guint16 n_cipher_suites;
  guint8  type;          /* PlTlsHandshakeType */
  guint8  n_records;     /* records it spans */
  guint8  hello_retry;
} PlTlsHandshake;

/* What a stream's TLS amounts to. */
typedef struct
{
  guint32 n_records;
  guint32 server_name;   /* string id: the ClientHello's SNI */
  guint32 alpn_offered;  /* string id */
  guint32 alpn;          /* string id: the ServerHello's choice */
  guint32 subject_cn;    /* string id */
  guint16 version;       /* chosen by the ServerHello, 0 when unseen */
  guint16 cipher_suite;
  guint32 origin[2];     /* raw sequence number of stream offset 0, per direction */
  guint8  is_tls;
  guint8  alert_level;   /* the first cleartext alert */
  guint8  alert_desc;
  guint8  has_alert;
  guint8  handshake_done; /* both sides changed cipher spec or sent encrypted records after the hellos */
} PlTlsStreamInfo;

typedef struct _PlTlsTable PlTlsTable;
typedef struct _PlCapture PlCapture;

PlTlsTable            *pl_tls_table_new              (PlCapture          *capture);
void                   pl_tls_table_free             (PlTlsTable         *table);
/* One TCP frame, as pl_http_table_add(). */
void                   pl_tls_table_add              (PlTlsTable         *table,
                                                      guint32             frame_index,
                                                      const PlFrame      *frame,
                                                      const PlTcpStream  *stream,
                                                      const guint8       *payload,
                                                      const guint8       *keep,
                                                      guint32             captured_len);
void                   pl_tls_table_finish           (PlTlsTable         *table);

/* The records completed in frame, in stream order: *first and the count. */
guint                  pl_tls_table_find_records     (PlTlsTable         *table,
                                                      guint32             frame,
                                                      guint              *first);
guint                  pl_tls_table_get_n_records    (PlTlsTable         *table);
const PlTlsRecord     *pl_tls_table_get_record       (PlTlsTable         *table,
                                                      guint               index);
const PlTlsHandshake  *pl_tls_table_get_handshake    (PlTlsTable         *table,
                                                      guint               index);
/* NULL for a stream without TLS. */
const PlTlsStreamInfo *pl_tls_table_get_stream_info  (PlTlsTable         *table,
                                                      guint32             stream);
/* "" for id 0. */
const char            *pl_tls_table_get_string       (PlTlsTable         *table,
                                                      guint32             id);

/* A short label for one record, as the ladder shows it ("ClientHello
 * (example.org, h2)", "Application Data 517 B"); several handshake messages
 * in one record are joined with ", ".  Untranslated protocol words. */
char                  *pl_tls_table_dup_record_label (PlTlsTable         *table,
                                                      guint               record);
/* The stream's line: "TLS 1.3 handshake, example.org, h2", "TLS 1.2 handshake
 * failed: handshake_failure"...; NULL without TLS.  Translated. */
char                  *pl_tls_table_dup_stream_summary (PlTlsTable       *table,
                                                        guint32           stream);

/* Defined in pl-capture.c, which owns the table. */
PlTlsTable            *pl_capture_get_tls_table      (PlCapture          *capture);

G_END_DECLS
