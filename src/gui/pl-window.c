/* pl-window.c: the main window.
 *
 * It assembles three composite widgets (each with its own template): the
 * stream page (table, summary line, filter), the ladder page and the
 * details pane, and owns what joins them: loading a capture, the actions,
 * the settings and the recent captures.  It computes nothing itself: the
 * filter, the summaries, the brackets and the exports are core's and
 * render's, so the window and the command line give the same answers.
 *
 * A capture loads in a worker thread (pl_capture_load_async()).  The
 * worker reports progress from its own thread; we keep only the latest
 * fraction in an atomic and a main-loop timeout shows it, so however often
 * the worker reports, the progress bar is redrawn at most 20 times a second.
 * The capture on show is replaced only when the new one loaded: a file that
 * cannot be read leaves the window as it was, with a toast saying why.
 * Every capture that loads, by whatever route, goes to the recent files.
 *
 * Every action is in the window's action map (so D-Bus, menus, shortcuts
 * and tests drive the same thing).  The view options are property actions
 * on the ladder view, whose properties are bound to GSettings here, in
 * init: the settings and the actions exist however the window was made.
 * The details pane is an AdwFlap that folds away when the window is too
 * narrow for it and the ladder; win.show-details shows or hides it, and is
 * remembered only for the unfolded window.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pl-capture-dialog.h"
#include "pl-details-pane.h"
#include "pl-export-dialog.h"
#include "pl-http-message.h"
#include "pl-ladder-page.h"
#include "pl-live-capture.h"
#include "pl-settings.h"
#include "pl-stream-page.h"
#include "pl-window.h"

#define MAX_RECENT 8

#define PROGRESS_INTERVAL_MS 50
#define PROGRESS_SCALE       10000

#define DETAILS_MIN_WIDTH  280
#define LADDER_MIN_WIDTH   400

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
  AdwFlap              *flap;
  GtkPaned             *paned;
  PlStreamPage         *stream_page;
  PlLadderPage         *ladder_page;
  PlDetailsPane        *details_pane;
  GtkWidget            *details_handle;
  GtkSearchEntry       *filter_entry;
  GMenu                *recent_menu;
  GtkWidget            *capture_button;
  GtkWidget            *stop_button;
  GtkWidget            *capture_label;

  GSettings            *settings;
  GtkRecentManager     *recent_manager;
  PlCapture            *capture;
  PlLoadJob            *job;
  char                 *last_error;
  char                 *last_toast;
  guint                 reload_stream; /* the stream to show again after Reload */
  gboolean              told_truncated; /* the capture's file shrank: said so */
  guint32               reload_frame;  /* and its selected frame */
  guint                 shown_stream;  /* the stream whose ladder is shown */
  gboolean              show_details;  /* the user's choice for the unfolded window */
  guint                 fold_source;
  double                drag_width;

  /* Live capture (see "Live capture" below). */
  PlLiveCapture        *live;
  char                 *live_filter;   /* the last filter, for the dialog */
  char                 *unsaved_path;  /* a finished capture in the cache, not saved */
  int                   unsaved_lock;  /* flock on it, or -1 */
  char                 *recovery_path; /* the file offered for recovery */
  gboolean              live_job;      /* the load in flight reads the live file */
  gboolean              live_dirty;    /* the file grew while it loaded */
  guint                 live_source;   /* the next reading, scheduled */
  gint64                live_last;     /* when the last reading started */
  gboolean              follow;        /* the ladder keeps the newest frame in view */
  gboolean              live_swapping; /* a reading replaces the capture on show */
  gint64                user_input_until; /* scrolling until then is the user's */
};

G_DEFINE_FINAL_TYPE (PlWindow, pl_window, ADW_TYPE_APPLICATION_WINDOW)

static void pl_window_show_selected_stream (PlWindow *self);
static void on_frame_selected              (PlWindow *self);
static void pl_window_open_file_full       (PlWindow *self,
                                            GFile    *file,
                                            gboolean  live);
static void pl_window_live_loaded          (PlWindow *self);

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

  return self->capture == NULL && self->job == NULL && self->live == NULL;
}

gboolean
pl_window_is_loading (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);

  return self->job != NULL;
}

gboolean
pl_window_is_busy (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);

  return self->job != NULL || pl_stream_page_is_busy (self->stream_page);
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

  return pl_stream_list_get_model (pl_stream_page_get_list (self->stream_page));
}

const char *
pl_window_get_last_error (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->last_error;
}

const char *
pl_window_get_last_toast (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->last_toast;
}

PlLadderView *
pl_window_get_ladder_view (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_ladder_page_get_view (self->ladder_page);
}

PlFieldPane *
pl_window_get_field_pane (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_details_pane_get_field_pane (self->details_pane);
}

PlHexView *
pl_window_get_hex_view (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_details_pane_get_hex_view (self->details_pane);
}

PlStreamList *
pl_window_get_stream_list (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_stream_page_get_list (self->stream_page);
}

GtkWidget *
pl_window_get_http_pane (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (pl_details_pane_get_http_pane (self->details_pane));
}

PlStreamPage *
pl_window_get_stream_page (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->stream_page;
}

PlLadderPage *
pl_window_get_ladder_page (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->ladder_page;
}

PlDetailsPane *
pl_window_get_details_pane (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->details_pane;
}

AdwFlap *
pl_window_get_flap (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return self->flap;
}

