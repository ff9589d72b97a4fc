/* pl-preferences-window.c: every row is bound to its GSettings key, so a
 * change shows at once in every window (and in the View menu, whose
 * actions are made from the same keys). */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-preferences-window.h"

struct _PlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings           *settings;
};

G_DEFINE_FINAL_TYPE (PlPreferencesWindow, pl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* A combo row's selected index <-> a string key, through the ids. */
static gboolean
get_index (GValue   *value,
           GVariant *variant,
           gpointer  user_data)
{
  const char * const *ids = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
set_index (const GValue       *value,
           const GVariantType *expected_type,
           gpointer            user_data)
{
  const char * const *ids = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) ids))
    return NULL;
  return g_variant_new_string (ids[index]);
}

static void
add_combo (PlPreferencesWindow *self,
           AdwPreferencesGroup *group,
           const char          *key,
           const char          *title,
           const char          *subtitle,
           const char * const  *ids,
           const char * const  *names)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (names);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                get_index, set_index, (gpointer) ids, NULL);
  adw_preferences_group_add (group, row);
}

static void
add_switch (PlPreferencesWindow *self,
            AdwPreferencesGroup *group,
            const char          *key,
            const char          *title,
            const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, row);
}

PlPreferencesWindow *
pl_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  static const char *style_ids[] = { "system", "light", "dark", NULL };
  static const char *spacing_ids[] = { "uniform", "time", "compressed", NULL };
  static const char *number_ids[] = { "relative", "raw", "both", NULL };
  static const char *time_ids[] = { "capture", "stream", "delta", "epoch", "clock", NULL };
  static const char *lifeline_ids[] = { "sockets", "hosts", NULL };
  const char *style_names[] = { _("Follow System"), _("Light"), _("Dark"), NULL };
  const char *spacing_names[] = { _("One Row per Arrow"), _("Time to Scale"), _("Time to Scale, Gaps Cut"), NULL };
  const char *number_names[] = { _("Relative"), _("Raw"), _("Both"), NULL };
  const char *time_names[] = { _("Since the Capture Began"), _("Since the Stream Began"), _("Since the Previous Frame"),
                               _("Seconds Since the Epoch"), _("Time of Day"), NULL };
  const char *lifeline_names[] = { _("One per Socket"), _("One per Host"), NULL };
  PlPreferencesWindow *self;
  GtkWidget *page;
  AdwPreferencesGroup *group;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "search-enabled", FALSE,
                       "default-width", 560,
                       "default-height", 780,
                       NULL);
  self->settings = g_object_ref (settings);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-other-symbolic");

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Appearance"));
  add_combo (self, group, "color-scheme", _("Style"),
             _("The ladder uses the dark palette in the dark style"),
             style_ids, style_names);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Ladder"));
  add_combo (self, group, "spacing", _("Spacing"), NULL, spacing_ids, spacing_names);
  add_combo (self, group, "numbers", _("Sequence Numbers"),
             _("Relative to the initial sequence number, as Wireshark shows them"),
             number_ids, number_names);
  add_combo (self, group, "time", _("Time"), _("The time column, as in Wireshark's View ▸ Time Display Format"),
             time_ids, time_names);
  add_combo (self, group, "lifelines", _("Lifelines"), NULL, lifeline_ids, lifeline_names);
  add_switch (self, group, "show-states", _("TCP States"),
              _("The inferred state of each endpoint on its lifeline"));
  add_switch (self, group, "hide-pure-acks", _("Hide Pure ACKs"),
              _("Segments with no data and no SYN, FIN or RST"));
  add_switch (self, group, "fold-http", _("Fold HTTP Messages"),
              _("A message sent in several segments as one arrow"));
  add_switch (self, group, "explain", _("Explanations"),
              _("The arithmetic beside the arrows, the analysis and the close as notes"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Layout"));
  add_switch (self, group, "show-details", _("Details Beside the Ladder"),
              _("A narrow window folds them away and shows them on demand (F9)"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));

  return self;
}

static void
pl_preferences_window_dispose (GObject *object)
{
  PlPreferencesWindow *self = PL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pl_preferences_window_parent_class)->dispose (object);
}

static void
pl_preferences_window_class_init (PlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pl_preferences_window_dispose;
}

static void
pl_preferences_window_init (PlPreferencesWindow *self)
{
}
