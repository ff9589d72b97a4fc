/* pl-stream-list.c: the stream table of the left pane.
 *
 * The rows are PlStreamItem objects in a GListStore, one per TCP stream,
 * sorted through a GtkSortListModel driven by the column view's own sorter
 * (so clicking a header sorts).  The cells read the PlTcpStream the item
 * points at; the item's properties exist for sorters and bindings.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pl-stream-list.h"

/* PlStreamItem */

struct _PlStreamItem
{
  GObject    parent_instance;

  PlCapture *capture;
  guint      index;
  guint      n_problems;
  char      *problems;
  char      *http;
};

G_DEFINE_FINAL_TYPE (PlStreamItem, pl_stream_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_CAPTURE,
  ITEM_PROP_INDEX,
  ITEM_PROP_CLIENT,
  ITEM_PROP_SERVER,
  ITEM_PROP_FRAMES,
  ITEM_PROP_BYTES_C2S,
  ITEM_PROP_BYTES_S2C,
  ITEM_PROP_DURATION,
  ITEM_PROP_PROBLEMS,
  ITEM_PROP_N_PROBLEMS,
  ITEM_PROP_HTTP,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

PlStreamItem *
pl_stream_item_new (PlCapture *capture,
                    guint      index)
{
  g_return_val_if_fail (PL_IS_CAPTURE (capture), NULL);

  return g_object_new (PL_TYPE_STREAM_ITEM,
                       "capture", capture,
                       "index", index,
                       NULL);
}

PlCapture *
pl_stream_item_get_capture (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), NULL);

  return self->capture;
}

guint
pl_stream_item_get_index (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), 0);

  return self->index;
}

const PlTcpStream *
pl_stream_item_get_stream (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), NULL);

  return pl_capture_get_stream (self->capture, self->index);
}

/* What went wrong, in words ("2 retransmissions, reset"), or NULL. */
const char *
pl_stream_item_get_problems (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), NULL);

  return self->problems;
}

guint
pl_stream_item_get_n_problems (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), 0);

  return self->n_problems;
}

void
pl_stream_item_set_problems (PlStreamItem *self,
                             guint         n_problems,
                             const char   *problems)
{
  g_return_if_fail (PL_IS_STREAM_ITEM (self));

  if (self->n_problems == n_problems && g_strcmp0 (self->problems, problems) == 0)
    return;
  self->n_problems = n_problems;
  g_free (self->problems);
  self->problems = g_strdup (problems);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_N_PROBLEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_PROBLEMS]);
}

const char *
pl_stream_item_get_http (PlStreamItem *self)
{
  g_return_val_if_fail (PL_IS_STREAM_ITEM (self), NULL);

  return self->http;
}

void
pl_stream_item_set_http (PlStreamItem *self,
                         const char   *http)
{
  g_return_if_fail (PL_IS_STREAM_ITEM (self));

  if (g_strcmp0 (self->http, http) == 0)
    return;
  g_free (self->http);
  /* Shown in a label: request targets need not be UTF-8 on the wire. */
  self->http = http != NULL ? g_utf8_make_valid (http, -1) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_HTTP]);
}

static char *
endpoint_string (const PlEndpoint *ep)
{
  char buf[80];

  return g_strdup (pl_endpoint_to_string (ep, buf, sizeof buf));
}

static void
pl_stream_item_dispose (GObject *object)
{
  PlStreamItem *self = PL_STREAM_ITEM (object);

  g_clear_object (&self->capture);
  g_clear_pointer (&self->problems, g_free);
  g_clear_pointer (&self->http, g_free);

  G_OBJECT_CLASS (pl_stream_item_parent_class)->dispose (object);
}