const char *
pl_window_get_filter_error (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return pl_stream_page_get_filter_error (self->stream_page);
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

static void
set_action_enabled (PlWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
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

  /* A live capture's file has a temporary name in the cache: say what it is. */
  if (self->live != NULL && self->capture != NULL)
    {
      g_free (name);
      g_free (location);
      name = g_strdup_printf (pl_live_capture_is_running (self->live) ? _("Capturing on %s")
                                                                        : _("Capture on %s, not saved"),
                              pl_live_capture_get_device (self->live));
      location = g_strdup (pl_live_capture_get_filter (self->live));
    }
  else if (self->unsaved_path != NULL && self->capture != NULL)
    {
      g_free (name);
      name = g_strdup (_("Recovered capture, not saved"));
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
  if (self->job != NULL && self->capture != self->job->capture &&
      !(self->live_job && self->capture != NULL))
    page = "loading";
  else if (self->capture == NULL && self->live != NULL && pl_live_capture_is_running (self->live))
    page = "loading";
  else if (self->capture != NULL)
    page = "capture";

  gtk_stack_set_visible_child_name (self->main_stack, page);
  set_action_enabled (self, "cancel-load", self->job != NULL);
  set_action_enabled (self, "export", self->capture != NULL);
  set_action_enabled (self, "reload", self->capture != NULL && pl_capture_get_file (self->capture) != NULL &&
                      (self->live == NULL || !pl_live_capture_is_running (self->live)));
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
      g_auto(GStrv) parts = g_strsplit (gtk_recent_info_get_display_name (info), "_", -1);
      /* Underscores in file names are not mnemonics. */
      g_autofree char *label = g_strjoinv ("__", parts);

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

GMenuModel *
pl_window_get_recent_menu (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);

  return G_MENU_MODEL (self->recent_menu);
}

/* The filter, the streams, the frames */

void
pl_window_set_filter (PlWindow   *self,
                      const char *text)
{
  g_return_if_fail (PL_IS_WINDOW (self));

  /* The entry's own "search-changed" follows later with the same text,
   * which the stream page then ignores. */
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  pl_stream_page_set_filter (self->stream_page, text);
}

static void
on_search_changed (PlWindow *self)
{
  pl_stream_page_set_filter (self->stream_page, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)));
}

/* What the centre shows when no ladder can: a capture without TCP, a
 * filter that keeps nothing, or no stream chosen. */
static void
pl_window_show_no_ladder (PlWindow *self)
{
  PlStreamList *list = pl_stream_page_get_list (self->stream_page);

  if (self->capture != NULL && pl_capture_is_loaded (self->capture) && pl_capture_get_n_streams (self->capture) == 0)
    {
      g_autofree char *frames = NULL;
      g_autofree char *text = NULL;
      guint n = pl_capture_get_n_frames (self->capture);

      frames = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", n), n);
      /* Translators: %s is the file name, then the frame count ("12 frames"). */
      text = g_strdup_printf (_("%s holds %s, none of them a TCP segment: there is no ladder to draw."),
                              pl_capture_get_display_name (self->capture), frames);
      pl_ladder_page_show_empty (self->ladder_page, PL_LADDER_PAGE_NO_STREAMS, text);
    }
  else if (self->capture != NULL && pl_stream_list_get_n_visible (list) == 0)
    {
      g_autofree char *text = pl_stream_page_dup_no_match (self->stream_page);

      pl_ladder_page_show_empty (self->ladder_page, PL_LADDER_PAGE_NO_MATCH, text);
    }
  else
    pl_ladder_page_show_empty (self->ladder_page, PL_LADDER_PAGE_SELECT, NULL);
  pl_details_pane_set_stream (self->details_pane, NULL, G_MAXUINT);
}

static void
pl_window_show_selected_stream (PlWindow *self)
{
  PlStreamItem *item = pl_stream_list_get_selected_item (pl_stream_page_get_list (self->stream_page));
  PlLadderView *view = pl_ladder_page_get_view (self->ladder_page);
  guint32 frame = PL_LADDER_NO_FRAME;
  guint index, row;

  set_action_enabled (self, "export-stream", item != NULL);
  if (item == NULL || self->capture == NULL)
    {
      self->shown_stream = G_MAXUINT;
      pl_window_show_no_ladder (self);
      on_frame_selected (self);
      return;
    }

  index = pl_stream_item_get_index (item);
  /* The same stream drawn again (a new filter, the summaries, a reload):
   * the frame selected stays selected if it is still drawn. */
  if (self->reload_frame != PL_LADDER_NO_FRAME && pl_capture_is_loaded (self->capture))
    {
      frame = self->reload_frame;
      self->reload_frame = PL_LADDER_NO_FRAME;
    }
  else if (index == self->shown_stream)
    frame = pl_ladder_view_get_selected_frame (view);

  pl_ladder_page_show_stream (self->ladder_page, self->capture, index,
                              pl_stream_page_get_frame_filter (self->stream_page));
  pl_details_pane_set_stream (self->details_pane, self->capture, index);
  self->shown_stream = index;
  if (frame != PL_LADDER_NO_FRAME && frame < pl_capture_get_n_frames (self->capture)
      && pl_capture_get_frame (self->capture, frame)->stream == index
      && pl_ladder_view_get_layout (view) != NULL
      && pl_ladder_layout_find_frame (pl_ladder_view_get_layout (view), frame, &row))
    pl_ladder_view_set_selected_frame (view, frame);
  on_frame_selected (self);
}

/* After the filter changed: a stream stays selected (the first one shown
 * when the selected one was filtered out), drawn with the new frame mask. */
static void
on_filter_changed (PlWindow *self)
{
  PlStreamList *list = pl_stream_page_get_list (self->stream_page);
  GtkWidget *entry = GTK_WIDGET (self->filter_entry);
  const char *error = pl_stream_page_get_filter_error (self->stream_page);

  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not a filter: %s"), error);

      gtk_widget_add_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, text);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, _("Filter streams by address, port, HTTP method, URI or status, or by a tcpdump (BPF) expression such as “tcp port 8080 and tcp[tcpflags] & tcp-rst != 0” (Ctrl+F)"));
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }

  if (self->reload_stream != G_MAXUINT)
    {
      pl_stream_list_select_stream (list, self->reload_stream);
      self->reload_stream = G_MAXUINT;
    }
  if (pl_stream_list_get_selected_item (list) == NULL)
    {
      if (!pl_stream_list_select_first (list))
        pl_window_show_selected_stream (self);
    }
  else
    pl_window_show_selected_stream (self);
}

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
  guint32 frame = pl_ladder_view_get_selected_frame (pl_ladder_page_get_view (self->ladder_page));

  pl_details_pane_set_frame (self->details_pane, frame);
  /* Built from a file that shrank meanwhile: zeros, not the frame. */
  if (!pl_window_check_file (self))
    pl_details_pane_set_frame (self->details_pane, PL_LADDER_NO_FRAME);
  set_action_enabled (self, "select-http-message", pl_details_pane_get_message (self->details_pane) != NULL);
}

