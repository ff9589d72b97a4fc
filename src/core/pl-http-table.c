/* pl-http-table.c: per-stream reassembly and HTTP/1.x parsing during the
 * load, and the message records afterwards (RFC 9112 framing, RFC 9110
 * pairing of responses with requests).
 *
 * Which frame "completes" a message follows Wireshark, whose HTTP fields sit
 * on the frame that brings the last byte of head and body: normally the
 * frame being added when the parser reaches the end.  Wireshark does not
 * wait for a hole that is never filled, so when we flush a hole (the peer
 * acknowledged bytes the capture never saw, or the capture ended) the frame
 * that carried the message's last byte completes it instead.  A message
 * with bytes missing, or cut by the end of the capture, never completes.
 */
#include "config.h"

#include <string.h>

#include "pl-capture.h"
#include "pl-http-table.h"
#include "pl-reassembler.h"

typedef struct _HttpStream HttpStream;

/* The last data deliveries of a direction: a head split over several
 * segments starts in one of them, so on_begin() finds the frame of the
 * message's first byte here.  A head spread over more deliveries than this
 * falls back to the earliest frame delivered since the previous message. */
#define RECENT 8

typedef struct
{
  guint64 off;
  guint32 frame;
} Recent;

typedef struct
{
  HttpStream    *owner;
  PlReassembler *reasm;          /* NULL when the direction is not HTTP */
  PlHttpParser   parser;
  guint32        cur;            /* record being parsed */
  guint32        deliver_frame;  /* frame of the bytes being delivered */
  guint32        fin_frame;      /* first FIN (or the RST) of this direction */
  guint32        data_frame;     /* frame of the data being delivered, or none */
  guint32        low_frame;      /* earliest frame delivered since the last message ended */
  guint32        origin;         /* raw sequence number of stream offset 0 */
  Recent         recent[RECENT]; /* ring of data deliveries */
  guint          n_recent;       /* deliveries so far (ring index modulo RECENT) */
  guint8         dir;
  guint32        n_requests;     /* messages parsed in this direction, by kind */
  guint32        n_responses;
  gboolean       open;           /* cur is being parsed */
  gboolean       finishing;
  gboolean       ended;
} HttpDir;

struct _HttpStream
{
  PlHttpTable *table;
  guint32      index;
  HttpDir      dir[2];
  GArray      *pending;          /* guint32: requests awaiting their final response,
                                  * PL_HTTP_NO_MESSAGE for one never captured */
};

/* What lookups need of a stream once the load is done. */
typedef struct
{
  guint32 origin[2];             /* raw sequence number of offset 0, per direction */
  guint32 is_http;
} StreamSummary;

struct _PlHttpTable
{
  PlCapture  *capture;           /* owner, not referenced */
  GPtrArray  *streams;           /* HttpStream *, by stream index, NULL without payload; load only */
  GArray     *summaries;         /* StreamSummary by stream index, after finish */
  GArray     *records;           /* PlHttpRecord */
  GHashTable *walk_from;         /* record -> earliest frame carrying it, when before first_frame */
  GArray     *completed;         /* CompletedEntry, by frame, after finish */
  GArray     *line_of;           /* guint32 per record: where its request line's
                                  * words start in lines; 0 for none */
  GByteArray *lines;             /* "method\0target\0" per request, from offset 1 */
  guint32     current_frame;
  gboolean    flushing;
  gboolean    finished;
};

typedef struct
{
  guint32 frame;
  guint32 record;
} CompletedEntry;

/* The slot of a stream whose two directions have ended: its parsers and
 * reassemblers are freed at once (a capture of many short connections
 * then holds the state of the open ones only) and its summary is kept. */
static HttpStream retired_stream;
#define RETIRED (&retired_stream)

/* The frame whose data delivery holds stream offset off: the newest ring
 * entry at or before it (deliveries are contiguous and in offset order). */
static guint32
first_frame_of (HttpDir *d,
                guint64  off)
{
  guint n = MIN (d->n_recent, RECENT);
  guint i;

  for (i = 1; i <= n; i++)
    {
      const Recent *r = &d->recent[(d->n_recent - i) % RECENT];

      if (r->off <= off)
        return r->frame;
    }
  return d->low_frame;
}

static void
note_walk_from (PlHttpTable *t,
                guint32      record,
                guint32      frame)
{
  gpointer old;

  if (t->walk_from == NULL)
    t->walk_from = g_hash_table_new (NULL, NULL);
  /* Values are frame + 1 so that frame 0 is not NULL. */
  old = g_hash_table_lookup (t->walk_from, GUINT_TO_POINTER (record));
  if (old == NULL || frame < GPOINTER_TO_UINT (old) - 1)
    g_hash_table_insert (t->walk_from, GUINT_TO_POINTER (record), GUINT_TO_POINTER (frame + 1));
}

