/* pl-http-message.c: a view on one HTTP/1.x message of a capture
 * (RFC 9112 framing, RFC 9110 fields, ranges and content codings).
 *
 * The object holds the capture and a record index: the record is 64 bytes
 * of stream offsets, and the head, the header fields and the body are read
 * back from the mapped file, by walking the frames that carried them, when
 * someone asks, so a capture with a million messages costs a million records, not a
 * million parsed heads.  Content codings are undone with GIO's
 * GZlibDecompressor, never by hand.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "pl-http-message.h"
#include "pl-http-table.h"

struct _PlHttpMessage
{
  GObject    parent_instance;

  PlCapture *capture;
  guint      index;
  char      *method_name;  /* PL_HTTP_METHOD_OTHER: the token, read once */
  GBytes    *head;         /* read back once, set atomically; NULL until then */
};

G_DEFINE_FINAL_TYPE (PlHttpMessage, pl_http_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPTURE,
  PROP_INDEX,
  PROP_STREAM,
  PROP_DIRECTION,
  PROP_IS_REQUEST,
  PROP_METHOD,
  PROP_URI,
  PROP_STATUS,
  PROP_REASON,
  PROP_FIRST_FRAME,
  PROP_LAST_FRAME,
  PROP_COMPLETE_FRAME,
  PROP_BODY_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const PlHttpRecord *
record (PlHttpMessage *self)
{
  return pl_http_table_get_record (pl_capture_get_http_table (self->capture), self->index);
}

static PlHttpMessage *
message_new (PlCapture *capture,
             guint      index)
{
  return g_object_new (PL_TYPE_HTTP_MESSAGE, "capture", capture, "index", index, NULL);
}

static void
pl_http_message_finalize (GObject *object)
{
  PlHttpMessage *self = (PlHttpMessage *) object;

  g_clear_object (&self->capture);
  g_free (self->method_name);
  g_clear_pointer (&self->head, g_bytes_unref);
  G_OBJECT_CLASS (pl_http_message_parent_class)->finalize (object);
}

static void
pl_http_message_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PlHttpMessage *self = PL_HTTP_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      g_value_set_object (value, self->capture);
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_STREAM:
      g_value_set_uint (value, pl_http_message_get_stream (self));
      break;
    case PROP_DIRECTION:
      g_value_set_uint (value, pl_http_message_get_direction (self));
      break;
    case PROP_IS_REQUEST:
      g_value_set_boolean (value, pl_http_message_is_request (self));
      break;
    case PROP_METHOD:
      g_value_set_string (value, pl_http_message_get_method_name (self));
      break;
    case PROP_URI:
      g_value_take_string (value, pl_http_message_dup_uri (self));
      break;
    case PROP_STATUS:
      g_value_set_uint (value, pl_http_message_get_status (self));
      break;
    case PROP_REASON:
      g_value_take_string (value, pl_http_message_dup_reason (self));
      break;
    case PROP_FIRST_FRAME:
      g_value_set_uint (value, pl_http_message_get_first_frame (self));
      break;
    case PROP_LAST_FRAME:
      g_value_set_uint (value, pl_http_message_get_last_frame (self));
      break;
    case PROP_COMPLETE_FRAME:
      g_value_set_uint (value, pl_http_message_get_complete_frame (self));
      break;
    case PROP_BODY_LENGTH:
      g_value_set_uint64 (value, pl_http_message_get_body_length (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_http_message_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PlHttpMessage *self = PL_HTTP_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      self->capture = g_value_dup_object (value);
      break;
    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_http_message_class_init (PlHttpMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pl_http_message_finalize;
  object_class->get_property = pl_http_message_get_property;
  object_class->set_property = pl_http_message_set_property;

  properties[PROP_CAPTURE] =
    g_param_spec_object ("capture", NULL, NULL, PL_TYPE_CAPTURE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STREAM] = g_param_spec_uint ("stream", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DIRECTION] = g_param_spec_uint ("direction", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_IS_REQUEST] = g_param_spec_boolean ("is-request", NULL, NULL, FALSE, ro);
  properties[PROP_METHOD] = g_param_spec_string ("method", NULL, NULL, NULL, ro);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, 999, 0, ro);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_FIRST_FRAME] = g_param_spec_uint ("first-frame", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LAST_FRAME] = g_param_spec_uint ("last-frame", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_COMPLETE_FRAME] = g_param_spec_uint ("complete-frame", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BODY_LENGTH] = g_param_spec_uint64 ("body-length", NULL, NULL, 0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pl_http_message_init (PlHttpMessage *self)
{
}

/* Capture-level access. */

guint
pl_capture_get_n_http_messages (PlCapture *capture)
{
  g_return_val_if_fail (PL_IS_CAPTURE (capture), 0);
  /* The index is built by the loading thread and read only once loaded
   * (an atomic flag): while a capture loads it has no messages yet. */
  if (!pl_capture_is_loaded (capture))
    return 0;
  return pl_http_table_get_n_records (pl_capture_get_http_table (capture));
}

PlHttpMessage *
pl_capture_get_http_message (PlCapture *capture,
                             guint      index)
{
  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (index < pl_capture_get_n_http_messages (capture), NULL);
  return message_new (capture, index);
}

PlHttpMessage *
pl_capture_get_http_message_completed_in (PlCapture *capture,
                                          guint      frame)
{
  guint index;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  if (!pl_capture_is_loaded (capture))
    return NULL;
  index = pl_http_table_find_completed (pl_capture_get_http_table (capture), frame);
  return index != PL_HTTP_NO_MESSAGE ? message_new (capture, index) : NULL;
}

gboolean
pl_capture_stream_has_http (PlCapture *capture,
                            guint      stream)
{
  g_return_val_if_fail (PL_IS_CAPTURE (capture), FALSE);
  if (!pl_capture_is_loaded (capture))
    return FALSE;
  return pl_http_table_stream_is_http (pl_capture_get_http_table (capture), stream);
}

/* Plain accessors. */

PlCapture *
pl_http_message_get_capture (PlHttpMessage *self)
{
  g_return_val_if_fail (PL_IS_HTTP_MESSAGE (self), NULL);
  return self->capture;
}

guint
pl_http_message_get_index (PlHttpMessage *self)
{
  return self->index;
}

guint
pl_http_message_get_stream (PlHttpMessage *self)
{
  return record (self)->stream;
}

guint
pl_http_message_get_direction (PlHttpMessage *self)
{
  return record (self)->dir;
}

gboolean
pl_http_message_is_request (PlHttpMessage *self)
{
  return record (self)->is_request;
}

guint
pl_http_message_get_flags (PlHttpMessage *self)
{
  return record (self)->flags;
}

PlHttpFraming
pl_http_message_get_framing (PlHttpMessage *self)
{
  return (PlHttpFraming) record (self)->framing;
}

PlHttpMethod
pl_http_message_get_method (PlHttpMessage *self)
{
  return (PlHttpMethod) record (self)->method;
}

static gboolean start_line (PlHttpMessage *self,
                            GBytes       **bytes,
                            PlHttpHead    *head);

const char *
pl_http_message_get_method_name (PlHttpMessage *self)
{
  PlHttpMethod method = pl_http_message_get_method (self);

  if (method != PL_HTTP_METHOD_OTHER)
    return pl_http_method_to_string (method);
  /* Any other token: as the request line has it. */
  if (self->method_name == NULL)
    {
      if (pl_http_message_is_request (self))
        {
          g_autoptr(GBytes) bytes = NULL;
          PlHttpHead head;

          if (start_line (self, &bytes, &head) && head.is_request)
            self->method_name = g_strndup ((const char *) g_bytes_get_data (bytes, NULL) + head.method.off,
                                           head.method.len);
        }
      else
        {
          g_autoptr(PlHttpMessage) request = pl_http_message_get_request (self);

          if (request != NULL)
            self->method_name = g_strdup (pl_http_message_get_method_name (request));
        }
      if (self->method_name == NULL)
        self->method_name = g_strdup ("");
    }
  return self->method_name;
}

/* How this message's head parses: lenient when it was read so. */
static guint
head_flags (PlHttpMessage *self)
{
  return (record (self)->flags & PL_HTTP_MSG_LENIENT_START) ? PL_HTTP_PARSE_LENIENT : PL_HTTP_PARSE_STRICT;
}

guint
pl_http_message_get_status (PlHttpMessage *self)
{
  return record (self)->status;
}

guint
pl_http_message_get_version_minor (PlHttpMessage *self)
{
  return record (self)->version_minor;
}

guint64
pl_http_message_get_offset (PlHttpMessage *self)
{
  return record (self)->start;
}

guint64
pl_http_message_get_wire_length (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);

  return r->end - r->start;
}

guint
pl_http_message_get_head_length (PlHttpMessage *self)
{
  return record (self)->head_len;
}

guint64
pl_http_message_get_body_length (PlHttpMessage *self)
{
  return record (self)->body_len;
}

guint64
pl_http_message_get_missing_length (PlHttpMessage *self)
{
  return record (self)->missing;
}

guint64
pl_http_message_get_captured_body_length (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);

  return r->body_len - MIN (r->missing, r->body_len);
}

/* What ends a message before its framing says, or leaves its end or bytes
 * unknown. */
#define INCOMPLETE_FLAGS (PL_HTTP_MSG_MISSING_BYTES | PL_HTTP_MSG_TRUNCATED | PL_HTTP_MSG_BAD_HEAD | \
                          PL_HTTP_MSG_HEAD_TOO_LARGE | PL_HTTP_MSG_TOO_MANY_HEADERS | \
                          PL_HTTP_MSG_BAD_FRAMING | PL_HTTP_MSG_CUT_BY_GAP | PL_HTTP_MSG_HEAD_CUT)

