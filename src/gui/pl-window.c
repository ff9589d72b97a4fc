/* pl-window.c: the main window.
 *
 * A capture loads in a worker thread (pl_capture_load_async()).  The
 * worker reports progress from its own thread; we keep only the latest
 * fraction in an atomic and a main-loop timeout shows it, so however often
 * the worker reports, the progress bar is redrawn at most 20 times a second.
 * The capture on show is replaced only when the new one loaded: a file that
 * cannot be read leaves the window as it was, with a toast saying why.
 *
 * After a load the first stream is selected, so its ladder shows at once.
 * Selecting an arrow shows the frame's field tree (built by core on
 * demand) over its bytes; selecting a field highlights its bytes.  The view
 * options are stateful actions made from GSettings keys, so the View menu,
 * the Preferences window and the next start all agree.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-export-dialog.h"
#include "pl-field-pane.h"
#include "pl-hex-view.h"
#include "pl-http-message.h"
#include "pl-http-pane.h"
#include "pl-ladder-view.h"
#include "pl-pcap-source.h"
#include "pl-stream-list.h"
#include "pl-tcp-summary.h"
#include "pl-window.h"

#define MAX_RECENT 8

#define PROGRESS_INTERVAL_MS 50
#define PROGRESS_SCALE       10000

/* One load in flight.  The async callback owns it; the window only points
 * at it, and forgets it (job->window = NULL) when a newer load or the
 * window's disposal supersedes it. */
typedef struct
{
  PlWindow     *window;
  PlCapture    *capture;
  GCancellable *cancellable;
  guint         progress_source;
  gint          progress;     /* atomic: fraction * PROGRESS_SCALE */
} PlLoadJob;

struct _PlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  GtkProgressBar       *progress_bar;
  GtkPaned             *paned;
  GtkPaned             *inner_paned;
  GtkLabel             *summary_label;
  PlStreamList         *stream_list;
  AdwStatusPage        *stream_page;
  GtkStack             *center_stack;
  PlLadderView         *ladder_view;
  GtkLabel             *stream_summary_label;
  GtkStack             *details_stack;
  GtkStack             *frame_stack;
  PlFieldPane          *field_pane;
  PlHexView            *hex_view;
  GtkSearchEntry       *filter_entry;
  GtkRevealer          *filter_error_revealer;
  GtkLabel             *filter_error_label;
  GMenu                *recent_menu;
  GtkBox               *http_box;
  GtkStackPage         *http_page;
  PlHttpPane           *http_pane;

  GSettings            *settings;
  GtkRecentManager     *recent_manager;
  PlCapture            *capture;
  PlLoadJob            *job;
  char                 *last_error;
  char                 *last_toast;
  char                 *filter_error;
  GBytes               *frame_mask;   /* frames the BPF filter accepts, or NULL */
  guint                 reload_stream; /* the stream to show again after Reload */
  gboolean              told_truncated; /* the capture's file shrank: said so */
  gboolean              details_placed;
  guint                 place_source;
};

G_DEFINE_FINAL_TYPE (PlWindow, pl_window, ADW_TYPE_APPLICATION_WINDOW)

static void on_stream_selected (PlWindow *self);

static void
pl_load_job_free (PlLoadJob *job)
{
  g_clear_handle_id (&job->progress_source, g_source_remove);
  g_clear_object (&job->capture);
  g_clear_object (&job->cancellable);
  g_free (job);
}

PlWindow *
pl_window_new (PlApplication *application)
{
  return g_object_new (PL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

gboolean
pl_window_is_empty (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);

  return self->capture == NULL && self->job == NULL;
}

gboolean
pl_window_is_loading (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);

  return self->job != NULL;
}

PlCapture *
pl_window_get_capture (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->capture;
}

GListModel *
pl_window_get_stream_model (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_stream_list_get_model (self->stream_list);
}

const char *
pl_window_get_last_error (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->last_error;
}

PlLadderView *
pl_window_get_ladder_view (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->ladder_view;
}

PlFieldPane *
pl_window_get_field_pane (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->field_pane;
}

PlHexView *
pl_window_get_hex_view (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->hex_view;
}

PlStreamList *
pl_window_get_stream_list (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->stream_list;
}

const char *
pl_window_get_filter_error (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->filter_error;
}

const char *
pl_window_get_last_toast (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->last_toast;
}

static void
pl_window_add_toast (PlWindow   *self,
                     const char *message,
                     guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast;

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);

  /* The toast title is markup; file names may hold '&' or '<'. */
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
pl_window_notify (PlWindow   *self,
                  const char *message)
{
  g_return_if_fail (PL_IS_WINDOW (self));

  pl_window_add_toast (self, message, 5);
}

