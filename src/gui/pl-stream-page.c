/* pl-stream-page.c: the stream table, its summary line and the filter
 * (see pl-stream-page.h).
 *
 * The filter reads the entry's text two ways at once: as words found in a
 * stream's endpoints or HTTP summary ("80" a port, "10.0.0.1" a host,
 * "GET", "/logo.jpg", "404"), and as a tcpdump expression that core runs
 * over every frame in a worker thread (pl-frame-filter).  A stream is
 * shown when either keeps it.  While the worker runs, the list stays as it
 * was; its result replaces the list in one go.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-stream-digest.h"
#include "pl-stream-page.h"

struct _PlStreamPage
{
  GtkWidget      parent_instance;

  /* Template children */
  GtkWidget     *box;
  GtkLabel      *summary_label;
  PlStreamList  *stream_list;

  PlCapture     *capture;
  GCancellable  *digests_job;
  char          *filter;
  GCancellable  *filter_job;
  PlFrameFilter *frame_filter;
  char          *bpf_message;    /* libpcap's, when the text is no expression */
  char          *filter_error;
};

G_DEFINE_FINAL_TYPE (PlStreamPage, pl_stream_page, GTK_TYPE_WIDGET)

enum {
  FILTER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pl_stream_page_run_filter (PlStreamPage *self);

PlStreamList *
pl_stream_page_get_list (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  return self->stream_list;
}

const char *
pl_stream_page_get_summary (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  return gtk_label_get_text (self->summary_label);
}

const char *
pl_stream_page_get_filter (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  return self->filter != NULL ? self->filter : "";
}

PlFrameFilter *
pl_stream_page_get_frame_filter (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  return self->frame_filter;
}

const char *
pl_stream_page_get_filter_error (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  return self->filter_error;
}

gboolean
pl_stream_page_is_busy (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), FALSE);

  return self->digests_job != NULL || self->filter_job != NULL;
}

static void
pl_stream_page_update_summary (PlStreamPage *self)
{
  g_autofree char *frames = NULL;
  g_autofree char *summary = NULL;
  guint n_streams, n_frames, n_visible;

  if (self->capture == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }

  n_streams = pl_capture_get_n_streams (self->capture);
  n_frames = pl_capture_get_n_frames (self->capture);
  n_visible = pl_stream_list_get_n_visible (self->stream_list);
  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", n_frames), n_frames);
  if (n_visible == n_streams)
    /* Translators: the first %s is the frame count ("408 frames"). */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %'u TCP stream", "%s, %'u TCP streams", n_streams),
                               frames, n_streams);
  else
    /* Translators: the first %s is the frame count ("408 frames"); then
     * "3 of 5 TCP streams match" the filter. */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %'u of %'u TCP stream match", "%s, %'u of %'u TCP streams match", n_streams),
                               frames, n_visible, n_streams);
  gtk_label_set_text (self->summary_label, summary);
}

void
pl_stream_page_set_progress (PlStreamPage *self,
                             double        fraction)
{
  g_autofree char *text = NULL;

  g_return_if_fail (PL_IS_STREAM_PAGE (self));

  if (self->capture == NULL)
    return;
  text = g_strdup_printf (_("Loading… %.0f %%, %'u frames, %'u TCP streams so far"),
                          fraction * 100,
                          pl_capture_get_n_frames (self->capture),
                          pl_capture_get_n_streams (self->capture));
  gtk_label_set_text (self->summary_label, text);
}

static void
on_digests (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PlStreamPage) self = user_data;
  g_autoptr(PlStreamDigests) digests = NULL;
  g_autoptr(GError) error = NULL;

  digests = pl_stream_digests_compute_finish (PL_CAPTURE (object), result, &error);
  if (digests == NULL)
    return;   /* cancelled: a newer capture, or the page went away */

  g_clear_object (&self->digests_job);
  pl_stream_list_set_digests (self->stream_list, digests);
  /* The words now include the HTTP summaries: filter again. */
  if (self->filter != NULL && *self->filter != '\0')
    pl_stream_page_run_filter (self);
  else
    g_signal_emit (self, signals[FILTER_CHANGED], 0);
}