gboolean
pl_http_message_is_complete (PlHttpMessage *self)
{
  return (record (self)->flags & INCOMPLETE_FLAGS) == 0;
}

gboolean
pl_http_message_is_lenient (PlHttpMessage *self)
{
  return (record (self)->flags & PL_HTTP_MSG_LENIENT_START) != 0;
}

gboolean
pl_http_message_get_declared_body_length (PlHttpMessage *self,
                                          guint64       *length)
{
  const PlHttpRecord *r = record (self);

  switch ((PlHttpFraming) r->framing)
    {
    case PL_HTTP_FRAMING_NONE:
    case PL_HTTP_FRAMING_TUNNEL:
      /* A broken head or framing leaves the body unknown. */
      if (r->flags & (PL_HTTP_MSG_BAD_HEAD | PL_HTTP_MSG_HEAD_TOO_LARGE | PL_HTTP_MSG_TOO_MANY_HEADERS |
                      PL_HTTP_MSG_BAD_FRAMING | PL_HTTP_MSG_HEAD_CUT))
        return FALSE;
      *length = 0;
      return TRUE;

    case PL_HTTP_FRAMING_LENGTH:
      {
        /* The Content-Length that framed it (equal values if repeated). */
        g_autofree char *value = pl_http_message_dup_header (self, "Content-Length");
        const char *v = value;
        guint64 n = 0;

        if (v == NULL)
          return FALSE;
        while (*v == ' ' || *v == '\t')
          v++;
        if (!g_ascii_isdigit (*v))
          return FALSE;
        while (g_ascii_isdigit (*v) && n < G_MAXUINT64 / 10 - 9)
          n = n * 10 + (guint64) (*v++ - '0');
        *length = n;
        return TRUE;
      }

    case PL_HTTP_FRAMING_CHUNKED:
    case PL_HTTP_FRAMING_CLOSE:
      /* The chunk sizes, or the bytes until the close: known once the
       * message reached its end. */
      if (r->flags & (PL_HTTP_MSG_TRUNCATED | PL_HTTP_MSG_CUT_BY_GAP | PL_HTTP_MSG_BAD_FRAMING))
        return FALSE;
      *length = r->body_len;
      return TRUE;

    default:
      return FALSE;
    }
}

