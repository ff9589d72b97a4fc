/* pl-export.h: a ladder written to a file: PNG, SVG and PDF through the
 * painter, Mermaid, PlantUML and a plain-text ladder from the same rows.
 *
 * Every file is written under a temporary name in its folder and renamed
 * when complete, so a failed export leaves no partial file and never
 * destroys an existing one.  The same input and options give the same
 * bytes for SVG, Mermaid, PlantUML and text.
 */
#pragma once

#include <gio/gio.h>

#include "pl-ladder.h"

G_BEGIN_DECLS

typedef enum
{
  PL_EXPORT_PNG,
  PL_EXPORT_SVG,
  PL_EXPORT_PDF,
  PL_EXPORT_MERMAID,    /* .mmd: a Mermaid sequenceDiagram */
  PL_EXPORT_PLANTUML,   /* .puml */
  PL_EXPORT_TEXT,       /* .txt: a plain-text ladder */
} PlExportFormat;

/* Largest side of a PNG page in pixels (cairo's image surface limit). */
#define PL_EXPORT_PNG_MAX 32767

/* Largest ladder width in pixels for SVG and PDF: cairo's coordinates are
 * 24.8 fixed point.  A wider ladder is refused (G_IO_ERROR_NOT_SUPPORTED);
 * a longer one is cut into bands or pages. */
#define PL_EXPORT_CAIRO_MAX 8388607

/* Largest plain-text ladder, in bytes (lines x columns): each line is as
 * wide as the ladder, so thousands of lifelines make gigabytes. */
#define PL_EXPORT_TEXT_MAX_BYTES (G_GUINT64_CONSTANT (8) << 30)

/* By the extension, case-insensitive.  FALSE when not one we write. */
gboolean    pl_export_format_from_path (const char      *path,
                                        PlExportFormat  *format);
const char *pl_export_format_extension (PlExportFormat   format);

/* Writes the file, streaming: SVG in bands, PDF page by page, the text
 * formats row by row, so memory does not grow with the ladder's length.
 * A PNG taller than PL_EXPORT_PNG_MAX pixels becomes numbered pages
 * (OUT-1.png, OUT-2.png, ...) and *message (may be NULL) says so;
 * otherwise *message is NULL.  *written (may be NULL) gets the paths
 * written.  A target that exists and is not a regular file (a FIFO, a
 * device, a folder) is refused and left alone. */
gboolean    pl_export_to_file          (PlLadderSelection     *selection,
                                        const PlLadderOptions *options,
                                        PlExportFormat         format,
                                        const char            *path,
                                        GCancellable          *cancellable,
                                        GStrv                 *written,
                                        char                 **message,
                                        GError               **error);

/* The text formats and SVG, PDF and PNG (first page) in memory. */
GBytes     *pl_export_to_bytes         (PlLadderSelection     *selection,
                                        const PlLadderOptions *options,
                                        PlExportFormat         format,
                                        GError               **error);

G_END_DECLS
