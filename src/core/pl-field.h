/* pl-field.h: the field tree of one frame, built on demand.
 *
 * Each PlField is one line of the details pane: a display name, a
 * filter-style key as Wireshark names it (tcp.seq, tcp.flags.syn), the value
 * as shown, and the bytes it covers in the frame.  Generated fields (computed,
 * not on the wire: relative numbers, the calculated window) have length 0.
 * Children are a GListModel of PlField, so GtkTreeListModel can expand them.
 */
#pragma once

#include <gio/gio.h>

#include "pl-capture.h"

G_BEGIN_DECLS

#define PL_TYPE_FIELD (pl_field_get_type ())

G_DECLARE_FINAL_TYPE (PlField, pl_field, PL, FIELD, GObject)

/* The root's children are the layers, in Wireshark's order: Frame, the link
 * layer, IPv4/IPv6, TCP.  Returns NULL for a bad index. */
PlField    *pl_field_tree_build      (PlCapture     *capture,
                                      guint          frame_index);

const char *pl_field_get_name        (PlField       *self);
const char *pl_field_get_key         (PlField       *self);
const char *pl_field_get_value       (PlField       *self);
/* "Name: value", or the name alone when there is no value. */
char       *pl_field_dup_label       (PlField       *self);
guint       pl_field_get_offset      (PlField       *self);
guint       pl_field_get_length      (PlField       *self);
gboolean    pl_field_get_generated   (PlField       *self);
/* NULL for a leaf. */
GListModel *pl_field_get_children    (PlField       *self);
guint       pl_field_get_n_children  (PlField       *self);
PlField    *pl_field_get_child       (PlField       *self,
                                      guint          index);

/* Depth-first search for the first field with this key (borrowed). */
PlField    *pl_field_find            (PlField       *self,
                                      const char    *key);

G_END_DECLS