void
pl_stream_page_set_capture (PlStreamPage *self,
                            PlCapture    *capture)
{
  g_return_if_fail (PL_IS_STREAM_PAGE (self));

  if (self->digests_job != NULL)
    g_cancellable_cancel (self->digests_job);
  g_clear_object (&self->digests_job);
  if (self->filter_job != NULL)
    g_cancellable_cancel (self->filter_job);
  g_clear_object (&self->filter_job);
  g_clear_pointer (&self->frame_filter, pl_frame_filter_unref);

  g_set_object (&self->capture, capture);
  pl_stream_list_set_capture (self->stream_list, NULL);
  pl_stream_list_set_capture (self->stream_list, capture);
  pl_stream_list_set_visible (self->stream_list, NULL);
  pl_stream_page_update_summary (self);

  if (capture != NULL && pl_capture_is_loaded (capture))
    {
      self->digests_job = g_cancellable_new ();
      pl_stream_digests_compute_async (capture, self->digests_job, on_digests, g_object_ref (self));
      if (self->filter != NULL && *self->filter != '\0')
        pl_stream_page_run_filter (self);
    }
}

void
pl_stream_page_add_new_streams (PlStreamPage *self)
{
  g_return_if_fail (PL_IS_STREAM_PAGE (self));

  pl_stream_list_add_new_streams (self->stream_list);
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle_folded)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle_folded) != NULL;
}

static gboolean
is_number (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* Streams whose endpoints or HTTP summary mention the text. */
static void
match_text (PlStreamPage *self,
            const char   *text,
            GtkBitset    *matches)
{
  GListModel *model = pl_stream_list_get_model (self->stream_list);
  g_autofree char *folded = g_utf8_casefold (text, -1);
  gboolean number = is_number (text);
  guint port = number ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (model, i);
      const PlTcpStream *stream = pl_stream_item_get_stream (item);
      char a[80], b[80];
      gboolean match;

      if (number)
        match = stream->ep[0].port == port || stream->ep[1].port == port;
      else
        match = contains_casefold (pl_endpoint_to_string (&stream->ep[0], a, sizeof a), folded)
                || contains_casefold (pl_endpoint_to_string (&stream->ep[1], b, sizeof b), folded);

      /* HTTP method, URI, status code. */
      match = match || contains_casefold (pl_stream_item_get_http (item), folded);

      if (match)
        gtk_bitset_add (matches, pl_stream_item_get_index (item));
    }
}

/* Text a user meant as a tcpdump expression: it has the expression
 * language's operators or starts with one of its words.  Only then is
 * libpcap's complaint the answer; otherwise "nothing matches" is. */
static gboolean
looks_like_bpf (const char *text)
{
  static const char *words[] = {
    "tcp", "udp", "icmp", "ip", "ip6", "ether", "host", "net", "port", "portrange",
    "src", "dst", "not", "greater", "less", "len", "vlan", "arp", "proto", NULL,
  };
  g_autofree char *first = g_strndup (text, strcspn (text, " \t[("));

  if (strpbrk (text, "[]()&|!=<>") != NULL)
    return TRUE;
  return g_strv_contains (words, first);
}

static void
pl_stream_page_apply (PlStreamPage  *self,
                      GtkBitset     *matches,   /* NULL: all */
                      PlFrameFilter *filter,
                      const GError  *bpf_error)
{
  g_clear_pointer (&self->frame_filter, pl_frame_filter_unref);
  g_clear_pointer (&self->bpf_message, g_free);
  g_clear_pointer (&self->filter_error, g_free);

  if (filter != NULL)
    {
      guint n_streams = pl_capture_get_n_streams (self->capture);

      self->frame_filter = pl_frame_filter_ref (filter);
      for (guint s = 0; s < n_streams; s++)
        if (pl_frame_filter_get_n_stream_matched (filter, s) > 0)
          gtk_bitset_add (matches, s);
    }
  if (bpf_error != NULL)
    {
      self->bpf_message = g_strdup (bpf_error->message);
      if (gtk_bitset_is_empty (matches) && looks_like_bpf (self->filter))
        self->filter_error = g_strdup (bpf_error->message);
    }

  pl_stream_list_set_visible (self->stream_list, matches);
  pl_stream_page_update_summary (self);
  g_signal_emit (self, signals[FILTER_CHANGED], 0);
}

typedef struct
{
  PlStreamPage *page;
  GtkBitset    *matches;
} FilterJob;