/* Frames. */

guint
pl_http_message_get_first_frame (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);
  guint32 frame = PL_HTTP_NO_FRAME;

  /* The frame of the first byte, when one carried it: the walk stops
   * there instead of visiting the whole body. */
  if (r->end > r->start &&
      pl_http_table_find_frames (pl_capture_get_http_table (self->capture), self->index,
                                 r->start, 1, &frame, 1) > 0)
    return frame;
  pl_http_table_find_frames (pl_capture_get_http_table (self->capture), self->index,
                             r->start, r->end - r->start, &frame, 1);
  return frame;
}

guint
pl_http_message_get_last_frame (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);
  g_autoptr(GArray) frames = NULL;
  guint32 frame = PL_HTTP_NO_FRAME;

  if (r->end > r->start &&
      pl_http_table_find_frames (pl_capture_get_http_table (self->capture), self->index,
                                 r->end - 1, 1, &frame, 1) > 0)
    return frame;
  /* The message ends in a gap: the last frame that carried any of it. */
  frames = pl_http_message_dup_frames (self);
  return frames->len > 0 ? g_array_index (frames, guint32, frames->len - 1) : PL_HTTP_NO_FRAME;
}

guint
pl_http_message_get_complete_frame (PlHttpMessage *self)
{
  return record (self)->complete_frame;
}

GArray *
pl_http_message_dup_frames (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);

  /* One walk over the message's frames. */
  return pl_http_table_dup_frames (pl_capture_get_http_table (self->capture), self->index,
                                   r->start, r->end - r->start);
}

/* Head and fields. */

GBytes *
pl_http_message_dup_head (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);
  GBytes *head = g_atomic_pointer_get (&self->head);
  GByteArray *buf;

  /* Read back from the frames once per object: the header getters each
   * want it. */
  if (head != NULL)
    return g_bytes_ref (head);
  buf = g_byte_array_sized_new (r->head_len);
  if (!pl_http_table_read (pl_capture_get_http_table (self->capture), self->index,
                           r->start, r->head_len, buf))
    {
      g_byte_array_unref (buf);
      return NULL;
    }
  head = g_byte_array_free_to_bytes (buf);
  if (!g_atomic_pointer_compare_and_exchange (&self->head, NULL, head))
    {
      g_bytes_unref (head);
      head = g_atomic_pointer_get (&self->head);
    }
  return g_bytes_ref (head);
}

/* The parsed head; headers points into a caller array of
 * PL_HTTP_MAX_HEADERS.  FALSE for a broken head. */
static gboolean
parse_head (PlHttpMessage *self,
            GBytes        *bytes,
            PlHttpHead    *head,
            PlHttpHeader  *headers)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return pl_http_parse_head_full (data, len, head, headers, PL_HTTP_MAX_HEADERS, head_flags (self)) > 0;
}

static void
field_clear (gpointer data)
{
  PlHttpField *f = data;

  g_free (f->name);
  g_free (f->value);
}

static GArray *
fields_from (const guint8       *buf,
             guint64             base,
             const PlHttpHeader *headers,
             gsize               n)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (PlHttpField), (guint) n);
  gsize i;

  g_array_set_clear_func (out, field_clear);
  for (i = 0; i < n; i++)
    {
      PlHttpField f;
      guint32 value_end = headers[i].value.off + headers[i].value.len;

      f.name = g_strndup ((const char *) buf + headers[i].name.off, headers[i].name.len);
      f.value = pl_http_copy_value (buf, &headers[i]);
      f.offset = base + headers[i].name.off;
      f.length = MAX (value_end, headers[i].name.off + headers[i].name.len + 1) - headers[i].name.off;
      g_array_append_val (out, f);
    }
  return out;
}

GArray *
pl_http_message_dup_headers (PlHttpMessage *self)
{
  g_autoptr(GBytes) bytes = pl_http_message_dup_head (self);
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  PlHttpHead head;

  if (bytes == NULL || !parse_head (self, bytes, &head, headers))
    return fields_from (NULL, 0, NULL, 0);
  return fields_from (g_bytes_get_data (bytes, NULL), record (self)->start, headers, head.n_headers);
}

GArray *
pl_http_message_dup_trailers (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  PlHttpHead head;
  static const char fake_line[] = "HTTP/1.1 200 \r\n";
  guint64 start;

  if (r->trailer_len == 0)
    return fields_from (NULL, 0, NULL, 0);
  /* Trailers have the syntax of a header section: parse them behind a
   * start line so the same parser serves. */
  start = r->end - r->trailer_len;
  g_byte_array_append (buf, (const guint8 *) fake_line, sizeof fake_line - 1);
  if (!pl_http_table_read (pl_capture_get_http_table (self->capture), self->index,
                           start, r->trailer_len, buf) ||
      pl_http_parse_head (buf->data, buf->len, &head, headers, PL_HTTP_MAX_HEADERS) <= 0)
    return fields_from (NULL, 0, NULL, 0);
  {
    GArray *out = fields_from (buf->data, start - (sizeof fake_line - 1), headers, head.n_headers);
    return out;
  }
}

char *
pl_http_message_dup_header (PlHttpMessage *self,
                            const char    *name)
{
  g_autoptr(GBytes) bytes = pl_http_message_dup_head (self);
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  PlHttpHead head;
  const PlHttpHeader *h;

  if (bytes == NULL || !parse_head (self, bytes, &head, headers))
    return NULL;
  h = pl_http_head_find (&head, g_bytes_get_data (bytes, NULL), name);
  return h != NULL ? pl_http_copy_value (g_bytes_get_data (bytes, NULL), h) : NULL;
}

