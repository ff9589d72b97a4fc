/* pl-capture.c: opens a capture, walks it once and keeps the frame table.
 *
 * The file is mapped (GMappedFile) and never copied into memory that lasts:
 * frames keep the offset of their bytes.  Each record is decoded down to
 * TCP, TCP segments go to the conversation table, and a frame that cannot
 * be decoded gets a note rather than a warning on stderr.
 *
 * Frames live in fixed-size blocks that never move (no regrowth, no copy,
 * no slack beyond the last block), so readers may hold frame pointers while
 * the loader appends.  An asynchronous load publishes its progress in
 * batches to the main context (DESIGN.md, data flow step 4):
 *
 * - The loading thread owns everything it writes: the frame blocks, the
 *   conversation table (streams change with every segment), the notes and
 *   the reader's interfaces.
 * - Every batch it copies what changed (the streams touched since the last
 *   batch, new notes, the interfaces when their count grew) into a pending
 *   batch under `lock`, and schedules apply_batch() in the main context.
 * - The main thread applies batches to its own view: stream copies in
 *   blocks that never move, notes, interfaces and the published frame
 *   count.  The getters read that view, which only the main thread writes,
 *   so the GUI may keep `const PlTcpStream *` across batches and reads no
 *   byte the loader is writing.  Frames need no copy: a frame is never
 *   written again once appended, and a frame index below the published
 *   count was written before the batch was handed over under the mutex
 *   (the lock orders the writes before the main thread's reads).
 * - pl_capture_load_finish() applies the last batch, so after it the view
 *   is complete; `loaded` is an atomic flag set by the main thread then
 *   (by the loader itself for a synchronous load), and the HTTP index is
 *   read only once it is set.
 * - A helper thread (pl-read-ahead.c) copies the file with read() into
 *   three reused buffers ahead of the loader, which parses the records
 *   from them; it writes only those buffers, handed over through queues,
 *   and the loader joins it before pl_capture_load() returns.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pl-byte-reader.h"
#include "pl-capture.h"
#include "pl-gzip.h"
#include "pl-read-ahead.h"
#include "pl-http-table.h"
#include "pl-tls-table.h"
#include "pl-mapping-guard.h"

/* How often the loader checks for cancellation and reports progress. */
#define PROGRESS_EVERY 8192

/* The loader makes sure the file still reaches this far past the record
 * it reads before it reads on. */
#define SIZE_CHECK_AHEAD (4u << 20)

/* An asynchronous load publishes a batch at most this often (and at once
 * when the first streams appear, so the window can show them). */
#define BATCH_INTERVAL_US (50 * 1000)

/* Frames per block: 3.5 MiB of PlFrame, so the directory of a 1 GB file
 * has about a thousand entries and a partly filled last block costs only
 * the pages it touched. */
#define FRAME_BLOCK_SHIFT 16
#define FRAME_BLOCK_SIZE  (1u << FRAME_BLOCK_SHIFT)
#define FRAME_BLOCK_MASK  (FRAME_BLOCK_SIZE - 1)

/* Streams per block of the main thread's view. */
#define STREAM_BLOCK_SIZE 256

/* What the loading thread hands to the main thread. */
typedef struct
{
  guint   n_frames;
  guint   n_streams;
  double  fraction;
  GArray *streams;     /* PlTcpStream copies, in the order they changed */
  GArray *notes;       /* PlNote, new since the last batch */
  GArray *interfaces;  /* PlInterface copies (all), or NULL when unchanged */
  PlCaptureFormat format;
} Batch;

/* The main thread's view during (and after) an asynchronous load. */
typedef struct
{
  GPtrArray *stream_blocks;  /* PlTcpStream[STREAM_BLOCK_SIZE] each */
  guint      n_streams;
  GArray    *notes;          /* PlNote */
  GArray    *interfaces;     /* PlInterface */
  PlCaptureFormat format;
} View;

struct _PlCapture
{
  GObject              parent_instance;

  GFile               *file;
  GBytes              *bytes;     /* instead of file: pl_capture_new_for_bytes() */
  char                *display_name;
  GMappedFile         *mapped;
  PlMappingGuard      *guard;     /* answers reads past a shrunken file's end */
  int                  fd;        /* the mapped file, to check its size; or -1 */
  GBytes              *inflated;  /* a gzip-compressed file, decompressed */
  const guint8        *data;
  gsize                len;

  PlCaptureReader     *reader;
  PlFrame            **frame_blocks;  /* directory sized from the file: never moves */
  guint                n_frame_blocks;
  guint                n_frames;      /* loading thread's count */
  guint                n_published;   /* atomic: frames the getters show */
  GArray              *notes;     /* PlNote, sorted by frame */
  PlConversationTable *conversations;
  PlHttpTable         *http;      /* per-stream reassembly and HTTP messages */
  PlTlsTable          *tls;       /* per-stream reassembly and TLS records */
  GError              *warning;
  gint                 loaded;    /* atomic */
  PlReadAhead         *ahead;     /* reads the file ahead of the loader */
  GArray              *sack_frames; /* guint32: ACKs with the SACK option, in order */
  PlFrame             *next_block;  /* with ahead: the frame block after the last */