static void
pl_stream_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PlStreamItem *self = PL_STREAM_ITEM (object);
  const PlTcpStream *stream = NULL;

  if (prop_id > ITEM_PROP_INDEX)
    stream = pl_stream_item_get_stream (self);

  switch (prop_id)
    {
    case ITEM_PROP_CAPTURE:
      g_value_set_object (value, self->capture);
      break;

    case ITEM_PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;

    case ITEM_PROP_CLIENT:
      g_value_take_string (value, endpoint_string (&stream->ep[0]));
      break;

    case ITEM_PROP_SERVER:
      g_value_take_string (value, endpoint_string (&stream->ep[1]));
      break;

    case ITEM_PROP_FRAMES:
      g_value_set_uint (value, stream->n_frames);
      break;

    case ITEM_PROP_BYTES_C2S:
      g_value_set_uint64 (value, stream->peer[0].payload_bytes);
      break;

    case ITEM_PROP_BYTES_S2C:
      g_value_set_uint64 (value, stream->peer[1].payload_bytes);
      break;

    case ITEM_PROP_DURATION:
      g_value_set_int64 (value, stream->last_ts_ns - stream->first_ts_ns);
      break;

    case ITEM_PROP_PROBLEMS:
      g_value_set_string (value, self->problems);
      break;

    case ITEM_PROP_N_PROBLEMS:
      g_value_set_uint (value, self->n_problems);
      break;

    case ITEM_PROP_HTTP:
      g_value_set_string (value, self->http);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_stream_item_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PlStreamItem *self = PL_STREAM_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_CAPTURE:
      self->capture = g_value_dup_object (value);
      break;

    case ITEM_PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_stream_item_constructed (GObject *object)
{
  PlStreamItem *self = PL_STREAM_ITEM (object);

  G_OBJECT_CLASS (pl_stream_item_parent_class)->constructed (object);

  g_return_if_fail (self->capture != NULL);
  g_return_if_fail (self->index < pl_capture_get_n_streams (self->capture));
}

static void
pl_stream_item_class_init (PlStreamItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pl_stream_item_constructed;
  object_class->dispose = pl_stream_item_dispose;
  object_class->get_property = pl_stream_item_get_property;
  object_class->set_property = pl_stream_item_set_property;

  item_properties[ITEM_PROP_CAPTURE] =
    g_param_spec_object ("capture", NULL, NULL, PL_TYPE_CAPTURE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_CLIENT] =
    g_param_spec_string ("client", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_FRAMES] =
    g_param_spec_uint ("frames", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_BYTES_C2S] =
    g_param_spec_uint64 ("bytes-c2s", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_BYTES_S2C] =
    g_param_spec_uint64 ("bytes-s2c", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Nanoseconds from the first to the last frame. */
  item_properties[ITEM_PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  item_properties[ITEM_PROP_PROBLEMS] =
    g_param_spec_string ("problems", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_N_PROBLEMS] =
    g_param_spec_uint ("n-problems", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_HTTP] =
    g_param_spec_string ("http", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
pl_stream_item_init (PlStreamItem *self)
{
}

/* PlStreamList */

typedef enum
{
  COLUMN_STREAM,
  COLUMN_CLIENT,
  COLUMN_SERVER,
  COLUMN_FRAMES,
  COLUMN_BYTES_C2S,
  COLUMN_BYTES_S2C,
  COLUMN_DURATION,
  COLUMN_HTTP,
  COLUMN_PROBLEMS,
} PlStreamColumn;

struct _PlStreamList
{
  GtkWidget           parent_instance;

  PlCapture          *capture;
  GListStore         *store;
  GtkSortListModel   *sorted;
  GtkCustomFilter    *filter;
  GtkBitset          *visible;
  GtkSingleSelection *selection;

  GtkWidget          *scroller;
  GtkColumnView      *column_view;
  GtkColumnViewColumn *http_column;
  GtkColumnViewColumn *problems_column;
  guint               frozen;
  guint               kept;      /* the stream selected when frozen */
};

G_DEFINE_FINAL_TYPE (PlStreamList, pl_stream_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
pl_stream_list_new (void)
{
  return g_object_new (PL_TYPE_STREAM_LIST, NULL);
}

void
pl_stream_list_set_capture (PlStreamList *self,
                            PlCapture    *capture)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n_streams = 0;

  g_return_if_fail (PL_IS_STREAM_LIST (self));
  g_return_if_fail (capture == NULL || PL_IS_CAPTURE (capture));

  if (!g_set_object (&self->capture, capture))
    return;

  if (capture != NULL)
    n_streams = pl_capture_get_n_streams (capture);

  /* One splice, so the view sees a single change however many streams. */
  items = g_ptr_array_new_full (n_streams, g_object_unref);
  for (guint i = 0; i < n_streams; i++)
    g_ptr_array_add (items, pl_stream_item_new (capture, i));
  g_clear_pointer (&self->visible, gtk_bitset_unref);

  g_list_store_splice (self->store, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* While a capture loads: items for the streams published since the last
 * call, appended in one splice so the selection and the scroll position
 * stay.  Problem counts come with the full list once the load is done. */
void
pl_stream_list_add_new_streams (PlStreamList *self)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n_items, n_streams;

  g_return_if_fail (PL_IS_STREAM_LIST (self));

  if (self->capture == NULL)
    return;
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  n_streams = pl_capture_get_n_streams (self->capture);
  if (n_streams <= n_items)
    return;

  items = g_ptr_array_new_full (n_streams - n_items, g_object_unref);
  for (guint i = n_items; i < n_streams; i++)
    g_ptr_array_add (items, pl_stream_item_new (self->capture, i));
  g_list_store_splice (self->store, n_items, 0, items->pdata, items->len);
}

GtkColumnView *
pl_stream_list_get_column_view (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), NULL);

  return self->column_view;
}

PlCapture *
pl_stream_list_get_capture (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), NULL);

  return self->capture;
}

GListModel *
pl_stream_list_get_model (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), NULL);

  return G_LIST_MODEL (self->store);
}

