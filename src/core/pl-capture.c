/* pl-capture.c: opens a capture, walks it once and keeps the frame table.
 *
 * The file is mapped (GMappedFile) and never copied: frames keep the offset
 * of their bytes.  Each record is decoded down to TCP, TCP segments go to the
 * conversation table, and a frame that cannot be decoded gets a note rather
 * than a warning on stderr.
 */
#include "config.h"

#include <string.h>

#include "pl-capture.h"
#include "pl-http-table.h"

/* How often the loader checks for cancellation and reports progress. */
#define PROGRESS_EVERY 8192

struct _PlCapture
{
  GObject              parent_instance;

  GFile               *file;
  GBytes              *bytes;     /* instead of file: pl_capture_new_for_bytes() */
  char                *display_name;
  GMappedFile         *mapped;
  const guint8        *data;
  gsize                len;

  PlCaptureReader     *reader;
  GArray              *frames;    /* PlFrame */
  GArray              *notes;     /* PlNote, sorted by frame */
  PlConversationTable *conversations;
  PlHttpTable         *http;      /* per-stream reassembly and HTTP messages */
  GError              *warning;
  gboolean             loaded;
};

G_DEFINE_FINAL_TYPE (PlCapture, pl_capture, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DISPLAY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pl_capture_finalize (GObject *object)
{
  PlCapture *self = (PlCapture *) object;

  g_clear_pointer (&self->reader, pl_capture_reader_free);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->notes, g_array_unref);
  g_clear_pointer (&self->http, pl_http_table_free);
  g_clear_pointer (&self->conversations, pl_conversation_table_free);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_error (&self->warning);
  g_clear_object (&self->file);
  g_free (self->display_name);

  G_OBJECT_CLASS (pl_capture_parent_class)->finalize (object);
}

static void
pl_capture_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PlCapture *self = PL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_capture_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PlCapture *self = PL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_DISPLAY_NAME:
      self->display_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_capture_constructed (GObject *object)
{
  PlCapture *self = PL_CAPTURE (object);

  G_OBJECT_CLASS (pl_capture_parent_class)->constructed (object);

  if (self->display_name != NULL && self->display_name[0] != '\0')
    return;
  g_return_if_fail (self->file != NULL);
  g_clear_pointer (&self->display_name, g_free);
  if (g_file_is_native (self->file))
    self->display_name = g_file_get_path (self->file);
  else
    self->display_name = g_file_get_uri (self->file);
}

static void
pl_capture_class_init (PlCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pl_capture_finalize;
  object_class->get_property = pl_capture_get_property;
  object_class->set_property = pl_capture_set_property;
  object_class->constructed = pl_capture_constructed;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* The name in messages; by default the file's path.  The command line
   * passes the path as the user typed it. */
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pl_capture_init (PlCapture *self)
{
  self->frames = g_array_new (FALSE, FALSE, sizeof (PlFrame));
  self->notes = g_array_new (FALSE, FALSE, sizeof (PlNote));
  self->conversations = pl_conversation_table_new ();
  self->http = pl_http_table_new ();
}

PlCapture *
pl_capture_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (PL_TYPE_CAPTURE, "file", file, NULL);
}

/* Bytes already in memory (the fuzzers, tests of hostile input): loading
 * reads them as it would read the mapped file. */
PlCapture *
pl_capture_new_for_bytes (GBytes     *bytes,
                          const char *display_name)
{
  PlCapture *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (PL_TYPE_CAPTURE,
                       "display-name", display_name != NULL ? display_name : "capture",
                       NULL);
  self->bytes = g_bytes_ref (bytes);
  return self;
}

GFile *
pl_capture_get_file (PlCapture *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), NULL);
  return self->file;
}

const char *
pl_capture_get_display_name (PlCapture *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), NULL);
  return self->display_name;
}

