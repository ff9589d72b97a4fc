/* pl-stream-digest.c: the HTTP and problem summaries of every stream (see
 * pl-stream-digest.h).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-http-message.h"
#include "pl-http-table.h"
#include "pl-tls-table.h"
#include "pl-stream-digest.h"
#include "pl-tcp-analysis.h"

/* How often the passes look at the cancellable. */
#define CHECK_EVERY 65536

struct _PlStreamDigests
{
  guint           n_streams;
  PlStreamDigest *digests;
};

guint
pl_stream_digests_get_n_streams (PlStreamDigests *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_streams;
}

const PlStreamDigest *
pl_stream_digests_get (PlStreamDigests *self,
                       guint            stream)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (stream < self->n_streams, NULL);

  return &self->digests[stream];
}

void
pl_stream_digests_free (PlStreamDigests *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_streams; i++)
    {
      g_free (self->digests[i].http);
      g_free (self->digests[i].tls);
      g_free (self->digests[i].problems);
    }
  g_free (self->digests);
  g_free (self);
}

/* Per stream: each request and the status of its final response ("?" when
 * none was seen); a response whose request was not seen reads "? -> 200";
 * interim (1xx) responses are left out.  From the HTTP table's records and
 * the request lines it kept: no byte of the capture is read again. */