PlStreamItem *
pl_stream_list_get_selected_item (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  PlStreamColumn column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  /* No ellipsizing: a cut address or count is worse than a scrollbar. */
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);

  /* Numbers line up on the right, in tabular figures. */
  if (column == COLUMN_HTTP || column == COLUMN_PROBLEMS)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_widget_add_css_class (label, column == COLUMN_PROBLEMS ? "problems" : "http");
    }
  else if (column == COLUMN_CLIENT || column == COLUMN_SERVER)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_add_css_class (label, "endpoint");
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
    }

  gtk_list_item_set_child (list_item, label);
}

static char *
format_count (guint64 value)
{
  /* The ' flag groups digits as the locale does (1,234 or 1 234). */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

static char *
cell_text (PlStreamColumn  column,
           PlStreamItem   *item)
{
  const PlTcpStream *stream = pl_stream_item_get_stream (item);
  char *text = NULL;

  switch (column)
    {
    case COLUMN_STREAM:
      text = g_strdup_printf ("%u", stream->index);
      break;

    case COLUMN_CLIENT:
      text = endpoint_string (&stream->ep[0]);
      break;

    case COLUMN_SERVER:
      text = endpoint_string (&stream->ep[1]);
      break;

    case COLUMN_FRAMES:
      text = format_count (stream->n_frames);
      break;

    case COLUMN_BYTES_C2S:
      text = format_count (stream->peer[0].payload_bytes);
      break;

    case COLUMN_BYTES_S2C:
      text = format_count (stream->peer[1].payload_bytes);
      break;

    case COLUMN_DURATION:
      /* Translators: a duration in seconds, as in "1.234 s". */
      text = g_strdup_printf (_("%.3f s"), (double) (stream->last_ts_ns - stream->first_ts_ns) / 1e9);
      break;

    case COLUMN_HTTP:
      text = g_strdup (pl_stream_item_get_http (item));
      break;

    case COLUMN_PROBLEMS:
      text = g_strdup (pl_stream_item_get_problems (item));
      break;

    default:
      g_assert_not_reached ();
    }
  return text;
}

static void
update_cell (GtkListItem *list_item)
{
  PlStreamColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "pl-column"));
  PlStreamItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = item != NULL ? cell_text (column, item) : NULL;

  gtk_label_set_text (label, text);
  /* Long texts are cut: the whole of them is in the tooltip. */
  if (column == COLUMN_HTTP || column == COLUMN_PROBLEMS)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

