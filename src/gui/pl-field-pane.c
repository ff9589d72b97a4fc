/* pl-field-pane.c: the details of the selected frame as an expandable tree.
 *
 * The tree is built on demand by core (pl_field_tree_build()); each PlField
 * has a GListModel of children, which is all GtkTreeListModel needs.  Rows
 * are a GtkTreeExpander around a label; the widgets are recycled by the
 * list view, so a frame with many options costs no more than the rows in
 * view.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pl-field-pane.h"

struct _PlFieldPane
{
  GtkWidget           parent_instance;

  PlField            *root;
  GtkTreeListModel   *tree_model;
  GtkSingleSelection *selection;

  GtkWidget          *scroller;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (PlFieldPane, pl_field_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_FIELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pl_field_pane_new (void)
{
  return g_object_new (PL_TYPE_FIELD_PANE, NULL);
}

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  GListModel *children = pl_field_get_children (PL_FIELD (item));

  return children != NULL ? g_object_ref (children) : NULL;
}

void
pl_field_pane_set_tree (PlFieldPane *self,
                        PlField     *root)
{
  GListModel *layers = NULL;
  guint n;

  g_return_if_fail (PL_IS_FIELD_PANE (self));

  if (!g_set_object (&self->root, root))
    return;

  if (root != NULL)
    layers = pl_field_get_children (root);
  if (layers == NULL)
    layers = G_LIST_MODEL (g_list_store_new (PL_TYPE_FIELD));
  else
    g_object_ref (layers);

  self->tree_model = gtk_tree_list_model_new (layers, FALSE, FALSE, create_child_model, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->tree_model));
  g_object_unref (self->tree_model);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  /* The transport layer is what the user came for: open it. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tree_model));
  if (n > 0)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->tree_model, n - 1);

      if (row != NULL)
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

PlField *
pl_field_pane_get_tree (PlFieldPane *self)
{
  g_return_val_if_fail (PL_IS_FIELD_PANE (self), NULL);

  return self->root;
}

PlField *
pl_field_pane_get_selected_field (PlFieldPane *self)
{
  GtkTreeListRow *row;
  gpointer field;

  g_return_val_if_fail (PL_IS_FIELD_PANE (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return NULL;
  field = gtk_tree_list_row_get_item (row);
  /* The row keeps its item alive: hand out a borrowed pointer. */
  g_object_unref (field);
  return PL_FIELD (field);
}

/* The child indexes from parent down to the field with key; FALSE when no
 * descendant has it. */
static gboolean
find_path (PlField    *parent,
           const char *key,
           GArray     *path)
{
  guint n = pl_field_get_n_children (parent);

  for (guint i = 0; i < n; i++)
    {
      PlField *child = pl_field_get_child (parent, i);

      g_array_append_val (path, i);
      if (g_strcmp0 (pl_field_get_key (child), key) == 0 || find_path (child, key, path))
        return TRUE;
      g_array_set_size (path, path->len - 1);
    }
  return FALSE;
}

gboolean
pl_field_pane_select_key (PlFieldPane *self,
                          const char  *key)
{
  g_autoptr(GArray) path = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GtkTreeListRow) row = NULL;
  guint position;

  g_return_val_if_fail (PL_IS_FIELD_PANE (self), FALSE);

  if (self->root == NULL || !find_path (self->root, key, path))
    return FALSE;

  row = gtk_tree_list_model_get_child_row (self->tree_model, g_array_index (path, guint, 0));
  for (guint i = 1; row != NULL && i < path->len; i++)
    {
      GtkTreeListRow *child;

      gtk_tree_list_row_set_expanded (row, TRUE);
      child = gtk_tree_list_row_get_child_row (row, g_array_index (path, guint, i));
      g_object_unref (row);
      row = child;
    }
  if (row == NULL)
    return FALSE;

  position = gtk_tree_list_row_get_position (row);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GtkWidget *label = gtk_tree_expander_get_child (expander);
  PlField *field = gtk_tree_list_row_get_item (row);
  g_autofree char *text = pl_field_dup_label (field);

  gtk_tree_expander_set_list_row (expander, row);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, pl_field_get_key (field));

  /* Computed values are not on the wire: Wireshark brackets them. */
  if (pl_field_get_generated (field))
    gtk_widget_add_css_class (label, "generated");
  else
    gtk_widget_remove_css_class (label, "generated");

  g_object_unref (field);
}

static void
on_selection_changed (PlFieldPane *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FIELD]);
}

static void
pl_field_pane_dispose (GObject *object)
{
  PlFieldPane *self = PL_FIELD_PANE (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->root);

  G_OBJECT_CLASS (pl_field_pane_parent_class)->dispose (object);
}

static void
pl_field_pane_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PlFieldPane *self = PL_FIELD_PANE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FIELD:
      g_value_set_object (value, pl_field_pane_get_selected_field (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_field_pane_class_init (PlFieldPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_field_pane_dispose;
  object_class->get_property = pl_field_pane_get_property;

  properties[PROP_SELECTED_FIELD] =
    g_param_spec_object ("selected-field", NULL, NULL, PL_TYPE_FIELD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fieldpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pl_field_pane_init (PlFieldPane *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self,
                           G_CONNECT_SWAPPED);

  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (self->selection)),
                                                      g_object_ref (factory)));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "field-tree");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Frame fields"),
                                  -1);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->list_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}