static void
pl_window_show_toast (PlWindow   *self,
                      const char *message,
                      guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast;

  g_free (self->last_error);
  self->last_error = g_strdup (message);

  /* The toast title is markup; file names may hold '&' or '<'. */
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* "~/captures" rather than "/home/me/captures", as Text Editor shows. */
static char *
pl_window_dup_location (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autofree char *relative = NULL;

  if (parent == NULL)
    return NULL;
  if (g_file_equal (parent, home))
    return g_strdup ("~");
  if ((relative = g_file_get_relative_path (home, parent)) != NULL)
    return g_build_filename ("~", relative, NULL);
  return g_file_get_parse_name (parent);
}

static void
pl_window_update_title (PlWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *location = NULL;

  if (self->capture != NULL)
    {
      GFile *file = pl_capture_get_file (self->capture);

      name = g_file_get_basename (file);
      location = pl_window_dup_location (file);
    }

  adw_window_title_set_title (self->window_title, name != NULL ? name : _("Packet Ladder"));
  adw_window_title_set_subtitle (self->window_title, location);
  gtk_window_set_title (GTK_WINDOW (self), name != NULL ? name : _("Packet Ladder"));
}

static void
pl_window_show_current_page (PlWindow *self)
{
  const char *page = "empty";

  /* A capture still loading is shown as soon as it has streams. */
  if (self->job != NULL && self->capture != self->job->capture)
    page = "loading";
  else if (self->capture != NULL)
    page = "capture";

  gtk_stack_set_visible_child_name (self->main_stack, page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", self->job != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", self->capture != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", self->capture != NULL);
}



static void
notify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pl_window_notify (PL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

GtkWidget *
pl_window_get_http_pane (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->http_pane);
}

/* HTTP */

static char *
http_message_label (PlHttpMessage *message)
{
  if (pl_http_message_is_request (message))
    {
      g_autofree char *uri = pl_http_message_dup_uri (message);

      return g_strdup_printf ("%s %s", pl_http_message_get_method_name (message), uri != NULL ? uri : "");
    }
  else
    {
      g_autofree char *reason = pl_http_message_dup_reason (message);

      return g_strdup_printf ("%u %s", pl_http_message_get_status (message), reason != NULL ? reason : "");
    }
}

/* "GET /index.html → 200, GET /logo.jpg → 206" per stream, for the HTTP
 * column and the filter. */
static void
pl_window_compute_http_summaries (PlWindow *self)
{
  GListModel *model = pl_stream_list_get_model (self->stream_list);
  guint n_streams = g_list_model_get_n_items (model);
  guint n = pl_capture_get_n_http_messages (self->capture);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_full (n_streams, NULL);

  for (guint i = 0; i < n_streams; i++)
    g_ptr_array_add (texts, NULL);

  for (guint i = 0; i < n; i++)
    {
      PlHttpMessage *message = pl_capture_get_http_message (self->capture, i);
      guint stream = pl_http_message_get_stream (message);
      PlHttpMessage *response;
      g_autofree char *uri = NULL;
      GString *text;

      if (!pl_http_message_is_request (message) || stream >= n_streams)
        {
          g_object_unref (message);
          continue;
        }

      if (texts->pdata[stream] == NULL)
        texts->pdata[stream] = g_string_new (NULL);
      text = texts->pdata[stream];
      if (text->len > 0)
        g_string_append (text, ", ");
      uri = pl_http_message_dup_uri (message);
      g_string_append_printf (text, "%s %s", pl_http_message_get_method_name (message), uri != NULL ? uri : "");
      response = pl_http_message_get_response (message);
      if (response != NULL)
        g_string_append_printf (text, " → %u", pl_http_message_get_status (response));
      g_object_unref (message);
    }

  for (guint i = 0; i < n_streams; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (model, i);
      GString *text = texts->pdata[i];

      if (text != NULL)
        {
          pl_stream_item_set_http (item, text->str);
          g_string_free (text, TRUE);
        }
    }
  pl_stream_list_refresh (self->stream_list);
}

void
pl_window_add_http_brackets (PlWindow          *self,
                             PlLadderSelection *selection)
{
  guint n = pl_capture_get_n_http_messages (self->capture);
  g_autoptr(GHashTable) bracket_of = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlHttpMessage) message = pl_capture_get_http_message (self->capture, i);
      g_autoptr(GArray) frames = NULL;
      g_autofree char *label = NULL;
      g_autofree char *detail = NULL;
      g_autofree char *size = NULL;
      PlLadderBracket bracket = { 0 };
      PlHttpMessage *request;
      guint index;

      if (!pl_ladder_selection_has_stream (selection, pl_http_message_get_stream (message)))
        continue;

      frames = pl_http_message_dup_frames (message);
      label = http_message_label (message);
      size = g_format_size (pl_http_message_get_body_length (message));
      if (pl_http_message_get_body_length (message) > 0)
        /* Translators: under an HTTP bracket: the body's size ("12.3 kB"). */
        detail = g_strdup_printf (_("body %s"), size);

      bracket.stream = pl_http_message_get_stream (message);
      bracket.first_frame = pl_http_message_get_first_frame (message);
      bracket.last_frame = pl_http_message_get_last_frame (message);
      bracket.dir = (guint8) pl_http_message_get_direction (message);
      bracket.kind = pl_http_message_is_request (message) ? PL_LADDER_BRACKET_REQUEST : PL_LADDER_BRACKET_RESPONSE;
      bracket.peer = -1;
      bracket.n_segments = frames != NULL ? frames->len : 1;
      bracket.label = label;
      bracket.detail = detail;
      index = pl_ladder_selection_add_bracket (selection, &bracket);
      g_hash_table_insert (bracket_of, GUINT_TO_POINTER (pl_http_message_get_index (message) + 1),
                           GUINT_TO_POINTER (index + 1));

      request = pl_http_message_is_request (message) ? NULL : pl_http_message_get_request (message);
      if (request != NULL)
        {
          gpointer req = g_hash_table_lookup (bracket_of, GUINT_TO_POINTER (pl_http_message_get_index (request) + 1));

          if (req != NULL)
            pl_ladder_selection_link_brackets (selection, GPOINTER_TO_UINT (req) - 1, index);
        }
    }
}

