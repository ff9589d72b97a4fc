/* pl-frame-filter.c: a BPF expression over the frames of a capture (see
 * pl-frame-filter.h).
 *
 * The frames are read from the mapping and handed to libpcap's BPF
 * interpreter (pcap_offline_filter()) one by one: nothing is copied, and the
 * only memory is the result, one bit per frame and a count per stream.  It
 * reads the capture only, so a worker thread can run it once the capture
 * has loaded.
 */
#include "config.h"

#include "pl-frame-filter.h"
#include "pl-pcap-source.h"

/* How often the walk looks at the cancellable. */
#define CHECK_EVERY 65536

struct _PlFrameFilter
{
  char    *expression;
  GBytes  *mask;
  guint   *per_stream;
  guint    n_streams;
  guint    n_matched;
};

static void
frame_filter_clear (gpointer data)
{
  PlFrameFilter *self = data;

  g_free (self->expression);
  g_clear_pointer (&self->mask, g_bytes_unref);
  g_free (self->per_stream);
}

PlFrameFilter *
pl_frame_filter_ref (PlFrameFilter *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
pl_frame_filter_unref (PlFrameFilter *self)
{
  g_atomic_rc_box_release_full (self, frame_filter_clear);
}

PlFrameFilter *
pl_frame_filter_new (PlCapture     *capture,
                     const char    *expression,
                     GCancellable  *cancellable,
                     GError       **error)
{
  guint n_ifaces, n_frames, n_streams;
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func ((GDestroyNotify) pl_bpf_filter_free);
  g_autofree guint8 *mask = NULL;
  g_autofree guint *per_stream = NULL;
  PlFrameFilter *self;
  guint n_matched = 0;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (pl_capture_is_loaded (capture), NULL);

  n_ifaces = pl_capture_get_n_interfaces (capture);
  n_frames = pl_capture_get_n_frames (capture);
  n_streams = pl_capture_get_n_streams (capture);

  /* One program per interface: each has its link type and snap length. */
  for (guint i = 0; i < n_ifaces; i++)
    {
      const PlInterface *iface = pl_capture_get_interface (capture, i);
      PlBpfFilter *filter = pl_bpf_filter_new (iface->linktype, iface->snaplen, expression, error);

      if (filter == NULL)
        return NULL;
      g_ptr_array_add (filters, filter);
    }

  mask = g_malloc0 (n_frames / 8 + 1);
  per_stream = g_new0 (guint, MAX (n_streams, 1));
  for (guint f = 0; f < n_frames; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, f);
      const guint8 *data;
      guint32 caplen;

      if (f % CHECK_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* TCP frames only: the filter chooses streams and their arrows. */
      if (frame->stream >= n_streams || frame->iface >= filters->len)
        continue;
      data = pl_capture_get_frame_data (capture, f, &caplen);
      if (data != NULL && pl_bpf_filter_matches (g_ptr_array_index (filters, frame->iface),
                                                 data, caplen, frame->origlen))
        {
          mask[f / 8] |= (guint8) (1u << (f % 8));
          per_stream[frame->stream]++;
          n_matched++;
        }
    }

  self = g_atomic_rc_box_new0 (PlFrameFilter);
  self->expression = g_strdup (expression);
  self->mask = g_bytes_new_take (g_steal_pointer (&mask), n_frames / 8 + 1);
  self->per_stream = g_steal_pointer (&per_stream);
  self->n_streams = n_streams;
  self->n_matched = n_matched;
  return self;
}

static void
filter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  PlFrameFilter *filter = pl_frame_filter_new (source_object, task_data, cancellable, &error);

  if (filter == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, filter, (GDestroyNotify) pl_frame_filter_unref);
}

void
pl_frame_filter_new_async (PlCapture           *capture,
                           const char          *expression,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PL_IS_CAPTURE (capture));
  g_return_if_fail (expression != NULL);
  g_return_if_fail (pl_capture_is_loaded (capture));

  task = g_task_new (capture, cancellable, callback, user_data);
  g_task_set_source_tag (task, pl_frame_filter_new_async);
  g_task_set_name (task, "[packet-ladder] BPF filter");
  g_task_set_task_data (task, g_strdup (expression), g_free);
  g_task_run_in_thread (task, filter_thread);
}

PlFrameFilter *
pl_frame_filter_new_finish (PlCapture     *capture,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, capture), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
pl_frame_filter_get_expression (PlFrameFilter *self)
{
  return self->expression;
}

GBytes *
pl_frame_filter_get_mask (PlFrameFilter *self)
{
  return self->mask;
}

gboolean
pl_frame_filter_matches (PlFrameFilter *self,
                         guint32        frame)
{
  gsize len;
  const guint8 *bits = g_bytes_get_data (self->mask, &len);

  return frame / 8 < len && (bits[frame / 8] & (1u << (frame % 8))) != 0;
}

guint
pl_frame_filter_get_n_matched (PlFrameFilter *self)
{
  return self->n_matched;
}

guint
pl_frame_filter_get_n_stream_matched (PlFrameFilter *self,
                                      guint          stream)
{
  return stream < self->n_streams ? self->per_stream[stream] : 0;
}