/* The HTTP and problem summaries arrive after the rows (core computes
 * them in a worker once the capture has loaded): a bound row redraws when
 * its item says they changed. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  PlStreamColumn column = GPOINTER_TO_INT (user_data);
  PlStreamItem *item = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "pl-column", user_data);
  update_cell (list_item);
  if (column == COLUMN_HTTP)
    g_signal_connect_object (item, "notify::http", G_CALLBACK (update_cell), list_item, G_CONNECT_SWAPPED);
  else if (column == COLUMN_PROBLEMS)
    g_signal_connect_object (item, "notify::problems", G_CALLBACK (update_cell), list_item, G_CONNECT_SWAPPED);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  PlStreamItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_data (item, list_item);
}

static int
compare_endpoints (const PlEndpoint *a,
                   const PlEndpoint *b)
{
  int cmp;

  if (a->version != b->version)
    return a->version < b->version ? -1 : 1;
  cmp = memcmp (a->addr, b->addr, a->version == 4 ? 4 : 16);
  if (cmp != 0)
    return cmp < 0 ? -1 : 1;
  if (a->port != b->port)
    return a->port < b->port ? -1 : 1;
  return 0;
}

/* Addresses sort by their bytes and then port, not as text, so that
 * 10.0.0.9 comes before 10.0.0.10 and port 80 before port 8080. */
static int
compare_endpoint_items (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  guint side = GPOINTER_TO_UINT (user_data);
  const PlTcpStream *sa = pl_stream_item_get_stream ((PlStreamItem *) a);
  const PlTcpStream *sb = pl_stream_item_get_stream ((PlStreamItem *) b);

  return compare_endpoints (&sa->ep[side], &sb->ep[side]);
}

static GtkSorter *
numeric_sorter (const char *property)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (PL_TYPE_STREAM_ITEM,
                                                                          NULL,
                                                                          property)));
}

static GtkColumnViewColumn *
add_column (PlStreamList   *self,
            PlStreamColumn  column,
            const char     *title,
            GtkSorter      *sorter,
            gboolean        expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);

  g_object_unref (sorter);
  return view_column;
}

static gboolean
filter_visible (gpointer item,
                gpointer user_data)
{
  PlStreamList *self = user_data;

  return self->visible == NULL
         || gtk_bitset_contains (self->visible, pl_stream_item_get_index (item));
}

/* While the rows are filtered again or re-sorted, the selection model may
 * drop the selected row and take it back: the stream stays selected when
 * it is still listed, and "selected-item" is notified once, if at all. */
static void
pl_stream_list_freeze (PlStreamList *self)
{
  if (self->frozen++ == 0)
    {
      PlStreamItem *item = gtk_single_selection_get_selected_item (self->selection);

      self->kept = item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT;
    }
}