/* The message a frame carries part of, or NULL. */
static PlHttpMessage *
pl_window_find_http_message (PlWindow *self,
                             guint32   frame)
{
  const PlFrame *f = pl_capture_get_frame (self->capture, frame);
  guint n = pl_capture_get_n_http_messages (self->capture);
  PlHttpMessage *found = pl_capture_get_http_message_completed_in (self->capture, frame);

  if (found != NULL || f == NULL || f->stream == PL_NO_STREAM)
    return found;

  for (guint i = 0; i < n; i++)
    {
      PlHttpMessage *message = pl_capture_get_http_message (self->capture, i);

      if (pl_http_message_get_stream (message) == f->stream
          && frame >= pl_http_message_get_first_frame (message)
          && frame <= pl_http_message_get_last_frame (message))
        return message;
      g_object_unref (message);
    }
  return NULL;
}

/* Recent files */

static void
pl_window_add_recent (PlWindow *self,
                      GFile    *file)
{
  g_autofree char *uri = NULL;
  GtkRecentData data = { 0 };
  static char *groups[] = { (char *) "packet-ladder", NULL };

  if (file == NULL || self->recent_manager == NULL)
    return;

  uri = g_file_get_uri (file);
  data.display_name = NULL;
  data.mime_type = (char *) "application/vnd.tcpdump.pcap";
  data.app_name = (char *) g_get_application_name ();
  data.app_exec = (char *) "packet-ladder %u";
  data.groups = groups;
  gtk_recent_manager_add_full (self->recent_manager, uri, &data);
}

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo **) a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo **) b);

  return g_date_time_compare (tb, ta);
}

static void
pl_window_update_recent_menu (PlWindow *self)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  GList *items;
  guint shown = 0;

  g_menu_remove_all (self->recent_menu);
  if (self->recent_manager == NULL)
    return;

  items = gtk_recent_manager_get_items (self->recent_manager);
  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_group (info, "packet-ladder") && gtk_recent_info_exists (info))
        g_ptr_array_add (infos, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (infos, compare_recent);

  for (guint i = 0; i < infos->len && shown < MAX_RECENT; i++, shown++)
    {
      GtkRecentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      /* Underscores in file names are not mnemonics. */
      label = g_strjoinv ("__", (char *[]) { (char *) gtk_recent_info_get_display_name (info), NULL });
      {
        g_auto(GStrv) parts = g_strsplit (gtk_recent_info_get_display_name (info), "_", -1);
        g_free (label);
        label = g_strjoinv ("__", parts);
      }
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_menu, item);
    }

  if (shown == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Captures"), "win.no-recent");
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  pl_window_open_file (self, file);
}

/* The stream filter */

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
pl_window_match_text (PlWindow   *self,
                      const char *text,
                      GtkBitset  *matches)
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
        match = stream->ep[0].port == port || stream->ep[1].port == port
                || g_strcmp0 (text, "") == 0;
      else
        match = contains_casefold (pl_endpoint_to_string (&stream->ep[0], a, sizeof a), folded)
                || contains_casefold (pl_endpoint_to_string (&stream->ep[1], b, sizeof b), folded);

      /* HTTP method, URI, status code. */
      match = match || contains_casefold (pl_stream_item_get_http (item), folded);

      if (match)
        gtk_bitset_add (matches, pl_stream_item_get_index (item));
    }
}

/* Streams with a frame the BPF expression accepts; FALSE and the error
 * when it does not compile for one of the capture's link types. */