/* The TCP ports Wireshark 4.0 gives to HTTP by default (packet-http.c,
 * TCP_DEFAULT_RANGE).  On them it reads request lines without an HTTP
 * version ("GET /", HTTP/0.9) as requests; elsewhere its heuristic wants
 * "HTTP/1.x" on the first line.  We read such lines on these ports, and on
 * any stream once it carried an HTTP message: without a version, a line
 * like "GET key" may as well be another protocol's. */
static const guint16 http_ports[] = { 80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710 };

static gboolean
is_http_port (guint16 port)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (http_ports); i++)
    if (http_ports[i] == port)
      return TRUE;
  return FALSE;
}

static void
on_begin (gpointer             user_data,
          PlHttpParsedMessage *msg,
          const guint8        *head_bytes,
          const PlHttpHead    *head)
{
  HttpDir *d = user_data;
  HttpStream *s = d->owner;
  PlHttpTable *t = s->table;
  PlHttpRecord rec;
  guint32 idx = t->records->len;

  memset (&rec, 0, sizeof rec);
  rec.start = msg->start;
  rec.end = msg->start + msg->head_len;
  rec.head_len = msg->head_len;
  rec.stream = s->index;
  rec.dir = d->dir;
  rec.is_request = msg->is_request;
  rec.status = msg->status;
  rec.version_minor = msg->version_minor;
  rec.complete_frame = PL_HTTP_NO_MESSAGE;
  rec.partner = PL_HTTP_NO_MESSAGE;
  rec.first_frame = first_frame_of (d, msg->start);
  if (d->low_frame < rec.first_frame)
    note_walk_from (t, idx, d->low_frame);
  /* The stream speaks HTTP: lenient request lines from now on. */
  s->dir[0].parser.lenient = TRUE;
  s->dir[1].parser.lenient = TRUE;

  if (msg->is_request)
    {
      d->n_requests++;
      if (s->pending == NULL)
        s->pending = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_array_append_val (s->pending, idx);
    }
  else if (msg->status != 0 && s->pending != NULL && s->pending->len > 0)
    {
      guint32 req = g_array_index (s->pending, guint32, 0);
      PlHttpRecord *r = req != PL_HTTP_NO_MESSAGE ? &g_array_index (t->records, PlHttpRecord, req) : NULL;

      d->n_responses++;
      /* Interim responses (1xx but 101) belong to the request without
       * answering it (RFC 9110 15.2): the final one is still to come.  A
       * request never captured leaves its response unpaired. */
      rec.partner = req;
      msg->method = r != NULL ? r->method : PL_HTTP_METHOD_NONE;
      if (msg->status >= 200 || msg->status == 101)
        {
          if (r != NULL)
            r->partner = idx;
          g_array_remove_index (s->pending, 0);
        }
    }
  else if (!msg->is_request)
    d->n_responses++;
  rec.method = msg->method;
  g_array_append_val (t->records, rec);
  {
    /* The request line's words, kept now: listing the requests of a
     * stream then reads no byte of the capture again. */
    guint32 at = 0;

    if (msg->is_request && msg->method_token.len > 0 &&
        t->lines->len < G_MAXUINT32 - 2 * (guint64) msg->head_len)
      {
        at = t->lines->len;
        g_byte_array_append (t->lines, head_bytes + msg->method_token.off, msg->method_token.len);
        g_byte_array_append (t->lines, (const guint8 *) "", 1);
        g_byte_array_append (t->lines, head_bytes + msg->target.off, msg->target.len);
        g_byte_array_append (t->lines, (const guint8 *) "", 1);
      }
    g_array_append_val (t->line_of, at);
  }
  d->cur = idx;
  d->open = TRUE;
}

