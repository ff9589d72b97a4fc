/* pl-application.c: the application: single instance (files opened from a
 * second launch or the file manager go to the first), app-wide actions and
 * accelerators, the About and Preferences windows, and the style (light or
 * dark) chosen in the preferences.
 *
 * AdwApplication loads style.css and GtkApplication gtk/help-overlay.ui
 * from the resource base path, which is derived from the application id.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-application.h"
#include "pl-preferences-window.h"
#include "pl-settings.h"
#include "pl-window.h"

struct _PlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PlApplication, pl_application, ADW_TYPE_APPLICATION)

PlApplication *
pl_application_new (void)
{
  return g_object_new (PL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

GSettings *
pl_application_get_settings (PlApplication *self)
{
  g_return_val_if_fail (PL_IS_APPLICATION (self), NULL);

  return self->settings;
}

GFile *
pl_application_get_example_file (PlApplication *self)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "samples", "lab.pcap", NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_file_new_for_path (installed);

  /* Running from the build directory: use the source tree's copy. */
  return g_file_new_build_filename (SOURCE_SAMPLEDIR, "lab.pcap", NULL);
}

/* A window to show a new capture in: the active one when it shows nothing
 * yet, else a new window. */
static PlWindow *
pl_application_get_empty_window (PlApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    {
      if (PL_IS_WINDOW (iter->data) && pl_window_is_empty (iter->data))
        return iter->data;
    }

  return pl_window_new (self);
}

static void
pl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (pl_window_new (PL_APPLICATION (app)));
      /* A capture a closed app left unsaved is offered back at start. */
      pl_window_offer_recovery (PL_WINDOW (window));
    }

  gtk_window_present (window);
}

static void
pl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  PlApplication *self = PL_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      PlWindow *window = pl_application_get_empty_window (self);

      pl_window_open_file (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PlApplication *self = user_data;
  GList *windows;

  /* Close the windows first so each can save its state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PlApplication *self = user_data;
  static const char *developers[] = {
    "The Packet Ladder developers",
    NULL
  };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Packet Ladder"),
                        "developer-name", _("The Packet Ladder developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Draw TCP and HTTP ladder diagrams from packet captures"),
                        "website", "https://github.com/packetladder/packet-ladder",
                        "issue-url", "https://github.com/packetladder/packet-ladder/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Packet Ladder developers"),
                        "developers", developers,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PlPreferencesWindow *window;

  if (self->settings == NULL)
    return;

  window = pl_preferences_window_new (parent, self->settings);
  gtk_window_present (GTK_WINDOW (window));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (pl_window_new (PL_APPLICATION (user_data))));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "new-window", .activate = new_window_action },
};

static void
pl_application_update_style (PlApplication *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *scheme = NULL;

  if (self->settings == NULL)
    return;

  scheme = g_settings_get_string (self->settings, "color-scheme");
  if (g_str_equal (scheme, "light"))
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_str_equal (scheme, "dark"))
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
pl_application_startup (GApplication *app)
{
  PlApplication *self = PL_APPLICATION (app);
  GSettings *settings = pl_settings_get_default ();

  G_APPLICATION_CLASS (pl_application_parent_class)->startup (app);

  g_set_application_name (_("Packet Ladder"));
  gtk_window_set_default_icon_name (APPLICATION_ID);

  if (settings != NULL)
    self->settings = g_object_ref (settings);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::color-scheme",
                               G_CALLBACK (pl_application_update_style), self,
                               G_CONNECT_SWAPPED);
      pl_application_update_style (self);
    }

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.export",
                                         (const char *[]) { "<Control>e", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.focus-filter",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.focus-ladder",
                                         (const char *[]) { "<Control>l", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-in",
                                         (const char *[]) { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-out",
                                         (const char *[]) { "<Control>minus", "<Control>KP_Subtract", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.zoom-reset",
                                         (const char *[]) { "<Control>0", "<Control>KP_0", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open",
                                         (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.reload",
                                         (const char *[]) { "<Control>r", "F5", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-details",
                                         (const char *[]) { "F9", NULL });
}

/* The Page Up/Page Down row of the shortcuts window (see help-overlay.ui)
 * gets its icon, from the resource icons GtkApplication adds to the theme. */
static void
pl_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  GtkShortcutsWindow *overlay;

  GTK_APPLICATION_CLASS (pl_application_parent_class)->window_added (app, window);

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  if (overlay == NULL)
    return;
  for (GtkWidget *w = GTK_WIDGET (overlay); w != NULL; )
    {
      GtkShortcutType type;
      g_autoptr(GIcon) icon = NULL;

      if (GTK_IS_SHORTCUTS_SHORTCUT (w))
        {
          g_object_get (w, "shortcut-type", &type, "icon", &icon, NULL);
          if (type == GTK_SHORTCUT_GESTURE && icon == NULL)
            {
              g_autoptr(GIcon) keys = g_themed_icon_new ("pl-page-keys-symbolic");

              g_object_set (w, "icon", keys, NULL);
            }
        }

      /* Depth first over the whole tree. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != GTK_WIDGET (overlay) && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == NULL || w == GTK_WIDGET (overlay) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
}

static void
pl_application_dispose (GObject *object)
{
  PlApplication *self = PL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pl_application_parent_class)->dispose (object);
}

static void
pl_application_class_init (PlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = pl_application_dispose;

  app_class->startup = pl_application_startup;
  app_class->activate = pl_application_activate;
  app_class->open = pl_application_open;
  gtk_app_class->window_added = pl_application_window_added;
}

static void
pl_application_init (PlApplication *self)
{
}
