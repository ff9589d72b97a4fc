/* pl-export-dialog.h: the Export dialog: a format, what to export and the
 * view options, then a file chooser; the file is written atomically by
 * render's export API and a toast says where. */
#pragma once

#include <adwaita.h>

#include "pl-ladder.h"

G_BEGIN_DECLS

typedef enum
{
  PL_EXPORT_SCOPE_SELECTED,   /* the selected stream */
  PL_EXPORT_SCOPE_VISIBLE,    /* the rows in view */
  PL_EXPORT_SCOPE_ALL,        /* every stream of the capture */
} PlExportScope;

typedef struct _PlWindow PlWindow;

#define PL_TYPE_EXPORT_DIALOG (pl_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PlExportDialog, pl_export_dialog, PL, EXPORT_DIALOG, AdwWindow)

PlExportDialog *pl_export_dialog_new       (PlWindow       *window);
void            pl_export_dialog_set_scope (PlExportDialog *self,
                                            PlExportScope   scope);
/* Its Format and Paper rows (Paper is shown for PDF only), as a user
 * changes them. */
AdwComboRow    *pl_export_dialog_get_format_row (PlExportDialog *self);
AdwComboRow    *pl_export_dialog_get_paper_row  (PlExportDialog *self);
/* The view options its rows say (they start from the window's). */
void            pl_export_dialog_get_options (PlExportDialog  *self,
                                              PlLadderOptions *options);

/* Writes the window's diagram to file (format: "png", "svg", "pdf",
 * "mermaid", "plantuml" or "text") with these options; atomic.  The
 * dialog and the tests both use it. */
gboolean        pl_export_write            (PlWindow              *window,
                                            GFile                 *file,
                                            const char            *format,
                                            PlExportScope          scope,
                                            const PlLadderOptions *options,
                                            GError               **error);

G_END_DECLS