static gboolean
digest_http (PlCapture       *capture,
             PlStreamDigests *self,
             GCancellable    *cancellable)
{
  PlHttpTable *table = pl_capture_get_http_table (capture);
  guint n = pl_capture_get_n_http_messages (capture);
  g_autofree GString **texts = g_new0 (GString *, MAX (self->n_streams, 1));

  for (guint i = 0; i < n; i++)
    {
      const PlHttpRecord *rec = pl_http_table_get_record (table, i);
      const PlHttpRecord *other = rec->partner != PL_HTTP_NO_MESSAGE
                                  ? pl_http_table_get_record (table, rec->partner) : NULL;
      GString *s;

      if (i % CHECK_EVERY == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      if (rec->stream >= self->n_streams)
        continue;
      /* Answered requests are listed with their request. */
      if (!rec->is_request && (other != NULL || rec->status < 200))
        continue;

      if (texts[rec->stream] == NULL)
        texts[rec->stream] = g_string_new (NULL);
      s = texts[rec->stream];
      if (s->len > 0)
        g_string_append (s, "; ");
      if (rec->is_request)
        {
          const char *target = pl_http_table_get_target (table, i);
          const char *method = pl_http_table_get_method_name (table, i);

          g_string_append (s, method != NULL ? method : "");
          g_string_append_c (s, ' ');
          g_string_append (s, target != NULL ? target : "");
          g_string_append (s, " -> ");
          if (other != NULL)
            g_string_append_printf (s, "%u", other->status);
          else
            g_string_append_c (s, '?');
        }
      else
        g_string_append_printf (s, "? -> %u", rec->status);
    }

  /* As sent: a URI need not be UTF-8 (the window makes it valid to show). */
  for (guint i = 0; i < self->n_streams; i++)
    if (texts[i] != NULL)
      self->digests[i].http = g_string_free (texts[i], FALSE);
  return !g_cancellable_is_cancelled (cancellable);
}

/* One pass over the frame table: the analysis flags of each stream's
 * frames, counted per kind, and how the stream ended. */
static gboolean
digest_problems (PlCapture       *capture,
                 PlStreamDigests *self,
                 GCancellable    *cancellable)
{
  enum { RETRANS, DUP_ACK, LOST, OOO, ZERO_WIN, N_KINDS };
  g_autofree guint *counts = g_new0 (guint, (gsize) MAX (self->n_streams, 1) * N_KINDS);
  guint n_frames = pl_capture_get_n_frames (capture);

  for (guint f = 0; f < n_frames; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, f);
      guint *c;

      if (f % CHECK_EVERY == 0 && g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (frame->stream >= self->n_streams || frame->analysis == 0)
        continue;
      c = &counts[(gsize) frame->stream * N_KINDS];
      if (frame->analysis & PL_ANALYSIS_RETRANSMISSION)
        c[RETRANS]++;
      if (frame->analysis & PL_ANALYSIS_DUPLICATE_ACK)
        c[DUP_ACK]++;
      if (frame->analysis & PL_ANALYSIS_LOST_SEGMENT)
        c[LOST]++;
      if (frame->analysis & PL_ANALYSIS_OUT_OF_ORDER)
        c[OOO]++;
      if (frame->analysis & PL_ANALYSIS_ZERO_WINDOW)
        c[ZERO_WIN]++;
    }

  for (guint i = 0; i < self->n_streams; i++)
    {
      const PlTcpStream *stream = pl_capture_get_stream (capture, i);
      const guint *c = &counts[(gsize) i * N_KINDS];
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      guint total = 0;

      if (c[RETRANS] > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u retransmission", "%u retransmissions", c[RETRANS]), c[RETRANS]));
      if (c[DUP_ACK] > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u duplicate ACK", "%u duplicate ACKs", c[DUP_ACK]), c[DUP_ACK]));
      if (c[LOST] > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lost segment", "%u lost segments", c[LOST]), c[LOST]));
      if (c[OOO] > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u out of order", "%u out of order", c[OOO]), c[OOO]));
      if (c[ZERO_WIN] > 0)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u zero window", "%u zero windows", c[ZERO_WIN]), c[ZERO_WIN]));
      for (guint k = 0; k < N_KINDS; k++)
        total += c[k];

      if (pl_tcp_state_close_kind (&stream->state) == PL_TCP_CLOSE_RESET)
        {
          /* Translators: in the Problems column: a RST ended the stream. */
          g_ptr_array_add (parts, g_strdup (_("reset")));
          total++;
        }

      self->digests[i].n_problems = total;
      if (total > 0)
        {
          g_ptr_array_add (parts, NULL);
          /* Translators: separates the problems of a stream. */
          self->digests[i].problems = g_strjoinv (_(", "), (char **) parts->pdata);
        }
    }
  return TRUE;
}

PlStreamDigests *
pl_stream_digests_compute (PlCapture    *capture,
                           GCancellable *cancellable)
{
  return pl_stream_digests_compute_parts (capture, PL_STREAM_DIGEST_ALL, cancellable);
}

PlStreamDigests *
pl_stream_digests_compute_parts (PlCapture            *capture,
                                 PlStreamDigestParts   parts,
                                 GCancellable         *cancellable)
{
  g_autoptr(PlStreamDigests) self = NULL;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);
  g_return_val_if_fail (pl_capture_is_loaded (capture), NULL);

  self = g_new0 (PlStreamDigests, 1);
  self->n_streams = pl_capture_get_n_streams (capture);
  self->digests = g_new0 (PlStreamDigest, MAX (self->n_streams, 1));

  if ((parts & PL_STREAM_DIGEST_PROBLEMS) && !digest_problems (capture, self, cancellable))
    return NULL;
  if ((parts & PL_STREAM_DIGEST_HTTP) && !digest_http (capture, self, cancellable))
    return NULL;
  if (parts & PL_STREAM_DIGEST_TLS)
    for (guint i = 0; i < self->n_streams; i++)
      self->digests[i].tls = pl_tls_table_dup_stream_summary (pl_capture_get_tls_table (capture), i);
  return g_steal_pointer (&self);
}

static void
digest_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PlStreamDigests *digests = pl_stream_digests_compute (source_object, cancellable);

  if (digests == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, digests, (GDestroyNotify) pl_stream_digests_free);
}

void
pl_stream_digests_compute_async (PlCapture           *capture,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PL_IS_CAPTURE (capture));
  g_return_if_fail (pl_capture_is_loaded (capture));

  task = g_task_new (capture, cancellable, callback, user_data);
  g_task_set_source_tag (task, pl_stream_digests_compute_async);
  g_task_set_name (task, "[packet-ladder] stream digests");
  g_task_run_in_thread (task, digest_thread);
}

PlStreamDigests *
pl_stream_digests_compute_finish (PlCapture     *capture,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, capture), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PlHttpMessage *
pl_capture_find_http_message (PlCapture *capture,
                              guint32    frame)
{
  const PlFrame *f;
  PlHttpMessage *found;
  guint n;

  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);

  if (frame >= pl_capture_get_n_frames (capture) || !pl_capture_is_loaded (capture))
    return NULL;
  found = pl_capture_get_http_message_completed_in (capture, frame);
  f = pl_capture_get_frame (capture, frame);
  if (found != NULL || f->stream == PL_NO_STREAM || !pl_capture_stream_has_http (capture, f->stream))
    return found;

  /* Messages come in order of their first frame: none after this one
   * can hold the frame. */
  n = pl_capture_get_n_http_messages (capture);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) message = pl_capture_get_http_message (capture, i);
      guint first = pl_http_message_get_first_frame (message);

      if (first != PL_HTTP_NO_FRAME && first > frame)
        break;
      if (pl_http_message_get_stream (message) == f->stream && first != PL_HTTP_NO_FRAME
          && frame <= pl_http_message_get_last_frame (message))
        return g_steal_pointer (&message);
    }
  return NULL;
}