static void
on_end (gpointer                   user_data,
        const PlHttpParsedMessage *msg)
{
  HttpDir *d = user_data;
  HttpStream *s = d->owner;
  PlHttpTable *t = s->table;
  PlHttpRecord *rec = &g_array_index (t->records, PlHttpRecord, d->cur);

  rec->end = msg->end;
  rec->body_len = msg->body_len;
  rec->missing = msg->missing;
  rec->trailer_len = msg->trailer_len;
  rec->framing = msg->framing;
  rec->flags = msg->flags;
  rec->method = msg->method;

  /* The rest of the delivery in progress belongs to what follows. */
  d->open = FALSE;
  d->low_frame = d->data_frame;

  if (msg->flags & PL_HTTP_MSG_HEAD_CUT)
    {
      /* Wireshark dissects a frame cut by the snap length as it is: the
       * partial head counts when the gap comes from the frame being added. */
      rec->complete_frame = d->deliver_frame == t->current_frame ? t->current_frame : PL_HTTP_NO_MESSAGE;
    }
  else if (msg->flags & (PL_HTTP_MSG_MISSING_BYTES | PL_HTTP_MSG_TRUNCATED | PL_HTTP_MSG_CUT_BY_GAP))
    rec->complete_frame = PL_HTTP_NO_MESSAGE;
  else if (d->finishing)
    rec->complete_frame = d->fin_frame;
  else if (t->flushing)
    rec->complete_frame = d->deliver_frame;
  else
    rec->complete_frame = t->current_frame;

  /* After 101 or a 2xx to CONNECT both directions leave HTTP. */
  if (msg->framing == PL_HTTP_FRAMING_TUNNEL)
    pl_http_parser_end_http (&s->dir[!d->dir].parser);
}

/* A message of this direction went by unseen (its head fell in a gap):
 * keep requests and responses in step.  A lost response answered the
 * oldest waiting request; a lost request leaves a place that its response
 * will take.  Which kind this direction carries: what it carried so far
 * (the client's side when it carried nothing yet). */
static void
on_lost (gpointer user_data)
{
  HttpDir *d = user_data;
  HttpStream *s = d->owner;
  gboolean requests = d->n_requests > d->n_responses ||
                      (d->n_requests == d->n_responses && d->dir == 0);
  guint32 none = PL_HTTP_NO_MESSAGE;

  if (requests)
    {
      if (s->pending == NULL)
        s->pending = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_array_append_val (s->pending, none);
    }
  else if (s->pending != NULL && s->pending->len > 0)
    g_array_remove_index (s->pending, 0);
}

static const PlHttpParserCallbacks callbacks = { on_begin, on_end, on_lost };

/* Out-of-order bytes beyond the buffer, overlaps that differ, data after
 * the FIN: a note on the frame concerned. */
static void
on_reassembly_note (gpointer           user_data,
                    guint32            frame,
                    PlReassemblerNote  note,
                    const char        *text)
{
  HttpDir *d = user_data;

  pl_capture_note_frame (d->owner->table->capture, frame, text);
}

static void
on_deliver (gpointer      user_data,
            guint64       offset,
            const guint8 *data,
            gsize         len,
            guint32       frame)
{
  HttpDir *d = user_data;

  if (frame != PL_REASSEMBLER_NO_FRAME)
    d->deliver_frame = frame;
  d->data_frame = PL_HTTP_NO_MESSAGE;
  if (data != NULL && frame != PL_REASSEMBLER_NO_FRAME)
    {
      Recent *r = &d->recent[d->n_recent++ % RECENT];

      r->off = offset;
      r->frame = frame;
      d->data_frame = frame;
      d->low_frame = MIN (d->low_frame, frame);
      /* Bytes of the open message from a frame captured before its first
       * byte's (they waited behind a hole): the walk must start there. */
      if (d->open)
        {
          PlHttpRecord *rec = &g_array_index (d->owner->table->records, PlHttpRecord, d->cur);

          if (frame < rec->first_frame)
            note_walk_from (d->owner->table, d->cur, frame);
        }
    }
  pl_http_parser_feed (&d->parser, offset, data, len);
}

PlHttpTable *
pl_http_table_new (PlCapture *capture)
{
  PlHttpTable *t = g_new0 (PlHttpTable, 1);

  t->capture = capture;
  t->streams = g_ptr_array_new ();
  t->records = g_array_new (FALSE, FALSE, sizeof (PlHttpRecord));
  t->line_of = g_array_new (FALSE, FALSE, sizeof (guint32));
  t->lines = g_byte_array_new ();
  g_byte_array_append (t->lines, (const guint8 *) "", 1);
  t->current_frame = PL_HTTP_NO_MESSAGE;
  return t;
}

static void
dir_clear (HttpDir *d)
{
  g_clear_pointer (&d->reasm, pl_reassembler_free);
  pl_http_parser_clear (&d->parser);
}

static void
stream_free (HttpStream *s)
{
  if (s == NULL || s == RETIRED)
    return;
  dir_clear (&s->dir[0]);
  dir_clear (&s->dir[1]);
  g_clear_pointer (&s->pending, g_array_unref);
  g_free (s);
}

void
pl_http_table_free (PlHttpTable *t)
{
  guint i;

  if (t == NULL)
    return;
  for (i = 0; i < t->streams->len; i++)
    stream_free (g_ptr_array_index (t->streams, i));
  g_ptr_array_unref (t->streams);
  g_array_unref (t->records);
  g_array_unref (t->line_of);
  g_byte_array_unref (t->lines);
  g_clear_pointer (&t->summaries, g_array_unref);
  g_clear_pointer (&t->walk_from, g_hash_table_unref);
  g_clear_pointer (&t->completed, g_array_unref);
  g_free (t);
}