/* The start line's pieces, also for a head whose fields did not parse. */
static gboolean
start_line (PlHttpMessage *self,
            GBytes       **bytes,
            PlHttpHead    *head)
{
  PlHttpHeader headers[PL_HTTP_MAX_HEADERS];
  gsize len;
  const guint8 *data, *nl;

  *bytes = pl_http_message_dup_head (self);
  if (*bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (*bytes, &len);
  nl = len > 0 ? memchr (data, '\n', len) : NULL;
  if (len == 0)
    return FALSE;
  {
    /* Just the first line and an empty line; a head cut before its first
     * line ended (the snap length) is that line. */
    g_autoptr(GByteArray) line = g_byte_array_new ();
    gssize r;

    if (nl != NULL)
      g_byte_array_append (line, data, (guint) (nl - data + 1));
    else
      g_byte_array_append (line, data, (guint) len);
    g_byte_array_append (line, (const guint8 *) (nl != NULL ? "\r\n" : "\r\n\r\n"), nl != NULL ? 2 : 4);
    r = pl_http_parse_head_full (line->data, line->len, head, headers, PL_HTTP_MAX_HEADERS,
                                 head_flags (self));
    head->headers = NULL;
    return r > 0;
  }
}

char *
pl_http_message_dup_uri (PlHttpMessage *self)
{
  g_autoptr(GBytes) bytes = NULL;
  PlHttpHead head;

  if (!pl_http_message_is_request (self))
    {
      g_autoptr(PlHttpMessage) request = pl_http_message_get_request (self);

      return request != NULL ? pl_http_message_dup_uri (request) : NULL;
    }
  if (!start_line (self, &bytes, &head) || !head.is_request)
    return NULL;
  return g_strndup ((const char *) g_bytes_get_data (bytes, NULL) + head.target.off, head.target.len);
}

char *
pl_http_message_dup_reason (PlHttpMessage *self)
{
  g_autoptr(GBytes) bytes = NULL;
  PlHttpHead head;

  if (!start_line (self, &bytes, &head) || head.is_request)
    return NULL;
  return g_strndup ((const char *) g_bytes_get_data (bytes, NULL) + head.reason.off, head.reason.len);
}

/* Pairing. */

PlHttpMessage *
pl_http_message_get_request (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);

  if (r->is_request || r->partner == PL_HTTP_NO_MESSAGE)
    return NULL;
  return message_new (self->capture, r->partner);
}

PlHttpMessage *
pl_http_message_get_response (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);

  if (!r->is_request || r->partner == PL_HTTP_NO_MESSAGE)
    return NULL;
  return message_new (self->capture, r->partner);
}

gint64
pl_http_message_get_response_time_ns (PlHttpMessage *self)
{
  const PlHttpRecord *r = record (self);
  const PlHttpRecord *q;

  if (r->is_request || r->partner == PL_HTTP_NO_MESSAGE || r->complete_frame == PL_HTTP_NO_MESSAGE)
    return -1;
  q = pl_http_table_get_record (pl_capture_get_http_table (self->capture), r->partner);
  if (q->complete_frame == PL_HTTP_NO_MESSAGE)
    return -1;
  return pl_capture_get_frame (self->capture, r->complete_frame)->ts_ns -
         pl_capture_get_frame (self->capture, q->complete_frame)->ts_ns;
}

/* Ranges (RFC 9110 14.4). */

/* "bytes first-last/complete" or "bytes first-last/ *". */
static gboolean
parse_content_range (const char  *value,
                     PlHttpRange *range)
{
  const char *p = value;
  char *end;
  guint64 first, last;

  while (*p == ' ' || *p == '\t')
    p++;
  if (g_ascii_strncasecmp (p, "bytes", 5) != 0)
    return FALSE;
  p += 5;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  first = g_ascii_strtoull (p, &end, 10);
  if (*end != '-' || !g_ascii_isdigit (end[1]))
    return FALSE;
  last = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '/' || last < first)
    return FALSE;
  p = end + 1;
  if (*p == '*')
    range->complete_length = -1;
  else if (g_ascii_isdigit (*p))
    {
      range->complete_length = (gint64) g_ascii_strtoull (p, &end, 10);
      if ((guint64) range->complete_length <= last)
        return FALSE;
    }
  else
    return FALSE;
  range->first = first;
  range->last = last;
  range->length = last - first + 1;
  range->body_offset = 0;
  return TRUE;
}

gboolean
pl_http_message_get_content_range (PlHttpMessage *self,
                                   PlHttpRange   *range)
{
  g_autofree char *value = pl_http_message_dup_header (self, "Content-Range");

  return value != NULL && parse_content_range (value, range);
}

/* Body. */

