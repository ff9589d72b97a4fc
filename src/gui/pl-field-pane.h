/* pl-field-pane.h: the field tree of one frame (PlField rows in a
 * GtkTreeListModel), layers in Wireshark's order; selecting a row reports
 * the field so the hex view can highlight its bytes. */
#pragma once

#include <gtk/gtk.h>

#include "pl-field.h"

G_BEGIN_DECLS

#define PL_TYPE_FIELD_PANE (pl_field_pane_get_type ())

G_DECLARE_FINAL_TYPE (PlFieldPane, pl_field_pane, PL, FIELD_PANE, GtkWidget)

GtkWidget *pl_field_pane_new                (void);
/* Shows the children of root (a tree from pl_field_tree_build()), or
 * nothing with NULL.  The last layer (TCP) starts expanded. */
void       pl_field_pane_set_tree           (PlFieldPane *self,
                                             PlField     *root);
PlField   *pl_field_pane_get_tree           (PlFieldPane *self);
/* The selected field, or NULL. */
PlField   *pl_field_pane_get_selected_field (PlFieldPane *self);
/* Expands the way to the first field with this key, selects it and
 * scrolls to it.  FALSE when there is no such field. */
gboolean   pl_field_pane_select_key         (PlFieldPane *self,
                                             const char  *key);

G_END_DECLS