static gboolean
pl_window_match_bpf (PlWindow   *self,
                     const char *expression,
                     GtkBitset  *matches,
                     GError    **error)
{
  PlCapture *capture = self->capture;
  guint n_ifaces = pl_capture_get_n_interfaces (capture);
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func ((GDestroyNotify) pl_bpf_filter_free);
  guint n_frames = pl_capture_get_n_frames (capture);
  guint8 *mask;

  /* One filter per interface (each has its link type and snap length). */
  for (guint i = 0; i < n_ifaces; i++)
    {
      const PlInterface *iface = pl_capture_get_interface (capture, i);
      PlBpfFilter *filter = pl_bpf_filter_new (iface->linktype, iface->snaplen, expression, error);

      if (filter == NULL)
        return FALSE;
      g_ptr_array_add (filters, filter);
    }

  /* Every frame is tested: the mask restricts the ladder to the frames
   * the expression accepts, as tcpdump would print them. */
  mask = g_malloc0 (n_frames / 8 + 1);
  for (guint f = 0; f < n_frames; f++)
    {
      const PlFrame *frame = pl_capture_get_frame (capture, f);
      const guint8 *data;
      guint32 caplen;

      if (frame->stream == PL_NO_STREAM || frame->iface >= filters->len)
        continue;
      data = pl_capture_get_frame_data (capture, f, &caplen);
      if (data != NULL && pl_bpf_filter_matches (g_ptr_array_index (filters, frame->iface),
                                                 data, caplen, frame->origlen))
        {
          gtk_bitset_add (matches, frame->stream);
          mask[f / 8] |= (guint8) (1u << (f % 8));
        }
    }

  g_clear_pointer (&self->frame_mask, g_bytes_unref);
  self->frame_mask = g_bytes_new_take (mask, n_frames / 8 + 1);
  return TRUE;
}

static void
pl_window_set_filter_error (PlWindow   *self,
                            const char *message)
{
  GtkWidget *entry = GTK_WIDGET (self->filter_entry);

  g_free (self->filter_error);
  self->filter_error = g_strdup (message);

  if (message != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not a filter: %s"), message);

      gtk_widget_add_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, text);
      gtk_label_set_text (self->filter_error_label, text);
      gtk_revealer_set_reveal_child (self->filter_error_revealer, TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, _("Filter streams by address, port, HTTP method, URI or status, or by a tcpdump (BPF) expression such as “tcp port 8080 and tcp[tcpflags] & tcp-rst != 0” (Ctrl+F)"));
      gtk_revealer_set_reveal_child (self->filter_error_revealer, FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
pl_window_update_summary (PlWindow *self)
{
  g_autofree char *frames = NULL;
  g_autofree char *summary = NULL;
  guint n_streams, n_frames, n_visible;

  if (self->capture == NULL)
    return;

  n_streams = pl_capture_get_n_streams (self->capture);
  n_frames = pl_capture_get_n_frames (self->capture);
  n_visible = pl_stream_list_get_n_visible (self->stream_list);
  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", n_frames),
                            n_frames);
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

/* After the filter changed: a stream stays selected (the first one shown
 * when the selected one was filtered out), drawn with the new frame mask. */
static void
pl_window_reselect (PlWindow *self)
{
  if (pl_stream_list_get_selected_item (self->stream_list) == NULL)
    pl_stream_list_select_first (self->stream_list);
  else
    on_stream_selected (self);
}

static void
pl_window_apply_filter (PlWindow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GtkBitset) matches = NULL;
  g_autoptr(GError) error = NULL;
  gboolean bpf_ok;

  if (self->capture == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))));
  g_clear_pointer (&self->frame_mask, g_bytes_unref);
  if (*text == '\0')
    {
      pl_stream_list_set_visible (self->stream_list, NULL);
      pl_window_set_filter_error (self, NULL);
      pl_window_update_summary (self);
      pl_window_reselect (self);
      return;
    }

  /* Both readings: "80" is a port, "10.0.0.1" a host either way, and
   * "tcp[13] & 4 != 0" only a BPF expression.  An expression libpcap
   * rejects is an error only when the text matched nothing either. */
  matches = gtk_bitset_new_empty ();
  pl_window_match_text (self, text, matches);
  bpf_ok = pl_window_match_bpf (self, text, matches, &error);

  pl_window_set_filter_error (self, !bpf_ok && gtk_bitset_is_empty (matches) ? error->message : NULL);
  pl_stream_list_set_visible (self->stream_list, matches);
  pl_window_update_summary (self);

  pl_window_reselect (self);
}

void
pl_window_set_filter (PlWindow   *self,
                      const char *text)
{
  g_return_if_fail (PL_IS_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  pl_window_apply_filter (self);
}

/* View options */

static void
pl_window_update_options (PlWindow *self)
{
  PlLadderOptions options;
  AdwStyleManager *style = adw_style_manager_get_default ();

  pl_ladder_options_init (&options);
  options.theme = adw_style_manager_get_dark (style) ? PL_LADDER_THEME_DARK : PL_LADDER_THEME_LIGHT;

  if (self->settings != NULL)
    {
      g_autofree char *spacing = g_settings_get_string (self->settings, "spacing");
      g_autofree char *numbers = g_settings_get_string (self->settings, "numbers");
      g_autofree char *lifelines = g_settings_get_string (self->settings, "lifelines");

      if (g_str_equal (spacing, "time"))
        options.spacing = PL_LADDER_SPACING_TIME;
      else if (g_str_equal (spacing, "compressed"))
        options.spacing = PL_LADDER_SPACING_COMPRESSED;
      else
        options.spacing = PL_LADDER_SPACING_UNIFORM;
      options.numbers = g_str_equal (numbers, "raw") ? PL_LADDER_NUMBERS_RAW : PL_LADDER_NUMBERS_RELATIVE;
      options.merge_hosts = g_str_equal (lifelines, "hosts");
      options.show_states = g_settings_get_boolean (self->settings, "show-states");
      options.hide_pure_acks = g_settings_get_boolean (self->settings, "hide-pure-acks");
      options.fold_http = g_settings_get_boolean (self->settings, "fold-http");
    }

  pl_ladder_view_set_options (self->ladder_view, &options);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  int step = g_str_equal (action_name, "win.zoom-in") ? 1 : g_str_equal (action_name, "win.zoom-out") ? -1 : 0;

  gtk_widget_activate_action (GTK_WIDGET (self->ladder_view), "ladder.zoom", "i", step);
}

static void
focus_filter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->filter_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
focus_ladder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->ladder_view));
}

