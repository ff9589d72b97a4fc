/* screenshot.c: renders the main window into a PNG, for the metainfo
 * screenshots and for looking at the window under Xvfb.  Not a test.
 *
 *   screenshot OUT.png [--empty] [--dark] [--frame N] [--field KEY] [--http]
 *                      [--stream N] [--width W] [--height H]
 *
 * PL_LOCALEDIR points gettext at a folder of compiled catalogues.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pl-application.h"
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
  GOptionEntry entries[] = {
    { "empty", 0, 0, G_OPTION_ARG_NONE, &empty, "No capture", NULL },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "http", 0, 0, G_OPTION_ARG_NONE, &http, "Show the HTTP pane", NULL },
    { "frame", 0, 0, G_OPTION_ARG_INT, &frame, "Frame number to select (from 1)", NULL },
    { "stream", 0, 0, G_OPTION_ARG_INT, &stream, "Stream to show", NULL },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, "Field key to select", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", NULL },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", NULL },
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

  if (!empty)
    {
      g_autoptr(GFile) file = pl_application_get_example_file (app);

      pl_window_open_file (window, file);
      while (pl_window_is_loading (window))
        g_main_context_iteration (NULL, TRUE);
      pl_stream_list_select_stream (pl_window_get_stream_list (window), stream);
      spin (300);
      if (frame > 0)
        pl_ladder_view_set_selected_frame (pl_window_get_ladder_view (window), frame - 1);
      spin (200);
      if (field != NULL)
        pl_field_pane_select_key (pl_window_get_field_pane (window), field);
      if (http)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.select-http-message", NULL);
    }

  spin (800);
  save (GTK_WIDGET (window), argv[1]);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  return 0;
}