/* Loading */

static void
pl_window_set_capture (PlWindow  *self,
                       PlCapture *capture)
{
  PlStreamList *list = pl_stream_page_get_list (self->stream_page);
  gboolean loaded = pl_capture_is_loaded (capture);

  if (self->capture == capture)
    {
      /* Shown while it loaded: now list it again in full and keep the
       * stream the user picked. */
      PlStreamItem *item = pl_stream_list_get_selected_item (list);

      if (item != NULL && self->reload_stream == G_MAXUINT)
        self->reload_stream = pl_stream_item_get_index (item);
    }
  else
    {
      /* Another capture: nothing to keep from the ladder on show. */
      self->shown_stream = G_MAXUINT;
      self->told_truncated = FALSE;
    }
  g_set_object (&self->capture, capture);
  pl_stream_page_set_capture (self->stream_page, capture);
  pl_window_update_title (self);

  if (!loaded)
    {
      /* The rest arrives in batches (pl_window_load_progress()); filtering
       * waits for the whole list. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), FALSE);
      if (!pl_stream_list_select_first (list))
        pl_window_show_selected_stream (self);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), TRUE);
  /* The ladder at once, not an empty page: the stream the user was on
   * (after Reload, or chosen while it loaded), else the first. */
  if (self->reload_stream == G_MAXUINT || !pl_stream_list_select_stream (list, self->reload_stream))
    {
      if (!pl_stream_list_select_first (list))
        pl_window_show_selected_stream (self);
    }
  else if (*pl_stream_page_get_filter (self->stream_page) == '\0')
    self->reload_stream = G_MAXUINT;
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
        pl_stream_page_set_progress (job->window->stream_page, fraction);
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
  /* A reading of the live file replaces the one on show when complete. */
  if (self->live_job && self->capture != NULL)
    return;

  if (self->capture != job->capture)
    {
      /* The first streams: show them now, the rest loads behind. */
      pl_window_set_capture (self, job->capture);
      pl_window_show_current_page (self);
    }
  else
    pl_stream_page_add_new_streams (self->stream_page);
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

  if (loaded && self->live_job)
    {
      /* A reading of the live file: not a recent file, and a last block
       * still being written is no news. */
      self->live_job = FALSE;
      self->live_swapping = TRUE;
      pl_window_set_capture (self, capture);
      self->live_swapping = FALSE;
      pl_window_live_loaded (self);
    }
  else if (loaded)
    {
      const GError *warning = pl_capture_get_warning (capture);

      pl_window_set_capture (self, capture);
      /* Whatever the route (command line, Open, recent, drop, Reload). */
      pl_window_add_recent (self, pl_capture_get_file (capture));
      if (warning != NULL)
        pl_window_show_toast (self, warning->message, 10);
    }
  else
    {
      self->reload_stream = G_MAXUINT;
      self->reload_frame = PL_LADDER_NO_FRAME;
      if (self->live_job)
        {
          /* Caught between two blocks: the next reading will do. */
          self->live_job = FALSE;
          pl_window_live_loaded (self);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pl_window_show_toast (self, error->message, 10);
    }

  pl_window_show_current_page (self);
  pl_load_job_free (job);
  g_object_unref (self);
}

void
pl_window_cancel_load (PlWindow *self)
{
  PlLoadJob *job;

  g_return_if_fail (PL_IS_WINDOW (self));

  job = g_steal_pointer (&self->job);
  if (job == NULL)
    return;
  self->live_job = FALSE;

  /* The callback still runs, and frees the job. */
  job->window = NULL;
  g_cancellable_cancel (job->cancellable);

  /* Shown while it loaded: a capture cut by the user is not one to keep
   * working on (its list and ladder would stay half-made). */
  if (self->capture == job->capture)
    {
      pl_stream_page_set_capture (self->stream_page, NULL);
      g_clear_object (&self->capture);
      pl_window_show_no_ladder (self);
      gtk_widget_set_sensitive (GTK_WIDGET (self->filter_entry), TRUE);
      pl_window_update_title (self);
    }
  self->reload_stream = G_MAXUINT;
  self->reload_frame = PL_LADDER_NO_FRAME;
  pl_window_show_current_page (self);
  g_object_unref (self);
}

void
pl_window_open_file (PlWindow *self,
                     GFile    *file)
{
  g_return_if_fail (PL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  pl_window_open_file_full (self, file, FALSE);
}

/* live: a reading of the file a live capture is writing (see below). */
static void
pl_window_open_file_full (PlWindow *self,
                          GFile    *file,
                          gboolean  live)
{
  g_autofree char *name = NULL;
  PlLoadJob *job;

  pl_window_cancel_load (self);
  self->live_job = live;
  /* An error or warning toast is about the load that made it. */
  if (!live)
    g_clear_pointer (&self->last_error, g_free);

  job = g_new0 (PlLoadJob, 1);
  job->window = g_object_ref (self);
  job->capture = pl_capture_new (file);
  job->cancellable = g_cancellable_new ();
  job->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, pl_window_update_progress, job);
  self->job = job;

  name = g_file_get_basename (file);
  if (!live)
    adw_status_page_set_description (self->loading_page, name);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  pl_window_show_current_page (self);

  pl_capture_load_async (job->capture, job->cancellable,
                         pl_window_load_progress, job,
                         pl_window_load_cb, job);
}

/* Reads the file again: a capture tcpdump is still writing gains the
 * frames written since.  The stream, the frame and the filter on screen
 * stay. */
void
pl_window_reload (PlWindow *self)
{
  PlStreamItem *item;
  PlCapture *capture;

  g_return_if_fail (PL_IS_WINDOW (self));

  if (self->capture == NULL || pl_capture_get_file (self->capture) == NULL)
    return;
  capture = self->capture;
  item = pl_stream_list_get_selected_item (pl_stream_page_get_list (self->stream_page));
  pl_window_open_file (self, pl_capture_get_file (capture));
  self->reload_stream = item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT;
  self->reload_frame = pl_ladder_view_get_selected_frame (pl_ladder_page_get_view (self->ladder_page));
}

/* Actions */

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
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PlWindow *self = user_data;
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
  if (self->capture != NULL && pl_capture_get_file (self->capture) != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (pl_capture_get_file (self->capture));

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_example_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PlWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GFile) file = NULL;

  if (PL_IS_APPLICATION (app))
    file = pl_application_get_example_file (PL_APPLICATION (app));
  else
    file = g_file_new_build_filename (SOURCE_SAMPLEDIR, "lab.pcap", NULL);

  pl_window_open_file (self, file);
}

static void
open_recent_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  pl_window_open_file (PL_WINDOW (user_data), file);
}

