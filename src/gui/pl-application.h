/* pl-application.h: the Packet Ladder application (one per process). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PL_TYPE_APPLICATION (pl_application_get_type ())

G_DECLARE_FINAL_TYPE (PlApplication, pl_application, PL, APPLICATION, AdwApplication)

PlApplication *pl_application_new              (void);
/* The window settings, or NULL when the schema is not installed (an
 * uninstalled run without GSETTINGS_SCHEMA_DIR): then sizes are not kept. */
GSettings     *pl_application_get_settings     (PlApplication *self);
/* The bundled sample capture: the installed copy, else the source tree's. */
GFile         *pl_application_get_example_file (PlApplication *self);

G_END_DECLS