static GBytes *
read_wire_body (PlHttpMessage  *self,
                GError        **error)
{
  const PlHttpRecord *r = record (self);
  guint64 start = r->start + r->head_len;
  guint64 wire = r->end - start;
  g_autoptr(GByteArray) buf = NULL;

  if (r->flags & PL_HTTP_MSG_MISSING_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%" PRIu64 " byte of the body was never captured",
                                "%" PRIu64 " bytes of the body were never captured",
                                (gulong) MIN (r->missing, G_MAXULONG)),
                   (uint64_t) r->missing);
      return NULL;
    }
  if (wire > PL_HTTP_BODY_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("the body is larger than %zu MiB"), (gsize) (PL_HTTP_BODY_MAX >> 20));
      return NULL;
    }
  buf = g_byte_array_sized_new ((guint) wire);
  if (!pl_http_table_read (pl_capture_get_http_table (self->capture), self->index, start, wire, buf))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           _("part of the body was never captured"));
      return NULL;
    }

  if (r->framing == PL_HTTP_FRAMING_CHUNKED)
    {
      /* De-chunk: the same decoder that framed it while loading. */
      PlHttpChunkedDecoder d;
      GByteArray *plain = g_byte_array_sized_new ((guint) MIN (r->body_len, (guint64) G_MAXUINT));
      gsize pos = 0;

      pl_http_chunked_init (&d);
      while (pos < buf->len && !pl_http_chunked_is_done (&d))
        {
          gsize doff, dlen;
          gssize n = pl_http_chunked_decode (&d, buf->data + pos, buf->len - pos, &doff, &dlen);

          if (n <= 0)
            {
              g_byte_array_unref (plain);
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("the chunked coding of the body is corrupt"));
              return NULL;
            }
          g_byte_array_append (plain, buf->data + pos + doff, (guint) dlen);
          pos += (gsize) n;
        }
      return g_byte_array_free_to_bytes (plain);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

static GBytes *
inflate_bytes (GBytes                 *in,
               GZlibCompressorFormat   format,
               GError                **error)
{
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (format);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *chunk = g_malloc (64 * 1024);
  gsize left;
  const guint8 *src = g_bytes_get_data (in, &left);

  for (;;)
    {
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (z), src, left, chunk, 64 * 1024,
                                 G_CONVERTER_INPUT_AT_END, &bytes_read, &bytes_written, error);
      if (res == G_CONVERTER_ERROR)
        return NULL;
      src += bytes_read;
      left -= bytes_read;
      if (out->len + bytes_written > PL_HTTP_BODY_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       _("the decoded body is larger than %zu MiB"), (gsize) (PL_HTTP_BODY_MAX >> 20));
          return NULL;
        }
      g_byte_array_append (out, chunk, (guint) bytes_written);
      if (res == G_CONVERTER_FINISHED)
        break;
      if (bytes_read == 0 && bytes_written == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                               _("the compressed body ends early"));
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
pl_http_message_dup_body (PlHttpMessage  *self,
                          gboolean        decode,
                          GError        **error)
{
  const PlHttpRecord *r = record (self);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *coding = NULL;
  g_auto(GStrv) codings = NULL;
  gint i;

  g_return_val_if_fail (PL_IS_HTTP_MESSAGE (self), NULL);

  if (r->framing == PL_HTTP_FRAMING_NONE || r->framing == PL_HTTP_FRAMING_TUNNEL || r->body_len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("the message has no body"));
      return NULL;
    }
  body = read_wire_body (self, error);
  if (body == NULL || !decode)
    return g_steal_pointer (&body);

  coding = pl_http_message_dup_header (self, "Content-Encoding");
  if (coding == NULL)
    return g_steal_pointer (&body);

  /* Codings are listed in the order applied: undo them backwards. */
  codings = g_strsplit (coding, ",", -1);
  for (i = (gint) g_strv_length (codings) - 1; i >= 0; i--)
    {
      const char *c = g_strstrip (codings[i]);
      g_autoptr(GBytes) next = NULL;

      if (*c == '\0' || g_ascii_strcasecmp (c, "identity") == 0)
        continue;
      if (g_ascii_strcasecmp (c, "gzip") == 0 || g_ascii_strcasecmp (c, "x-gzip") == 0)
        next = inflate_bytes (body, G_ZLIB_COMPRESSOR_FORMAT_GZIP, error);
      else if (g_ascii_strcasecmp (c, "deflate") == 0)
        {
          /* "deflate" is the zlib format (RFC 9110 8.4.1.2), but some
           * servers send raw deflate: try that before giving up. */
          next = inflate_bytes (body, G_ZLIB_COMPRESSOR_FORMAT_ZLIB, NULL);
          if (next == NULL)
            next = inflate_bytes (body, G_ZLIB_COMPRESSOR_FORMAT_RAW, error);
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("content coding “%s” is not supported"), c);
          return NULL;
        }
      if (next == NULL)
        return NULL;
      g_bytes_unref (body);
      body = g_steal_pointer (&next);
    }
  return g_steal_pointer (&body);
}