static void
reload_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  pl_window_reload (PL_WINDOW (user_data));
}

static void
cancel_load_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  pl_window_cancel_load (PL_WINDOW (user_data));
}

static void
notify_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  pl_window_notify (PL_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
zoom_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PlWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  int step = g_str_equal (name, "zoom-in") ? 1 : g_str_equal (name, "zoom-out") ? -1 : 0;

  gtk_widget_activate_action (GTK_WIDGET (pl_ladder_page_get_view (self->ladder_page)), "ladder.zoom", "i", step);
}

static void
focus_filter_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PlWindow *self = user_data;

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->filter_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
}

static void
focus_ladder_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PlWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (pl_ladder_page_get_view (self->ladder_page)));
}

static void
export_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  PlWindow *self = user_data;
  PlExportDialog *dialog;

  if (self->capture == NULL)
    return;

  dialog = pl_export_dialog_new (self);
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "export-stream"))
    pl_export_dialog_set_scope (dialog, PL_EXPORT_SCOPE_SELECTED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
select_http_message_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  PlWindow *self = user_data;
  PlHttpMessage *message = pl_details_pane_get_message (self->details_pane);
  guint last;

  if (message == NULL)
    {
      pl_window_add_toast (self, _("This frame carries no HTTP message"), 3);
      return;
    }

  /* The frame that completes it, and the HTTP page. */
  last = pl_http_message_get_last_frame (message);
  if (last != PL_HTTP_NO_FRAME)
    pl_ladder_view_set_selected_frame (pl_ladder_page_get_view (self->ladder_page), last);
  pl_details_pane_show_http (self->details_pane);
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* The details pane: shown beside the ladder when there is room, over it
 * on demand when the window is narrow. */
static void
show_details_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  PlWindow *self = user_data;
  gboolean show = g_variant_get_boolean (state);

  if (!adw_flap_get_folded (self->flap))
    {
      self->show_details = show;
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "show-details", show);
    }
  adw_flap_set_reveal_flap (self->flap, show);
}

static void
on_flap_changed (PlWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-details");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (adw_flap_get_reveal_flap (self->flap)));
}

static gboolean
pl_window_apply_fold (gpointer user_data)
{
  PlWindow *self = user_data;

  self->fold_source = 0;
  /* Folding hides the pane (it would cover the ladder); unfolding brings
   * back what the user chose for a wide window. */
  adw_flap_set_reveal_flap (self->flap, adw_flap_get_folded (self->flap) ? FALSE : self->show_details);
  return G_SOURCE_REMOVE;
}

/* The flap folds while it allocates: change what it shows after that. */
static void
on_flap_folded (PlWindow *self)
{
  if (self->fold_source == 0)
    self->fold_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, pl_window_apply_fold, self, NULL);
}

static void
on_show_details_setting (PlWindow *self)
{
  self->show_details = g_settings_get_boolean (self->settings, "show-details");
  if (!adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, self->show_details);
}

/* The handle between the ladder and the details resizes the details. */
static void
on_handle_drag_begin (GtkGestureDrag *gesture,
                      double          x,
                      double          y,
                      PlWindow       *self)
{
  self->drag_width = gtk_widget_get_width (GTK_WIDGET (self->details_pane));
}

static void
on_handle_drag_update (GtkGestureDrag *gesture,
                       double          dx,
                       double          dy,
                       PlWindow       *self)
{
  double max = gtk_widget_get_width (GTK_WIDGET (self)) - LADDER_MIN_WIDTH;
  int width = (int) CLAMP (self->drag_width - dx, DETAILS_MIN_WIDTH, MAX (max, DETAILS_MIN_WIDTH));

  gtk_widget_set_size_request (GTK_WIDGET (self->details_pane), width, -1);
}

static void
on_handle_drag_end (GtkGestureDrag *gesture,
                    double          dx,
                    double          dy,
                    PlWindow       *self)
{
  int width;

  gtk_widget_get_size_request (GTK_WIDGET (self->details_pane), &width, NULL);
  if (self->settings != NULL)
    g_settings_set_int (self->settings, "details-width", width);
}

/* Live capture (issue 17).
 *
 * The window owns a PlLiveCapture while it runs.  The capture writes a
 * pcapng file in the cache folder (captures/, a temporary name until it
 * ends); each time it reports more frames the window loads that file
 * again, in the worker every capture loads in, at most every
 * LIVE_REFRESH_MS and one load at a time, and shows the new reading in
 * place of the old one as Reload does: the stream and frame on screen
 * stay, and the ladder keeps its newest frame in view unless the user
 * scrolled away from the end.  When the capture ends the file stays in
 * the cache, locked while this window holds it, until Save As copies it
 * out; a file left there (the app closed while capturing, or before it
 * was saved) is offered for recovery at the next start.
 */

#define LIVE_REFRESH_MS 300