static HttpStream *
get_stream (PlHttpTable       *t,
            const PlTcpStream *stream,
            gboolean           create)
{
  HttpStream *s;
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
  s = g_new0 (HttpStream, 1);
  s->table = t;
  s->index = stream->index;
  for (k = 0; k < 2; k++)
    {
      HttpDir *d = &s->dir[k];

      d->owner = s;
      d->dir = (guint8) k;
      d->fin_frame = PL_HTTP_NO_MESSAGE;
      d->data_frame = PL_HTTP_NO_MESSAGE;
      d->low_frame = PL_HTTP_NO_MESSAGE;
      /* The reassembler remembers nothing it delivered: frames and bytes
       * are found by walking the frame table later. */
      d->reasm = pl_reassembler_new (PL_REASSEMBLER_DEFAULT_MAX_BUFFERED,
                                     on_deliver, on_reassembly_note, d);
      if (stream->peer[k].flags & PL_PEER_BASE_SET)
        pl_reassembler_set_isn (d->reasm, stream->peer[k].base_seq);
      pl_http_parser_init (&d->parser, &callbacks, d);
      d->parser.lenient = is_http_port (stream->ep[0].port) || is_http_port (stream->ep[1].port);
      /* Joined mid-stream: the first bytes may be the middle of a
       * message, so look for a message start instead of giving up. */
      if (!(stream->peer[k].flags & PL_PEER_SAW_SYN))
        d->parser.resync = TRUE;
    }
  g_ptr_array_index (t->streams, stream->index) = s;
  return s;
}

/* What the table keeps of a stream once its parsers are gone. */
static void
keep_summary (PlHttpTable *t,
              HttpStream  *s)
{
  StreamSummary *sum;

  if (t->summaries == NULL)
    t->summaries = g_array_new (FALSE, TRUE, sizeof (StreamSummary));
  if (s->index >= t->summaries->len)
    g_array_set_size (t->summaries, s->index + 1);
  sum = &g_array_index (t->summaries, StreamSummary, s->index);
  sum->origin[0] = s->dir[0].origin;
  sum->origin[1] = s->dir[1].origin;
  sum->is_http = s->dir[0].parser.n_messages + s->dir[1].parser.n_messages > 0;
}

/* Ends one direction's HTTP: flushes what waits behind holes, then lets the
 * parser end a close-delimited body. */
static void
dir_finish (PlHttpTable *t,
            HttpDir     *d,
            gboolean     closed)
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
  d->finishing = TRUE;
  pl_http_parser_finish (&d->parser, closed);
  d->finishing = FALSE;
  /* Nothing to look up in a direction without messages. */
  if (d->parser.n_messages == 0)
    g_clear_pointer (&d->reasm, pl_reassembler_free);
}

void
pl_http_table_add (PlHttpTable       *t,
                   guint32            frame_index,
                   const PlFrame     *frame,
                   const PlTcpStream *stream,
                   const guint8      *payload,
                   const guint8      *keep,
                   guint32            captured_len)
{
  HttpStream *s = get_stream (t, stream, frame->payload_len > 0);
  HttpDir *d, *o;

  if (s == NULL)
    return;
  d = &s->dir[frame->dir & 1];
  o = &s->dir[!(frame->dir & 1)];
  t->current_frame = frame_index;

  if (d->reasm != NULL && !d->ended && !pl_http_parser_is_done (&d->parser))
    {
      pl_reassembler_add_staged (d->reasm, frame_index, frame->seq, frame->tcp_flags,
                                 payload, keep, captured_len, frame->payload_len, NULL);
      /* The origin is fixed by the first segment (or the ISN given). */
      pl_reassembler_get_origin (d->reasm, &d->origin);

      if ((frame->tcp_flags & PL_TCP_FIN) && d->fin_frame == PL_HTTP_NO_MESSAGE)
        d->fin_frame = frame_index;
      if (pl_reassembler_fin_delivered (d->reasm))
        dir_finish (t, d, TRUE);
      /* Bytes that are not HTTP: nothing more to reassemble or parse. */
      else if (!pl_http_parser_is_http (&d->parser) && d->parser.n_messages == 0)
        {
          d->ended = TRUE;
          g_clear_pointer (&d->reasm, pl_reassembler_free);
          pl_http_parser_clear (&d->parser);
        }
    }

  /* The peer acknowledged bytes of the other direction that wait behind a
   * hole: the hole was received, so the capture will never show it. */
  if ((frame->tcp_flags & PL_TCP_ACK) && !o->ended &&
      pl_reassembler_hole_acked (o->reasm, stream->peer[!(frame->dir & 1)].base_seq, frame->ack))
    {
      t->flushing = TRUE;
      pl_reassembler_flush (o->reasm);
      t->flushing = FALSE;
    }

  if ((frame->tcp_flags & PL_TCP_RST) && pl_reassembler_accepts_rst (d->reasm, frame->seq))
    {
      /* The connection is gone both ways. */
      if (d->fin_frame == PL_HTTP_NO_MESSAGE)
        d->fin_frame = frame_index;
      if (o->fin_frame == PL_HTTP_NO_MESSAGE)
        o->fin_frame = frame_index;
      dir_finish (t, d, TRUE);
      dir_finish (t, o, TRUE);
    }

  /* Both directions ended: nothing more can come of this stream. */
  if (d->ended && o->ended)
    {
      keep_summary (t, s);
      stream_free (s);
      g_ptr_array_index (t->streams, stream->index) = RETIRED;
    }
}

