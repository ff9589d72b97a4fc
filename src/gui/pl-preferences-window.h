/* pl-preferences-window.h: the Preferences window: the style (system,
 * light, dark) and the ladder's view options, all GSettings keys. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PL_TYPE_PREFERENCES_WINDOW (pl_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PlPreferencesWindow, pl_preferences_window, PL, PREFERENCES_WINDOW, AdwPreferencesWindow)

PlPreferencesWindow *pl_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings);

G_END_DECLS