static char *
pl_window_captures_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "packet-ladder", "captures", NULL);
}

static void
pl_window_update_capture_ui (PlWindow *self)
{
  gboolean running = self->live != NULL && pl_live_capture_is_running (self->live);
  GAction *action;

  gtk_widget_set_visible (self->stop_button, running);
  gtk_widget_set_visible (self->capture_button, !running);
  set_action_enabled (self, "capture", !running);
  set_action_enabled (self, "capture-start", !running);
  set_action_enabled (self, "capture-stop", running);
  /* The window shows the capture while it runs: other files wait. */
  set_action_enabled (self, "open", !running);
  set_action_enabled (self, "open-example", !running);
  set_action_enabled (self, "open-recent", !running);
  set_action_enabled (self, "reload", !running && self->capture != NULL && pl_capture_get_file (self->capture) != NULL);
  set_action_enabled (self, "save-capture", !running && self->unsaved_path != NULL);
  set_action_enabled (self, "save-capture-to", !running && self->unsaved_path != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "capture-start");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (running));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "capture-stop");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (running));

  if (self->live != NULL)
    {
      /* A capture holds at most 2^32 frames (PlCapture's frame numbers). */
      guint frames = (guint) MIN (pl_live_capture_get_n_frames (self->live), G_MAXUINT);
      guint dropped = (guint) MIN (pl_live_capture_get_n_dropped (self->live), G_MAXUINT);
      g_autofree char *f = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u frame", "%'u frames", frames), frames);
      g_autofree char *d = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u dropped", "%'u dropped", dropped),
                                            dropped);
      /* Translators: the header bar's capture counts, "12 frames · 0 dropped". */
      g_autofree char *text = g_strdup_printf (_("%s · %s"), f, d);

      gtk_label_set_text (GTK_LABEL (self->capture_label), text);
      gtk_widget_set_visible (self->capture_label, TRUE);
      if (dropped > 0)
        gtk_widget_add_css_class (self->capture_label, "warning");
      else
        gtk_widget_remove_css_class (self->capture_label, "warning");
    }
  else
    gtk_widget_set_visible (self->capture_label, FALSE);
  pl_window_update_title (self);
}

/* Keeps the finished capture's file from being offered for recovery by
 * another instance while this window holds it. */
static void
pl_window_set_unsaved (PlWindow   *self,
                       const char *path)
{
  if (self->unsaved_lock >= 0)
    {
      close (self->unsaved_lock);
      self->unsaved_lock = -1;
    }
  g_free (self->unsaved_path);
  self->unsaved_path = g_strdup (path);
  if (path != NULL)
    {
      self->unsaved_lock = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (self->unsaved_lock >= 0 && flock (self->unsaved_lock, LOCK_EX | LOCK_NB) != 0)
        {
          close (self->unsaved_lock);
          self->unsaved_lock = -1;
        }
    }
}

static gboolean pl_window_live_refresh_cb (gpointer user_data);

static void
pl_window_schedule_live_refresh (PlWindow *self)
{
  gint64 since = (g_get_monotonic_time () - self->live_last) / 1000;

  if (self->live_source != 0)
    return;
  self->live_source = g_timeout_add ((guint) CLAMP (LIVE_REFRESH_MS - since, 0, LIVE_REFRESH_MS),
                                     pl_window_live_refresh_cb, self);
}

/* A new reading of the live file, loaded as any file is. */
static gboolean
pl_window_live_refresh_cb (gpointer user_data)
{
  PlWindow *self = user_data;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  PlStreamItem *item;

  self->live_source = 0;
  if (self->live == NULL)
    return G_SOURCE_REMOVE;
  if (self->job != NULL)
    {
      /* One reading at a time; a file the user opened meanwhile wins. */
      if (self->live_job)
        self->live_dirty = TRUE;
      return G_SOURCE_REMOVE;
    }
  path = pl_live_capture_dup_path (self->live);
  if (path == NULL || (pl_live_capture_get_n_frames (self->live) == 0 && pl_live_capture_is_running (self->live)))
    return G_SOURCE_REMOVE;

  self->live_last = g_get_monotonic_time ();
  self->live_dirty = FALSE;
  item = pl_stream_list_get_selected_item (pl_stream_page_get_list (self->stream_page));
  file = g_file_new_for_path (path);
  pl_window_open_file_full (self, file, TRUE);
  if (self->capture != NULL)
    {
      self->reload_stream = item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT;
      self->reload_frame = pl_ladder_view_get_selected_frame (pl_ladder_page_get_view (self->ladder_page));
    }
  return G_SOURCE_REMOVE;
}

static void
pl_window_scroll_to_end (PlWindow *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (pl_ladder_page_get_scroller (self->ladder_page));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

/* The user scrolled: follow the newest frame again only from the end.
 * The ladder also moves by itself (a new reading resets it, a selection
 * scrolls to its frame): only a move right after the user's wheel, keys
 * or scroll bar counts. */
static void
on_ladder_scrolled (GtkAdjustment *adj,
                    PlWindow      *self)
{
  if (self->live == NULL)
    return;
  if (self->live_swapping || g_get_monotonic_time () > self->user_input_until)
    {
      /* Moved by itself while following: back to the newest frame. */
      if (self->follow && !self->live_swapping &&
          gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) < gtk_adjustment_get_upper (adj) - 1)
        pl_window_scroll_to_end (self);
      return;
    }
  self->follow = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
                 gtk_adjustment_get_upper (adj) - 1;
}

static void
mark_user_input (PlWindow *self)
{
  self->user_input_until = g_get_monotonic_time () + 500 * 1000;
}

static gboolean
on_user_scroll (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                PlWindow                 *self)
{
  mark_user_input (self);
  return FALSE;
}

static gboolean
on_user_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             PlWindow              *self)
{
  mark_user_input (self);
  return FALSE;
}

static void
on_user_scrollbar (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   PlWindow        *self)
{
  mark_user_input (self);
}