/* Export */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  PlExportDialog *dialog;

  if (self->capture == NULL)
    return;

  dialog = pl_export_dialog_new (self);
  if (g_str_equal (action_name, "win.export-stream"))
    pl_export_dialog_set_scope (dialog, PL_EXPORT_SCOPE_SELECTED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
select_http_message_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  PlLadderSelection *selection = pl_ladder_view_get_selection (self->ladder_view);
  guint32 frame = pl_ladder_view_get_selected_frame (self->ladder_view);

  if (selection == NULL || frame == PL_LADDER_NO_FRAME)
    return;

  /* The bracket holding the frame: select its first frame and show it. */
  for (guint i = 0; i < pl_ladder_selection_get_n_brackets (selection); i++)
    {
      const PlLadderBracket *bracket = pl_ladder_selection_get_bracket (selection, i);
      const PlFrame *f = pl_capture_get_frame (self->capture, frame);

      if (bracket->stream == f->stream && frame >= bracket->first_frame && frame <= bracket->last_frame)
        {
          pl_ladder_view_set_selected_frame (self->ladder_view, bracket->last_frame);
          if (gtk_widget_get_visible (gtk_stack_get_child_by_name (self->details_stack, "http")))
            gtk_stack_set_visible_child_name (self->details_stack, "http");
          return;
        }
    }

  pl_window_add_toast (self, _("This frame carries no HTTP message"), 3);
}

/* Streams and frames */

/* FALSE when the capture's file shrank since it was read (truncated, or
 * tcpdump started again on its name): its frames past the new end read as
 * zeros (core guards the mapping), so nothing more is shown from it.  The
 * first time, a toast says so and offers Reload. */
static gboolean
pl_window_check_file (PlWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (self->capture == NULL || pl_capture_check_file (self->capture, &error))
    return TRUE;
  if (self->told_truncated)
    return FALSE;
  self->told_truncated = TRUE;

  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  escaped = g_markup_escape_text (error->message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("Reload"));
  adw_toast_set_action_name (toast, "win.reload");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return FALSE;
}

static void
on_frame_selected (PlWindow *self)
{
  guint32 frame = pl_ladder_view_get_selected_frame (self->ladder_view);
  g_autoptr(PlField) tree = NULL;
  const guint8 *data = NULL;
  guint32 caplen = 0;

  if (self->capture != NULL && frame != PL_LADDER_NO_FRAME)
    tree = pl_field_tree_build (self->capture, frame);
  /* Built from a file that shrank meanwhile: zeros, not the frame. */
  if (!pl_window_check_file (self))
    {
      g_clear_object (&tree);
      frame = PL_LADDER_NO_FRAME;
    }

  pl_field_pane_set_tree (self->field_pane, tree);
  if (tree != NULL)
    data = pl_capture_get_frame_data (self->capture, frame, &caplen);
  pl_hex_view_set_data (self->hex_view, data, caplen);
  gtk_stack_set_visible_child_name (self->frame_stack, tree != NULL ? "fields" : "none");

  {
    g_autoptr(PlHttpMessage) message = NULL;

    if (self->capture != NULL && frame != PL_LADDER_NO_FRAME)
      message = pl_window_find_http_message (self, frame);
    pl_http_pane_set_message (self->http_pane, message);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.select-http-message", message != NULL);
  }
}

static void
on_field_selected (PlWindow *self)
{
  PlField *field = pl_field_pane_get_selected_field (self->field_pane);

  if (field != NULL && pl_field_get_length (field) > 0)
    pl_hex_view_set_highlight (self->hex_view, pl_field_get_offset (field), pl_field_get_length (field));
  else
    pl_hex_view_set_highlight (self->hex_view, 0, 0);
}

static void
on_style_changed (PlWindow *self)
{
  pl_window_update_options (self);
}

