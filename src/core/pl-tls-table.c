/* pl-tls-table.c: per-stream reassembly and TLS record parsing during the
 * load (RFC 8446, RFC 5246), and the record and handshake tables after.
 *
 * Which frame completes a record follows Wireshark, as pl-http-table.c: the
 * frame being added when the parser reaches the record's last byte, or,
 * when a hole is flushed, the frame that carried that byte.  A record with
 * bytes missing, or cut by the end of the capture, never completes.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pl-capture.h"
#include "pl-reassembler.h"
#include "pl-tls-table.h"

typedef struct _TlsStream TlsStream;

typedef struct
{
  TlsStream     *owner;
  PlReassembler *reasm;          /* NULL once the direction ended or is not TLS */
  PlTlsParser    parser;
  guint32        deliver_frame;  /* frame of the bytes being delivered */
  guint32        origin;
  guint8         dir;
  gboolean       ended;
} TlsDir;

struct _TlsStream
{
  PlTlsTable   *table;
  guint32       index;
  PlTlsSession  session;
  TlsDir        dir[2];
};

struct _PlTlsTable
{
  PlCapture  *capture;           /* owner, not referenced */
  GPtrArray  *streams;           /* TlsStream *, by stream index; load only */
  GArray     *infos;             /* PlTlsStreamInfo by stream index */
  GArray     *records;           /* PlTlsRecord, by completing frame after finish */
  GArray     *handshakes;        /* PlTlsHandshake */
  GByteArray *strings;           /* NUL-terminated strings; id = offset, 0 = "" */
  GHashTable *string_ids;        /* interned: char * (into no storage) -> id; load only */
  guint32     current_frame;
  gboolean    flushing;
  gboolean    finished;
};

/* The slot of a stream whose two directions have ended (or turned out
 * not to be TLS): its parsers and reassemblers are freed at once, so a
 * capture of many connections holds the state of the open ones only. */
static TlsStream retired_stream;
#define RETIRED (&retired_stream)

/* Ports Wireshark and IANA give to protocols over TLS: HTTPS, its
 * alternate, IMAPS, POP3S, SMTPS (submissions), LDAPS, FTPS (data and
 * control), TELNETS, SIP-TLS, DNS over TLS, IRCS, MQTT over TLS, the
 * LDAP global catalogue over TLS, XMPP's legacy port, NNTPS. */
static const guint16 tls_ports[] = {
  443, 8443, 993, 995, 465, 636, 989, 990, 992, 5061, 853, 6697, 8883, 3269, 5223, 563,
};

static gboolean
is_tls_port (guint16 port)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tls_ports); i++)
    if (tls_ports[i] == port)
      return TRUE;
  return FALSE;
}

static guint32
intern (PlTlsTable *t,
        const char *s)
{
  gpointer id;
  guint32 off;

  if (s == NULL || s[0] == '\0')
    return 0;
  if (g_hash_table_lookup_extended (t->string_ids, s, NULL, &id))
    return GPOINTER_TO_UINT (id);
  off = t->strings->len;
  g_byte_array_append (t->strings, (const guint8 *) s, (guint) strlen (s) + 1);
  g_hash_table_insert (t->string_ids, g_strdup (s), GUINT_TO_POINTER (off));
  return off;
}

static PlTlsStreamInfo *
info_of (PlTlsTable *t,
         guint32     stream)
{
  if (stream >= t->infos->len)
    g_array_set_size (t->infos, stream + 1);
  return &g_array_index (t->infos, PlTlsStreamInfo, stream);
}