static void
on_user_scrollbar_drag (GtkGestureDrag *gesture,
                        double          dx,
                        double          dy,
                        PlWindow       *self)
{
  mark_user_input (self);
}

/* What the user does to move the ladder, seen before the ladder sees it. */
static void
pl_window_watch_user_scrolling (PlWindow *self)
{
  GtkScrolledWindow *scroller = pl_ladder_page_get_scroller (self->ladder_page);
  GtkWidget *bar = gtk_scrolled_window_get_vscrollbar (scroller);
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_event_controller_set_name (scroll, "pl-follow-scroll");
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_user_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (scroller), scroll);
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_user_key), self);
  gtk_widget_add_controller (GTK_WIDGET (scroller), key);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_user_scrollbar), self);
  gtk_widget_add_controller (bar, GTK_EVENT_CONTROLLER (click));
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_user_scrollbar_drag), self);
  gtk_widget_add_controller (bar, GTK_EVENT_CONTROLLER (drag));
}

/* The ladder grew (or was laid out again). */
static void
on_ladder_resized (GtkAdjustment *adj,
                   PlWindow      *self)
{
  if (self->live != NULL && self->follow)
    pl_window_scroll_to_end (self);
}

/* After a reading of the live file replaced the capture on show. */
static void
pl_window_live_loaded (PlWindow *self)
{
  if (self->follow)
    pl_window_scroll_to_end (self);
  if (self->live != NULL && (self->live_dirty || !pl_live_capture_is_finished (self->live)))
    {
      if (self->live_dirty)
        pl_window_schedule_live_refresh (self);
    }
}

static void
on_live_progress (PlLiveCapture *live,
                  PlWindow      *self)
{
  pl_window_update_capture_ui (self);
  pl_window_schedule_live_refresh (self);
}

static void
on_live_finished (PlLiveCapture *live,
                  PlWindow      *self)
{
  const GError *error = pl_live_capture_get_error (live);
  g_autofree char *path = pl_live_capture_dup_path (live);

  if (error != NULL)
    pl_window_show_toast (self, error->message, 0);
  pl_window_set_unsaved (self, path);
  if (path == NULL)
    {
      /* Nothing captured (it never started): nothing to show or save. */
      g_signal_handlers_disconnect_by_data (live, self);
      g_clear_object (&self->live);
      if (self->job != NULL && self->live_job)
        pl_window_cancel_load (self);
    }
  else
    {
      /* The last reading, from the finished file. */
      g_clear_handle_id (&self->live_source, g_source_remove);
      self->live_last = 0;
      if (self->job != NULL && self->live_job)
        self->live_dirty = TRUE;
      else
        pl_window_live_refresh_cb (self);
    }
  pl_window_update_capture_ui (self);
  pl_window_show_current_page (self);
}

gboolean
pl_window_start_capture (PlWindow    *self,
                         const char  *device,
                         const char  *filter,
                         GError     **error)
{
  g_autofree char *dir = pl_window_captures_dir ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *path = NULL;
  g_autoptr(PlLiveCapture) live = NULL;
  guint i;

  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);

  if (self->live != NULL && pl_live_capture_is_running (self->live))
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", dir, g_strerror (e));
      return FALSE;
    }
  for (i = 0; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_free (path);
      path = i == 0 ? g_strdup_printf ("%s/capture-%s.pcapng", dir, stamp)
                    : g_strdup_printf ("%s/capture-%s-%u.pcapng", dir, stamp, i);
    }

  live = pl_live_capture_new (device, filter);
  if (!pl_live_capture_start (live, path, error))
    return FALSE;

  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_set_object (&self->live, live);
  g_free (self->live_filter);
  self->live_filter = g_strdup (filter);
  /* A capture not saved before stays in the cache, offered at next start. */
  pl_window_set_unsaved (self, NULL);
  self->follow = TRUE;
  self->live_last = 0;
  g_signal_connect (live, "progress", G_CALLBACK (on_live_progress), self);
  g_signal_connect (live, "finished", G_CALLBACK (on_live_finished), self);
  {
    /* Translators: %s is an interface ("lo"). */
    g_autofree char *text = g_strdup_printf (_("Capturing on %s…"), device);

    adw_status_page_set_description (self->loading_page, text);
  }
  pl_window_update_capture_ui (self);
  pl_window_show_current_page (self);
  return TRUE;
}

void
pl_window_stop_capture (PlWindow *self)
{
  g_return_if_fail (PL_IS_WINDOW (self));

  if (self->live != NULL)
    pl_live_capture_stop (self->live);
}

PlLiveCapture *
pl_window_get_live_capture (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);
  return self->live;
}

const char *
pl_window_get_unsaved_capture (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);
  return self->unsaved_path;
}

gboolean
pl_window_is_following (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), FALSE);
  return self->follow;
}

static void
capture_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PlWindow *self = user_data;
  PlCaptureDialog *dialog = pl_capture_dialog_new (GTK_WINDOW (self),
                                                   self->live_filter != NULL ? self->live_filter : "tcp port 8080");

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
capture_start_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  PlWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *device, *filter;

  g_variant_get (parameter, "(&s&s)", &device, &filter);
  if (!pl_window_start_capture (self, device, filter, &error))
    pl_window_show_toast (self, error->message, 10);
}

static void
capture_stop_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  pl_window_stop_capture (PL_WINDOW (user_data));
}

/* Save As: a copy under a temporary name beside the target, renamed when
 * complete; then the cache file goes and the saved file is opened. */
typedef struct
{
  char *source;
  char *target;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->source);
  g_free (job->target);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->target);
  g_autofree char *base = g_path_get_basename (job->target);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  g_autoptr(GFile) src = g_file_new_for_path (job->source);
  g_autoptr(GFile) dst = NULL;
  GError *error = NULL;
  int fd = g_mkstemp (tmp);

  if (fd < 0)
    {
      int e = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (e),
                               _("Cannot write %s: %s"), job->target, g_strerror (e));
      return;
    }
  close (fd);
  dst = g_file_new_for_path (tmp);
  if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error) ||
      g_rename (tmp, job->target) != 0)
    {
      int e = errno;

      g_unlink (tmp);
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, g_io_error_from_errno (e), _("Cannot write %s: %s"),
                             job->target, g_strerror (e));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