typedef struct
{
  guint32 first_frame;
  guint32 index;
} OrderKey;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const OrderKey *ka = a, *kb = b;
  GArray *records = user_data;
  const PlHttpRecord *ra = &g_array_index (records, PlHttpRecord, ka->index);
  const PlHttpRecord *rb = &g_array_index (records, PlHttpRecord, kb->index);

  if (ka->first_frame != kb->first_frame)
    return ka->first_frame < kb->first_frame ? -1 : 1;
  if (ra->stream != rb->stream)
    return ra->stream < rb->stream ? -1 : 1;
  if (ra->dir != rb->dir)
    return ra->dir < rb->dir ? -1 : 1;
  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

static int
compare_completed (gconstpointer a,
                   gconstpointer b)
{
  const CompletedEntry *ca = a, *cb = b;

  if (ca->frame != cb->frame)
    return ca->frame < cb->frame ? -1 : 1;
  return ca->record < cb->record ? -1 : ca->record > cb->record ? 1 : 0;
}

void
pl_http_table_finish (PlHttpTable *t)
{
  g_autofree OrderKey *keys = NULL;
  g_autofree guint32 *new_index = NULL;
  GArray *sorted;
  guint i, n;

  g_return_if_fail (!t->finished);

  t->current_frame = PL_HTTP_NO_MESSAGE;
  for (i = 0; i < t->streams->len; i++)
    {
      HttpStream *s = g_ptr_array_index (t->streams, i);
      guint k;

      if (s == NULL || s == RETIRED)
        continue;
      for (k = 0; k < 2; k++)
        {
          HttpDir *d = &s->dir[k];
          gboolean closed = FALSE;

          if (d->ended)
            continue;
          if (d->reasm != NULL)
            {
              t->flushing = TRUE;
              pl_reassembler_flush (d->reasm);
              t->flushing = FALSE;
              closed = pl_reassembler_fin_delivered (d->reasm);
            }
          dir_finish (t, d, closed);
        }
      g_clear_pointer (&s->pending, g_array_unref);
    }

  /* Order of first frame, as --dump-http and the GUI list them. */
  n = t->records->len;
  keys = g_new (OrderKey, MAX (n, 1));
  for (i = 0; i < n; i++)
    {
      const PlHttpRecord *r = &g_array_index (t->records, PlHttpRecord, i);
      guint32 f = PL_HTTP_NO_MESSAGE;

      f = r->first_frame != PL_HTTP_NO_MESSAGE ? r->first_frame : r->complete_frame;
      keys[i].first_frame = f;
      keys[i].index = i;
    }
  g_qsort_with_data (keys, (gint) n, sizeof (OrderKey), compare_keys, t->records);

  new_index = g_new (guint32, MAX (n, 1));
  for (i = 0; i < n; i++)
    new_index[keys[i].index] = i;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (PlHttpRecord), n);
  for (i = 0; i < n; i++)
    {
      PlHttpRecord r = g_array_index (t->records, PlHttpRecord, keys[i].index);

      if (r.partner != PL_HTTP_NO_MESSAGE)
        r.partner = new_index[r.partner];
      g_array_append_val (sorted, r);
    }
  g_array_unref (t->records);
  t->records = sorted;
  {
    GArray *lines_sorted = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);

    for (i = 0; i < n; i++)
      g_array_append_val (lines_sorted, g_array_index (t->line_of, guint32, keys[i].index));
    g_array_unref (t->line_of);
    t->line_of = lines_sorted;
  }

  if (t->walk_from != NULL)
    {
      GHashTable *renumbered = g_hash_table_new (NULL, NULL);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, t->walk_from);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (renumbered, GUINT_TO_POINTER (new_index[GPOINTER_TO_UINT (key)]), value);
      g_hash_table_unref (t->walk_from);
      t->walk_from = renumbered;
    }

  /* Parsers and reassemblers were for the load only (retired streams
   * kept their summaries already). */
  if (t->summaries == NULL)
    t->summaries = g_array_new (FALSE, TRUE, sizeof (StreamSummary));
  if (t->summaries->len < t->streams->len)
    g_array_set_size (t->summaries, t->streams->len);
  for (i = 0; i < t->streams->len; i++)
    {
      HttpStream *s = g_ptr_array_index (t->streams, i);

      if (s == NULL || s == RETIRED)
        continue;
      keep_summary (t, s);
      stream_free (s);
      g_ptr_array_index (t->streams, i) = NULL;
    }
  g_ptr_array_set_size (t->streams, 0);

  t->completed = g_array_new (FALSE, FALSE, sizeof (CompletedEntry));
  for (i = 0; i < n; i++)
    {
      const PlHttpRecord *r = &g_array_index (t->records, PlHttpRecord, i);
      CompletedEntry e = { r->complete_frame, i };

      if (r->complete_frame != PL_HTTP_NO_MESSAGE)
        g_array_append_val (t->completed, e);
    }
  g_array_sort (t->completed, compare_completed);
  t->finished = TRUE;
}

