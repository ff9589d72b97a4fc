/* pl-seq.h: wrap-safe TCP sequence number arithmetic (RFC 9293 section 3.4).
 *
 * Sequence numbers live in a 32-bit circle; compare them only through these
 * macros, which interpret the difference as a signed 32-bit distance (as
 * Suricata's SEQ_LT and friends do).
 */
#pragma once

#include <glib.h>

#define PL_SEQ_DIFF(a, b) ((gint32) ((guint32) (a) - (guint32) (b)))
#define PL_SEQ_LT(a, b)   (PL_SEQ_DIFF ((a), (b)) < 0)
#define PL_SEQ_LEQ(a, b)  (PL_SEQ_DIFF ((a), (b)) <= 0)
#define PL_SEQ_GT(a, b)   (PL_SEQ_DIFF ((a), (b)) > 0)
#define PL_SEQ_GEQ(a, b)  (PL_SEQ_DIFF ((a), (b)) >= 0)
#define PL_SEQ_EQ(a, b)   ((guint32) (a) == (guint32) (b))
#define PL_SEQ_MAX(a, b)  (PL_SEQ_GT ((a), (b)) ? (guint32) (a) : (guint32) (b))
#define PL_SEQ_MIN(a, b)  (PL_SEQ_LT ((a), (b)) ? (guint32) (a) : (guint32) (b))