static gboolean
map_file (PlCapture  *self,
          GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->bytes != NULL)
    {
      self->data = g_bytes_get_data (self->bytes, &self->len);
      return TRUE;
    }

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO,
                   "%s: not a local file", self->display_name);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO,
                   "%s: is a folder, not a capture file", self->display_name);
      return FALSE;
    }

  self->mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (self->mapped == NULL)
    {
      /* GLib's message already names the file. */
      g_set_error_literal (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO, local_error->message);
      return FALSE;
    }
  self->data = (const guint8 *) g_mapped_file_get_contents (self->mapped);
  self->len = g_mapped_file_get_length (self->mapped);
  return TRUE;
}

static void
add_note (PlCapture  *self,
          guint32     frame,
          const char *text)
{
  PlNote note = { frame, text };

  g_array_append_val (self->notes, note);
}

gboolean
pl_capture_load (PlCapture             *self,
                 GCancellable          *cancellable,
                 PlCaptureProgressFunc  progress,
                 gpointer               progress_data,
                 GError               **error)
{
  g_autoptr(GError) read_error = NULL;
  PlRecord record;
  guint32 index = 0;

  g_return_val_if_fail (PL_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (!self->loaded && self->mapped == NULL, FALSE);

  if (!map_file (self, error))
    return FALSE;

  self->reader = pl_capture_reader_new (self->data, self->len, self->display_name, error);
  if (self->reader == NULL)
    return FALSE;

  /* A guess at the frame count (average frame plus record header) saves
   * most of the array's regrowth on large files. */
  g_array_set_size (self->frames, MIN (self->len / 256, 16u << 20));
  g_array_set_size (self->frames, 0);

  while (pl_capture_reader_next (self->reader, &record, &read_error))
    {
      PlFrame frame;
      PlPacket pkt;
      const PlInterface *iface = pl_capture_reader_get_interface (self->reader, record.iface);

      memset (&frame, 0, sizeof frame);
      frame.ts_ns = record.ts_ns;
      frame.offset = record.offset;
      frame.caplen = record.caplen;
      frame.origlen = record.origlen;
      frame.iface = (guint16) MIN (record.iface, G_MAXUINT16);
      frame.stream = PL_NO_STREAM;
      frame.l3_off = PL_NO_OFFSET;
      frame.l4_off = PL_NO_OFFSET;

      pl_packet_decode (iface->linktype, self->data + record.offset, record.caplen,
                        record.origlen, &pkt);
      frame.status = pkt.status;
      if (pkt.ip.version != 0 && pkt.link.net_off < PL_NO_OFFSET)
        frame.l3_off = pkt.link.net_off;
      if (pkt.status & PL_FRAME_TCP)
        {
          frame.l4_off = (guint16) MIN (pkt.ip.payload_off, PL_NO_OFFSET);
          pl_conversation_table_add (self->conversations, index, &frame, &pkt);
          {
            /* The payload as captured (the snap length may cut it); the
             * pointer into the mapping lives as long as the capture, as
             * the reassembler requires. */
            guint32 off = pkt.tcp.payload_off;
            guint32 captured = off < record.caplen ? MIN (record.caplen - off, frame.payload_len) : 0;

            pl_http_table_add (self->http, index, &frame,
                               pl_conversation_table_get_stream (self->conversations, frame.stream),
                               self->data + record.offset + MIN (off, record.caplen), captured);
          }
        }
      if (pkt.status & PL_FRAME_MALFORMED)
        add_note (self, index, pkt.problem);
      else if (pkt.status & PL_FRAME_LINK_UNSUPPORTED)
        add_note (self, index, "link type not decoded");

      g_array_append_val (self->frames, frame);
      index++;

      if (index % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress != NULL)
            progress (self->len > 0 ? (double) record.offset / (double) self->len : 1.0,
                      progress_data);
        }
    }

  if (read_error != NULL)
    {
      /* The header was good: keep every frame read so far and say why the
       * rest is missing. */
      self->warning = g_steal_pointer (&read_error);
    }

  /* Ends close-delimited bodies and orders the HTTP messages. */
  pl_http_table_finish (self->http);

  if (progress != NULL)
    progress (1.0, progress_data);
  self->loaded = TRUE;
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlCapture *self = source_object;
  gpointer *progress = task_data;
  GError *error = NULL;

  if (pl_capture_load (self, cancellable, (PlCaptureProgressFunc) progress[0], progress[1], &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
pl_capture_load_async (PlCapture             *self,
                       GCancellable          *cancellable,
                       PlCaptureProgressFunc  progress,
                       gpointer               progress_data,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  gpointer *data;

  g_return_if_fail (PL_IS_CAPTURE (self));

  data = g_new (gpointer, 2);
  data[0] = (gpointer) progress;
  data[1] = progress_data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pl_capture_load_async);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
pl_capture_load_finish (PlCapture     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
pl_capture_is_loaded (PlCapture *self)
{
  return self->loaded;
}

const GError *
pl_capture_get_warning (PlCapture *self)
{
  return self->warning;
}

PlCaptureFormat
pl_capture_get_format (PlCapture *self)
{
  g_return_val_if_fail (self->reader != NULL, PL_CAPTURE_FORMAT_PCAP);
  return pl_capture_reader_get_format (self->reader);
}

guint
pl_capture_get_n_interfaces (PlCapture *self)
{
  return self->reader != NULL ? pl_capture_reader_get_n_interfaces (self->reader) : 0;
}

const PlInterface *
pl_capture_get_interface (PlCapture *self,
                          guint      index)
{
  g_return_val_if_fail (self->reader != NULL, NULL);
  return pl_capture_reader_get_interface (self->reader, index);
}

guint
pl_capture_get_n_frames (PlCapture *self)
{
  return self->frames->len;
}

const PlFrame *
pl_capture_get_frame (PlCapture *self,
                      guint      index)
{
  g_return_val_if_fail (index < self->frames->len, NULL);
  return &g_array_index (self->frames, PlFrame, index);
}

const guint8 *
pl_capture_get_frame_data (PlCapture *self,
                           guint      index,
                           guint32   *caplen)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_val_if_fail (frame != NULL, NULL);
  if (caplen != NULL)
    *caplen = frame->caplen;
  return self->data + frame->offset;
}

guint32
pl_capture_get_frame_linktype (PlCapture *self,
                               guint      index)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_val_if_fail (frame != NULL, 0);
  return pl_capture_reader_get_interface (self->reader, frame->iface)->linktype;
}

void
pl_capture_decode_frame (PlCapture *self,
                         guint      index,
                         PlPacket  *packet)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_if_fail (frame != NULL);
  pl_packet_decode (pl_capture_get_frame_linktype (self, index),
                    self->data + frame->offset, frame->caplen, frame->origlen, packet);
}

guint
pl_capture_get_n_streams (PlCapture *self)
{
  return pl_conversation_table_get_n_streams (self->conversations);
}

const PlTcpStream *
pl_capture_get_stream (PlCapture *self,
                       guint      index)
{
  return pl_conversation_table_get_stream (self->conversations, index);
}

guint
pl_capture_get_frame_notes (PlCapture     *self,
                            guint          index,
                            const PlNote **notes)
{
  guint lo = 0, hi = self->notes->len, first, n = 0;

  /* Lower bound of frame == index. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->notes, PlNote, mid).frame < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  first = lo;
  while (first + n < self->notes->len && g_array_index (self->notes, PlNote, first + n).frame == index)
    n++;
  *notes = n > 0 ? &g_array_index (self->notes, PlNote, first) : NULL;
  return n;
}

/* Core-internal (pl-http-table.h): the HTTP side table behind PlHttpMessage. */
PlHttpTable *
pl_capture_get_http_table (PlCapture *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), NULL);
  return self->http;
}
