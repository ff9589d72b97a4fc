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

#include "pl-http-table.h"
#include "pl-reassembler.h"
#include "pl-seq.h"

typedef struct _HttpStream HttpStream;

typedef struct
{
  HttpStream    *owner;
  PlReassembler *reasm;          /* NULL when the direction is not HTTP */
  PlHttpParser   parser;
  guint32        cur;            /* record being parsed */
  guint32        deliver_frame;  /* frame of the bytes being delivered */
  guint32        fin_frame;      /* first FIN (or the RST) of this direction */
  guint8         dir;
  gboolean       finishing;
  gboolean       ended;
} HttpDir;

struct _HttpStream
{
  PlHttpTable *table;
  guint32      index;
  HttpDir      dir[2];
  GArray      *pending;          /* guint32: requests awaiting their final response */
};

struct _PlHttpTable
{
  GPtrArray *streams;            /* HttpStream *, by stream index, NULL without payload */
  GArray    *records;            /* PlHttpRecord */
  GArray    *completed;          /* CompletedEntry, by frame, after finish */
  guint32    current_frame;
  gboolean   flushing;
  gboolean   finished;
};

typedef struct
{
  guint32 frame;
  guint32 record;
} CompletedEntry;

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

  if (msg->is_request)
    {
      if (s->pending == NULL)
        s->pending = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_array_append_val (s->pending, idx);
    }
  else if (msg->status != 0 && s->pending != NULL && s->pending->len > 0)
    {
      guint32 req = g_array_index (s->pending, guint32, 0);
      PlHttpRecord *r = &g_array_index (t->records, PlHttpRecord, req);

      /* Interim responses (1xx but 101) belong to the request without
       * answering it (RFC 9110 15.2): the final one is still to come. */
      rec.partner = req;
      msg->method = r->method;
      if (msg->status >= 200 || msg->status == 101)
        {
          r->partner = idx;
          g_array_remove_index (s->pending, 0);
        }
    }
  rec.method = msg->method;
  g_array_append_val (t->records, rec);
  d->cur = idx;
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

static const PlHttpParserCallbacks callbacks = { on_begin, on_end };

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
  pl_http_parser_feed (&d->parser, offset, data, len);
}