guint
pl_http_table_get_n_records (PlHttpTable *t)
{
  return t->records->len;
}

const PlHttpRecord *
pl_http_table_get_record (PlHttpTable *t,
                          guint        index)
{
  g_return_val_if_fail (index < t->records->len, NULL);
  return &g_array_index (t->records, PlHttpRecord, index);
}

const char *
pl_http_table_get_method_token (PlHttpTable *t,
                                guint        index)
{
  guint32 at;

  g_return_val_if_fail (index < t->line_of->len, NULL);
  at = g_array_index (t->line_of, guint32, index);
  return at != 0 ? (const char *) t->lines->data + at : NULL;
}

const char *
pl_http_table_get_method_name (PlHttpTable *t,
                               guint        index)
{
  const PlHttpRecord *r = pl_http_table_get_record (t, index);

  if (r == NULL || !r->is_request)
    return NULL;
  if (r->method != PL_HTTP_METHOD_OTHER)
    return pl_http_method_to_string ((PlHttpMethod) r->method);
  return pl_http_table_get_method_token (t, index);
}

const char *
pl_http_table_get_target (PlHttpTable *t,
                          guint        index)
{
  const char *method = pl_http_table_get_method_token (t, index);

  return method != NULL ? method + strlen (method) + 1 : NULL;
}

/* One run of a message's bytes and the frame they were taken from; data is
 * NULL for bytes the frame carried but the snap length cut. */
typedef struct
{
  guint64       off;
  const guint8 *data;
  guint32       len;
  guint32       frame;
} Piece;

static const StreamSummary *
get_summary (PlHttpTable *t,
             guint32      stream)
{
  if (!t->finished || t->summaries == NULL || stream >= t->summaries->len)
    return NULL;
  return &g_array_index (t->summaries, StreamSummary, stream);
}

/* Where the walk for one record starts: the frame of its first byte, or
 * the earlier frame that carried some of its bytes after reordering. */
static guint32
walk_start (PlHttpTable        *t,
            guint               index,
            const PlHttpRecord *r)
{
  gpointer from;

  if (t->walk_from != NULL &&
      (from = g_hash_table_lookup (t->walk_from, GUINT_TO_POINTER (index))) != NULL)
    return MIN (r->first_frame, GPOINTER_TO_UINT (from) - 1);
  return r->first_frame;
}

/* Bytes of a message found so far, as disjoint spans of stream offsets
 * (adjacent ones merged), in a balanced tree: each frame's payload is
 * checked against it in logarithmic time, whatever the order the frames
 * come in (reversed, interleaved), so rebuilding a message is O(n log n)
 * in its segments. */
typedef struct
{
  guint64 start, end;
} Span;