save_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PlWindow *self = PL_WINDOW (source);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      pl_window_show_toast (self, error->message, 10);
      return;
    }
  if (self->unsaved_path != NULL && g_strcmp0 (self->unsaved_path, job->source) == 0)
    {
      g_unlink (job->source);
      pl_window_set_unsaved (self, NULL);
      if (self->live != NULL)
        g_signal_handlers_disconnect_by_data (self->live, self);
      g_clear_object (&self->live);
    }
  {
    g_autoptr(GFile) file = g_file_new_for_path (job->target);
    PlStreamItem *item = pl_stream_list_get_selected_item (pl_stream_page_get_list (self->stream_page));
    guint stream = item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT;
    guint32 frame = pl_ladder_view_get_selected_frame (pl_ladder_page_get_view (self->ladder_page));
    g_autofree char *text = NULL;

    pl_window_open_file (self, file);
    self->reload_stream = stream;
    self->reload_frame = frame;
    /* Translators: %s is a file. */
    text = g_strdup_printf (_("Saved to %s"), job->target);
    pl_window_add_toast (self, text, 3);
  }
  pl_window_update_capture_ui (self);
}

void
pl_window_save_capture_to (PlWindow   *self,
                           const char *path)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (PL_IS_WINDOW (self));
  if (self->unsaved_path == NULL)
    return;
  job = g_new0 (SaveJob, 1);
  job->source = g_strdup (self->unsaved_path);
  job->target = g_strdup (path);
  task = g_task_new (self, NULL, save_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static void
save_capture_to_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  pl_window_save_capture_to (PL_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
on_save_chooser_response (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  PlWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        pl_window_save_capture_to (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_capture_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PlWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->unsaved_path == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Capture"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = g_path_get_basename (self->unsaved_path);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Recovery: files in the captures folder that no running instance holds
 * (a capture's temporary file is locked by its writer, a finished one by
 * the window showing it). */
static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autofree char *dir = pl_window_captures_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gint64 newest = G_MININT64;
  char *best = NULL;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;
      int fd;

      if (!g_str_has_suffix (name, ".pcapng") && !g_str_has_suffix (name, ".part"))
        continue;
      path = g_build_filename (dir, name, NULL);
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) != 0 || fstat (fd, &st) != 0 || st.st_size == 0)
        {
          close (fd);
          continue;
        }
      close (fd);
      if ((gint64) st.st_mtime > newest)
        {
          newest = st.st_mtime;
          g_free (best);
          best = g_strdup (path);
        }
    }
  g_task_return_pointer (task, best, g_free);
}

static void
on_recover_response (AdwMessageDialog *dialog,
                     const char       *response,
                     PlWindow         *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");

  if (g_strcmp0 (response, "recover") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.recover-capture", "s", path);
  else if (g_strcmp0 (response, "discard") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.discard-capture", "s", path);
}

static void
scan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PlWindow *self = PL_WINDOW (source);
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autofree char *when = NULL;
  g_autofree char *size = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GStatBuf st;

  if (path == NULL || g_stat (path, &st) != 0 || !gtk_widget_get_realized (GTK_WIDGET (self)))
    return;
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (st.st_mtime);

    when = g_date_time_format (time, "%c");
  }
  size = g_format_size ((guint64) st.st_size);
  g_free (self->recovery_path);
  self->recovery_path = g_strdup (path);
  /* Translators: a date, then a size ("1.2 MB"). */
  body = g_strdup_printf (_("A capture from %s (%s) was not saved: Packet Ladder was closed while it ran or before it was saved. Open it to look at it and save it, or discard it."),
                          when, size);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Recover the Unsaved Capture?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "discard", _("_Discard"),
                                    "later", _("_Later"),
                                    "recover", _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "recover", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "recover");
  adw_message_dialog_set_close_response (dialog, "later");
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_recover_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pl_window_offer_recovery (PlWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PL_IS_WINDOW (self));
  task = g_task_new (self, NULL, scan_done, NULL);
  g_task_run_in_thread (task, scan_thread);
}

const char *
pl_window_get_recovery_offer (PlWindow *self)
{
  g_return_val_if_fail (PL_IS_WINDOW (self), NULL);
  return self->recovery_path;
}

static void
recover_capture_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PlWindow *self = user_data;
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (self->live != NULL && pl_live_capture_is_running (self->live))
    return;
  g_clear_pointer (&self->recovery_path, g_free);
  /* Kept in the cache until saved, as a capture that just ended. */
  pl_window_set_unsaved (self, path);
  pl_window_open_file_full (self, file, FALSE);
  pl_window_update_capture_ui (self);
}

static void
discard_capture_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PlWindow *self = user_data;
  const char *path = g_variant_get_string (parameter, NULL);
  g_autofree char *dir = pl_window_captures_dir ();
  g_autofree char *parent = g_path_get_dirname (path);

  g_clear_pointer (&self->recovery_path, g_free);
  /* Only what the captures folder holds, and not what is on show. */
  if (g_strcmp0 (dir, parent) == 0 && g_strcmp0 (path, self->unsaved_path) != 0)
    g_unlink (path);
}

