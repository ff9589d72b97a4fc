/* pl-window.c: the main window.
 *
 * A capture loads in a worker thread (pl_capture_load_async()).  The
 * worker reports progress from its own thread; we keep only the latest
 * fraction in an atomic and a main-loop timeout shows it, so however often
 * the worker reports, the progress bar is redrawn at most 20 times a second.
 * The capture on show is replaced only when the new one loaded: a file that
 * cannot be read leaves the window as it was, with a toast saying why.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-stream-list.h"
#include "pl-window.h"

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
  GtkLabel             *summary_label;
  PlStreamList         *stream_list;
  AdwStatusPage        *stream_page;

  PlCapture            *capture;
  PlLoadJob            *job;
  char                 *last_error;
};

G_DEFINE_FINAL_TYPE (PlWindow, pl_window, ADW_TYPE_APPLICATION_WINDOW)

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

  if (self->job != NULL)
    page = "loading";
  else if (self->capture != NULL)
    page = "capture";

  gtk_stack_set_visible_child_name (self->main_stack, page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", self->job != NULL);
}

static void
pl_window_set_capture (PlWindow  *self,
                       PlCapture *capture)
{
  g_autofree char *frames = NULL;
  g_autofree char *summary = NULL;
  guint n_streams;
  guint n_frames;

  if (!g_set_object (&self->capture, capture))
    return;

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
}

static gboolean
pl_window_update_progress (gpointer user_data)
{
  PlLoadJob *job = user_data;
  double fraction = (double) g_atomic_int_get (&job->progress) / PROGRESS_SCALE;

  if (job->window != NULL)
    gtk_progress_bar_set_fraction (job->window->progress_bar, fraction);

  return G_SOURCE_CONTINUE;
}

/* Runs in the loading thread. */
static void
pl_window_load_progress (double   fraction,
                         gpointer user_data)
{
  PlLoadJob *job = user_data;

  g_atomic_int_set (&job->progress, (gint) (CLAMP (fraction, 0.0, 1.0) * PROGRESS_SCALE));
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
  const PlTcpStream *stream;
  g_autofree char *title = NULL;
  g_autofree char *frames = NULL;
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;
  char client[80], server[80];

  if (item == NULL)
    {
      adw_status_page_set_title (self->stream_page, _("Select a Stream"));
      adw_status_page_set_description (self->stream_page,
                                       _("Choose a TCP stream in the list to draw its ladder diagram"));
      return;
    }

  stream = pl_stream_item_get_stream (item);
  title = g_strdup_printf (_("Stream %u"), stream->index);
  frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", stream->n_frames),
                            stream->n_frames);
  /* Translators: client → server, then the frame count ("273 frames"). */
  description = g_strdup_printf (_("%s → %s\n%s"),
                                 pl_endpoint_to_string (&stream->ep[0], client, sizeof client),
                                 pl_endpoint_to_string (&stream->ep[1], server, sizeof server),
                                 frames);
  escaped = g_markup_escape_text (description, -1);

  adw_status_page_set_title (self->stream_page, title);
  adw_status_page_set_description (self->stream_page, escaped);
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

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PlWindow *self = PL_WINDOW (widget);

  pl_window_cancel_load (self);
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
          g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
          g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
        }
    }
}

static void
pl_window_dispose (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);

  pl_window_cancel_load (self);
  g_clear_object (&self->capture);

  G_OBJECT_CLASS (pl_window_parent_class)->dispose (object);
}

static void
pl_window_finalize (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);

  g_free (self->last_error);

  G_OBJECT_CLASS (pl_window_parent_class)->finalize (object);
}

static gboolean
pl_window_close_request (GtkWindow *window)
{
  /* Stop a load in flight; its callback frees what it holds. */
  pl_window_cancel_load (PL_WINDOW (window));

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

  g_type_ensure (PL_TYPE_STREAM_LIST);

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

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-example", NULL, open_example_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
}

static void
pl_window_init (PlWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->stream_list, "notify::selected-item",
                           G_CALLBACK (on_stream_selected), self,
                           G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  pl_window_show_current_page (self);
}