static void
on_handshake (gpointer                    user_data,
              const PlTlsParsedHandshake *hs)
{
  TlsDir *d = user_data;
  PlTlsTable *t = d->owner->table;
  PlTlsStreamInfo *info = info_of (t, d->owner->index);
  PlTlsHandshake h;

  memset (&h, 0, sizeof h);
  h.start = hs->start;
  h.length = hs->info.length;
  h.record = t->records->len;
  h.type = hs->info.type;
  h.n_records = hs->n_records;
  h.hello_retry = hs->info.hello_retry;
  h.version = hs->info.version;
  h.legacy_version = hs->info.legacy_version;
  h.cipher_suite = hs->info.cipher_suite;
  h.n_cipher_suites = hs->info.n_cipher_suites;
  h.server_name = intern (t, hs->info.server_name);
  h.alpn = intern (t, hs->info.alpn);
  h.subject_cn = intern (t, hs->info.subject_cn);
  h.sni_off = hs->info.sni_off;
  h.sni_len = hs->info.sni_len;
  h.alpn_off = hs->info.alpn_off;
  h.alpn_len = hs->info.alpn_len;
  h.versions_off = hs->info.versions_off;
  h.versions_len = hs->info.versions_len;
  h.cipher_off = hs->info.cipher_off;
  h.cn_off = hs->info.cn_off;
  h.cn_len = hs->info.cn_len;
  g_array_append_val (t->handshakes, h);

  switch (h.type)
    {
    case PL_TLS_HS_CLIENT_HELLO:
      if (info->server_name == 0)
        info->server_name = h.server_name;
      if (info->alpn_offered == 0)
        info->alpn_offered = h.alpn;
      break;
    case PL_TLS_HS_SERVER_HELLO:
      if (!h.hello_retry)
        {
          info->version = h.version;
          info->cipher_suite = h.cipher_suite;
          if (h.alpn != 0)
            info->alpn = h.alpn;
        }
      break;
    case PL_TLS_HS_CERTIFICATE:
      if (info->subject_cn == 0)
        info->subject_cn = h.subject_cn;
      break;
    default:
      break;
    }
}

static void
on_record (gpointer                 user_data,
           const PlTlsParsedRecord *rec)
{
  TlsDir *d = user_data;
  PlTlsTable *t = d->owner->table;
  PlTlsStreamInfo *info = info_of (t, d->owner->index);
  PlTlsRecord r;

  memset (&r, 0, sizeof r);
  r.start = rec->start;
  r.stream = d->owner->index;
  r.length = rec->length;
  r.version = rec->version;
  r.type = rec->type;
  r.flags = rec->flags;
  r.dir = d->dir;
  r.alert_level = rec->alert_level;
  r.alert_desc = rec->alert_desc;
  r.n_handshakes = rec->n_handshakes;
  r.first_hs = t->handshakes->len - rec->n_handshakes;
  if (rec->flags & (PL_TLS_RECORD_MISSING | PL_TLS_RECORD_TRUNCATED))
    r.frame = PL_TLS_NONE;
  else if (t->flushing)
    r.frame = d->deliver_frame;
  else
    r.frame = t->current_frame;
  g_array_append_val (t->records, r);

  info->is_tls = TRUE;
  info->n_records++;
  /* The conversation is TLS (Wireshark then dissects both directions as
   * TLS): the peer's first record need not be a hello (an alert). */
  d->owner->dir[!d->dir].parser.tls_port = TRUE;
  if (rec->type == PL_TLS_ALERT && rec->length == 2 && !info->has_alert &&
      !(rec->flags & (PL_TLS_RECORD_ENCRYPTED | PL_TLS_RECORD_OPAQUE)))
    {
      info->has_alert = TRUE;
      info->alert_level = rec->alert_level;
      info->alert_desc = rec->alert_desc;
    }
  /* Encrypted traffic after the hellos: the handshake went through. */
  if (info->version != 0 &&
      (rec->type == PL_TLS_APPLICATION_DATA ||
       (rec->flags & PL_TLS_RECORD_ENCRYPTED)) && d->dir == 1)
    info->handshake_done = TRUE;
}

static const PlTlsParserCallbacks callbacks = { on_handshake, on_record };