static void
pl_window_set_capture (PlWindow  *self,
                       PlCapture *capture)
{
  g_autofree char *frames = NULL;
  g_autofree char *summary = NULL;
  guint n_streams;
  guint n_frames;
  gboolean loaded = pl_capture_is_loaded (capture);
  guint selected = G_MAXUINT;

  if (self->capture == capture)
    {
      /* Shown while it loaded: now list it again in full (problem counts,
       * HTTP summaries) and keep the stream the user picked. */
      PlStreamItem *item = pl_stream_list_get_selected_item (self->stream_list);

      if (item != NULL)
        selected = pl_stream_item_get_index (item);
      pl_stream_list_set_capture (self->stream_list, NULL);
    }
  if (loaded && self->reload_stream != G_MAXUINT)
    {
      /* Reloaded: back to the stream the user was on. */
      selected = self->reload_stream;
      self->reload_stream = G_MAXUINT;
    }
  if (self->capture != capture)
    self->told_truncated = FALSE;
  g_set_object (&self->capture, capture);

  pl_stream_list_set_capture (self->stream_list, capture);

  n_streams = pl_capture_get_n_streams (capture);
  n_frames = pl_capture_get_n_frames (capture);
  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", n_frames),
                            n_frames);
  /* Translators: the first %s is the frame count ("408 frames"). */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %'u TCP stream", "%s, %'u TCP streams", n_streams),
                             frames, n_streams);
  gtk_label_set_text (self->summary_label, summary);

  pl_window_update_title (self);
  if (!loaded)
    {
      /* The rest arrives in batches (pl_window_load_progress()); filtering
       * waits for the whole list. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), FALSE);
      pl_stream_list_select_first (self->stream_list);
      return;
    }
  if (selected == G_MAXUINT)
    pl_window_add_recent (self, pl_capture_get_file (capture));

  pl_window_compute_http_summaries (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
  pl_window_apply_filter (self);

  /* The ladder of the first stream at once, not an empty page; after a
   * load shown in progress, the stream the user chose, now complete. */
  if (selected == G_MAXUINT || !pl_stream_list_select_stream (self->stream_list, selected))
    pl_stream_list_select_first (self->stream_list);
}

static gboolean
pl_window_update_progress (gpointer user_data)
{
  PlLoadJob *job = user_data;
  double fraction = (double) g_atomic_int_get (&job->progress) / PROGRESS_SCALE;

  if (job->window != NULL)
    {
      gtk_progress_bar_set_fraction (job->window->progress_bar, fraction);
      /* Shown while loading: the summary line carries the progress. */
      if (job->window->capture == job->capture)
        {
          g_autofree char *text = g_strdup_printf (_("Loading… %.0f %%, %'u frames, %'u TCP streams so far"),
                                                   fraction * 100,
                                                   pl_capture_get_n_frames (job->capture),
                                                   pl_capture_get_n_streams (job->capture));

          gtk_label_set_text (job->window->summary_label, text);
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Runs in the main thread after each batch the loader published: the
 * frames and streams read so far are readable (see pl-capture.c). */
static void
pl_window_load_progress (double   fraction,
                         gpointer user_data)
{
  PlLoadJob *job = user_data;
  PlWindow *self = job->window;

  g_atomic_int_set (&job->progress, (gint) (CLAMP (fraction, 0.0, 1.0) * PROGRESS_SCALE));
  if (self == NULL || self->job != job || pl_capture_get_n_streams (job->capture) == 0)
    return;

  if (self->capture != job->capture)
    {
      /* The first streams: show them now, the rest loads behind. */
      pl_window_set_capture (self, job->capture);
      pl_window_show_current_page (self);
    }
  else
    pl_stream_list_add_new_streams (self->stream_list);
}

static void
pl_window_load_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PlLoadJob *job = user_data;
  PlWindow *self = job->window;
  PlCapture *capture = PL_CAPTURE (object);
  g_autoptr(GError) error = NULL;
  gboolean loaded;

  loaded = pl_capture_load_finish (capture, result, &error);

  if (self == NULL)
    {
      /* Superseded by another file, or the window is gone. */
      pl_load_job_free (job);
      return;
    }

  g_assert (self->job == job);
  self->job = NULL;

  if (loaded)
    {
      const GError *warning = pl_capture_get_warning (capture);

      pl_window_set_capture (self, capture);
      if (warning != NULL)
        pl_window_show_toast (self, warning->message, 10);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pl_window_show_toast (self, error->message, 10);
    }

  pl_window_show_current_page (self);
  pl_load_job_free (job);
  g_object_unref (self);
}

static void
pl_window_cancel_load (PlWindow *self)
{
  PlLoadJob *job = g_steal_pointer (&self->job);

  if (job == NULL)
    return;

  /* The callback still runs, and frees the job. */
  job->window = NULL;
  g_cancellable_cancel (job->cancellable);

  /* Shown while it loaded: a capture cut by the user is not one to keep
   * working on (its list and ladder would stay half-made). */
  if (self->capture == job->capture)
    {
      pl_ladder_view_set_selection (self->ladder_view, NULL);
      pl_stream_list_set_capture (self->stream_list, NULL);
      g_clear_object (&self->capture);
      gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), TRUE);
      pl_window_update_title (self);
    }
  pl_window_show_current_page (self);
  g_object_unref (self);
}