static gint
span_compare (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Span *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static void
add_piece (GArray       *pieces,
           guint64       start,
           guint64       end,
           guint64       off,
           const guint8 *data,
           guint32       frame)
{
  Piece np = { start, data != NULL ? data + (start - off) : NULL, (guint32) (end - start), frame };

  g_array_append_val (pieces, np);
}

/* Adds [off, off + len) of one frame's payload: the parts no earlier frame
 * gave go to pieces (unsorted; first copy wins), and into the covered
 * spans.  Returns the bytes added. */
static guint64
add_frame_bytes (GTree        *covered,
                 Span        **tail,
                 GPtrArray    *scratch,
                 GArray       *pieces,
                 guint64       off,
                 guint64       len,
                 const guint8 *data,
                 guint32       frame)
{
  guint64 end = off + len, cursor = off, added = 0, merged_start = off, merged_end = end;
  Span probe = { off, off };
  GTreeNode *node, *prev;
  Span *keep = NULL;
  guint i;

  /* In order, the common case: right after the last span (*tail is the
   * span that starts last), which just grows. */
  if (*tail != NULL && off == (*tail)->end)
    {
      add_piece (pieces, off, end, off, data, frame);
      (*tail)->end = end;
      return len;
    }

  node = g_tree_upper_bound (covered, &probe);   /* first span starting after off */
  prev = node != NULL ? g_tree_node_previous (node) : g_tree_node_last (covered);

  /* The spans that overlap or touch [off, end): one before off at most,
   * then those starting inside. */
  if (prev != NULL && ((Span *) g_tree_node_key (prev))->end >= off)
    node = prev;
  g_ptr_array_set_size (scratch, 0);
  for (; node != NULL; node = g_tree_node_next (node))
    {
      Span *span = g_tree_node_key (node);

      if (span->start > end)
        break;
      if (span->start > cursor)
        {
          add_piece (pieces, cursor, MIN (span->start, end), off, data, frame);
          added += MIN (span->start, end) - cursor;
        }
      cursor = MAX (cursor, span->end);
      merged_start = MIN (merged_start, span->start);
      merged_end = MAX (merged_end, span->end);
      if (keep == NULL)
        keep = span;
      else
        g_ptr_array_add (scratch, span);
    }
  if (cursor < end)
    {
      add_piece (pieces, cursor, end, off, data, frame);
      added += end - cursor;
    }

  /* One span for all of them: the first grows (its place in the order
   * does not change, the others being gone), the others go. */
  for (i = 0; i < scratch->len; i++)
    g_tree_remove (covered, g_ptr_array_index (scratch, i));
  if (keep != NULL)
    {
      keep->start = merged_start;
      keep->end = merged_end;
    }
  else
    {
      Span *span = g_new (Span, 1);

      span->start = off;
      span->end = end;
      g_tree_insert (covered, span, span);
    }
  *tail = g_tree_node_key (g_tree_node_last (covered));
  return added;
}

static gint
piece_compare (gconstpointer a,
               gconstpointer b)
{
  const Piece *x = a, *y = b;

  return x->off < y->off ? -1 : x->off > y->off;
}

/* The pieces of [offset, offset + length) of record index: walks the
 * frames of its stream and direction from the record's first frame until
 * every byte is found or the stream ends.  Stream offsets of a frame come
 * from its raw sequence number (offset 0 is the direction's origin); the
 * 32-bit distance is unwrapped around offset, since a message's segments
 * lie within 2 GiB of it.  Without with_data, only which frames carried
 * the bytes: every piece's data is NULL and no frame is read from the
 * mapping (what the snap length kept changes no frame's part). */
static GArray *
collect_pieces (PlHttpTable *t,
                guint        index,
                guint64      offset,
                guint64      length,
                gboolean     with_data)
{
  const PlHttpRecord *r = &g_array_index (t->records, PlHttpRecord, index);
  const StreamSummary *sum = get_summary (t, r->stream);
  GArray *pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  g_autoptr(GTree) covered = NULL;
  g_autoptr(GPtrArray) scratch = NULL;
  Span *tail = NULL;
  guint64 end = offset + length, found = 0;
  const PlTcpStream *stream;
  guint32 origin, f, last, n_frames;

  if (sum == NULL || length == 0 || r->stream >= pl_capture_get_n_streams (t->capture))
    return pieces;
  covered = g_tree_new_full (span_compare, NULL, g_free, NULL);
  scratch = g_ptr_array_new ();
  origin = sum->origin[r->dir & 1];
  stream = pl_capture_get_stream (t->capture, r->stream);
  n_frames = pl_capture_get_n_frames (t->capture);
  last = MIN (stream->last_frame, n_frames - 1);

  for (f = walk_start (t, index, r); f <= last && f < n_frames && found < length; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (t->capture, f);
      guint32 data_seq;
      gint64 off, a, b;
      guint32 captured = 0;
      const guint8 *data = NULL;

      if (frame->stream != r->stream || frame->dir != (r->dir & 1) || frame->payload_len == 0)
        continue;
      data_seq = (frame->tcp_flags & PL_TCP_SYN) ? frame->seq + 1 : frame->seq;
      off = (gint64) offset + (gint32) ((data_seq - origin) - (guint32) offset);
      if (off >= (gint64) end || off + frame->payload_len <= (gint64) offset)
        continue;

      /* The payload as the loader handed it over: what the snap length kept. */
      if (with_data)
        {
          PlPacket pkt;
          guint32 caplen;
          const guint8 *bytes = pl_capture_get_frame_data (t->capture, f, &caplen);

          pl_capture_decode_frame (t->capture, f, &pkt);
          if (pkt.tcp.payload_off < caplen)
            {
              captured = MIN (caplen - pkt.tcp.payload_off, frame->payload_len);
              data = bytes + pkt.tcp.payload_off;
            }
        }

      /* Clip to the range asked; the snap-cut tail is carried without bytes. */
      a = MAX (off, (gint64) offset);
      b = MIN (off + captured, (gint64) end);
      if (b > a)
        found += add_frame_bytes (covered, &tail, scratch, pieces, (guint64) a, (guint64) (b - a), data + (a - off), f);
      a = MAX (off + captured, (gint64) offset);
      b = MIN (off + frame->payload_len, (gint64) end);
      if (b > a)
        found += add_frame_bytes (covered, &tail, scratch, pieces, (guint64) a, (guint64) (b - a), NULL, f);
    }
  /* Disjoint: ordering by offset is all that is left. */
  g_array_sort (pieces, piece_compare);
  return pieces;
}

/* The frames of the pieces, in order, none twice in a row: at most max
 * into frames, or all appended to all (when not NULL); the count. */
static guint
find_frames (PlHttpTable *t,
             guint        record,
             guint64      offset,
             guint64      length,
             gboolean     with_data,
             guint32     *frames,
             guint        max,
             GArray      *all)
{
  g_autoptr(GArray) pieces = NULL;
  guint32 last = PL_REASSEMBLER_NO_FRAME;
  guint n = 0, i;

  g_return_val_if_fail (record < t->records->len, 0);
  g_return_val_if_fail (frames != NULL || max == 0, 0);

  pieces = collect_pieces (t, record, offset, length, with_data);
  for (i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);

      if (p->frame == last)
        continue;
      if (n < max)
        frames[n] = p->frame;
      if (all != NULL)
        g_array_append_val (all, p->frame);
      n++;
      last = p->frame;
    }
  return n;
}

