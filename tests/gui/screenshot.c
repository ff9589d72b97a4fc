/* screenshot.c: renders the main window into a PNG, for the metainfo
 * screenshots and for looking at the window under Xvfb.  Not a test.
 *
 *   screenshot OUT.png [--empty] [--dark] [--frame N] [--field KEY] [--http]
 *                      [--stream N] [--width W] [--height H] [--file PATH]
 *                      [--filter TEXT] [--option NAME=VALUE]... [--end]
 *                      [--scroll-x FRACTION] [--details] [--no-details]
 *                      [--popup view|main|recent]
 *                      [--dialog preferences|export|shortcuts|about|capture]
 *                      [--capture-filter TEXT] [--live FILTER]
 *
 * --live starts a capture on lo with FILTER (PL_LIVE_REPLAY replays a file
 * as if live) and renders the window two seconds later.
 *
 * --option changes a window action's state ("hide-pure-acks=true",
 * "spacing=time"); --popup and --dialog render that popover or window
 * instead of the main window.
 * PL_LOCALEDIR points gettext at a folder of compiled catalogues.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pl-application.h"
#include "pl-capture-dialog.h"
#include "pl-export-dialog.h"
#include "pl-preferences-window.h"
#include "pl-window.h"

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static void
set_option (PlWindow   *window,
            const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, "=", 2);
  GVariant *state;

  if (parts[0] == NULL || parts[1] == NULL)
    g_error ("--option wants NAME=VALUE, not %s", spec);
  if (g_str_equal (parts[1], "true") || g_str_equal (parts[1], "false"))
    state = g_variant_new_boolean (g_str_equal (parts[1], "true"));
  else
    state = g_variant_new_string (parts[1]);
  g_action_group_change_action_state (G_ACTION_GROUP (window), parts[0], state);
}

static void
save (GtkWidget  *window,
      const char *path)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  /* A window that changes as it is taken (a live capture) may have
   * nothing drawn for an instant: take it again after the next frame. */
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      spin (20);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert (node != NULL);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
  g_print ("%s: %dx%d\n", path, width, height);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}