void
pl_window_open_file (PlWindow *self,
                     GFile    *file)
{
  g_autofree char *name = NULL;
  PlLoadJob *job;

  g_return_if_fail (PL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  pl_window_cancel_load (self);

  job = g_new0 (PlLoadJob, 1);
  job->window = g_object_ref (self);
  job->capture = pl_capture_new (file);
  job->cancellable = g_cancellable_new ();
  job->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, pl_window_update_progress, job);
  self->job = job;

  name = g_file_get_basename (file);
  adw_status_page_set_description (self->loading_page, name);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  pl_window_show_current_page (self);

  pl_capture_load_async (job->capture, job->cancellable,
                         pl_window_load_progress, job,
                         pl_window_load_cb, job);
}

static void
on_stream_selected (PlWindow *self)
{
  PlStreamItem *item = pl_stream_list_get_selected_item (self->stream_list);
  g_autoptr(PlLadderSelection) selection = NULL;
  g_autofree char *opened = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *summary_text = NULL;
  PlTcpSummary summary;
  guint index;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-stream", item != NULL);

  if (item == NULL)
    {
      pl_ladder_view_set_selection (self->ladder_view, NULL);
      gtk_stack_set_visible_child_name (self->center_stack, "placeholder");
      gtk_widget_set_visible (GTK_WIDGET (self->stream_summary_label), FALSE);
      on_frame_selected (self);
      return;
    }

  index = pl_stream_item_get_index (item);
  selection = pl_ladder_selection_new (self->capture);
  pl_ladder_selection_add_stream (selection, index);
  pl_window_add_http_brackets (self, selection);
  pl_ladder_selection_set_frame_mask (selection, self->frame_mask);
  pl_ladder_view_set_selection (self->ladder_view, selection);
  gtk_stack_page_set_visible (self->http_page, pl_capture_stream_has_http (self->capture, index));
  gtk_stack_set_visible_child_name (self->center_stack, "ladder");

  pl_tcp_summary_compute (self->capture, index, &summary);
  opened = pl_tcp_summary_describe_open (self->capture, index, &summary);
  closed = pl_tcp_summary_describe_close (self->capture, index, &summary);
  summary_text = g_strdup_printf ("%s\n%s", opened != NULL ? opened : "", closed != NULL ? closed : "");
  gtk_label_set_text (self->stream_summary_label, g_strstrip (summary_text));
  gtk_widget_set_visible (GTK_WIDGET (self->stream_summary_label), TRUE);

  on_frame_selected (self);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  PlWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        pl_window_open_file (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  chooser = gtk_file_chooser_native_new (_("Open Capture"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Packet Captures"));
  gtk_file_filter_add_mime_type (filter, "application/vnd.tcpdump.pcap");
  gtk_file_filter_add_mime_type (filter, "application/x-pcapng");
  gtk_file_filter_add_suffix (filter, "pcap");
  gtk_file_filter_add_suffix (filter, "pcapng");
  gtk_file_filter_add_suffix (filter, "cap");
  gtk_file_filter_add_suffix (filter, "dmp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  /* Start next to the capture on show. */
  if (self->capture != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (pl_capture_get_file (self->capture));

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_example_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GFile) file = NULL;

  if (PL_IS_APPLICATION (app))
    file = pl_application_get_example_file (PL_APPLICATION (app));
  else
    file = g_file_new_build_filename (SOURCE_SAMPLEDIR, "lab.pcap", NULL);

  pl_window_open_file (self, file);
}

/* Reads the file again: a capture tcpdump is still writing gains the
 * frames written since.  The stream on screen stays selected. */
void
pl_window_reload (PlWindow *self)
{
  PlStreamItem *item;

  g_return_if_fail (PL_IS_WINDOW (self));

  if (self->capture == NULL || pl_capture_get_file (self->capture) == NULL)
    return;
  item = pl_stream_list_get_selected_item (self->stream_list);
  self->reload_stream = item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT;
  pl_window_open_file (self, pl_capture_get_file (self->capture));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pl_window_reload (PL_WINDOW (widget));
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);

  pl_window_cancel_load (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-stream", FALSE);
  pl_window_update_options (self);
  pl_window_show_current_page (self);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  PlWindow *self = user_data;
  GdkFileList *file_list = g_value_get_boxed (value);
  g_autoptr(GSList) files = gdk_file_list_get_files (file_list);
  GtkApplication *app;
  g_autoptr(GPtrArray) others = NULL;

  if (files == NULL)
    return FALSE;

  pl_window_open_file (self, files->data);

  /* Each further file gets a window of its own. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (files->next != NULL && app != NULL)
    {
      others = g_ptr_array_new ();
      for (const GSList *iter = files->next; iter != NULL; iter = iter->next)
        g_ptr_array_add (others, iter->data);
      g_application_open (G_APPLICATION (app), (GFile **) others->pdata, others->len, "");
    }

  return TRUE;
}

gboolean
pl_window_drop_value (PlWindow     *self,
                      const GValue *value)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST), FALSE);

  return on_drop (NULL, value, 0, 0, self);
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               gpointer       user_data)
{
  gtk_widget_add_css_class (GTK_WIDGET (user_data), "drop-target-active");
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               gpointer       user_data)
{
  gtk_widget_remove_css_class (GTK_WIDGET (user_data), "drop-target-active");
}

static void
pl_window_constructed (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (pl_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (PL_IS_APPLICATION (app))
    {
      GSettings *settings = pl_application_get_settings (PL_APPLICATION (app));

      if (settings != NULL)
        {
          static const char *view_keys[] = {
            "spacing", "numbers", "lifelines", "show-states", "hide-pure-acks", "fold-http",
          };

          self->settings = g_object_ref (settings);
          g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "stream-list-height", self->paned, "position", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "zoom", self->ladder_view, "zoom", G_SETTINGS_BIND_DEFAULT);

          /* Stateful actions: the View menu shows and changes the keys. */
          for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
            {
              g_autoptr(GAction) action = g_settings_create_action (settings, view_keys[i]);

              g_action_map_add_action (G_ACTION_MAP (self), action);
            }
          g_signal_connect_object (settings, "changed",
                                   G_CALLBACK (pl_window_update_options), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  pl_window_update_options (self);
}

/* The details pane keeps its width when the window grows (the ladder
 * takes the difference), so its position is set from the right once the
 * paned has a width: in an idle, never during the allocation itself. */
static gboolean
pl_window_place_details (gpointer user_data)
{
  PlWindow *self = user_data;
  int details = self->settings != NULL ? g_settings_get_int (self->settings, "details-width") : 420;
  int width = gtk_widget_get_width (GTK_WIDGET (self->inner_paned));

  self->place_source = 0;
  if (width <= 0)
    return G_SOURCE_REMOVE;

  self->details_placed = TRUE;
  if (width - details > 360)
    gtk_paned_set_position (self->inner_paned, width - details);
  return G_SOURCE_REMOVE;
}

static void
pl_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  PlWindow *self = PL_WINDOW (widget);

  GTK_WIDGET_CLASS (pl_window_parent_class)->size_allocate (widget, width, height, baseline);

  if (!self->details_placed && self->place_source == 0
      && gtk_widget_get_width (GTK_WIDGET (self->inner_paned)) > 0)
    self->place_source = g_idle_add (pl_window_place_details, self);
}

static void
pl_window_dispose (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);

  pl_window_cancel_load (self);
  g_clear_handle_id (&self->place_source, g_source_remove);
  g_clear_object (&self->capture);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pl_window_parent_class)->dispose (object);
}

static void
pl_window_finalize (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);

  g_free (self->last_error);
  g_free (self->last_toast);
  g_free (self->filter_error);
  g_clear_pointer (&self->frame_mask, g_bytes_unref);

  G_OBJECT_CLASS (pl_window_parent_class)->finalize (object);
}

static gboolean
pl_window_close_request (GtkWindow *window)
{
  PlWindow *self = PL_WINDOW (window);

  /* Stop a load in flight; its callback frees what it holds. */
  pl_window_cancel_load (self);

  if (self->settings != NULL && self->details_placed && self->capture != NULL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->inner_paned)) - gtk_paned_get_position (self->inner_paned);

      if (width >= 200)
        g_settings_set_int (self->settings, "details-width", width);
    }

  return GTK_WINDOW_CLASS (pl_window_parent_class)->close_request (window);
}