gboolean
pl_http_message_save_body (PlHttpMessage  *self,
                           GFile          *file,
                           GError        **error)
{
  g_autoptr(GBytes) body = NULL;
  GFileType type;
  gsize len;
  const char *data;

  /* Only a regular file or a new name is replaced: GIO would block opening
   * a FIFO to check it, and a device node must never become a file. */
  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type != G_FILE_TYPE_UNKNOWN && type != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR,
                   type == G_FILE_TYPE_DIRECTORY ? G_IO_ERROR_IS_DIRECTORY : G_IO_ERROR_NOT_REGULAR_FILE,
                   /* Translators: %s is a file name the user gave as the output. */
                   _("%s is not a regular file (a folder, a pipe or a device): not replaced"), name);
      return FALSE;
    }
  body = pl_http_message_dup_body (self, TRUE, error);
  if (body == NULL)
    return FALSE;
  data = g_bytes_get_data (body, &len);
  /* GIO writes a temporary file and renames it over the target. */
  return g_file_replace_contents (file, data, len, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

/* multipart/byteranges (RFC 9110 14.6). */

static char *
boundary_of (const char *content_type)
{
  const char *p;

  if (content_type == NULL || g_ascii_strncasecmp (content_type, "multipart/byteranges", 20) != 0)
    return NULL;
  p = strstr (content_type, "boundary=");
  if (p == NULL)
    return NULL;
  p += 9;
  if (*p == '"')
    {
      const char *q = strchr (p + 1, '"');

      return q != NULL ? g_strndup (p + 1, (gsize) (q - p - 1)) : NULL;
    }
  return g_strndup (p, strcspn (p, "; \t"));
}

static const guint8 *
find_bytes (const guint8 *hay,
            gsize         hay_len,
            const char   *needle,
            gsize         needle_len)
{
  gsize i;

  if (needle_len == 0 || hay_len < needle_len)
    return NULL;
  for (i = 0; i + needle_len <= hay_len; i++)
    if (hay[i] == (guint8) needle[0] && memcmp (hay + i, needle, needle_len) == 0)
      return hay + i;
  return NULL;
}

GArray *
pl_http_message_dup_ranges (PlHttpMessage  *self,
                            GError        **error)
{
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (PlHttpRange));
  g_autofree char *type = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *delim = NULL;
  g_autoptr(GBytes) body = NULL;
  PlHttpRange range;
  const guint8 *data, *p;
  gsize len, dlen;

  if (pl_http_message_get_content_range (self, &range))
    {
      range.length = MIN (range.length, pl_http_message_get_body_length (self));
      g_array_append_val (ranges, range);
      return ranges;
    }
  type = pl_http_message_dup_header (self, "Content-Type");
  boundary = boundary_of (type);
  if (boundary == NULL || pl_http_message_get_status (self) != 206)
    return ranges;

  body = pl_http_message_dup_body (self, FALSE, error);
  if (body == NULL)
    {
      g_array_unref (ranges);
      return NULL;
    }
  data = g_bytes_get_data (body, &len);
  delim = g_strconcat ("--", boundary, NULL);
  dlen = strlen (delim);

  p = find_bytes (data, len, delim, dlen);
  while (p != NULL)
    {
      const guint8 *q = p + dlen, *part, *next, *body_end;
      gsize left = len - (gsize) (q - data);
      PlHttpHeader headers[32];
      PlHttpHead head;
      g_autoptr(GByteArray) hbuf = g_byte_array_new ();
      gssize hl;

      if (left >= 2 && q[0] == '-' && q[1] == '-')
        break;  /* the close delimiter */
      /* Skip transport padding and the line end after the delimiter. */
      while (left > 0 && *q != '\n')
        q++, left--;
      if (left == 0)
        break;
      part = q + 1;
      left--;
      /* Part headers have header-section syntax: parse them behind a
       * start line so one parser serves. */
      g_byte_array_append (hbuf, (const guint8 *) "HTTP/1.1 206 \r\n", 15);
      g_byte_array_append (hbuf, part, (guint) MIN (left, (gsize) PL_HTTP_MAX_HEAD));
      hl = pl_http_parse_head (hbuf->data, hbuf->len, &head, headers, G_N_ELEMENTS (headers));
      if (hl <= 15)
        break;
      part += hl - 15;
      next = find_bytes (part, len - (gsize) (part - data), delim, dlen);
      body_end = next != NULL ? next : data + len;
      /* The CRLF before a delimiter belongs to the delimiter. */
      if (body_end > part && body_end[-1] == '\n')
        body_end--;
      if (body_end > part && body_end[-1] == '\r')
        body_end--;
      {
        const PlHttpHeader *h = pl_http_head_find (&head, hbuf->data, "Content-Range");
        g_autofree char *value = h != NULL ? pl_http_copy_value (hbuf->data, h) : NULL;

        if (value != NULL && parse_content_range (value, &range))
          {
            range.body_offset = (guint64) (part - data);
            range.length = MIN (range.length, (guint64) (body_end - part));
            g_array_append_val (ranges, range);
          }
      }
      p = next;
    }
  return ranges;
}

/* Stitching the responses of one resource. */

static char *
resource_key (PlHttpMessage *request)
{
  g_autofree char *host = pl_http_message_dup_header (request, "Host");
  g_autofree char *uri = pl_http_message_dup_uri (request);

  if (uri == NULL)
    return NULL;
  return g_strconcat (host != NULL ? host : "", "\n", uri, NULL);
}

static int
compare_byte_ranges (gconstpointer a,
                     gconstpointer b)
{
  const PlHttpByteRange *ra = a, *rb = b;

  return ra->first < rb->first ? -1 : ra->first > rb->first ? 1 : 0;
}

/* One piece of the resource: bytes [first, first + len) of it. */
typedef void (*PieceFunc) (guint64       first,
                           const guint8 *data,
                           guint64       len,
                           gpointer      user_data);

/* The 200 and 206 responses to requests for key.  Without func: learns
 * the resource's complete length (-1 when no response says it).  With
 * func: hands every piece inside [0, total) to it, the bodies read one at
 * a time (memory: one body, never the whole resource). */
static void
resource_pieces (PlHttpMessage *self,
                 const char    *key,
                 gint64        *total,
                 PieceFunc      func,
                 gpointer       user_data)
{
  guint n = pl_capture_get_n_http_messages (self->capture);
  guint i, j;

  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) m = pl_capture_get_http_message (self->capture, i);
      g_autoptr(PlHttpMessage) q = NULL;
      g_autofree char *k = NULL;
      g_autoptr(GArray) ranges = NULL;
      g_autoptr(GBytes) body = NULL;
      guint status = pl_http_message_get_status (m);
      const guint8 *data;
      gsize size;

      if (pl_http_message_is_request (m) || (status != 200 && status != 206))
        continue;
      q = pl_http_message_get_request (m);
      k = q != NULL ? resource_key (q) : NULL;
      if (k == NULL || strcmp (k, key) != 0)
        continue;

      if (status == 200)
        {
          if (func == NULL)
            {
              *total = (gint64) pl_http_message_get_body_length (m);
              continue;
            }
          body = pl_http_message_dup_body (m, FALSE, NULL);
          data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
          if (data != NULL && (gint64) size == *total && size > 0)
            func (0, data, size, user_data);
          continue;
        }

      ranges = pl_http_message_dup_ranges (m, NULL);
      if (ranges == NULL)
        continue;
      if (func == NULL)
        {
          for (j = 0; j < ranges->len; j++)
            if (g_array_index (ranges, PlHttpRange, j).complete_length >= 0)
              *total = g_array_index (ranges, PlHttpRange, j).complete_length;
          continue;
        }
      body = pl_http_message_dup_body (m, FALSE, NULL);
      if (body == NULL)
        continue;
      data = g_bytes_get_data (body, &size);
      for (j = 0; j < ranges->len; j++)
        {
          const PlHttpRange *rg = &g_array_index (ranges, PlHttpRange, j);

          if (rg->first >= (guint64) *total || rg->body_offset + rg->length > size || rg->length == 0)
            continue;
          func (rg->first, data + rg->body_offset, MIN (rg->length, (guint64) *total - rg->first), user_data);
        }
    }
}

