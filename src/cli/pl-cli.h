/* pl-cli.h: the headless side of packet-ladder (dumps and exports). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the arguments ask for headless work (a dump or an export):
 * then main() calls pl_cli_run() and never touches the display. */
gboolean pl_cli_wants (int    argc,
                       char **argv);

/* Runs the command line; returns the exit status: 0 done, 1 the capture
 * could not be read or written, 2 usage error. */
int      pl_cli_run   (int    argc,
                       char **argv);

G_END_DECLS