static void
on_note (gpointer           user_data,
         guint32            frame,
         PlReassemblerNote  note,
         const char        *text)
{
  /* The HTTP table's reassembler of the same direction makes the same
   * notes on the same frames: one is enough. */
}

static void
on_deliver (gpointer      user_data,
            guint64       offset,
            const guint8 *data,
            gsize         len,
            guint32       frame)
{
  TlsDir *d = user_data;

  if (frame != PL_REASSEMBLER_NO_FRAME)
    d->deliver_frame = frame;
  pl_tls_parser_feed (&d->parser, offset, data, len);
}

PlTlsTable *
pl_tls_table_new (PlCapture *capture)
{
  PlTlsTable *t = g_new0 (PlTlsTable, 1);

  t->capture = capture;
  t->streams = g_ptr_array_new ();
  t->infos = g_array_new (FALSE, TRUE, sizeof (PlTlsStreamInfo));
  t->records = g_array_new (FALSE, FALSE, sizeof (PlTlsRecord));
  t->handshakes = g_array_new (FALSE, FALSE, sizeof (PlTlsHandshake));
  t->strings = g_byte_array_new ();
  g_byte_array_append (t->strings, (const guint8 *) "", 1);
  t->string_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->current_frame = PL_TLS_NONE;
  return t;
}

static void
dir_free_state (TlsDir *d)
{
  g_clear_pointer (&d->reasm, pl_reassembler_free);
  pl_tls_parser_clear (&d->parser);
}

static void
stream_free (TlsStream *s)
{
  if (s == NULL || s == RETIRED)
    return;
  dir_free_state (&s->dir[0]);
  dir_free_state (&s->dir[1]);
  g_free (s);
}

void
pl_tls_table_free (PlTlsTable *t)
{
  guint i;

  if (t == NULL)
    return;
  for (i = 0; i < t->streams->len; i++)
    stream_free (g_ptr_array_index (t->streams, i));
  g_ptr_array_unref (t->streams);
  g_array_unref (t->infos);
  g_array_unref (t->records);
  g_array_unref (t->handshakes);
  g_byte_array_unref (t->strings);
  g_clear_pointer (&t->string_ids, g_hash_table_unref);
  g_free (t);
}

static TlsStream *
get_stream (PlTlsTable        *t,
            const PlTcpStream *stream,
            gboolean           create)
{
  TlsStream *s;
  guint k;

  if (stream->index < t->streams->len && g_ptr_array_index (t->streams, stream->index) != NULL)
    {
      s = g_ptr_array_index (t->streams, stream->index);
      return s != RETIRED ? s : NULL;
    }
  if (!create)
    return NULL;
  if (stream->index >= t->streams->len)
    g_ptr_array_set_size (t->streams, (gint) stream->index + 1);
  s = g_new0 (TlsStream, 1);
  s->table = t;
  s->index = stream->index;
  for (k = 0; k < 2; k++)
    {
      TlsDir *d = &s->dir[k];

      d->owner = s;
      d->dir = (guint8) k;
      d->deliver_frame = PL_TLS_NONE;
      d->reasm = pl_reassembler_new (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED, on_deliver, on_note, d);
      if (stream->peer[k].flags & PL_PEER_BASE_SET)
        pl_reassembler_set_isn (d->reasm, stream->peer[k].base_seq);
      pl_tls_parser_init (&d->parser, &callbacks, d, &s->session);
      d->parser.tls_port = is_tls_port (stream->ep[0].port) || is_tls_port (stream->ep[1].port);
    }
  g_ptr_array_index (t->streams, stream->index) = s;
  return s;
}

/* Ends one direction: what waits behind holes is delivered, a record in
 * progress is reported truncated, and the state is freed. */
static void
dir_finish (PlTlsTable *t,
            TlsDir     *d)
{
  if (d->ended)
    return;
  d->ended = TRUE;
  if (d->reasm != NULL)
    {
      t->flushing = TRUE;
      pl_reassembler_flush (d->reasm);
      t->flushing = FALSE;
    }
  pl_tls_parser_finish (&d->parser);
  dir_free_state (d);
}