static void
pl_window_class_init (PlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pl_window_constructed;
  object_class->dispose = pl_window_dispose;
  object_class->finalize = pl_window_finalize;
  window_class->close_request = pl_window_close_request;
  widget_class->size_allocate = pl_window_size_allocate;

  g_type_ensure (PL_TYPE_STREAM_LIST);
  g_type_ensure (PL_TYPE_LADDER_VIEW);
  g_type_ensure (PL_TYPE_FIELD_PANE);
  g_type_ensure (PL_TYPE_HEX_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, stream_list);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, stream_page);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, center_stack);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, ladder_view);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, stream_summary_label);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, details_stack);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, frame_stack);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, field_pane);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, hex_view);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, filter_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, http_box);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, http_page);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", NULL, open_example_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.notify", "s", notify_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.focus-filter", NULL, focus_filter_action);
  gtk_widget_class_install_action (widget_class, "win.focus-ladder", NULL, focus_ladder_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-stream", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.select-http-message", NULL, select_http_message_action);
}

static void
pl_window_init (PlWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->reload_stream = G_MAXUINT;

  self->http_pane = PL_HTTP_PANE (pl_http_pane_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->http_pane), TRUE);
  gtk_box_append (self->http_box, GTK_WIDGET (self->http_pane));

  g_signal_connect_object (self->stream_list, "notify::selected-item",
                           G_CALLBACK (on_stream_selected), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->ladder_view, "notify::selected-frame",
                           G_CALLBACK (on_frame_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->field_pane, "notify::selected-field",
                           G_CALLBACK (on_field_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_entry, "search-changed",
                           G_CALLBACK (pl_window_apply_filter), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->filter_entry, NULL);

  self->recent_manager = gtk_recent_manager_get_default ();
  g_signal_connect_object (self->recent_manager, "changed",
                           G_CALLBACK (pl_window_update_recent_menu), self,
                           G_CONNECT_SWAPPED);
  pl_window_update_recent_menu (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-stream", FALSE);
  pl_window_update_options (self);
  pl_window_show_current_page (self);
}