/* The key of the resource (Host and request-target of the request) and
 * its complete length; NULL and error when there is none or it is beyond
 * max bytes. */
static char *
resource_of (PlHttpMessage  *self,
             guint64         max,
             gint64         *total,
             GError        **error)
{
  g_autoptr(PlHttpMessage) request = NULL;
  g_autofree char *key = NULL;

  request = pl_http_message_is_request (self) ? g_object_ref (self) : pl_http_message_get_request (self);
  key = request != NULL ? resource_key (request) : NULL;
  if (key == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("no request names the resource"));
      return NULL;
    }
  *total = -1;
  resource_pieces (self, key, total, NULL, NULL);
  if (*total < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("no response gives the length of the resource"));
      return NULL;
    }
  if ((guint64) *total > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("the resource is larger than %zu MiB"), (gsize) (max >> 20));
      return NULL;
    }
  return g_steal_pointer (&key);
}

/* Merges the pieces' ranges into what is present; the rest of
 * [0, total) is missing. */
static void
coverage (GArray   *have,
          guint64   total,
          GArray  **present,
          GArray  **missing)
{
  g_autoptr(GArray) merged = g_array_new (FALSE, FALSE, sizeof (PlHttpByteRange));
  g_autoptr(GArray) holes = g_array_new (FALSE, FALSE, sizeof (PlHttpByteRange));
  guint64 pos = 0;
  guint i;

  g_array_sort (have, compare_byte_ranges);
  for (i = 0; i < have->len; i++)
    {
      PlHttpByteRange br = g_array_index (have, PlHttpByteRange, i);
      PlHttpByteRange *last = merged->len > 0 ? &g_array_index (merged, PlHttpByteRange, merged->len - 1) : NULL;

      if (last != NULL && br.first <= last->last + 1)
        last->last = MAX (last->last, br.last);
      else
        g_array_append_val (merged, br);
    }
  for (i = 0; i < merged->len; i++)
    {
      PlHttpByteRange br = g_array_index (merged, PlHttpByteRange, i);

      if (br.first > pos)
        {
          PlHttpByteRange hole = { pos, br.first - 1 };

          g_array_append_val (holes, hole);
        }
      pos = br.last + 1;
    }
  if (pos < total)
    {
      PlHttpByteRange hole = { pos, total - 1 };

      g_array_append_val (holes, hole);
    }
  if (present != NULL)
    *present = g_steal_pointer (&merged);
  if (missing != NULL)
    *missing = g_steal_pointer (&holes);
}

typedef struct
{
  guint8 *object;  /* stitch: the whole resource in memory */
  GArray *have;    /* PlHttpByteRange of every piece */
  GOutputStream *out;  /* save: pieces written where they belong */
  GError *error;
} Stitching;

static void
stitch_piece (guint64       first,
              const guint8 *data,
              guint64       len,
              gpointer      user_data)
{
  Stitching *st = user_data;
  PlHttpByteRange br = { first, first + len - 1 };

  if (st->error != NULL)
    return;
  if (st->object != NULL)
    memcpy (st->object + first, data, len);
  if (st->out != NULL &&
      (!g_seekable_seek (G_SEEKABLE (st->out), (goffset) first, G_SEEK_SET, NULL, &st->error) ||
       !g_output_stream_write_all (st->out, data, len, NULL, NULL, &st->error)))
    return;
  g_array_append_val (st->have, br);
}

GBytes *
pl_http_message_stitch (PlHttpMessage  *self,
                        guint64        *complete_length,
                        GArray        **present,
                        GArray        **missing,
                        GError        **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GArray) have = g_array_new (FALSE, FALSE, sizeof (PlHttpByteRange));
  Stitching st = { NULL, have, NULL, NULL };
  gint64 total;

  key = resource_of (self, PL_HTTP_BODY_MAX, &total, error);
  if (key == NULL)
    return NULL;
  st.object = g_malloc0 (MAX ((gsize) total, 1));
  resource_pieces (self, key, &total, stitch_piece, &st);
  coverage (have, (guint64) total, present, missing);
  if (complete_length != NULL)
    *complete_length = (guint64) total;
  return g_bytes_new_take (st.object, (gsize) total);
}

gboolean
pl_http_message_save_stitched (PlHttpMessage  *self,
                               GFile          *file,
                               guint64        *complete_length,
                               GArray        **missing,
                               GError        **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GArray) have = g_array_new (FALSE, FALSE, sizeof (PlHttpByteRange));
  g_autoptr(GFileOutputStream) out = NULL;
  Stitching st = { NULL, have, NULL, NULL };
  gint64 total;

  /* The file is written piece by piece and its holes cost no disk
   * blocks: any length a file may have (the system says when not). */
  key = resource_of (self, G_MAXINT64, &total, error);
  if (key == NULL)
    return FALSE;
  /* GIO writes a temporary file and renames it over the target on close:
   * a failure leaves the old file as it was. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;
  st.out = G_OUTPUT_STREAM (out);
  resource_pieces (self, key, &total, stitch_piece, &st);
  /* Holes at the end are zeros too: the file has the resource's length. */
  if (st.error == NULL)
    g_seekable_truncate (G_SEEKABLE (out), (goffset) total, NULL, &st.error);
  if (st.error != NULL)
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      /* Closing a cancelled replace drops the temporary file. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      g_propagate_error (error, st.error);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
    return FALSE;
  coverage (have, (guint64) total, NULL, missing);
  if (complete_length != NULL)
    *complete_length = (guint64) total;
  return TRUE;
}

/* Coverage without bodies: the ranges each response claims, kept when its
 * body was captured whole. */
