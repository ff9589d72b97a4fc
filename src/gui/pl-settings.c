/* pl-settings.c: see pl-settings.h. */
#include "config.h"

#include "pl-settings.h"

GSettings *
pl_settings_get_default (void)
{
  static GSettings *settings;
  static gboolean looked;

  if (!looked)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      looked = TRUE;
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_debug ("Schema %s is not installed; settings will not be kept", APPLICATION_ID);
    }
  return settings;
}
