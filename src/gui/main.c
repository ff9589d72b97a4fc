/* main.c: the packet-ladder command.
 *
 * With a dump or export option it works headless (src/cli) and never opens
 * the display; otherwise it runs the application with the files given.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pl-application.h"
#include "pl-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(PlApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* PL_LOCALEDIR: the catalogues of a build tree (build/po), to run
   * uninstalled in another language. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PL_LOCALEDIR") != NULL ? g_getenv ("PL_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before anything initialises GTK: dumps must work with no display. */
  if (pl_cli_wants (argc, argv))
    return pl_cli_run (argc, argv);

  app = pl_application_new ();
  /* --help of the window also says how to work without one. */
  g_application_set_option_context_parameter_string (G_APPLICATION (app), "[FILE…]");
  g_application_set_option_context_description (G_APPLICATION (app),
    _("Without a display:\n"
      "  packet-ladder --dump-frames FILE\n"
      "  packet-ladder --list-streams FILE\n"
      "  packet-ladder --dump-http FILE\n"
      "  packet-ladder --save-body=FRAME:PATH FILE\n"
      "  packet-ladder --report=DIR [--stream=N] FILE\n"
      "  packet-ladder --export=OUT [OPTION…] FILE\n"
      "“packet-ladder --export=OUT --help” lists the export options."));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