  /* Asynchronous loads only (see the top of the file). */
  View                *view;
  GMutex               lock;      /* guards pending and scheduled */
  Batch               *pending;
  gboolean             scheduled;
  GMainContext        *context;
  PlCaptureProgressFunc progress;
  gpointer             progress_data;
  GArray              *dirty;       /* loading thread: streams touched this batch */
  GArray              *dirty_mark;  /* loading thread: batch number + 1 that marked each stream */
  guint                batch_number;
  guint                notes_sent;
  guint                ifaces_sent;
  guint                streams_sent;
  gint64               last_batch_us;
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
batch_free (Batch *batch)
{
  g_array_unref (batch->streams);
  g_array_unref (batch->notes);
  g_clear_pointer (&batch->interfaces, g_array_unref);
  g_free (batch);
}

static void
pl_capture_finalize (GObject *object)
{
  PlCapture *self = (PlCapture *) object;

  g_clear_pointer (&self->reader, pl_capture_reader_free);
  for (guint i = 0; i < self->n_frame_blocks; i++)
    g_free (self->frame_blocks[i]);
  g_clear_pointer (&self->frame_blocks, g_free);
  g_clear_pointer (&self->notes, g_array_unref);
  g_clear_pointer (&self->sack_frames, g_array_unref);
  g_clear_pointer (&self->pending, batch_free);
  if (self->view != NULL)
    {
      g_ptr_array_unref (self->view->stream_blocks);
      g_array_unref (self->view->notes);
      g_array_unref (self->view->interfaces);
      g_free (self->view);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->dirty, g_array_unref);
  g_clear_pointer (&self->dirty_mark, g_array_unref);
  g_mutex_clear (&self->lock);
  g_clear_pointer (&self->http, pl_http_table_free);
  g_clear_pointer (&self->tls, pl_tls_table_free);
  g_clear_pointer (&self->conversations, pl_conversation_table_free);
  /* Nobody reads the mapping any more. */
  g_clear_pointer (&self->guard, pl_mapping_guard_remove);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->inflated, g_bytes_unref);
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

/* The time of a frame the loading thread stored already (the analysis
 * asks only for earlier frames of the segment it is given). */
static gint64
loaded_frame_time (gpointer data,
                   guint32  frame)
{
  PlCapture *self = data;

  g_return_val_if_fail (frame < self->n_frames, 0);
  return self->frame_blocks[frame >> FRAME_BLOCK_SHIFT][frame & FRAME_BLOCK_MASK].ts_ns;
}

static void
pl_capture_init (PlCapture *self)
{
  g_mutex_init (&self->lock);
  self->fd = -1;
  self->notes = g_array_new (FALSE, FALSE, sizeof (PlNote));
  self->sack_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->conversations = pl_conversation_table_new (loaded_frame_time, self);
  self->http = pl_http_table_new (self);
  self->tls = pl_tls_table_new (self);
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
                   _("%s: not a local file"), self->display_name);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_IO,
                   _("%s: is a folder, not a capture file"), self->display_name);
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
  /* The file may shrink while it is open (truncated, or written again by
   * a new tcpdump): reads past its new end must not kill us, and the size
   * is checked through a descriptor of the same file. */
  if (self->len > 0)
    self->guard = pl_mapping_guard_add (self->data, self->len);
  self->fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  return TRUE;
}

/* FALSE when the mapped file is no longer what was mapped: a read went
 * past its end, or it is now shorter than the mapping.  Any thread. */
static gboolean
file_intact (PlCapture *self)
{
  struct stat st;

  if (self->mapped == NULL)
    return TRUE;
  if (pl_mapping_guard_faulted (self->guard))
    return FALSE;
  return self->fd < 0 || fstat (self->fd, &st) != 0 || (guint64) st.st_size >= self->len;
}

gboolean
pl_capture_check_file (PlCapture  *self,
                       GError    **error)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), FALSE);

  if (file_intact (self))
    return TRUE;
  /* Translators: %s is a capture file that shrank while it was open. */
  g_set_error (error, PL_CAPTURE_ERROR, PL_CAPTURE_ERROR_CHANGED,
               _("%s was truncated"), self->display_name);
  return FALSE;
}

/* A gzip-compressed capture (.pcap.gz, .pcapng.gz) is decompressed once
 * into memory; frames then point into that buffer as into a mapping. */