/* Both directions ended: what the table keeps of the stream is its info. */
static void
retire (PlTlsTable *t,
        TlsStream  *s)
{
  guint32 index = s->index;

  if (index < t->infos->len && info_of (t, index)->is_tls)
    {
      info_of (t, index)->origin[0] = s->dir[0].origin;
      info_of (t, index)->origin[1] = s->dir[1].origin;
    }
  stream_free (s);
  g_ptr_array_index (t->streams, index) = RETIRED;
}

void
pl_tls_table_add (PlTlsTable        *t,
                  guint32            frame_index,
                  const PlFrame     *frame,
                  const PlTcpStream *stream,
                  const guint8      *payload,
                  const guint8      *keep,
                  guint32            captured_len)
{
  TlsStream *s = get_stream (t, stream, frame->payload_len > 0);
  TlsDir *d, *o;

  if (s == NULL)
    return;
  d = &s->dir[frame->dir & 1];
  o = &s->dir[!(frame->dir & 1)];
  t->current_frame = frame_index;

  if (d->reasm != NULL && !d->ended)
    {
      pl_reassembler_add_staged (d->reasm, frame_index, frame->seq, frame->tcp_flags,
                                 payload, keep, captured_len, frame->payload_len, NULL);
      pl_reassembler_get_origin (d->reasm, &d->origin);
      if (pl_reassembler_fin_delivered (d->reasm))
        dir_finish (t, d);
      else if (pl_tls_parser_is_done (&d->parser))
        {
          /* Not TLS, or the framing is lost: nothing more to read. */
          d->ended = TRUE;
          dir_free_state (d);
        }
    }

  /* The peer acknowledged bytes waiting behind a hole: it will never show. */
  if ((frame->tcp_flags & PL_TCP_ACK) && !o->ended &&
      pl_reassembler_hole_acked (o->reasm, stream->peer[!(frame->dir & 1)].base_seq, frame->ack))
    {
      t->flushing = TRUE;
      pl_reassembler_flush (o->reasm);
      t->flushing = FALSE;
    }

  if ((frame->tcp_flags & PL_TCP_RST) && pl_reassembler_accepts_rst (d->reasm, frame->seq))
    {
      dir_finish (t, d);
      dir_finish (t, o);
    }

  if (d->ended && o->ended)
    retire (t, s);
}

typedef struct
{
  guint32 frame;
  guint32 index;
} OrderKey;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const OrderKey *ka = a, *kb = b;
  GArray *records = user_data;
  const PlTlsRecord *ra = &g_array_index (records, PlTlsRecord, ka->index);
  const PlTlsRecord *rb = &g_array_index (records, PlTlsRecord, kb->index);

  if (ka->frame != kb->frame)
    return ka->frame < kb->frame ? -1 : 1;
  if (ra->stream != rb->stream)
    return ra->stream < rb->stream ? -1 : 1;
  if (ra->dir != rb->dir)
    return ra->dir < rb->dir ? -1 : 1;
  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

