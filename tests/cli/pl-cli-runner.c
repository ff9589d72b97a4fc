/* pl-cli-runner.c: the headless command line without the GTK front end,
 * for tests that spawn it (the installed packet-ladder runs the same
 * pl_cli_run()). */
#include "config.h"

#include <locale.h>

#include "pl-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  return pl_cli_run (argc, argv);
}