int
main (int    argc,
      char **argv)
{
  gboolean empty = FALSE, dark = FALSE, http = FALSE;
  int frame = -1, stream = 0, width = 1400, height = 900;
  char *field = NULL;
  char *file_path = NULL;
  char *filter = NULL;
  char *popup = NULL;
  char *dialog = NULL;
  char *capture_filter = NULL;
  char *live = NULL;
  char **options = NULL;
  gboolean end = FALSE, details = FALSE, no_details = FALSE;
  double scroll_x = 0;
  GtkWidget *target;
  GOptionEntry entries[] = {
    { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, "No capture", NULL },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "http", 0, 0, G_OPTION_ARG_NONE, &http, "Show the HTTP pane", NULL },
    { "frame", 0, 0, G_OPTION_ARG_INT, &frame, "Frame number to select (from 1)", NULL },
    { "stream", 0, 0, G_OPTION_ARG_INT, &stream, "Stream to show", NULL },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, "Field key to select", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", NULL },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", NULL },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file_path, "Capture to open (default: the sample)", NULL },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter, "Stream filter", NULL },
    { "option", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options, "A window action's state, NAME=VALUE", NULL },
    { "end", 0, 0, G_OPTION_ARG_NONE, &end, "Select the last frame", NULL },
    { "scroll-x", 0, 0, G_OPTION_ARG_DOUBLE, &scroll_x, "Scroll the ladder sideways (0..1)", NULL },
    { "details", 0, 0, G_OPTION_ARG_NONE, &details, "Show the details", NULL },
    { "no-details", 0, 0, G_OPTION_ARG_NONE, &no_details, "Hide the details", NULL },
    { "popup", 0, 0, G_OPTION_ARG_STRING, &popup, "Render a menu: view, main or recent", NULL },
    { "dialog", 0, 0, G_OPTION_ARG_STRING, &dialog, "Render a window: preferences, export, shortcuts, about, capture", NULL },
    { "live", 0, 0, G_OPTION_ARG_STRING, &live, "Capture on lo with this filter first", NULL },
    { "capture-filter", 0, 0, G_OPTION_ARG_STRING, &capture_filter, "With --dialog capture: the filter typed", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OUT.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlApplication) app = NULL;
  PlWindow *window;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PL_LOCALEDIR") != NULL ? g_getenv ("PL_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "screenshot OUT.png [options]");
      return 2;
    }

  gtk_init ();
  app = pl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  window = pl_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    set_option (window, options[i]);

  if (!empty)
    {
      g_autoptr(GFile) file = file_path != NULL ? g_file_new_for_commandline_arg (file_path)
                                                : pl_application_get_example_file (app);

      pl_window_open_file (window, file);
      while (pl_window_is_busy (window))
        g_main_context_iteration (NULL, TRUE);
      if (filter != NULL)
        {
          pl_window_set_filter (window, filter);
          spin (50);
          while (pl_window_is_busy (window))
            g_main_context_iteration (NULL, TRUE);
        }
      pl_stream_list_select_stream (pl_window_get_stream_list (window), stream);
      spin (300);
      if (frame > 0)
        pl_ladder_view_set_selected_frame (pl_window_get_ladder_view (window), frame - 1);
      if (end)
        gtk_widget_activate_action (GTK_WIDGET (pl_window_get_ladder_view (window)), "ladder.move", "i", 3);
      spin (200);
      if (field != NULL)
        pl_field_pane_select_key (pl_window_get_field_pane (window), field);
      if (http)
        g_action_group_activate_action (G_ACTION_GROUP (window), "select-http-message", NULL);
      if (scroll_x > 0)
        {
          GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (pl_window_get_ladder_view (window)));

          gtk_adjustment_set_value (h, scroll_x * (gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h)));
        }
    }
  spin (300);
  if (details || no_details)
    g_action_group_change_action_state (G_ACTION_GROUP (window), "show-details", g_variant_new_boolean (details));

  spin (800);
  if (live != NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "capture-start", g_variant_new ("(ss)", "lo", live));
      spin (2000);
    }
  target = GTK_WIDGET (window);
  if (popup != NULL)
    {
      const char *id = g_str_equal (popup, "view") ? "view_button" : g_str_equal (popup, "main") ? "menu_button" : NULL;
      GtkPopover *popover;

      if (id != NULL)
        {
          GtkMenuButton *button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (window), PL_TYPE_WINDOW, id));

          gtk_menu_button_popup (button);
          popover = gtk_menu_button_get_popover (button);
        }
      else
        {
          popover = GTK_POPOVER (gtk_popover_menu_new_from_model (pl_window_get_recent_menu (window)));
          gtk_widget_set_parent (GTK_WIDGET (popover), GTK_WIDGET (window));
          gtk_popover_popup (popover);
        }
      spin (600);
      target = GTK_WIDGET (popover);
    }
  if (dialog != NULL)
    {
      GType type = GTK_TYPE_WINDOW;

      if (g_str_equal (dialog, "preferences"))
        {
          g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
          type = PL_TYPE_PREFERENCES_WINDOW;
        }
      else if (g_str_equal (dialog, "export"))
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
          type = PL_TYPE_EXPORT_DIALOG;
        }
      else if (g_str_equal (dialog, "shortcuts"))
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
          type = GTK_TYPE_SHORTCUTS_WINDOW;
        }
      else if (g_str_equal (dialog, "capture"))
        {
          g_action_group_activate_action (G_ACTION_GROUP (window), "capture", NULL);
          type = PL_TYPE_CAPTURE_DIALOG;
        }
      else if (g_str_equal (dialog, "about"))
        {
          g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
          type = ADW_TYPE_ABOUT_WINDOW;
        }
      spin (800);
      target = GTK_WIDGET (find_toplevel (type));
      if (target == NULL)
        g_error ("no %s window", dialog);
      if (capture_filter != NULL && PL_IS_CAPTURE_DIALOG (target))
        {
          pl_capture_dialog_set_filter (PL_CAPTURE_DIALOG (target), capture_filter);
          spin (300);
        }
    }
  save (target, argv[1]);
  if (GTK_IS_POPOVER (target) && gtk_widget_get_parent (target) == GTK_WIDGET (window))
    gtk_widget_unparent (target);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  return 0;
}