static const GActionEntry win_actions[] = {
  { .name = "open", .activate = open_action },
  { .name = "open-example", .activate = open_example_action },
  { .name = "open-recent", .activate = open_recent_action, .parameter_type = "s" },
  { .name = "reload", .activate = reload_action },
  { .name = "cancel-load", .activate = cancel_load_action },
  { .name = "notify", .activate = notify_action, .parameter_type = "s" },
  { .name = "zoom-in", .activate = zoom_action },
  { .name = "zoom-out", .activate = zoom_action },
  { .name = "zoom-reset", .activate = zoom_action },
  { .name = "focus-filter", .activate = focus_filter_action },
  { .name = "focus-ladder", .activate = focus_ladder_action },
  { .name = "export", .activate = export_action },
  { .name = "export-stream", .activate = export_action },
  { .name = "select-http-message", .activate = select_http_message_action },
  { .name = "show-details", .state = "true", .change_state = show_details_change_state },
  { .name = "capture", .activate = capture_action },
  { .name = "capture-start", .activate = capture_start_action, .parameter_type = "(ss)", .state = "false" },
  { .name = "capture-stop", .activate = capture_stop_action, .state = "false" },
  { .name = "save-capture", .activate = save_capture_action },
  { .name = "save-capture-to", .activate = save_capture_to_action, .parameter_type = "s" },
  { .name = "recover-capture", .activate = recover_capture_action, .parameter_type = "s" },
  { .name = "discard-capture", .activate = discard_capture_action, .parameter_type = "s" },
};

/* The view options: the ladder view's properties, as actions and as
 * settings.  The same names everywhere. */
static const char *view_options[] = {
  "spacing", "numbers", "lifelines", "show-states", "hide-pure-acks", "fold-http",
  "explain", "time",
};

/* Drag and drop */

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

  /* While capturing, files dropped here open in windows of their own. */
  if (self->live != NULL && pl_live_capture_is_running (self->live))
    {
      app = gtk_window_get_application (GTK_WINDOW (self));
      if (app == NULL)
        return FALSE;
      others = g_ptr_array_new ();
      for (const GSList *iter = files; iter != NULL; iter = iter->next)
        g_ptr_array_add (others, iter->data);
      g_application_open (G_APPLICATION (app), (GFile **) others->pdata, others->len, "");
      return TRUE;
    }

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

/* Lifetime */

static void
pl_window_dispose (GObject *object)
{
  PlWindow *self = PL_WINDOW (object);

  pl_window_cancel_load (self);
  g_clear_handle_id (&self->fold_source, g_source_remove);
  g_clear_handle_id (&self->live_source, g_source_remove);
  if (self->live != NULL)
    {
      /* Its threads finish the file on their own (the temporary name
       * stays for recovery if the process ends first). */
      g_signal_handlers_disconnect_by_data (self->live, self);
      pl_live_capture_stop (self->live);
      g_clear_object (&self->live);
    }
  pl_window_set_unsaved (self, NULL);
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
  g_free (self->live_filter);
  g_free (self->unsaved_path);
  g_free (self->recovery_path);

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

  object_class->dispose = pl_window_dispose;
  object_class->finalize = pl_window_finalize;
  window_class->close_request = pl_window_close_request;

  g_type_ensure (PL_TYPE_STREAM_PAGE);
  g_type_ensure (PL_TYPE_LADDER_PAGE);
  g_type_ensure (PL_TYPE_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, stream_page);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, ladder_page);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, details_pane);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, details_handle);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, capture_button);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, PlWindow, capture_label);
  /* For tests, through gtk_widget_get_template_child(). */
  gtk_widget_class_bind_template_child_full (widget_class, "view_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "details_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "menu_button", FALSE, 0);
}

static void
pl_window_init (PlWindow *self)
{
  PlLadderView *view;
  GtkDropTarget *drop;
  GtkGesture *drag;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->reload_stream = G_MAXUINT;
  self->reload_frame = PL_LADDER_NO_FRAME;
  self->shown_stream = G_MAXUINT;
  self->show_details = TRUE;
  self->unsaved_lock = -1;
  view = pl_ladder_page_get_view (self->ladder_page);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (view_options); i++)
    {
      g_autoptr(GPropertyAction) action = g_property_action_new (view_options[i], view, view_options[i]);

      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }

  /* Here, not in constructed(): a window exists before its application
   * is set (and may have none), and its settings must not wait for it. */
  self->settings = pl_settings_get_default ();
  if (self->settings != NULL)
    {
      int details_width = g_settings_get_int (self->settings, "details-width");

      g_object_ref (self->settings);
      g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "stream-list-height", self->paned, "position", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "zoom", view, "zoom", G_SETTINGS_BIND_DEFAULT);
      for (guint i = 0; i < G_N_ELEMENTS (view_options); i++)
        g_settings_bind (self->settings, view_options[i], view, view_options[i], G_SETTINGS_BIND_DEFAULT);
      gtk_widget_set_size_request (GTK_WIDGET (self->details_pane), MAX (details_width, DETAILS_MIN_WIDTH), -1);
      self->show_details = g_settings_get_boolean (self->settings, "show-details");
      g_signal_connect_object (self->settings, "changed::show-details",
                               G_CALLBACK (on_show_details_setting), self, G_CONNECT_SWAPPED);
    }
  adw_flap_set_reveal_flap (self->flap, self->show_details && !adw_flap_get_folded (self->flap));
  on_flap_changed (self);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (on_flap_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (on_flap_folded), self, G_CONNECT_SWAPPED);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_handle_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_handle_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_handle_drag_end), self);
  gtk_widget_add_controller (self->details_handle, GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_cursor_from_name (self->details_handle, "col-resize");

  g_signal_connect_object (self->stream_page, "filter-changed",
                           G_CALLBACK (on_filter_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pl_stream_page_get_list (self->stream_page), "notify::selected-item",
                           G_CALLBACK (pl_window_show_selected_stream), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "notify::selected-frame",
                           G_CALLBACK (on_frame_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_entry, "search-changed",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
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

  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (pl_ladder_page_get_scroller (self->ladder_page));

    g_signal_connect_object (adj, "value-changed", G_CALLBACK (on_ladder_scrolled), self, 0);
    g_signal_connect_object (adj, "changed", G_CALLBACK (on_ladder_resized), self, 0);
    pl_window_watch_user_scrolling (self);
  }
  pl_window_update_capture_ui (self);

  set_action_enabled (self, "export-stream", FALSE);
  set_action_enabled (self, "select-http-message", FALSE);
  pl_window_show_no_ladder (self);
  pl_window_show_current_page (self);
}