gboolean
pl_http_message_get_coverage (PlHttpMessage  *self,
                              guint64        *complete_length,
                              GArray        **present,
                              GArray        **missing,
                              GArray        **responses,
                              GError        **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GArray) have = g_array_new (FALSE, FALSE, sizeof (PlHttpByteRange));
  g_autoptr(GArray) used = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = pl_capture_get_n_http_messages (self->capture);
  gint64 total;
  guint i, j;

  g_return_val_if_fail (PL_IS_HTTP_MESSAGE (self), FALSE);

  key = resource_of (self, G_MAXINT64, &total, error);
  if (key == NULL)
    return FALSE;
  for (i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) m = pl_capture_get_http_message (self->capture, i);
      g_autoptr(PlHttpMessage) q = NULL;
      g_autofree char *k = NULL;
      guint status = pl_http_message_get_status (m);
      gboolean whole;
      PlHttpRange rg;

      if (pl_http_message_is_request (m) || (status != 200 && status != 206))
        continue;
      q = pl_http_message_get_request (m);
      k = q != NULL ? resource_key (q) : NULL;
      if (k == NULL || strcmp (k, key) != 0)
        continue;
      whole = pl_http_message_get_missing_length (m) == 0 &&
              pl_http_message_get_complete_frame (m) != PL_HTTP_NO_FRAME;
      g_array_append_val (used, i);
      if (!whole)
        continue;
      if (status == 200)
        {
          PlHttpByteRange br = { 0, (guint64) total - 1 };

          if (total > 0 && pl_http_message_get_body_length (m) == (guint64) total)
            g_array_append_val (have, br);
        }
      else if (pl_http_message_get_content_range (m, &rg))
        {
          PlHttpByteRange br = { rg.first, MIN (rg.last, (guint64) total - 1) };

          if (rg.first < (guint64) total && rg.last >= rg.first)
            g_array_append_val (have, br);
        }
      else
        {
          g_autoptr(GArray) ranges = pl_http_message_dup_ranges (m, NULL);

          for (j = 0; ranges != NULL && j < ranges->len; j++)
            {
              const PlHttpRange *r = &g_array_index (ranges, PlHttpRange, j);
              PlHttpByteRange br = { r->first, MIN (r->last, (guint64) total - 1) };

              if (r->first < (guint64) total && r->length > 0)
                g_array_append_val (have, br);
            }
        }
    }
  coverage (have, (guint64) total, present, missing);
  if (complete_length != NULL)
    *complete_length = (guint64) total;
  if (responses != NULL)
    *responses = g_steal_pointer (&used);
  return TRUE;
}

/* The start line as the ladder shows it. */
static char *
message_title (PlHttpMessage *msg)
{
  if (pl_http_message_is_request (msg))
    {
      g_autofree char *uri = pl_http_message_dup_uri (msg);

      return g_strdup_printf ("%s %s HTTP/1.%u", pl_http_message_get_method_name (msg),
                              uri != NULL ? uri : "/", pl_http_message_get_version_minor (msg));
    }
  else
    {
      g_autofree char *reason = pl_http_message_dup_reason (msg);
      char *s = g_strdup_printf ("HTTP/1.%u %u %s", pl_http_message_get_version_minor (msg),
                                 pl_http_message_get_status (msg), reason != NULL ? reason : "");

      return g_strchomp (s);
    }
}

char *
pl_capture_describe_http_segment (PlCapture *capture,
                                  guint      frame,
                                  guint     *index,
                                  guint     *count)
{
  guint n, lo = 0, hi, back;
  const PlFrame *f;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);

  if (frame >= pl_capture_get_n_frames (capture))
    return NULL;
  f = pl_capture_get_frame (capture, frame);
  if (f->stream == PL_NO_STREAM || f->payload_len == 0)
    return NULL;
  n = pl_capture_get_n_http_messages (capture);

  /* Messages are in order of first frame: the last one starting at or
   * before this frame, then back over the few that may still span it. */
  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      g_autoptr(PlHttpMessage) m = pl_capture_get_http_message (capture, mid);

      if (pl_http_message_get_first_frame (m) <= frame)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (back = 0; lo > 0 && back < 64; lo--, back++)
    {
      g_autoptr(PlHttpMessage) m = pl_capture_get_http_message (capture, lo - 1);
      g_autoptr(GArray) frames = NULL;
      g_autofree char *title = NULL;
      guint k;

      if (pl_http_message_get_stream (m) != f->stream || pl_http_message_get_direction (m) != f->dir ||
          pl_http_message_get_last_frame (m) < frame)
        continue;
      frames = pl_http_message_dup_frames (m);
      for (k = 0; frames != NULL && k < frames->len; k++)
        if (g_array_index (frames, guint, k) == frame)
          break;
      if (frames == NULL || k == frames->len)
        continue;
      if (index != NULL)
        *index = k + 1;
      if (count != NULL)
        *count = frames->len;
      title = message_title (m);
      /* Translators: where a TCP segment sits in an HTTP message: "segment 3
       * of 23 of HTTP/1.1 200 OK (frames 10–44)". */
      return g_strdup_printf (_("segment %u of %u of %s (frames %u–%u)"), k + 1, frames->len, title,
                              g_array_index (frames, guint, 0) + 1,
                              g_array_index (frames, guint, frames->len - 1) + 1);
    }
  return NULL;
}