static gboolean
inflate_if_gzip (PlCapture  *self,
                 GError    **error)
{
  g_autoptr(GError) warning = NULL;

  if (!pl_gzip_is_gzip (self->data, self->len))
    return TRUE;
  self->inflated = pl_gzip_inflate (self->data, self->len, self->display_name,
                                    PL_GZIP_MAX_INFLATED, &warning, error);
  if (self->inflated == NULL)
    return FALSE;
  /* The compressed bytes are no longer needed. */
  /* The compressed file is read no more: no guard for its mapping. */
  g_clear_pointer (&self->guard, pl_mapping_guard_remove);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  self->data = g_bytes_get_data (self->inflated, &self->len);
  self->warning = g_steal_pointer (&warning);
  return TRUE;
}

static void
add_note (PlCapture  *self,
          guint32     frame,
          const char *text)
{
  PlNote note = { frame, text };
  guint i = self->notes->len;

  /* Notes come in frame order; keep the array sorted if one does not. */
  while (i > 0 && g_array_index (self->notes, PlNote, i - 1).frame > frame)
    i--;
  g_array_insert_val (self->notes, i, note);
}

void
pl_capture_note_frame (PlCapture  *self,
                       guint32     frame,
                       const char *text)
{
  g_return_if_fail (PL_IS_CAPTURE (self));
  add_note (self, frame, text);
}

static void
mark_dirty (PlCapture *self,
            guint32    stream)
{
  guint32 mark = self->batch_number + 1;

  if (stream >= self->dirty_mark->len)
    g_array_set_size (self->dirty_mark, MAX (stream + 1, self->dirty_mark->len * 2));
  if (g_array_index (self->dirty_mark, guint32, stream) != mark)
    {
      g_array_index (self->dirty_mark, guint32, stream) = mark;
      g_array_append_val (self->dirty, stream);
    }
}

static gboolean apply_batch_cb (gpointer user_data);

/* Loading thread.  A synchronous load shows frames as they come; an
 * asynchronous one copies what changed into the pending batch for the
 * main thread, at most every BATCH_INTERVAL_US. */