static void
filter_job_free (FilterJob *job)
{
  g_object_unref (job->page);
  gtk_bitset_unref (job->matches);
  g_free (job);
}

static void
on_frames_filtered (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FilterJob *job = user_data;
  PlStreamPage *self = job->page;
  g_autoptr(PlFrameFilter) filter = NULL;
  g_autoptr(GError) error = NULL;

  filter = pl_frame_filter_new_finish (PL_CAPTURE (object), result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->filter_job);
      pl_stream_page_apply (self, job->matches, filter, error);
    }
  filter_job_free (job);
}

static void
pl_stream_page_run_filter (PlStreamPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (self->filter != NULL ? self->filter : ""));
  FilterJob *job;

  if (self->filter_job != NULL)
    g_cancellable_cancel (self->filter_job);
  g_clear_object (&self->filter_job);

  if (self->capture == NULL || !pl_capture_is_loaded (self->capture))
    return;
  if (*text == '\0')
    {
      pl_stream_page_apply (self, NULL, NULL, NULL);
      return;
    }

  job = g_new0 (FilterJob, 1);
  job->page = g_object_ref (self);
  job->matches = gtk_bitset_new_empty ();
  match_text (self, text, job->matches);
  self->filter_job = g_cancellable_new ();
  pl_frame_filter_new_async (self->capture, text, self->filter_job, on_frames_filtered, job);
}

void
pl_stream_page_set_filter (PlStreamPage *self,
                           const char   *text)
{
  g_return_if_fail (PL_IS_STREAM_PAGE (self));

  if (text == NULL)
    text = "";
  /* The entry's own delayed "search-changed" repeats what was applied. */
  if (g_strcmp0 (self->filter != NULL ? self->filter : "", text) == 0)
    return;
  g_free (self->filter);
  self->filter = g_strdup (text);
  pl_stream_page_run_filter (self);
}

char *
pl_stream_page_dup_no_match (PlStreamPage *self)
{
  g_return_val_if_fail (PL_IS_STREAM_PAGE (self), NULL);

  if (self->filter == NULL || *self->filter == '\0')
    return NULL;
  if (self->filter_error != NULL)
    /* Translators: the filter reads as a tcpdump expression that libpcap
     * rejects; %s is libpcap's message (in English). */
    return g_strdup_printf (_("Not a valid tcpdump expression: %s"), self->filter_error);
  if (self->bpf_message != NULL)
    /* Translators: %s is the text typed in the filter. */
    return g_strdup_printf (_("No stream’s address, port, HTTP method, URI or status contains “%s”."),
                            self->filter);
  /* Translators: %s is the filter, a valid tcpdump expression. */
  return g_strdup_printf (_("The tcpdump expression “%s” accepts no frame of any TCP stream."), self->filter);
}

static void
pl_stream_page_dispose (GObject *object)
{
  PlStreamPage *self = PL_STREAM_PAGE (object);

  if (self->digests_job != NULL)
    g_cancellable_cancel (self->digests_job);
  g_clear_object (&self->digests_job);
  if (self->filter_job != NULL)
    g_cancellable_cancel (self->filter_job);
  g_clear_object (&self->filter_job);
  gtk_widget_dispose_template (GTK_WIDGET (self), PL_TYPE_STREAM_PAGE);
  g_clear_object (&self->capture);
  g_clear_pointer (&self->frame_filter, pl_frame_filter_unref);

  G_OBJECT_CLASS (pl_stream_page_parent_class)->dispose (object);
}

static void
pl_stream_page_finalize (GObject *object)
{
  PlStreamPage *self = PL_STREAM_PAGE (object);

  g_free (self->filter);
  g_free (self->bpf_message);
  g_free (self->filter_error);

  G_OBJECT_CLASS (pl_stream_page_parent_class)->finalize (object);
}

static void
pl_stream_page_class_init (PlStreamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_stream_page_dispose;
  object_class->finalize = pl_stream_page_finalize;

  /* The filter (or the summaries it matches) changed what is listed. */
  signals[FILTER_CHANGED] = g_signal_new ("filter-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  g_type_ensure (PL_TYPE_STREAM_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-stream-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PlStreamPage, box);
  gtk_widget_class_bind_template_child (widget_class, PlStreamPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PlStreamPage, stream_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "streampage");
}

static void
pl_stream_page_init (PlStreamPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
