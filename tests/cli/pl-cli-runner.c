/* pl-cli-runner.c: the headless command line without the GTK front end,
 * for tests that spawn it (the installed packet-ladder runs the same
 * pl_cli_run()). */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pl-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* As main.c; PL_LOCALEDIR points at the build tree's catalogues. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PL_LOCALEDIR") != NULL ? g_getenv ("PL_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return pl_cli_run (argc, argv);
}