static void
publish (PlCapture             *self,
         double                 fraction,
         gboolean               final,
         PlCaptureProgressFunc  progress,
         gpointer               progress_data)
{
  guint n_streams = pl_conversation_table_get_n_streams (self->conversations);
  guint n_ifaces = pl_capture_reader_get_n_interfaces (self->reader);
  gint64 now;
  Batch *batch;
  guint i;

  if (self->view == NULL)
    {
      g_atomic_int_set (&self->n_published, self->n_frames);
      if (progress != NULL)
        progress (fraction, progress_data);
      return;
    }

  now = g_get_monotonic_time ();
  if (!final && now - self->last_batch_us < BATCH_INTERVAL_US &&
      !(self->streams_sent == 0 && n_streams > 0))
    return;
  self->last_batch_us = now;

  g_mutex_lock (&self->lock);
  batch = self->pending;
  if (batch == NULL)
    {
      batch = g_new0 (Batch, 1);
      batch->streams = g_array_new (FALSE, FALSE, sizeof (PlTcpStream));
      batch->notes = g_array_new (FALSE, FALSE, sizeof (PlNote));
      self->pending = batch;
    }
  for (i = 0; i < self->dirty->len; i++)
    {
      guint32 index = g_array_index (self->dirty, guint32, i);

      g_array_append_vals (batch->streams,
                           pl_conversation_table_get_stream (self->conversations, index), 1);
    }
  if (self->notes->len > self->notes_sent)
    g_array_append_vals (batch->notes, &g_array_index (self->notes, PlNote, self->notes_sent),
                         self->notes->len - self->notes_sent);
  if (n_ifaces > self->ifaces_sent)
    {
      /* Shallow copies: the names belong to the reader, which outlives them. */
      g_clear_pointer (&batch->interfaces, g_array_unref);
      batch->interfaces = g_array_sized_new (FALSE, FALSE, sizeof (PlInterface), n_ifaces);
      for (i = 0; i < n_ifaces; i++)
        g_array_append_vals (batch->interfaces, pl_capture_reader_get_interface (self->reader, i), 1);
    }
  batch->format = pl_capture_reader_get_format (self->reader);
  batch->n_frames = self->n_frames;
  batch->n_streams = n_streams;
  batch->fraction = fraction;
  if (!self->scheduled)
    {
      /* An idle source, never g_main_context_invoke(): that may run the
       * callback right here, in this thread, when nobody owns the context. */
      GSource *source = g_idle_source_new ();

      self->scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, apply_batch_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[packet-ladder] capture batch");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->lock);

  self->notes_sent = self->notes->len;
  self->ifaces_sent = n_ifaces;
  self->streams_sent = n_streams;
  g_array_set_size (self->dirty, 0);
  self->batch_number++;
}

/* Main thread: takes the pending batch, if any, into the view.  Streams
 * are copied into blocks that never move, so pointers the GUI holds stay
 * valid; only this thread writes the view. */
static gboolean
apply_pending (PlCapture *self,
               double    *fraction)
{
  View *view = self->view;
  Batch *batch;
  guint i;

  g_mutex_lock (&self->lock);
  batch = g_steal_pointer (&self->pending);
  self->scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (batch == NULL)
    return FALSE;

  for (i = 0; i < batch->streams->len; i++)
    {
      const PlTcpStream *stream = &g_array_index (batch->streams, PlTcpStream, i);
      PlTcpStream *block;

      while (view->stream_blocks->len * STREAM_BLOCK_SIZE <= stream->index)
        g_ptr_array_add (view->stream_blocks, g_new0 (PlTcpStream, STREAM_BLOCK_SIZE));
      block = g_ptr_array_index (view->stream_blocks, stream->index / STREAM_BLOCK_SIZE);
      block[stream->index % STREAM_BLOCK_SIZE] = *stream;
    }
  view->n_streams = MAX (view->n_streams, batch->n_streams);
  g_array_append_vals (view->notes, batch->notes->data, batch->notes->len);
  if (batch->interfaces != NULL)
    {
      g_array_set_size (view->interfaces, 0);
      g_array_append_vals (view->interfaces, batch->interfaces->data, batch->interfaces->len);
    }
  view->format = batch->format;
  g_atomic_int_set (&self->n_published, batch->n_frames);
  if (fraction != NULL)
    *fraction = batch->fraction;
  batch_free (batch);
  return TRUE;
}

static gboolean
apply_batch_cb (gpointer user_data)
{
  PlCapture *self = user_data;
  double fraction = 0;

  if (apply_pending (self, &fraction) && self->progress != NULL)
    self->progress (fraction, self->progress_data);
  return G_SOURCE_REMOVE;
}

/* The load parses the file from buffers that a helper thread fills with
 * read() (see pl-read-ahead.h): the first touch of each page of the
 * mapping costs more than copying it, and the copy runs on another core.
 * Frames still point into the mapping.  PL_LOAD_READ_AHEAD=0 parses from
 * the mapping itself; a number gives the chunk size in bytes (tests use
 * small ones to cross many windows).  The result is the same either way
 * (tests/cli: /cli/read-ahead-identical). */
static gboolean
read_ahead_wanted (PlCapture *self)
{
  const char *knob = g_getenv ("PL_LOAD_READ_AHEAD");

  if (self->mapped == NULL || self->inflated != NULL || self->len == 0 || self->fd < 0)
    return FALSE;
  return knob == NULL || knob[0] == '\0' || g_ascii_strtoull (knob, NULL, 10) > 0;
}

/* The window's chunk; the overlap is half of it for a chunk set by the
 * knob, PL_READ_AHEAD_OVERLAP by default (see read_ahead_overlap()). */
static gsize
read_ahead_chunk (void)
{
  const char *knob = g_getenv ("PL_LOAD_READ_AHEAD");

  if (knob == NULL || knob[0] == '\0')
    return PL_READ_AHEAD_CHUNK;
  return (gsize) CLAMP (g_ascii_strtoull (knob, NULL, 10), 1, (guint64) G_MAXINT32);
}

static gsize
read_ahead_overlap (void)
{
  const char *knob = g_getenv ("PL_LOAD_READ_AHEAD");

  if (knob == NULL || knob[0] == '\0')
    return PL_READ_AHEAD_OVERLAP;
  return read_ahead_chunk () / 2;
}

static void
read_ahead_start (PlCapture *self)
{
  if (!read_ahead_wanted (self))
    return;
  self->ahead = pl_read_ahead_new (self->fd, self->len, read_ahead_chunk (), read_ahead_overlap ());
  if (self->ahead != NULL)
    pl_capture_reader_set_read_ahead (self->reader, self->ahead);
}

static void
read_ahead_stop (PlCapture *self)
{
  if (self->ahead == NULL)
    return;
  pl_read_ahead_claim (self->ahead);
  g_clear_pointer (&self->next_block, g_free);
  if (self->reader != NULL)
    pl_capture_reader_set_read_ahead (self->reader, NULL);
  g_clear_pointer (&self->ahead, pl_read_ahead_free);
}

static gboolean load_frames (PlCapture             *self,
                             GCancellable          *cancellable,
                             PlCaptureProgressFunc  progress,
                             gpointer               progress_data,
                             GError               **error);

gboolean
pl_capture_load (PlCapture             *self,
                 GCancellable          *cancellable,
                 PlCaptureProgressFunc  progress,
                 gpointer               progress_data,
                 GError               **error)
{
  gboolean ok = load_frames (self, cancellable, progress, progress_data, error);

  read_ahead_stop (self);
  return ok;
}

/* Whether the TCP header at l4_off of a frame's captured bytes carries an
 * option of this kind. */
static gboolean
tcp_option_present (const guint8 *data,
                    guint32       caplen,
                    guint16       l4_off,
                    guint8        kind)
{
  PlByteReader r;
  gsize pos, end;

  pl_byte_reader_init (&r, data, caplen);
  end = l4_off + (gsize) (pl_byte_reader_peek_u8 (&r, l4_off + 12) >> 4) * 4;
  /* RFC 9293 section 3.1: EOL ends the list, NOP is one byte, every other
   * option gives its length. */
  for (pos = l4_off + 20; !r.overrun && pos < end; )
    {
      guint8 k = pl_byte_reader_peek_u8 (&r, pos);
      guint8 len;

      if (r.overrun || k == 0)
        break;
      if (k == 1)
        {
          pos++;
          continue;
        }
      if (k == kind)
        return TRUE;
      len = pl_byte_reader_peek_u8 (&r, pos + 1);
      if (len < 2)
        break;
      pos += len;
    }
  return FALSE;
}

/* The next block of the frame table.  With a read-ahead, the block after
 * it is allocated now and its helper makes the part the rest of the file
 * will likely fill resident while this one fills (a first write to each
 * page is the dearest thing the loader does otherwise). */
static PlFrame *
new_frame_block (PlCapture      *self,
                 const PlRecord *record)
{
  PlFrame *block;
  guint64 done = record->offset + record->caplen;
  guint64 frames_left;

  if (self->ahead == NULL)
    return g_new (PlFrame, FRAME_BLOCK_SIZE);
  pl_read_ahead_claim (self->ahead);
  block = self->next_block != NULL ? self->next_block : g_new (PlFrame, FRAME_BLOCK_SIZE);
  self->next_block = NULL;

  /* As many frames as the bytes left hold at the average so far. */
  frames_left = self->n_frames > 0 && done < self->len
                ? (self->len - done) / MAX (done / (self->n_frames + 1), 1)
                : 0;
  if (frames_left > FRAME_BLOCK_SIZE)
    {
      self->next_block = g_new (PlFrame, FRAME_BLOCK_SIZE);
      pl_read_ahead_prepare (self->ahead, self->next_block,
                             (gsize) MIN (frames_left - FRAME_BLOCK_SIZE, FRAME_BLOCK_SIZE) * sizeof (PlFrame));
    }
  return block;
}

static gboolean
load_frames (PlCapture             *self,
             GCancellable          *cancellable,
             PlCaptureProgressFunc  progress,
             gpointer               progress_data,
             GError               **error)
{
  g_autoptr(GError) read_error = NULL;
  PlRecord record;
  guint32 index = 0;
  guint64 checked_until = 0;

  g_return_val_if_fail (PL_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (!g_atomic_int_get (&self->loaded) && self->mapped == NULL &&
                        self->inflated == NULL, FALSE);

  if (!map_file (self, error) || !inflate_if_gzip (self, error))
    return FALSE;

  self->reader = pl_capture_reader_new (self->data, self->len, self->display_name, error);
  if (self->reader == NULL)
    return FALSE;
  read_ahead_start (self);

  /* Every record takes at least 16 bytes of the file (a pcap record
   * header; pcapng blocks are larger), which bounds the frame count, so
   * the block directory is allocated once and never moves.  Blocks come
   * one at a time as frames arrive: nothing is reserved ahead. */
  self->n_frame_blocks = (guint) MIN ((guint64) self->len / 16 / FRAME_BLOCK_SIZE + 1,
                                      ((guint64) G_MAXUINT32 + 1) / FRAME_BLOCK_SIZE);
  self->frame_blocks = g_new0 (PlFrame *, self->n_frame_blocks);
  self->last_batch_us = g_get_monotonic_time ();

  for (;;)
    {
      PlFrame frame;
      PlPacket pkt;
      const PlInterface *iface;

      /* Before reading parts of the file not seen yet: is it still as
       * long as it was?  A shrink while reading is caught by the guard,
       * which answers with zeros: then the record just read is not real. */
      if (pl_capture_reader_get_position (self->reader) >= checked_until)
        {
          if (!pl_capture_check_file (self, error))
            return FALSE;
          checked_until = pl_capture_reader_get_position (self->reader) + SIZE_CHECK_AHEAD;
        }
      if (!pl_capture_reader_next (self->reader, &record, &read_error))
        break;
      iface = pl_capture_reader_get_interface (self->reader, record.iface);

      if ((index >> FRAME_BLOCK_SHIFT) >= self->n_frame_blocks)
        break;  /* cannot happen with 16-byte records; keeps the directory honest */

      memset (&frame, 0, sizeof frame);
      frame.ts_ns = record.ts_ns;
      frame.offset = record.offset;
      frame.caplen = record.caplen;
      frame.origlen = record.origlen;
      frame.iface = (guint16) MIN (record.iface, G_MAXUINT16);
      frame.stream = PL_NO_STREAM;
      frame.l3_off = PL_NO_OFFSET;
      frame.l4_off = PL_NO_OFFSET;

      pl_packet_decode (iface->linktype, record.data, record.caplen, record.origlen, &pkt);
      frame.status = pkt.status;
      if (pkt.ip.version != 0 && pkt.ip_off < PL_NO_OFFSET)
        frame.l3_off = (guint16) pkt.ip_off;
      if (pkt.status & PL_FRAME_TCP)
        {
          frame.l4_off = (guint16) MIN (pkt.ip.payload_off, PL_NO_OFFSET);
          pl_conversation_table_add (self->conversations, index, &frame, &pkt);
          if (self->view != NULL)
            mark_dirty (self, frame.stream);
          {
            /* The payload as captured (the snap length may cut it), as
             * parsed now and as kept: the pointer into the mapping lives
             * as long as the capture, as the reassembler requires. */
            guint32 off = MIN (pkt.tcp.payload_off, record.caplen);
            guint32 captured = MIN (record.caplen - off, frame.payload_len);
            const guint8 *keep = self->data + record.offset + off;

            const PlTcpStream *tcp = pl_conversation_table_get_stream (self->conversations, frame.stream);

            pl_http_table_add (self->http, index, &frame, tcp, record.data + off, keep, captured);
            pl_tls_table_add (self->tls, index, &frame, tcp, record.data + off, keep, captured);
          }
        }
      if (G_UNLIKELY (pl_mapping_guard_faulted (self->guard)))
        {
          pl_capture_check_file (self, error);
          return FALSE;
        }

      if (pkt.status & PL_FRAME_MALFORMED)
        add_note (self, index, pkt.problem);
      else if (pkt.status & PL_FRAME_LINK_UNSUPPORTED)
        add_note (self, index, N_("link type not decoded"));

      /* SACK blocks are drawn on the ladder: noted now, from the bytes at
       * hand, rather than read again from the mapping for every ACK. */
      if ((frame.tcp_flags & PL_TCP_ACK) && frame.l4_off != PL_NO_OFFSET &&
          tcp_option_present (record.data, record.caplen, frame.l4_off, 5))
        g_array_append_val (self->sack_frames, index);

      if ((index & FRAME_BLOCK_MASK) == 0)
        self->frame_blocks[index >> FRAME_BLOCK_SHIFT] = new_frame_block (self, &record);
      self->frame_blocks[index >> FRAME_BLOCK_SHIFT][index & FRAME_BLOCK_MASK] = frame;
      index++;
      self->n_frames = index;

      if (index % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          publish (self, self->len > 0 ? (double) record.offset / (double) self->len : 1.0,
                   FALSE, progress, progress_data);
        }
    }

  if (read_error != NULL)
    {
      /* The header was good: keep every frame read so far and say why the
       * rest is missing (a damaged gzip file already said why). */
      if (self->warning == NULL)
        self->warning = g_steal_pointer (&read_error);
    }

  /* The analysis state and the tuple index served the frames read: only
   * the streams stay. */
  pl_conversation_table_end_load (self->conversations);

  /* Ends close-delimited bodies and orders the HTTP messages. */
  pl_http_table_finish (self->http);
  pl_tls_table_finish (self->tls);
  if (!pl_capture_check_file (self, error))
    return FALSE;

  publish (self, 1.0, TRUE, progress, progress_data);
  /* An asynchronous load is marked loaded by pl_capture_load_finish(),
   * in the main thread, once the view is complete. */
  if (self->view == NULL)
    g_atomic_int_set (&self->loaded, TRUE);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlCapture *self = source_object;
  GError *error = NULL;

  /* Progress reaches the main thread with each batch (apply_batch_cb). */
  if (pl_capture_load (self, cancellable, NULL, NULL, &error))
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

  g_return_if_fail (PL_IS_CAPTURE (self));
  g_return_if_fail (self->view == NULL && !g_atomic_int_get (&self->loaded));

  /* The view and the loading thread's bookkeeping exist before the thread
   * starts, and are not replaced while it runs. */
  self->view = g_new0 (View, 1);
  self->view->stream_blocks = g_ptr_array_new_with_free_func (g_free);
  self->view->notes = g_array_new (FALSE, FALSE, sizeof (PlNote));
  self->view->interfaces = g_array_new (FALSE, FALSE, sizeof (PlInterface));
  self->context = g_main_context_ref_thread_default ();
  self->progress = progress;
  self->progress_data = progress_data;
  self->dirty = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->dirty_mark = g_array_new (FALSE, TRUE, sizeof (guint32));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pl_capture_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
pl_capture_load_finish (PlCapture     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), error);
  /* The loading thread is done: take the last batch, so the view is
   * complete before anyone hears that the capture loaded.  The live
   * conversation table only served the loader. */
  apply_pending (self, NULL);
  if (ok)
    {
      g_clear_pointer (&self->conversations, pl_conversation_table_free);
      g_atomic_int_set (&self->loaded, TRUE);
    }
  return ok;
}

gboolean
pl_capture_is_loaded (PlCapture *self)
{
  return g_atomic_int_get (&self->loaded);
}

const GError *
pl_capture_get_warning (PlCapture *self)
{
  return self->warning;
}

PlCaptureFormat
pl_capture_get_format (PlCapture *self)
{
  if (self->view != NULL)
    return self->view->format;
  g_return_val_if_fail (self->reader != NULL, PL_CAPTURE_FORMAT_PCAP);
  return pl_capture_reader_get_format (self->reader);
}

guint
pl_capture_get_n_interfaces (PlCapture *self)
{
  if (self->view != NULL)
    return self->view->interfaces->len;
  return self->reader != NULL ? pl_capture_reader_get_n_interfaces (self->reader) : 0;
}

const PlInterface *
pl_capture_get_interface (PlCapture *self,
                          guint      index)
{
  if (self->view != NULL)
    {
      g_return_val_if_fail (index < self->view->interfaces->len, NULL);
      return &g_array_index (self->view->interfaces, PlInterface, index);
    }
  g_return_val_if_fail (self->reader != NULL, NULL);
  return pl_capture_reader_get_interface (self->reader, index);
}

guint
pl_capture_get_n_frames (PlCapture *self)
{
  return (guint) g_atomic_int_get (&self->n_published);
}

const PlFrame *
pl_capture_get_frame (PlCapture *self,
                      guint      index)
{
  g_return_val_if_fail (index < (guint) g_atomic_int_get (&self->n_published), NULL);
  return &self->frame_blocks[index >> FRAME_BLOCK_SHIFT][index & FRAME_BLOCK_MASK];
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

/* frame.time_epoch of a frame whose bytes (with the record header
 * before them, see pl_capture_reader_get_time_lead()) are at data. */
static void
append_epoch (PlCapture     *self,
              const PlFrame *frame,
              const guint8  *data,
              GString       *out)
{
  gint64 secs = 0;
  gint32 nsecs = 0;
  guint32 frac;

  if (self->reader == NULL ||
      !pl_capture_reader_get_wiretap_time_at (self->reader, data, frame->offset, frame->iface, &secs, &nsecs))
    {
      /* Bytes handed in without a file header: the normalised time. */
      secs = frame->ts_ns / 1000000000;
      nsecs = (gint32) (frame->ts_ns % 1000000000);
    }
  /* As Wireshark's display_signed_time(): a negative fraction is printed
   * as its magnitude, with a "-" in front unless the seconds have one. */
  frac = (guint32) nsecs;
  if (nsecs < 0)
    {
      frac = 0u - (guint32) nsecs;
      if (secs >= 0)
        g_string_append_c (out, '-');
    }
  if (secs < 0)
    {
      g_string_append_c (out, '-');
      pl_string_append_uint (out, 0u - (guint64) secs);
    }
  else
    pl_string_append_uint (out, (guint64) secs);
  g_string_append_c (out, '.');
  /* At least nine digits ("%09u"): a fraction of a second or more, as
   * some writers store it, is printed whole. */
  if (frac >= 1000000000u)
    pl_string_append_uint (out, frac);
  else
    {
      char digits[9];
      int k;

      for (k = 8; k >= 0; k--)
        {
          digits[k] = (char) ('0' + frac % 10);
          frac /= 10;
        }
      g_string_append_len (out, digits, 9);
    }
}

void
pl_capture_append_frame_epoch (PlCapture *self,
                               guint      index,
                               GString   *out)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_if_fail (frame != NULL);
  append_epoch (self, frame, self->data + frame->offset, out);
}

/* Frames in order through a read-ahead: see pl-capture.h. */
struct _PlFrameScan
{
  PlCapture    *capture;
  gboolean      want_ahead;  /* made at the first frame asked, from there */
  PlReadAhead  *ahead;
  gsize         lead;     /* record header bytes before a frame's data */
  const guint8 *win;
  guint64       win_start;
  gsize         win_len;
};

PlFrameScan *
pl_frame_scan_new (PlCapture *capture)
{
  PlFrameScan *scan;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (pl_capture_is_loaded (capture), NULL);

  scan = g_new0 (PlFrameScan, 1);
  scan->capture = g_object_ref (capture);
  scan->lead = capture->reader != NULL ? pl_capture_reader_get_time_lead (capture->reader) : 0;
  scan->want_ahead = read_ahead_wanted (capture);
  return scan;
}

void
pl_frame_scan_free (PlFrameScan *scan)
{
  if (scan == NULL)
    return;
  pl_read_ahead_free (scan->ahead);
  g_object_unref (scan->capture);
  g_free (scan);
}

/* The frame's first byte, with its record header before it: from the
 * read-ahead's window when it holds both, else from the mapping. */
static const guint8 *
scan_bytes (PlFrameScan   *scan,
            const PlFrame *frame)
{
  guint64 from = frame->offset - MIN (scan->lead, frame->offset);
  gsize n = (gsize) (frame->offset - from) + frame->caplen;

  /* From the first frame asked on (a dump of the last frames of a live
   * capture reads none before them). */
  if (scan->want_ahead)
    {
      scan->want_ahead = FALSE;
      scan->ahead = pl_read_ahead_new_from (scan->capture->fd, from, scan->capture->len,
                                            read_ahead_chunk (), read_ahead_overlap ());
    }
  if (scan->ahead != NULL)
    {
      if (scan->win == NULL || from < scan->win_start || n > scan->win_len ||
          from - scan->win_start > scan->win_len - n)
        {
          scan->win = NULL;
          if (!pl_read_ahead_get (scan->ahead, from, n, &scan->win, &scan->win_start, &scan->win_len))
            scan->win = NULL;
        }
      if (scan->win != NULL)
        return scan->win + (frame->offset - scan->win_start);
    }
  return scan->capture->data + frame->offset;
}

const guint8 *
pl_frame_scan_get_data (PlFrameScan *scan,
                        guint        index,
                        guint32     *caplen)
{
  const PlFrame *frame = pl_capture_get_frame (scan->capture, index);

  g_return_val_if_fail (frame != NULL, NULL);
  if (caplen != NULL)
    *caplen = frame->caplen;
  return scan_bytes (scan, frame);
}

void
pl_frame_scan_decode (PlFrameScan *scan,
                      guint        index,
                      PlPacket    *packet)
{
  const PlFrame *frame = pl_capture_get_frame (scan->capture, index);

  g_return_if_fail (frame != NULL);
  pl_packet_decode (pl_capture_get_frame_linktype (scan->capture, index),
                    scan_bytes (scan, frame), frame->caplen, frame->origlen, packet);
}

void
pl_frame_scan_append_epoch (PlFrameScan *scan,
                            guint        index,
                            GString     *out)
{
  const PlFrame *frame = pl_capture_get_frame (scan->capture, index);

  g_return_if_fail (frame != NULL);
  append_epoch (scan->capture, frame, scan_bytes (scan, frame), out);
}

guint32
pl_capture_get_frame_linktype (PlCapture *self,
                               guint      index)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_val_if_fail (frame != NULL, 0);
  return pl_capture_get_interface (self, frame->iface)->linktype;
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

gboolean
pl_capture_frame_has_tcp_option (PlCapture *self,
                                 guint      index,
                                 guint8     kind)
{
  const PlFrame *frame = pl_capture_get_frame (self, index);

  g_return_val_if_fail (frame != NULL, FALSE);
  if (!(frame->status & PL_FRAME_TCP) || frame->l4_off == PL_NO_OFFSET)
    return FALSE;
  return tcp_option_present (self->data + frame->offset, frame->caplen, frame->l4_off, kind);
}

static gint
compare_frame_numbers (gconstpointer a,
                       gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

gboolean
pl_capture_frame_has_sack (PlCapture *self,
                           guint      index)
{
  const PlFrame *frame;
  guint32 key = index;

  g_return_val_if_fail (index < pl_capture_get_n_frames (self), FALSE);
  /* While loading, the list is still being written. */
  if (!pl_capture_is_loaded (self))
    {
      frame = pl_capture_get_frame (self, index);
      g_return_val_if_fail (frame != NULL, FALSE);
      return (frame->tcp_flags & PL_TCP_ACK) && pl_capture_frame_has_tcp_option (self, index, 5);
    }
  /* Only ACKs are listed. */
  return self->sack_frames->len > 0 &&
         bsearch (&key, self->sack_frames->data, self->sack_frames->len, sizeof (guint32),
                  compare_frame_numbers) != NULL;
}

guint
pl_capture_get_n_streams (PlCapture *self)
{
  if (self->view != NULL)
    return self->view->n_streams;
  return pl_conversation_table_get_n_streams (self->conversations);
}

const PlTcpStream *
pl_capture_get_stream (PlCapture *self,
                       guint      index)
{
  const PlTcpStream *block;

  if (self->view == NULL)
    return pl_conversation_table_get_stream (self->conversations, index);
  g_return_val_if_fail (index < self->view->n_streams, NULL);
  block = g_ptr_array_index (self->view->stream_blocks, index / STREAM_BLOCK_SIZE);
  return &block[index % STREAM_BLOCK_SIZE];
}

guint
pl_capture_get_frame_notes (PlCapture     *self,
                            guint          index,
                            const PlNote **notes)
{
  GArray *all = self->view != NULL ? self->view->notes : self->notes;
  guint lo = 0, hi = all->len, first, n = 0;

  /* Lower bound of frame == index. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (all, PlNote, mid).frame < index)
        lo = mid + 1;
      else
        hi = mid;
    }
  first = lo;
  while (first + n < all->len && g_array_index (all, PlNote, first + n).frame == index)
    n++;
  *notes = n > 0 ? &g_array_index (all, PlNote, first) : NULL;
  return n;
}

/* pl-tls-table.h: the TLS records and handshake messages. */
PlTlsTable *
pl_capture_get_tls_table (PlCapture *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), NULL);
  return self->tls;
}

/* Core-internal (pl-http-table.h): the HTTP side table behind PlHttpMessage. */
PlHttpTable *
pl_capture_get_http_table (PlCapture *self)
{
  g_return_val_if_fail (PL_IS_CAPTURE (self), NULL);
  return self->http;
}