GArray *
pl_http_table_dup_frames (PlHttpTable *t,
                          guint        record,
                          guint64      offset,
                          guint64      length)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (guint32));

  find_frames (t, record, offset, length, FALSE, NULL, 0, all);
  return all;
}

guint
pl_http_table_find_frames (PlHttpTable *t,
                           guint        record,
                           guint64      offset,
                           guint64      length,
                           guint32     *frames,
                           guint        max)
{
  return find_frames (t, record, offset, length, FALSE, frames, max, NULL);
}

guint
pl_http_table_find_frames_reading (PlHttpTable *t,
                                   guint        record,
                                   guint64      offset,
                                   guint64      length,
                                   guint32     *frames,
                                   guint        max)
{
  return find_frames (t, record, offset, length, TRUE, frames, max, NULL);
}

gboolean
pl_http_table_read (PlHttpTable *t,
                    guint        record,
                    guint64      offset,
                    guint64      length,
                    GByteArray  *out)
{
  g_autoptr(GArray) pieces = NULL;
  guint64 pos = offset;
  guint old_len = out->len;
  guint i;

  g_return_val_if_fail (record < t->records->len, FALSE);

  if (length == 0)
    return TRUE;
  pieces = collect_pieces (t, record, offset, length, TRUE);
  for (i = 0; i < pieces->len; i++)
    {
      const Piece *p = &g_array_index (pieces, Piece, i);

      /* A hole nobody carried, or bytes the snap length cut. */
      if (p->off != pos || p->data == NULL)
        break;
      g_byte_array_append (out, p->data, p->len);
      pos += p->len;
    }
  if (pos < offset + length)
    {
      g_byte_array_set_size (out, old_len);
      return FALSE;
    }
  return TRUE;
}

guint
pl_http_table_find_completed (PlHttpTable *t,
                              guint32      frame)
{
  guint lo = 0, hi;

  if (t->completed == NULL)
    return PL_HTTP_NO_MESSAGE;
  hi = t->completed->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (t->completed, CompletedEntry, mid).frame < frame)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < t->completed->len && g_array_index (t->completed, CompletedEntry, lo).frame == frame)
    return g_array_index (t->completed, CompletedEntry, lo).record;
  return PL_HTTP_NO_MESSAGE;
}

gboolean
pl_http_table_stream_is_http (PlHttpTable *t,
                              guint32      stream)
{
  const StreamSummary *sum = get_summary (t, stream);

  return sum != NULL && sum->is_http;
}