void
pl_tls_table_finish (PlTlsTable *t)
{
  g_autofree OrderKey *keys = NULL;
  g_autofree guint32 *new_index = NULL;
  GArray *sorted;
  guint i, n;

  g_return_if_fail (!t->finished);

  t->current_frame = PL_TLS_NONE;
  for (i = 0; i < t->streams->len; i++)
    {
      TlsStream *s = g_ptr_array_index (t->streams, i);

      if (s == NULL || s == RETIRED)
        continue;
      dir_finish (t, &s->dir[0]);
      dir_finish (t, &s->dir[1]);
      retire (t, s);
      g_ptr_array_index (t->streams, i) = NULL;
    }
  g_ptr_array_set_size (t->streams, 0);
  g_clear_pointer (&t->string_ids, g_hash_table_unref);

  /* Records by the frame that completed them (never-completed ones last). */
  n = t->records->len;
  keys = g_new (OrderKey, MAX (n, 1));
  for (i = 0; i < n; i++)
    {
      keys[i].frame = g_array_index (t->records, PlTlsRecord, i).frame;
      keys[i].index = i;
    }
  g_qsort_with_data (keys, (gint) n, sizeof (OrderKey), compare_keys, t->records);
  new_index = g_new (guint32, MAX (n, 1));
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (PlTlsRecord), n);
  for (i = 0; i < n; i++)
    {
      new_index[keys[i].index] = i;
      g_array_append_val (sorted, g_array_index (t->records, PlTlsRecord, keys[i].index));
    }
  for (i = 0; i < t->handshakes->len; i++)
    {
      PlTlsHandshake *h = &g_array_index (t->handshakes, PlTlsHandshake, i);

      if (h->record < n)
        h->record = new_index[h->record];
    }
  g_array_unref (t->records);
  t->records = sorted;
  t->finished = TRUE;
}

guint
pl_tls_table_find_records (PlTlsTable *t,
                           guint32     frame,
                           guint      *first)
{
  guint lo = 0, hi = t->records->len, end;

  /* Only once the load is done: the loading thread owns the table. */
  *first = 0;
  if (!t->finished)
    return 0;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (t->records, PlTlsRecord, mid).frame < frame)
        lo = mid + 1;
      else
        hi = mid;
    }
  *first = lo;
  for (end = lo; end < t->records->len && g_array_index (t->records, PlTlsRecord, end).frame == frame; end++)
    ;
  return end - lo;
}

guint
pl_tls_table_get_n_records (PlTlsTable *t)
{
  return t->records->len;
}

const PlTlsRecord *
pl_tls_table_get_record (PlTlsTable *t,
                         guint       index)
{
  g_return_val_if_fail (index < t->records->len, NULL);
  return &g_array_index (t->records, PlTlsRecord, index);
}

const PlTlsHandshake *
pl_tls_table_get_handshake (PlTlsTable *t,
                            guint       index)
{
  g_return_val_if_fail (index < t->handshakes->len, NULL);
  return &g_array_index (t->handshakes, PlTlsHandshake, index);
}

const PlTlsStreamInfo *
pl_tls_table_get_stream_info (PlTlsTable *t,
                              guint32     stream)
{
  const PlTlsStreamInfo *info;

  if (!t->finished || stream >= t->infos->len)
    return NULL;
  info = &g_array_index (t->infos, PlTlsStreamInfo, stream);
  return info->is_tls ? info : NULL;
}

const char *
pl_tls_table_get_string (PlTlsTable *t,
                         guint32     id)
{
  if (id >= t->strings->len)
    return "";
  return (const char *) t->strings->data + id;
}

static void
append_handshake_label (PlTlsTable           *t,
                        GString              *out,
                        const PlTlsHandshake *h)
{
  const char *name = pl_tls_handshake_type_name (h->type);

  if (h->type == PL_TLS_HS_SERVER_HELLO && h->hello_retry)
    name = "HelloRetryRequest";
  if (name != NULL)
    g_string_append (out, name);
  else
    g_string_append_printf (out, "Handshake %u", h->type);

  switch (h->type)
    {
    case PL_TLS_HS_CLIENT_HELLO:
      {
        const char *sni = pl_tls_table_get_string (t, h->server_name);
        const char *alpn = pl_tls_table_get_string (t, h->alpn);

        if (*sni != '\0' || *alpn != '\0')
          g_string_append_printf (out, " (%s%s%s)", sni, *sni != '\0' && *alpn != '\0' ? ", " : "", alpn);
        break;
      }
    case PL_TLS_HS_SERVER_HELLO:
      {
        const char *v = pl_tls_version_name (h->version);
        const char *c = pl_tls_cipher_suite_name (h->cipher_suite);

        if (v != NULL)
          g_string_append_printf (out, " %s", v);
        if (c != NULL)
          g_string_append_printf (out, " %s", c);
        else
          g_string_append_printf (out, " 0x%04x", h->cipher_suite);
        break;
      }
    case PL_TLS_HS_CERTIFICATE:
      if (h->subject_cn != 0)
        g_string_append_printf (out, " CN=%s", pl_tls_table_get_string (t, h->subject_cn));
      break;
    default:
      break;
    }
}