static void
pl_stream_list_thaw (PlStreamList *self)
{
  PlStreamItem *item;

  g_return_if_fail (self->frozen > 0);
  if (--self->frozen > 0)
    return;
  item = gtk_single_selection_get_selected_item (self->selection);
  if (self->kept != G_MAXUINT && (item == NULL || pl_stream_item_get_index (item) != self->kept))
    pl_stream_list_select_stream (self, self->kept);
  item = gtk_single_selection_get_selected_item (self->selection);
  if ((item != NULL ? pl_stream_item_get_index (item) : G_MAXUINT) != self->kept)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

void
pl_stream_list_set_visible (PlStreamList *self,
                            GtkBitset    *visible)
{
  g_return_if_fail (PL_IS_STREAM_LIST (self));

  if (visible == NULL && self->visible == NULL)
    return;
  if (visible != NULL && self->visible != NULL && gtk_bitset_equals (visible, self->visible))
    return;

  pl_stream_list_freeze (self);
  g_clear_pointer (&self->visible, gtk_bitset_unref);
  if (visible != NULL)
    self->visible = gtk_bitset_ref (visible);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  pl_stream_list_thaw (self);
}

guint
pl_stream_list_get_n_visible (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

gboolean
pl_stream_list_select_stream (PlStreamList *self,
                              guint         index)
{
  guint n;

  g_return_val_if_fail (PL_IS_STREAM_LIST (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (pl_stream_item_get_index (item) == index)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
pl_stream_list_select_first (PlStreamList *self)
{
  g_return_val_if_fail (PL_IS_STREAM_LIST (self), FALSE);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, 0);
  return TRUE;
}

void
pl_stream_list_set_digests (PlStreamList    *self,
                            PlStreamDigests *digests)
{
  guint n;

  g_return_if_fail (PL_IS_STREAM_LIST (self));
  g_return_if_fail (digests != NULL);

  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->store)), pl_stream_digests_get_n_streams (digests));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlStreamItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const PlStreamDigest *d = pl_stream_digests_get (digests, pl_stream_item_get_index (item));

      /* The application protocol's words: HTTP exchanges, else the TLS
       * handshake (HTTP inside TLS is not decrypted). */
      pl_stream_item_set_http (item, d->http != NULL ? d->http : d->tls);
      pl_stream_item_set_problems (item, d->n_problems, d->problems);
    }

  /* Rows sorted by these columns take their places. */
  pl_stream_list_freeze (self);
  gtk_sorter_changed (gtk_column_view_column_get_sorter (self->http_column), GTK_SORTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (gtk_column_view_column_get_sorter (self->problems_column), GTK_SORTER_CHANGE_DIFFERENT);
  pl_stream_list_thaw (self);
}

static void
on_selection_changed (PlStreamList *self)
{
  if (self->frozen == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

static void
pl_stream_list_dispose (GObject *object)
{
  PlStreamList *self = PL_STREAM_LIST (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->visible, gtk_bitset_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->capture);

  G_OBJECT_CLASS (pl_stream_list_parent_class)->dispose (object);
}

static void
pl_stream_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PlStreamList *self = PL_STREAM_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, pl_stream_list_get_selected_item (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pl_stream_list_class_init (PlStreamListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pl_stream_list_dispose;
  object_class->get_property = pl_stream_list_get_property;

  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, PL_TYPE_STREAM_ITEM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "streamlist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pl_stream_list_init (PlStreamList *self)
{
  GtkSortListModel *sorted;
  GtkFilterListModel *filtered;
  GtkColumnViewColumn *first;

  self->store = g_list_store_new (PL_TYPE_STREAM_ITEM);

  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_reorderable (self->column_view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("TCP streams"),
                                  -1);

  /* Translators: column headers of the stream table. */
  add_column (self, COLUMN_STREAM, _("Stream"), numeric_sorter ("index"), FALSE);
  add_column (self, COLUMN_CLIENT, _("Client"),
              GTK_SORTER (gtk_custom_sorter_new (compare_endpoint_items, GUINT_TO_POINTER (0), NULL)),
              TRUE);
  add_column (self, COLUMN_SERVER, _("Server"),
              GTK_SORTER (gtk_custom_sorter_new (compare_endpoint_items, GUINT_TO_POINTER (1), NULL)),
              TRUE);
  add_column (self, COLUMN_FRAMES, _("Frames"), numeric_sorter ("frames"), FALSE);
  /* Translators: payload bytes the client sent to the server. */
  add_column (self, COLUMN_BYTES_C2S, _("Bytes →"), numeric_sorter ("bytes-c2s"), FALSE);
  /* Translators: payload bytes the server sent to the client. */
  add_column (self, COLUMN_BYTES_S2C, _("Bytes ←"), numeric_sorter ("bytes-s2c"), FALSE);
  add_column (self, COLUMN_DURATION, _("Duration"), numeric_sorter ("duration"), FALSE);
  /* Translators: the HTTP requests of a stream ("GET /logo.jpg → 200"), or
   * its TLS handshake ("TLS 1.3 handshake, example.org, h2"). */
  self->http_column = add_column (self, COLUMN_HTTP, _("HTTP / TLS"),
              GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (PL_TYPE_STREAM_ITEM, NULL, "http"))),
              FALSE);
  self->problems_column = add_column (self, COLUMN_PROBLEMS, _("Problems"), numeric_sorter ("n-problems"), FALSE);

  self->filter = gtk_custom_filter_new (filter_visible, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                        g_object_ref (GTK_FILTER (self->filter)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->sorted = sorted;
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  /* Stream order at first, with the arrow showing it. */
  first = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), 0);
  gtk_column_view_sort_by_column (self->column_view, first, GTK_SORT_ASCENDING);
  g_object_unref (first);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller),
                                 GTK_WIDGET (self->column_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}
