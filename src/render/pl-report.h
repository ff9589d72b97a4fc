/* pl-report.h: a lab report in one command (`packet-ladder --report=DIR`).
 *
 * DIR/report.md, in the user's language, with its pictures beside it (each
 * as SVG and PNG): the capture's summary; for one stream, the three-way
 * handshake with its options, each HTTP round with its ladder and heads, a
 * segmented transfer with the seq/ack arithmetic explained, the close with
 * its states and story, and the fields of one frame per phase.
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture.h"

G_BEGIN_DECLS

#define PL_REPORT_ANY_STREAM G_MAXUINT

/* The stream a report describes by default: the one with the most HTTP
 * messages (the lowest index among equals), else the one with the most
 * frames; PL_REPORT_ANY_STREAM when the capture has no TCP stream. */
guint    pl_report_choose_stream (PlCapture   *capture);

/* Writes DIR/report.md and its pictures (DIR is made if need be) about
 * stream (PL_REPORT_ANY_STREAM: pl_report_choose_stream()).  *written (may
 * be NULL) gets the paths written, the report first.  Every file is
 * written under a temporary name and renamed. */
gboolean pl_report_write         (PlCapture   *capture,
                                  guint        stream,
                                  const char  *dir,
                                  GStrv       *written,
                                  GError     **error);

G_END_DECLS