char *
pl_tls_table_dup_record_label (PlTlsTable *t,
                               guint       index)
{
  const PlTlsRecord *r = pl_tls_table_get_record (t, index);
  GString *out;
  guint i;

  if (r == NULL)
    return NULL;
  out = g_string_new (NULL);
  switch (r->type)
    {
    case PL_TLS_HANDSHAKE:
      if (r->flags & PL_TLS_RECORD_ENCRYPTED)
        g_string_append (out, "Encrypted Handshake");
      else if (r->n_handshakes == 0)
        g_string_append_printf (out, "Handshake fragment %u B", r->length);
      for (i = 0; i < r->n_handshakes; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_handshake_label (t, out, pl_tls_table_get_handshake (t, r->first_hs + i));
        }
      break;
    case PL_TLS_CHANGE_CIPHER_SPEC:
      g_string_append (out, "ChangeCipherSpec");
      break;
    case PL_TLS_ALERT:
      if (r->flags & (PL_TLS_RECORD_ENCRYPTED | PL_TLS_RECORD_OPAQUE))
        g_string_append (out, "Encrypted Alert");
      else
        {
          const char *desc = pl_tls_alert_description_name (r->alert_desc);

          g_string_append_printf (out, "Alert %s ", r->alert_level == 2 ? "fatal" : r->alert_level == 1 ? "warning" : "?");
          if (desc != NULL)
            g_string_append (out, desc);
          else
            g_string_append_printf (out, "%u", r->alert_desc);
        }
      break;
    case PL_TLS_APPLICATION_DATA:
      g_string_append_printf (out, "Application Data %u B", r->length);
      break;
    case PL_TLS_HEARTBEAT:
      g_string_append_printf (out, "Heartbeat %u B", r->length);
      break;
    default:
      g_string_append_printf (out, "Record %u", r->type);
      break;
    }
  return g_string_free (out, FALSE);
}

char *
pl_tls_table_dup_stream_summary (PlTlsTable *t,
                                 guint32     stream)
{
  const PlTlsStreamInfo *info = pl_tls_table_get_stream_info (t, stream);
  const char *v, *sni, *alpn;
  GString *out;

  if (info == NULL)
    return NULL;
  v = pl_tls_version_name (info->version);
  sni = pl_tls_table_get_string (t, info->server_name);
  /* The protocol the server chose (TLS 1.2 says it in clear), else what
   * the client offered (TLS 1.3 hides the choice). */
  alpn = pl_tls_table_get_string (t, info->alpn != 0 ? info->alpn : info->alpn_offered);
  out = g_string_new (NULL);
  if (info->has_alert && info->alert_level == 2 && !info->handshake_done)
    {
      const char *desc = pl_tls_alert_description_name (info->alert_desc);

      /* Translators: %s is the TLS alert's name, "handshake_failure". */
      g_string_append_printf (out, _("TLS handshake failed: %s"), desc != NULL ? desc : "?");
    }
  else if (v != NULL)
    /* Translators: %s is a protocol version, "TLS 1.3". */
    g_string_append_printf (out, _("%s handshake"), v);
  else
    g_string_append (out, _("TLS"));
  if (*sni != '\0')
    g_string_append_printf (out, ", %s", sni);
  if (*alpn != '\0')
    g_string_append_printf (out, ", %s", alpn);
  return g_string_free (out, FALSE);
}
