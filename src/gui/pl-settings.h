/* pl-settings.h: the application's GSettings, one object for the whole
 * process, whoever asks first (the application at startup, or a window
 * made without one, as the tests and the screenshot tool do). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Owned by the library; NULL when the schema is not installed (the view
 * options then still work, as actions on the window, but are not kept). */
GSettings *pl_settings_get_default (void);

G_END_DECLS