PlHttpTable *
pl_http_table_new (void)
{
  PlHttpTable *t = g_new0 (PlHttpTable, 1);

  t->streams = g_ptr_array_new ();
  t->records = g_array_new (FALSE, FALSE, sizeof (PlHttpRecord));
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
  if (s == NULL)
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
    return g_ptr_array_index (t->streams, stream->index);
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
      d->reasm = pl_reassembler_new (on_deliver, NULL, d);
      if (stream->peer[k].flags & PL_PEER_BASE_SET)
        pl_reassembler_set_isn (d->reasm, stream->peer[k].base_seq);
      pl_http_parser_init (&d->parser, &callbacks, d);
      /* Joined mid-stream: the first bytes may be the middle of a
       * message, so look for a message start instead of giving up. */
      if (!(stream->peer[k].flags & PL_PEER_SAW_SYN))
        d->parser.resync = TRUE;
    }
  g_ptr_array_index (t->streams, stream->index) = s;
  return s;
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
                   guint32            captured_len)
{
  HttpStream *s = get_stream (t, stream, frame->payload_len > 0);
  HttpDir *d, *o;
  guint64 fin_off;

  if (s == NULL)
    return;
  d = &s->dir[frame->dir & 1];
  o = &s->dir[!(frame->dir & 1)];
  t->current_frame = frame_index;

  if (d->reasm != NULL && !d->ended && !pl_http_parser_is_done (&d->parser))
    {
      pl_reassembler_add (d->reasm, frame_index, frame->seq, frame->tcp_flags,
                          captured_len > 0 ? payload : NULL, captured_len, frame->payload_len, NULL);

      if ((frame->tcp_flags & PL_TCP_FIN) && d->fin_frame == PL_HTTP_NO_MESSAGE)
        d->fin_frame = frame_index;
      if (pl_reassembler_get_fin_offset (d->reasm, &fin_off) &&
          pl_reassembler_get_delivered (d->reasm) >= fin_off)
        dir_finish (t, d, TRUE);
      /* Bytes that are not HTTP: the spans would never be looked up. */
      else if (!pl_http_parser_is_http (&d->parser) && d->parser.n_messages == 0)
        {
          d->ended = TRUE;
          g_clear_pointer (&d->reasm, pl_reassembler_free);
          pl_http_parser_clear (&d->parser);
        }
    }

  /* The peer acknowledged bytes of the other direction that wait behind a
   * hole: the hole was received, so the capture will never show it. */
  if ((frame->tcp_flags & PL_TCP_ACK) && o->reasm != NULL && !o->ended &&
      pl_reassembler_get_buffered (o->reasm) > 0)
    {
      guint32 next_seq = stream->peer[!(frame->dir & 1)].base_seq + 1 +
                         (guint32) pl_reassembler_get_delivered (o->reasm);

      if (PL_SEQ_GT (frame->ack, next_seq))
        {
          t->flushing = TRUE;
          pl_reassembler_flush (o->reasm);
          t->flushing = FALSE;
        }
    }

  if (frame->tcp_flags & PL_TCP_RST)
    {
      /* The connection is gone both ways. */
      if (d->fin_frame == PL_HTTP_NO_MESSAGE)
        d->fin_frame = frame_index;
      if (o->fin_frame == PL_HTTP_NO_MESSAGE)
        o->fin_frame = frame_index;
      dir_finish (t, d, TRUE);
      dir_finish (t, o, TRUE);
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

      if (s == NULL)
        continue;
      for (k = 0; k < 2; k++)
        {
          HttpDir *d = &s->dir[k];
          guint64 fin_off;
          gboolean closed = FALSE;

          if (d->ended)
            continue;
          if (d->reasm != NULL)
            {
              t->flushing = TRUE;
              pl_reassembler_flush (d->reasm);
              t->flushing = FALSE;
              closed = pl_reassembler_get_fin_offset (d->reasm, &fin_off) &&
                       pl_reassembler_get_delivered (d->reasm) >= fin_off;
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

      if (pl_http_table_find_frames (t, r->stream, r->dir, r->start, 1, &f, 1) == 0)
        f = r->complete_frame;
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

static PlReassembler *
get_reasm (PlHttpTable *t,
           guint32      stream,
           guint8       dir)
{
  HttpStream *s;

  if (stream >= t->streams->len)
    return NULL;
  s = g_ptr_array_index (t->streams, stream);
  return s != NULL ? s->dir[dir & 1].reasm : NULL;
}

guint
pl_http_table_find_frames (PlHttpTable *t,
                           guint32      stream,
                           guint8       dir,
                           guint64      offset,
                           guint64      length,
                           guint32     *frames,
                           guint        max)
{
  PlReassembler *r = get_reasm (t, stream, dir);

  if (r == NULL)
    return 0;
  return pl_reassembler_find_frames (r, offset, length, frames, max);
}

gboolean
pl_http_table_read (PlHttpTable *t,
                    guint32      stream,
                    guint8       dir,
                    guint64      offset,
                    guint64      length,
                    GByteArray  *out)
{
  PlReassembler *r = get_reasm (t, stream, dir);
  const PlReassemblerSpan *spans;
  guint n, lo, hi;
  guint64 pos = offset, end = offset + length;
  guint old_len = out->len;

  if (length == 0)
    return TRUE;
  if (r == NULL)
    return FALSE;
  spans = pl_reassembler_get_spans (r, &n);

  /* Last span starting at or before offset. */
  lo = 0;
  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (spans[mid].offset <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return FALSE;

  for (lo = lo - 1; lo < n && pos < end; lo++)
    {
      const PlReassemblerSpan *s = &spans[lo];
      guint64 s_end = s->offset + s->length;
      guint64 from, to;

      if (s_end <= pos)
        continue;
      if (s->offset > pos || s->data == NULL)
        {
          g_byte_array_set_size (out, old_len);
          return FALSE;
        }
      from = pos - s->offset;
      to = MIN (s_end, end) - s->offset;
      g_byte_array_append (out, s->data + from, (guint) (to - from));
      pos = s->offset + to;
    }
  if (pos < end)
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
  HttpStream *s;

  if (stream >= t->streams->len || (s = g_ptr_array_index (t->streams, stream)) == NULL)
    return FALSE;
  return s->dir[0].parser.n_messages + s->dir[1].parser.n_messages > 0;
}
